import * as vscode from 'vscode';
import { ReadyMessage } from '../../shared/protocol';
import {
  PROVE_VIEW,
  ProveCommandSchema,
  type ProveCommand,
  type ProveViewModel,
  type ShowProve,
} from '../../shared/prove/protocol';
import type { ChannelLogger } from '../platform/logger';
import { pageHtml, webviewOptions } from '../webviews/html';

/**
 * The "Prove DCR" report: one webview panel, reused by every run and updated live as the steps run. The page is
 * dist/webview/prove.js with media/prove.css under the shared strict CSP (crypto nonce, no inline script or style,
 * resources only from dist/webview and media). The host posts only after the page said `ready` and zod-parses every
 * message the page sends.
 */
export class ProvePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private current: ProveViewModel | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** Models the page acknowledged receiving (tests wait on it). */
  posted = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: ChannelLogger,
    private readonly onCommand: (c: ProveCommand) => unknown,
  ) {}

  get model(): ProveViewModel | undefined {
    return this.current;
  }

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  show(model: ProveViewModel, preserveFocus = false): void {
    this.current = model;
    if (!this.panel) this.create(preserveFocus);
    else if (!this.panel.visible) this.panel.reveal(undefined, preserveFocus);
    this.panel!.title = `Prove DCR: ${model.strategy.name}`;
    this.post();
  }

  private create(preserveFocus: boolean): void {
    const panel = vscode.window.createWebviewPanel(
      'konnectDcr.prove',
      'Prove DCR',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus },
      {
        ...webviewOptions(this.extensionUri),
        retainContextWhenHidden: false,
      },
    );
    this.panel = panel;
    this.ready = false;
    panel.webview.html = pageHtml(panel.webview, this.extensionUri, {
      entry: 'prove',
      css: 'prove.css',
      title: 'Prove DCR',
      view: PROVE_VIEW,
    });
    this.subs.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.ready = false;
        }
      }),
    );
  }

  private receive(m: unknown): void {
    if (ReadyMessage.safeParse(m).success) {
      this.ready = true;
      this.post();
      return;
    }
    const cmd = ProveCommandSchema.safeParse(m);
    if (!cmd.success) {
      this.log.warn('prove view: ignored a malformed message');
      return;
    }
    void Promise.resolve(this.onCommand(cmd.data)).catch((err: unknown) =>
      this.log.error('prove view command failed:', err),
    );
  }

  private post(): void {
    if (!this.panel || !this.ready || !this.current) return;
    const msg: ShowProve = { type: 'notification', method: 'prove/show', params: this.current };
    void this.panel.webview.postMessage(msg).then((ok) => {
      if (ok) this.posted++;
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
