import type * as vscode from 'vscode';
import { CONFIG_SECRET_NAMES_KEY, CONFIG_SECRET_PREFIX } from './ids';

/**
 * The values behind `!secret {source: !env VAR}`: VS Code's SecretStorage first (key `konnectDcr.configSecret/VAR`),
 * then the extension host's environment (what kongctl reads). Only names are kept outside SecretStorage.
 */
export class ConfigSecrets {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Told every value that is read or stored, so the log never shows it. */
    private readonly onValue: (value: string) => void = () => undefined,
  ) {}

  /** Where a variable's value comes from now. */
  async source(name: string): Promise<'secretStorage' | 'environment' | undefined> {
    if (await this.secrets.get(CONFIG_SECRET_PREFIX + name)) return 'secretStorage';
    return this.env[name] ? 'environment' : undefined;
  }

  async resolve(name: string): Promise<string | undefined> {
    const v = (await this.secrets.get(CONFIG_SECRET_PREFIX + name)) || this.env[name] || undefined;
    if (v) this.onValue(v);
    return v;
  }

  async store(name: string, value: string): Promise<void> {
    this.onValue(value);
    await this.secrets.store(CONFIG_SECRET_PREFIX + name, value);
    const names = new Set(this.names());
    names.add(name);
    await this.state.update(CONFIG_SECRET_NAMES_KEY, [...names].sort());
  }

  async forget(name: string): Promise<void> {
    await this.secrets.delete(CONFIG_SECRET_PREFIX + name);
    await this.state.update(
      CONFIG_SECRET_NAMES_KEY,
      this.names().filter((n) => n !== name),
    );
  }

  /** The names stored in SecretStorage (as far as this extension stored them). */
  names(): string[] {
    const v = this.state.get<unknown>(CONFIG_SECRET_NAMES_KEY);
    return Array.isArray(v) ? v.filter((n): n is string => typeof n === 'string') : [];
  }
}
