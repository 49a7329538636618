import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ReadyMessage } from '../../shared/protocol';
import {
  RESPONSE_VIEW,
  ResponseCommandSchema,
  type ResponseCommand,
  type ResponseViewModel,
  type ShowResponse,
} from '../../shared/response/protocol';
import type { ChannelLogger } from '../platform/logger';

/**
 * The response view: one webview panel beside the editor, reused for every run. Strict CSP (no inline script or
 * style; scripts need the per-page crypto nonce); resources only from dist/webview and media. The host posts only
 * after the page said `ready`, and zod-parses everything the page sends.
 */
export class ResponsePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private current: ResponseViewModel | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** How many models the page has been sent (tests wait on it). */
  posted = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: ChannelLogger,
    private readonly onCommand: (c: ResponseCommand) => unknown,
  ) {}

  get model(): ResponseViewModel | undefined {
    return this.current;
  }

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  show(model: ResponseViewModel, preserveFocus = true): void {
    this.current = model;
    if (!this.panel) this.create(preserveFocus);
    else if (!this.panel.visible) this.panel.reveal(vscode.ViewColumn.Beside, preserveFocus);
    this.panel!.title = `Response: ${model.title}`;
    this.post();
  }

  private create(preserveFocus: boolean): void {
    const roots = [
      vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(this.extensionUri, 'media'),
    ];
    const panel = vscode.window.createWebviewPanel(
      'konnectDcr.response',
      'Response',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      {
        enableScripts: true,
        localResourceRoots: roots,
        retainContextWhenHidden: false,
      },
    );
    this.panel = panel;
    this.ready = false;
    panel.webview.html = this.html(panel.webview);
    // owned by this panel: disposed with it
    const subs = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    ];
    this.subs.push(
      ...subs,
      panel.onDidDispose(() => {
        for (const d of subs) d.dispose();
        if (this.panel === panel) {
          this.panel = undefined;
          this.ready = false;
        }
      }),
    );
  }

  private receive(m: unknown): void {
    const ready = ReadyMessage.safeParse(m);
    if (ready.success) {
      this.ready = true;
      this.post();
      return;
    }
    const cmd = ResponseCommandSchema.safeParse(m);
    if (!cmd.success) {
      this.log.warn('response view: ignored a malformed message');
      return;
    }
    void Promise.resolve(this.onCommand(cmd.data)).catch((err: unknown) =>
      this.log.error('response view command failed:', err),
    );
  }

  private post(): void {
    if (!this.panel || !this.ready || !this.current) return;
    const msg: ShowResponse = { type: 'notification', method: 'response/show', params: this.current };
    void this.panel.webview.postMessage(msg).then((ok) => {
      if (ok) this.posted++;
    });
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'response.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'response.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Response</title>
</head>
<body data-view="${RESPONSE_VIEW}">
<div id="root"><p>Sending…</p></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
