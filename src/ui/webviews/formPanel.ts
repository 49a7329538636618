import * as vscode from 'vscode';
import type { FormKind } from '../../core/forms/fields';
import { FORMS_VIEW, FormMethods } from '../../shared/forms/methods';
import type { FormsOutbound, InitParams, OptionsParams, SubmitParams, SubmitResult } from '../../shared/forms/protocol';
import { isCancellation, toAbortSignal } from '../platform/errorBoundary';
import type { ChannelLogger } from '../platform/logger';
import { pageHtml, webviewOptions } from './html';
import { MessageRouter } from './router';

/** What one form does; the panel does the webview plumbing around it. One implementation per form and target. */
export interface FormController {
  readonly kind: FormKind;
  /** Identifies the edited resource (`provider:<id>`, `yaml:<file>#<index>`), so a second "edit" reveals this panel. */
  readonly key: string;
  /** What the page shows now (after a create it describes the edit form of the new resource). */
  init(): InitParams;
  /** The pickable Konnect resources; rejects when they cannot be listed (the form says why and still works). */
  loadOptions(signal: AbortSignal): Promise<OptionsParams>;
  /** Validates and submits. Field errors come back in the result; a thrown error becomes a message at the top. */
  submit(params: SubmitParams, signal: AbortSignal): Promise<SubmitResult>;
  /** The progress title while submitting, e.g. `Creating DCR provider "okta-prod"…`. */
  progressTitle(params: SubmitParams): string;
}

/** What a form command returns (tests drive the host through it, without a browser). */
export interface FormHandle {
  readonly kind: FormKind;
  readonly key: string;
  readonly panel: vscode.WebviewPanel;
  /** Handle one raw message as if the page had sent it; resolves once handled (a request: after its response). */
  receive(message: unknown): Promise<void>;
  /** The last messages posted to the page. */
  readonly posted: readonly FormsOutbound[];
  /** What the page was last told to show. */
  current(): InitParams;
  dispose(): void;
}

export interface FormEnvironment {
  readonly extensionUri: vscode.Uri;
  readonly log: ChannelLogger;
}

const VIEW_TYPE = 'konnectDcr.form';

/**
 * A webview panel around a FormController: strict-CSP page, typed router, options loaded after `ready`, submit under
 * a cancellable progress. The panel is not kept alive while hidden: the page keeps its own state (`setState`) and
 * is sent `init` again when it reloads.
 */
export class FormPanel implements FormHandle {
  private static readonly open = new Map<string, FormPanel>();

  readonly panel: vscode.WebviewPanel;
  private readonly router: MessageRouter;
  private options: OptionsParams | undefined;
  private optionsLoad: AbortController | undefined;
  private submitting = false;
  private disposed = false;
  private key_: string;

  /** Opens the form, or reveals the panel already showing the same resource. */
  static show(env: FormEnvironment, controller: FormController): FormPanel {
    const existing = FormPanel.open.get(controller.key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    return new FormPanel(env, controller);
  }

  private constructor(
    private readonly env: FormEnvironment,
    private readonly controller: FormController,
  ) {
    const init = controller.init();
    this.key_ = controller.key;
    this.panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      init.title,
      vscode.ViewColumn.Active,
      webviewOptions(env.extensionUri),
    );
    this.panel.iconPath = vscode.Uri.joinPath(env.extensionUri, 'media', 'konnect-dcr.svg');
    this.router = new MessageRouter(
      this.panel.webview,
      {
        onReady: () => this.onReady(),
        onSubmit: (p) => this.onSubmit(p),
        onCancel: () => this.dispose(),
        onReloadOptions: () => this.loadOptions(true),
      },
      env.log,
    );
    this.panel.webview.onDidReceiveMessage(
      (m: unknown) => void this.router.receive(m).catch((err: unknown) => env.log.error('form message failed:', err)),
    );
    this.panel.onDidChangeViewState(() => {
      if (!this.panel.visible) this.router.pageGone();
    });
    this.panel.onDidDispose(() => this.disposeState());
    this.panel.webview.html = pageHtml(this.panel.webview, env.extensionUri, {
      entry: 'forms',
      css: 'forms.css',
      title: init.title,
      view: FORMS_VIEW,
    });
    FormPanel.open.set(this.key_, this);
    env.log.info(
      `opened the ${init.mode} form of ${controller.kind === 'provider' ? 'a DCR provider' : 'an auth strategy'} (${init.target.kind})`,
    );
  }

