import type { WebviewToHost } from '../shared/protocol';

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

/**
 * Browser entry shared by the extension's webviews: announces itself. Each page (forms, response, Prove report) has
 * its own entry module next to this one.
 */
const vscode = acquireVsCodeApi();
const ready: WebviewToHost = { type: 'ready', view: document.body.dataset['view'] ?? 'unknown' };
vscode.postMessage(ready);
