import type { WebviewToHost } from '../shared/protocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

/** Browser entry shared by the extension's webviews: announces itself; each form adds its own module (issue 6). */
const vscode = acquireVsCodeApi();
const ready: WebviewToHost = { type: 'ready', view: document.body.dataset['view'] ?? 'unknown' };
vscode.postMessage(ready);
