import * as vscode from 'vscode';
import type { KonnectClient } from '../../core/api/client';
import type { Redactor } from '../../core/util/redact';
import type { ChannelLogger } from '../platform/logger';
import type { ConnectionInfo, ConnectionStore } from './connections';
import { timeoutAndCa } from '../platform/networkSettings';

/** The core client (with zod and its schemas) loads on the first network call, never at activation. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
const loadCore = (): typeof import('../../core/api/index') => require('../../core/api/index');

/** What a connection points at: a region or a base URL (the sandbox). */
export interface Target {
  readonly baseUrl?: string | undefined;
  readonly region?: string | undefined;
}

export interface ActiveSession {
  readonly info: ConnectionInfo;
  readonly client: KonnectClient;
  /** `us.api.konghq.com`, `127.0.0.1:4010`: for messages. */
  readonly host: string;
}

/**
 * Owns the Konnect client of the active connection: built on first use from the stored token and the settings
 * (timeout, CA bundle, proxy), rebuilt when the connection or those settings change. Fires `onDidChange` then.
 */
export class Session implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: Promise<ActiveSession | undefined> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly connections: ConnectionStore,
    private readonly log: ChannelLogger,
    private readonly redactor: Redactor,
    private readonly userAgent: string,
  ) {
    this.subscriptions.push(
      connections.onDidChange(() => this.reset('connection changed')),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('konnectDcr') || e.affectsConfiguration('http.proxy'))
          this.reset('settings changed');
      }),
    );
  }

  /** The active connection's client, or undefined when signed out. Rejects only when the settings are unusable. */
  active(): Promise<ActiveSession | undefined> {
    return (this.current ??= this.build().catch((err: unknown) => {
      this.current = undefined;
      throw err;
    }));
  }

  private async build(): Promise<ActiveSession | undefined> {
    const info = this.connections.active();
    if (!info) return undefined;
    const token = await this.connections.token(info.name);
    if (!token) return undefined;
    const client = await this.createClient(info, token);
    this.log.info(`using connection "${info.name}" (${client.baseUrl})`);
    return { info, client, host: new URL(client.baseUrl).host };
  }

  /** A client for any target and token (sign-in validates with one before anything is stored). */
  async createClient(target: Target, token: string): Promise<KonnectClient> {
    const api = loadCore();
    const cfg = vscode.workspace.getConfiguration('konnectDcr');
    const { timeoutMs, ca } = await timeoutAndCa();
    const proxy =
      cfg.get<string>('proxy', '').trim() ||
      vscode.workspace.getConfiguration('http').get<string>('proxy', '').trim() ||
      undefined;
    this.redactor.add(token);
    const region = target.baseUrl ? undefined : target.region;
    if (region !== undefined && !api.isKonnectRegion(region))
      throw new Error(vscode.l10n.t('Unknown Konnect region "{0}"', region));
    return api.createKonnectClient({
      ...(target.baseUrl ? { baseUrl: target.baseUrl } : { region }),
      token,
      userAgent: this.userAgent,
      logger: this.log.child('konnect'),
      redactor: this.redactor,
      ca,
      proxy,
      timeoutMs,
    });
  }

  /** One cheap call (list DCR providers, page size 1) to check a token; throws the core's typed error. */
  async validate(target: Target, token: string, signal: AbortSignal): Promise<void> {
    const client = await this.createClient(target, token);
    try {
      await client.dcrProviders.list({ pageSize: 1 }, { signal, maxAttempts: 2 });
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** Drop the client (closing its connections); the next `active()` builds a new one. */
  reset(why: string): void {
    const old = this.current;
    this.current = undefined;
    if (old) {
      this.log.debug(`session reset: ${why}`);
      void old.then((s) => s?.client.close()).catch(() => undefined);
    }
    this.changed.fire();
  }

  dispose(): void {
    this.reset('disposed');
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
