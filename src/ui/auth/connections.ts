import * as vscode from 'vscode';

/**
 * Named Konnect connections ("prod-us", "dev-eu", "sandbox"…), one active.
 * What is not secret (name, base URL, region) lives in globalState; the token lives only in SecretStorage under
 * `konnectDcr.token/<name>`. Listening to both keeps several windows in step.
 */
export interface ConnectionInfo {
  readonly name: string;
  readonly baseUrl: string;
  /** Set when the connection was made by picking a Konnect region. */
  readonly region?: string;
}

const LIST_KEY = 'konnectDcr.connections';
const ACTIVE_KEY = 'konnectDcr.activeConnection';
const SECRET_PREFIX = 'konnectDcr.token/';

export class ConnectionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire();
    });
  }

  list(): ConnectionInfo[] {
    return [...(this.state.get<ConnectionInfo[]>(LIST_KEY) ?? [])];
  }

  get(name: string): ConnectionInfo | undefined {
    return this.list().find((c) => c.name === name);
  }

  active(): ConnectionInfo | undefined {
    const name = this.state.get<string>(ACTIVE_KEY);
    return (name && this.get(name)) || undefined;
  }

  token(name: string): Thenable<string | undefined> {
    return this.secrets.get(SECRET_PREFIX + name);
  }

  /**
   * Adds or replaces a connection and (by default) makes it active. The secret is written before the metadata that
   * points at it. Only the non-secret fields of `info` are kept.
   */
  async save(info: ConnectionInfo, token: string, options: { activate?: boolean } = {}): Promise<void> {
    await this.secrets.store(SECRET_PREFIX + info.name, token);
    const others = this.list().filter((c) => c.name !== info.name);
    const kept: ConnectionInfo = info.region
      ? { name: info.name, baseUrl: info.baseUrl, region: info.region }
      : { name: info.name, baseUrl: info.baseUrl };
    await this.state.update(
      LIST_KEY,
      [...others, kept].sort((a, b) => a.name.localeCompare(b.name)),
    );
    if (options.activate ?? true) await this.state.update(ACTIVE_KEY, info.name);
    this.changed.fire();
  }

  /** True when the connection's token is in the secret storage. */
  async hasToken(name: string): Promise<boolean> {
    return !!(await this.secrets.get(SECRET_PREFIX + name));
  }

  async setActive(name: string): Promise<void> {
    if (!this.get(name)) throw new Error(vscode.l10n.t('No connection named "{0}".', name));
    await this.state.update(ACTIVE_KEY, name);
    this.changed.fire();
  }

  /** Sign out: removes the token and the connection; another connection (if any) becomes active. */
  async remove(name: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + name);
    const rest = this.list().filter((c) => c.name !== name);
    await this.state.update(LIST_KEY, rest);
    if (this.state.get<string>(ACTIVE_KEY) === name) await this.state.update(ACTIVE_KEY, rest[0]?.name);
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
