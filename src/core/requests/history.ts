/**
 * The last runs (50 by default), newest first, kept in a key-value store (VS Code's globalState in the extension,
 * a Map in tests). Entries are redacted before they are stored: no secret, token or client secret ever lands there.
 */
import type { Redactor } from '../util/redact';

export interface HistoryEntry {
  readonly id: string;
  /** ms since the epoch. */
  readonly at: number;
  readonly file: string;
  readonly line: number;
  readonly name?: string | undefined;
  readonly method: string;
  /** Redacted. */
  readonly url: string;
  readonly status?: number | undefined;
  readonly totalMs?: number | undefined;
  /** Redacted, for failures. */
  readonly error?: string | undefined;
  /** Redacted `curl` command. */
  readonly curl: string;
  /** Summary of the token checks, e.g. "6/6 passed". */
  readonly checks?: string | undefined;
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const HISTORY_KEY = 'konnectDcr.runner.history';

export class RunHistory {
  constructor(
    private readonly store: KeyValueStore,
    private readonly redactor: Redactor,
    private readonly max = 50,
  ) {}

  list(): HistoryEntry[] {
    const v = this.store.get<unknown>(HISTORY_KEY);
    return Array.isArray(v) ? (v as HistoryEntry[]) : [];
  }

  async add(entry: HistoryEntry): Promise<HistoryEntry> {
    const r = (s: string | undefined): string | undefined => (s === undefined ? undefined : this.redactor.redact(s));
    const clean: HistoryEntry = {
      ...entry,
      url: r(entry.url)!,
      curl: r(entry.curl)!,
      ...(entry.error !== undefined ? { error: r(entry.error) } : {}),
    };
    await this.store.update(HISTORY_KEY, [clean, ...this.list()].slice(0, this.max));
    return clean;
  }

  async clear(): Promise<void> {
    await this.store.update(HISTORY_KEY, []);
  }
}