  get kind(): FormKind {
    return this.controller.kind;
  }
  get key(): string {
    return this.key_;
  }
  get posted(): readonly FormsOutbound[] {
    return this.router.posted;
  }
  current(): InitParams {
    return this.controller.init();
  }
  receive(message: unknown): Promise<void> {
    return this.router.receive(message);
  }

  private onReady(): void {
    this.router.post({ type: 'notification', method: FormMethods.init, params: this.controller.init() });
    if (this.options) this.router.post({ type: 'notification', method: FormMethods.options, params: this.options });
    else this.loadOptions(false);
  }

  private loadOptions(force: boolean): void {
    if (this.optionsLoad && !force) return;
    this.optionsLoad?.abort();
    const ctrl = new AbortController();
    this.optionsLoad = ctrl;
    void this.controller
      .loadOptions(ctrl.signal)
      .then(
        (options) => options,
        (err: unknown): OptionsParams => {
          if (!isCancellation(err))
            this.env.log.warn(`could not list the form's choices: ${err instanceof Error ? err.message : String(err)}`);
          return { error: `Could not load the list from Konnect: ${userMessage(err)}` };
        },
      )
      .then(
        (options) => {
          if (ctrl.signal.aborted || this.disposed) return;
          this.options = options;
          this.router.post({ type: 'notification', method: FormMethods.options, params: options });
        },
        (err: unknown) => this.env.log.warn(`could not show the form's choices: ${String(err)}`),
      );
  }

  private async onSubmit(params: SubmitParams): Promise<SubmitResult> {
    if (params.kind !== this.controller.kind)
      return {
        ok: false,
        errors: { fields: {}, form: [vscode.l10n.t('This is the {0} form.', this.controller.kind)] },
      };
    if (this.submitting)
      return { ok: false, errors: { fields: {}, form: [vscode.l10n.t('Already submitting; wait for it to finish.')] } };
    this.submitting = true;
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Konnect DCR: {0}', this.controller.progressTitle(params)),
          cancellable: true,
        },
        (_p, token) => this.controller.submit(params, toAbortSignal(token)),
      );
      return result.ok ? { ...result, next: this.afterSuccess() } : result;
    } catch (err) {
      if (isCancellation(err))
        return {
          ok: false,
          cancelled: true,
          errors: {
            fields: {},
            form: [vscode.l10n.t('Cancelled. Nothing may have been saved; check before submitting again.')],
          },
        };
      throw err;
    } finally {
      this.submitting = false;
    }
  }

  /**
   * After a save the page shows the saved resource (a create becomes the edit form of the new resource: the panel is
   * re-keyed) with the secret inputs empty again.
   */
  private afterSuccess(): InitParams {
    const after = this.controller.init();
    if (this.controller.key !== this.key_) {
      FormPanel.open.delete(this.key_);
      this.key_ = this.controller.key;
      FormPanel.open.set(this.key_, this);
    }
    this.panel.title = after.title;
    return after;
  }

  dispose(): void {
    this.panel.dispose();
  }

  private disposeState(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optionsLoad?.abort();
    if (FormPanel.open.get(this.key_) === this) FormPanel.open.delete(this.key_);
  }
}

export function userMessage(err: unknown): string {
  if (err && typeof err === 'object' && typeof (err as { userMessage?: unknown }).userMessage === 'string')
    return (err as { userMessage: string }).userMessage;
  return err instanceof Error ? err.message : String(err);
}
