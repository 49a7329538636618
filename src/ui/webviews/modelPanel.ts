import * as vscode from 'vscode';
import type * as z from 'zod';
import { ReadyMessage } from '../../shared/protocol';
import type { ChannelLogger } from '../platform/logger';
import { pageHtml, webviewOptions, type PageOptions } from './html';

/** What one view-model page (the response view, the Prove DCR report, …) is: everything else is the host below. */
export interface ModelPageSpec<Model, Command> {
  /** The webview panel's view type, e.g. `konnectDcr.response`. */
  readonly viewType: string;
  /** The page: its script, stylesheet, view name and the panel's first title. */
  readonly page: PageOptions;
  /** The notification method the model is posted with, e.g. `response/show`. */
  readonly method: string;
  /** The panel title for a model. */
  title(model: Model): string;
  /** Where the panel opens. */
  readonly column: vscode.ViewColumn;
  /** Where a hidden panel is revealed (undefined: in the column it is in). */
  readonly revealColumn?: vscode.ViewColumn;
  /** Whether a show keeps the focus where it is, unless the caller says otherwise. */
  readonly preserveFocus: boolean;
  /** What the page may send besides `ready`; anything else is logged and dropped. */
  readonly commands: z.ZodType<Command>;
  /** Names the page in the log ("response view"). */
  readonly label: string;
}

/**
 * The one host of the extension's view-model pages: a single webview panel reused by every show, the shared strict
 * page (html.ts: CSP with a per-load crypto nonce, no inline script or style, resources only from dist/webview and
 * media). The page is sent the current model once it says `ready` (and again each time it reloads after being
 * hidden: the panel does not retain its context); everything it sends is parsed with the page's command schema.
 */
export class ModelPanel<Model, Command> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private current: Model | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** Models the webview accepted (tests wait on it). */
  posted = 0;

  constructor(
    private readonly spec: ModelPageSpec<Model, Command>,
    private readonly extensionUri: vscode.Uri,
    private readonly log: ChannelLogger,
    private readonly onCommand: (c: Command) => unknown,
  ) {}

  get model(): Model | undefined {
    return this.current;
  }

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  show(model: Model, preserveFocus = this.spec.preserveFocus): void {
    this.current = model;
    if (!this.panel) this.create(preserveFocus);
    else if (!this.panel.visible) this.panel.reveal(this.spec.revealColumn, preserveFocus);
    this.panel!.title = this.spec.title(model);
    this.post();
  }

  private create(preserveFocus: boolean): void {
    const panel = vscode.window.createWebviewPanel(
      this.spec.viewType,
      this.spec.page.title,
      { viewColumn: this.spec.column, preserveFocus },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
    );
    this.panel = panel;
    this.ready = false;
    panel.webview.html = pageHtml(panel.webview, this.extensionUri, this.spec.page);
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
    if (ReadyMessage.safeParse(m).success) {
      this.ready = true;
      this.post();
      return;
    }
    const cmd = this.spec.commands.safeParse(m);
    if (!cmd.success) {
      this.log.warn(`${this.spec.label}: ignored a malformed message`);
      return;
    }
    void Promise.resolve(this.onCommand(cmd.data)).catch((err: unknown) =>
      this.log.error(`${this.spec.label} command failed:`, err),
    );
  }

  private post(): void {
    if (!this.panel || !this.ready || this.current === undefined) return;
    const msg = { type: 'notification', method: this.spec.method, params: this.current };
    void this.panel.webview.postMessage(msg).then((ok) => {
      if (ok) this.posted++;
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
