import * as vscode from 'vscode';
import { ReadyMessage } from '../../shared/protocol';
import {
  DOCTOR_VIEW,
  DoctorCommandSchema,
  type DoctorCommand,
  type DoctorViewModel,
  type ShowDoctor,
} from '../../shared/doctor/protocol';
import type { ChannelLogger } from '../platform/logger';
import { pageHtml, webviewOptions } from '../webviews/html';

/**
 * The "DCR Doctor" report: one webview panel reused by every diagnosis. The page is dist/webview/doctor.js with
 * media/doctor.css under the shared strict CSP (crypto nonce, no inline script or style, resources only from
 * dist/webview and media). The host posts only after the page said `ready` and zod-parses every message it sends.
 */
export class DoctorPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private current: DoctorViewModel | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** Models the page acknowledged receiving (tests wait on it). */
  posted = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: ChannelLogger,
    private readonly onCommand: (c: DoctorCommand) => unknown,
  ) {}

  get model(): DoctorViewModel | undefined {
    return this.current;
  }

  show(model: DoctorViewModel): void {
    this.current = model;
    if (!this.panel) this.create();
    else if (!this.panel.visible) this.panel.reveal(undefined, false);
    this.panel!.title = `DCR Doctor: ${model.subject.name}`;
    this.post();
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(
      'konnectDcr.doctor',
      'DCR Doctor',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
    );
    this.panel = panel;
    this.ready = false;
    panel.webview.html = pageHtml(panel.webview, this.extensionUri, {
      entry: 'doctor',
      css: 'doctor.css',
      title: 'DCR Doctor',
      view: DOCTOR_VIEW,
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
    const cmd = DoctorCommandSchema.safeParse(m);
    if (!cmd.success) {
      this.log.warn('doctor view: ignored a malformed message');
      return;
    }
    void Promise.resolve(this.onCommand(cmd.data)).catch((err: unknown) =>
      this.log.error('doctor view command failed:', err),
    );
  }

  private post(): void {
    if (!this.panel || !this.ready || !this.current) return;
    const msg: ShowDoctor = { type: 'notification', method: 'doctor/show', params: this.current };
    void this.panel.webview.postMessage(msg).then((ok) => {
      if (ok) this.posted++;
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
