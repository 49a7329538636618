import * as vscode from 'vscode';
import type { ProveReport } from '../../core/prove/types';
import { PROVIDER_TYPES, type ProviderType } from '../../core/model/providerTypes';
import type { ConnectionStore } from '../auth/connections';
import type { Session } from '../auth/session';
import type { KonnectModel } from '../tree/model';
import { WalkthroughKeys } from './ids';

const isProviderType = (t: string): t is ProviderType => (PROVIDER_TYPES as readonly string[]).includes(t);

/**
 * Sets the walkthroughs' context keys from real state: the catalog and Kong Identity as the trees loaded them (each
 * settled load recomputes its keys), and the Prove DCR reports of the active connection. Everything goes false when
 * the session changes (sign-out, another connection), until the next load says otherwise.
 */
export class WalkthroughState implements vscode.Disposable {
  private readonly values = new Map<string, boolean>();
  private readonly published = new Set<ProviderType>();
  private readonly proved = new Set<ProviderType>();
  private readonly subs: vscode.Disposable[];
  private connection: string | undefined;

  constructor(
    private readonly model: KonnectModel,
    session: Session,
    private readonly connections: ConnectionStore,
    private readonly setContext: (key: string, value: boolean) => Thenable<unknown> = (key, value) =>
      vscode.commands.executeCommand('setContext', key, value),
  ) {
    this.connection = connections.active()?.name;
    this.subs = [
      model.onDidLoad((section) => {
        if (section === 'catalog') this.fromCatalog();
        else if (section === 'identity') this.fromIdentity();
      }),
      session.onDidChange(() => this.reset()),
    ];
    this.reset();
  }

  /** What the keys were last set to (for the in-host tests: VS Code has no API to read a context key back). */
  snapshot(): Record<string, boolean> {
    return Object.fromEntries(this.values);
  }

  /** A Prove DCR report of the active connection: its publication step and its verdict check off two steps. */
  proveReport(report: Pick<ProveReport, 'provider' | 'steps' | 'verdict'>, connection: string): void {
    const type = report.provider?.type;
    if (!type || !isProviderType(type) || connection !== this.connections.active()?.name) return;
    if (report.steps.some((s) => s.id === 'publication' && s.status === 'pass')) this.published.add(type);
    if (report.verdict === 'pass') this.proved.add(type);
    this.set(WalkthroughKeys.published(type), this.published.has(type));
    this.set(WalkthroughKeys.proved(type), this.proved.has(type));
  }

  private fromCatalog(): void {
    const c = this.model.peekCatalog();
    if (!c) return;
    const providers = new Set(c.providers.map((p) => p.provider_type));
    const strategies = new Set<ProviderType>();
    for (const s of c.strategies) {
      const t = s.dcr_provider
        ? (c.providerById.get(s.dcr_provider.id)?.provider_type ?? s.dcr_provider.provider_type)
        : undefined;
      if (t) strategies.add(t);
    }
    for (const t of PROVIDER_TYPES) {
      this.set(WalkthroughKeys.provider(t), providers.has(t));
      this.set(WalkthroughKeys.strategy(t), strategies.has(t));
    }
  }

  private fromIdentity(): void {
    const i = this.model.peekIdentity();
    if (i) this.set(WalkthroughKeys.authServer, i.authServers.length > 0);
  }

  private reset(): void {
    const active = this.connections.active()?.name;
    if (active !== this.connection) {
      this.published.clear();
      this.proved.clear();
      this.connection = active;
    }
    for (const t of PROVIDER_TYPES) {
      this.set(WalkthroughKeys.provider(t), false);
      this.set(WalkthroughKeys.strategy(t), false);
      this.set(WalkthroughKeys.published(t), this.published.has(t));
      this.set(WalkthroughKeys.proved(t), this.proved.has(t));
    }
    this.set(WalkthroughKeys.authServer, false);
    // the model may already hold data for the new session (a load settled before this listener ran)
    this.fromCatalog();
    this.fromIdentity();
  }

  private set(key: string, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void Promise.resolve(this.setContext(key, value)).then(undefined, () => this.values.delete(key));
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
