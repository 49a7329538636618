import type * as vscode from 'vscode';
import type { ChannelLogger } from '../platform/logger';
import { FormMethods } from '../../shared/forms/methods';
import { FormsInbound, type FormsOutbound, type SubmitParams, type SubmitResult } from '../../shared/forms/protocol';

export interface RouterHandlers {
  /** The page (re)loaded: send it what to show. Called for every `ready` (a hidden panel reloads when shown). */
  onReady(): void;
  onSubmit(params: SubmitParams): Promise<SubmitResult>;
  onCancel(): void;
  onReloadOptions(): void;
}

/** How many posted messages a router keeps for tests and diagnostics. */
const POSTED_KEPT = 50;

/**
 * The typed message router of a forms webview. Every inbound message is parsed with zod first (anything else is
 * logged by its issue paths, never its content, and dropped); nothing is posted before the page said `ready`;
 * a request gets exactly one response with its id.
 */
export class MessageRouter {
  private ready = false;
  private readonly queue: FormsOutbound[] = [];
  private readonly sent: FormsOutbound[] = [];

  constructor(
    private readonly webview: Pick<vscode.Webview, 'postMessage'>,
    private readonly handlers: RouterHandlers,
    private readonly log: ChannelLogger,
  ) {}

  /** The last messages posted to the page (oldest first). */
  get posted(): readonly FormsOutbound[] {
    return this.sent;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Before `ready`, notifications are dropped (`onReady` sends the current ones) and responses wait for the page.
   */
  /** The page went away (a hidden panel drops its page): hold messages until the next `ready`. */
  pageGone(): void {
    this.ready = false;
  }

  post(message: FormsOutbound): void {
    if (!this.ready) {
      if (message.type === 'response') this.queue.push(message);
      return;
    }
    this.sent.push(message);
    if (this.sent.length > POSTED_KEPT) this.sent.shift();
    void Promise.resolve(this.webview.postMessage(message)).then(undefined, (err: unknown) =>
      this.log.debug(`postMessage failed: ${String(err)}`),
    );
  }

  /** Handles one raw message from the page; resolves when it is handled (a request: once its response is posted). */
  async receive(raw: unknown): Promise<void> {
    const parsed = FormsInbound.safeParse(raw);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(message)'} ${i.code}`)
        .join('; ');
      this.log.warn(`ignored a malformed message from the form webview (${where})`);
      return;
    }
    const m = parsed.data;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        this.handlers.onReady();
        for (const q of this.queue.splice(0)) this.post(q);
        return;
      }
      case 'command':
        this.command(m);
        return;
      case 'request': {
        let result: SubmitResult;
        try {
          result = await this.handlers.onSubmit(m.params);
        } catch (err) {
          this.log.error('form submit failed:', err);
          result = { ok: false, errors: { fields: {}, form: [err instanceof Error ? err.message : String(err)] } };
        }
        this.post({ type: 'response', id: m.id, method: m.method, result });
        return;
      }
    }
  }

  private command(m: Extract<FormsInbound, { type: 'command' }>): void {
    switch (m.method) {
      case FormMethods.cancel:
        this.handlers.onCancel();
        return;
      case FormMethods.reloadOptions:
        this.handlers.onReloadOptions();
        return;
      case FormMethods.log: {
        const text = `webview: ${m.params.message.replace(/[\r\n]+/g, ' ')}`;
        if (m.params.level === 'warn') this.log.warn(text);
        else this.log.info(text);
        return;
      }
    }
  }
}
