import * as vscode from 'vscode';
import { AUTH_PROVIDER_ID, Commands } from '../platform/ids';
import type { ConnectionInfo, ConnectionStore } from './connections';

/**
 * The "Konnect" authentication provider: VS Code's Accounts menu and `vscode.authentication.getSession` see each
 * signed-in connection as a session. The connection store stays the only place a token is kept (SecretStorage);
 * signing in and out from the Accounts menu runs the same commands as the views. Part of the activation shell, so it
 * imports nothing heavy and keeps no token longer than a `getSessions` answer needs it.
 */
export class KonnectAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  /** Connection name → a fingerprint of what its session shows (label and whether the token changed), not the token. */
  private known = new Map<string, { label: string; print: string }>();
  private readonly subscriptions: vscode.Disposable[];
  private seq = Promise.resolve();

  constructor(private readonly connections: ConnectionStore) {
    this.subscriptions = [
      connections.onDidChange(() => {
        this.seq = this.seq.then(
          () => this.diff(),
          () => this.diff(),
        );
      }),
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Konnect', this, {
        supportsMultipleAccounts: true,
      }),
    ];
    this.seq = this.diff(false);
  }

  /** Each connection with a token, the active one first (a caller that takes the first gets what the views show). */
  async getSessions(
    _scopes?: readonly string[],
    options?: vscode.AuthenticationProviderSessionOptions,
  ): Promise<vscode.AuthenticationSession[]> {
    const sessions: vscode.AuthenticationSession[] = [];
    const active = this.connections.active()?.name;
    const all = this.connections.list().sort((x, y) => Number(y.name === active) - Number(x.name === active));
    for (const info of all) {
      if (options?.account && options.account.id !== info.name) continue;
      const token = await this.connections.token(info.name);
      if (token) sessions.push(toSession(info, token));
    }
    return sessions;
  }

  /** "Sign in with Konnect" (Accounts menu or another extension): today's sign-in flow. */
  async createSession(): Promise<vscode.AuthenticationSession> {
    const r = await vscode.commands.executeCommand<{ ok: boolean; name?: string; message: string } | undefined>(
      Commands.signIn,
    );
    if (!r?.ok || !r.name) throw new Error(r?.message ?? vscode.l10n.t('Sign-in to Konnect was cancelled.'));
    const info = this.connections.get(r.name);
    const token = info && (await this.connections.token(info.name));
    if (!info || !token) throw new Error(vscode.l10n.t('The connection "{0}" is gone.', r.name));
    return toSession(info, token);
  }

  /** "Sign Out" in the Accounts menu: the connection's own sign-out (its token deleted, the connection forgotten). */
  async removeSession(sessionId: string): Promise<void> {
    if (this.connections.get(sessionId)) await vscode.commands.executeCommand(Commands.signOut, sessionId);
  }

  private async diff(announce = true): Promise<void> {
    const now = new Map<string, { label: string; print: string }>();
    for (const s of await this.getSessions())
      now.set(s.id, { label: s.account.label, print: `${s.account.label}\n${fingerprint(s.accessToken)}` });
    const before = this.known;
    this.known = now;
    // The event names the sessions; whoever wants a token asks getSessions, so none travels with the event.
    const pick = (ids: string[], from: typeof now): vscode.AuthenticationSession[] =>
      ids.map((id) => ({ id, accessToken: '', account: { id, label: from.get(id)!.label }, scopes: [] }));
    const added = [...now.keys()].filter((id) => !before.has(id));
    const removed = [...before.keys()].filter((id) => !now.has(id));
    const changed = [...now.keys()].filter((id) => before.has(id) && before.get(id)!.print !== now.get(id)!.print);
    if (announce && (added.length || removed.length || changed.length)) {
      this.changed.fire({ added: pick(added, now), removed: pick(removed, before), changed: pick(changed, now) });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

function toSession(info: ConnectionInfo, token: string): vscode.AuthenticationSession {
  const where = info.region ?? new URL(info.baseUrl).host;
  return {
    id: info.name,
    accessToken: token,
    account: { id: info.name, label: `${info.name} (${where})` },
    scopes: [],
  };
}

/** Enough to tell a replaced token from the same one, without keeping it: a 32-bit FNV-1a hash. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}
