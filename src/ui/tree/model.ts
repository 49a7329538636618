import * as vscode from 'vscode';
import type {
  AppAuthStrategy,
  AuthServer,
  Claim,
  Client,
  ClientSecretItem,
  DcrProvider,
  Scope,
  Token,
} from '../../core/api/index';
import type { Logger } from '../../core/util/logger';
import type { ActiveSession, Session } from '../auth/session';
import { classify, type Classified } from '../platform/errors';
import { Limiter, loadAllPages, type Loaded } from './paging';

/** The model's independently loaded parts: the catalog (providers + strategies, which reference each other) and Kong Identity. */
export type Section = 'catalog' | 'identity';

export interface Catalog {
  readonly providers: readonly DcrProvider[];
  readonly strategies: readonly AppAuthStrategy[];
  readonly providerById: ReadonlyMap<string, DcrProvider>;
  readonly strategyById: ReadonlyMap<string, AppAuthStrategy>;
  /** Strategies by `dcr_provider.id`. */
  readonly strategiesByProvider: ReadonlyMap<string, readonly AppAuthStrategy[]>;
  readonly totals: { readonly providers: number; readonly strategies: number };
  readonly truncated: boolean;
  /** How long the load took, in ms (page requests, parsing, indexing). */
  readonly ms: number;
  /**
   * False for the first screen: the first page of each list, shown while the other pages load (the views then show
   * a "loading" line instead of "Load more"); the complete catalog replaces it when every page is in.
   */
  readonly complete: boolean;
}

export interface Identity {
  readonly authServers: readonly AuthServer[];
  readonly authServerById: ReadonlyMap<string, AuthServer>;
  readonly total: number;
  readonly truncated: boolean;
  readonly ms: number;
}

export interface AuthServerChildren {
  readonly scopes: readonly Scope[];
  readonly claims: readonly Claim[];
  readonly clients: readonly Client[];
}

export type Loadable<T> =
  | { readonly state: 'signedOut' }
  | { readonly state: 'ready'; readonly value: T; readonly connection: string }
  | { readonly state: 'error'; readonly error: Classified; readonly connection: string };

interface Slot<T> {
  readonly promise: Promise<Loadable<T>>;
  /** Settles with the first screen (a preview) or, when there is none, with `promise`'s result. */
  readonly early: Promise<Loadable<T>>;
  readonly ctrl: AbortController;
  result?: Loadable<T>;
  /** What a load showed before it finished (the first page of each list). */
  preview?: Loadable<T>;
}

/** What a load calls with a first screen of its data while it goes on. */
type Preview<T> = (value: T) => void;

export interface ModelOptions {
  /** Items per page request (Konnect clamps; the sandbox's maximum is 100). */
  readonly pageSize?: number;
  /** Page requests in flight at once, across all lists. */
  readonly concurrency?: number;
  /** Items per list before a "Load more" node. */
  readonly cap?: number;
}

/** Shows a load in the views it concerns (view-scoped progress) and sets the loading context key. */
export type ProgressHook = (section: Section | 'children', work: Promise<unknown>) => void;

// One collator: `localeCompare` with options builds a new one on every call, which made sorting a 20,000-item list
// take most of a second of the extension host's time.
const nameCollator = new Intl.Collator(undefined, { sensitivity: 'base' });
const byName = <T extends { name: string }>(a: T, b: T): number =>
  nameCollator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Owns what the trees show: fetches lazily (the first `get…` call, never at activation), caches, refreshes, cancels,
 * and says what changed. Never throws: failures become `{ state: 'error' }` with a classified, one-line message.
 */
export class KonnectModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Section>();
  readonly onDidChange = this.changed.event;
  /** A load settled with data (or an error) for the current connection; `peek…` now answers for that section. */
  private readonly loaded = new vscode.EventEmitter<Section | 'children'>();
  readonly onDidLoad = this.loaded.event;
  private catalog: Slot<Catalog> | undefined;
  private identity: Slot<Identity> | undefined;
  private readonly children = new Map<string, Slot<AuthServerChildren>>();
  private readonly caps: Record<Section, number>;
  private generation = 0;
  private readonly subscription: vscode.Disposable;
  private readonly pageSize: number;
  private readonly concurrency: number;
  progress: ProgressHook = () => undefined;

  constructor(
    private readonly session: Session,
    private readonly log: Logger,
    options: ModelOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.concurrency = options.concurrency ?? 6;
    // 25,000 per list: the views show the first page at once, and a whole list costs about 1 KB of heap per item
    const cap = options.cap ?? 25_000;
    this.caps = { catalog: cap, identity: cap };
    this.subscription = session.onDidChange(() => this.reset());
  }

  // ------------------------------------------------------------------------------------------- reading

  getCatalog(): Promise<Loadable<Catalog>> {
    this.catalog ??= this.start('catalog', (s, signal, preview) => this.loadCatalog(s, signal, preview), this.catalog);
    return this.catalog.promise;
  }

  /**
   * For the views: the catalog as soon as its first screen is in (the first page of each list, `complete: false`)
   * while the other pages load; `onDidChange('catalog')` fires again when the whole catalog replaces it.
   */
  getCatalogFirstScreen(): Promise<Loadable<Catalog>> {
    this.catalog ??= this.start('catalog', (s, signal, preview) => this.loadCatalog(s, signal, preview), this.catalog);
    // once the whole is in (also while its change event runs), never the first screen again
    return this.catalog.result ? this.catalog.promise : this.catalog.early;
  }

  getIdentity(): Promise<Loadable<Identity>> {
    this.identity ??= this.start('identity', (s, signal) => this.loadIdentity(s, signal), this.identity);
    return this.identity.promise;
  }

  getAuthServerChildren(authServerId: string): Promise<Loadable<AuthServerChildren>> {
    let slot = this.children.get(authServerId);
    if (!slot) {
      slot = this.start('children', (s, signal) => this.loadChildren(s, authServerId, signal), undefined);
      this.children.set(authServerId, slot);
    }
    return slot.promise;
  }

  /** What is loaded now, without starting anything (find, reveal, details): while loading, the first screen if any. */
  peekCatalog(): Catalog | undefined {
    const r = this.catalog?.result ?? this.catalog?.preview;
    return r?.state === 'ready' ? r.value : undefined;
  }

  peekIdentity(): Identity | undefined {
    const r = this.identity?.result;
    return r?.state === 'ready' ? r.value : undefined;
  }

  peekAuthServerChildren(authServerId: string): AuthServerChildren | undefined {
    const r = this.children.get(authServerId)?.result;
    return r?.state === 'ready' ? r.value : undefined;
  }

  /** True while any load runs. */
  get loading(): boolean {
    return [this.catalog, this.identity, ...this.children.values()].some((s) => s && !s.result);
  }

  // ------------------------------------------------------------------------------------------- refresh / cancel

  /**
   * Reload the given sections (default: both) and the auth servers' children that were loaded. Resolves when done.
   * A cancelled refresh keeps the data it was replacing.
   */
  async refresh(sections: readonly Section[] = ['catalog', 'identity']): Promise<void> {
    const work: Promise<unknown>[] = [];
    if (sections.includes('catalog')) {
      const previous = this.catalog;
      previous?.ctrl.abort();
      this.catalog = this.start('catalog', (s, signal, preview) => this.loadCatalog(s, signal, preview), previous);
      work.push(this.catalog.promise);
      this.changed.fire('catalog');
    }
    if (sections.includes('identity')) {
      const previous = this.identity;
      previous?.ctrl.abort();
      for (const c of this.children.values()) c.ctrl.abort();
      this.children.clear();
      this.identity = this.start('identity', (s, signal) => this.loadIdentity(s, signal), previous);
      work.push(this.identity.promise);
      this.changed.fire('identity');
    }
    await Promise.all(work);
  }

  /** Stop every load in flight. */
  cancel(): void {
    for (const s of [this.catalog, this.identity, ...this.children.values()]) if (s && !s.result) s.ctrl.abort();
  }

  /** "Load more": lift the cap of a section and reload it. */
  async loadMore(section: Section): Promise<void> {
    this.caps[section] *= 2;
    await this.refresh([section]);
  }

  /** Forget everything (the connection changed); the views ask again. */
  reset(): void {
    this.generation++;
    this.cancel();
    this.catalog = undefined;
    this.identity = undefined;
    this.children.clear();
    this.changed.fire('catalog');
    this.changed.fire('identity');
  }

  // ------------------------------------------------------------------------------------------- loading

  private start<T>(
    section: Section | 'children',
    load: (s: ActiveSession, signal: AbortSignal, preview: Preview<T>) => Promise<T>,
    previous: Slot<T> | undefined,
  ): Slot<T> {
    const ctrl = new AbortController();
    const generation = this.generation;
    const fallback = previous?.result?.state === 'ready' ? previous.result : undefined;
    let showEarly: (l: Loadable<T>) => void = () => undefined;
    const slot = {
      ctrl,
      early: new Promise<Loadable<T>>((resolve) => (showEarly = resolve)),
    } as Slot<T> & { promise: Promise<Loadable<T>> };
    // a slot still shown: not replaced by a refresh or a reset since it started
    const current = (): boolean =>
      generation === this.generation &&
      (section === 'catalog' ? this.catalog : section === 'identity' ? this.identity : slot) === slot;
    const preview =
      (connection: string): Preview<T> =>
      (value) => {
        if (slot.result || slot.preview || ctrl.signal.aborted || !current()) return;
        slot.preview = { state: 'ready', value, connection };
        showEarly(slot.preview);
        if (section !== 'children') this.changed.fire(section);
      };
    slot.promise = (async (): Promise<Loadable<T>> => {
      let session: ActiveSession | undefined;
      let result: Loadable<T>;
      try {
        session = await this.session.active();
        if (!session) result = { state: 'signedOut' };
        else
          result = {
            state: 'ready',
            value: await load(session, ctrl.signal, preview(session.info.name)),
            connection: session.info.name,
          };
      } catch (err) {
        const error = classify(err, session?.host);
        if (error.kind === 'cancelled' && fallback) result = fallback;
        else {
          if (error.kind !== 'cancelled') this.log.warn(`loading ${section} failed: ${error.message}`, err);
          result = { state: 'error', error, connection: session?.info.name ?? '' };
        }
      }
      slot.result = result;
      if (generation !== this.generation) return { state: 'signedOut' };
      // the views show the first screen: tell them the whole is in
      if (slot.preview && current() && section !== 'children') this.changed.fire(section);
      this.loaded.fire(section);
      return result;
    })();
    slot.promise.then(showEarly, () => undefined);
    this.progress(section, slot.promise);
    return slot;
  }

  private newLimiter(): Limiter {
    return new Limiter(this.concurrency);
  }

  private async loadCatalog(s: ActiveSession, signal: AbortSignal, preview: Preview<Catalog>): Promise<Catalog> {
    const t0 = performance.now();
    const limiter = this.newLimiter();
    const opts = { pageSize: this.pageSize, cap: this.caps.catalog, limiter, signal };
    // The first screen: once page 1 of both lists is in and one of them has more pages, the views show it.
    const first: { providers?: Loaded<DcrProvider>; strategies?: Loaded<AppAuthStrategy>; more: boolean } = {
      more: false,
    };
    const firstPage =
      <K extends 'providers' | 'strategies'>(key: K) =>
      (items: readonly NonNullable<(typeof first)[K]>['items'][number][], total: number): void => {
        first[key] = { items: [...items], total, truncated: false, pages: 1 } as (typeof first)[K];
        first.more = true;
        showFirst();
      };
    const showFirst = (): void => {
      if (first.more && first.providers && first.strategies)
        preview(indexCatalog(first.providers, first.strategies, performance.now() - t0, false));
    };
    const whole =
      <T>(key: 'providers' | 'strategies') =>
      (l: Loaded<T>): Loaded<T> => {
        // a list of one page calls no onFirstPage: it is its own first screen
        if (!first[key]) {
          (first as Record<string, unknown>)[key] = { ...l, items: [...l.items] };
          showFirst();
        }
        return l;
      };
    const [providers, strategies] = await Promise.all([
      loadAllPages(
        (n, size, sig) => s.client.dcrProviders.list({ pageNumber: n, pageSize: size, sort: 'name' }, { signal: sig }),
        { ...opts, onFirstPage: firstPage('providers') },
      ).then(whole<DcrProvider>('providers')),
      loadAllPages(
        (n, size, sig) =>
          s.client.authStrategies.list({ pageNumber: n, pageSize: size, sort: 'name' }, { signal: sig }),
        { ...opts, onFirstPage: firstPage('strategies') },
      ).then(whole<AppAuthStrategy>('strategies')),
    ]);
    const catalog = indexCatalog(providers, strategies, performance.now() - t0, true);
    this.log.info(
      `loaded ${catalog.providers.length}/${providers.total} DCR providers and ${catalog.strategies.length}/${strategies.total} auth strategies from ${s.host} in ${Math.round(catalog.ms)} ms (${providers.pages + strategies.pages} pages)`,
    );
    return catalog;
  }

  private async loadIdentity(s: ActiveSession, signal: AbortSignal): Promise<Identity> {
    const t0 = performance.now();
    const servers = await loadAllPages(
      (n, size, sig) =>
        s.client.identity.authServers.list({ pageNumber: n, pageSize: size, sort: 'name' }, { signal: sig }),
      { pageSize: this.pageSize, cap: this.caps.identity, limiter: this.newLimiter(), signal },
    );
    const authServers = servers.items.sort(byName);
    const ms = performance.now() - t0;
    this.log.info(
      `loaded ${authServers.length}/${servers.total} Kong Identity auth servers from ${s.host} in ${Math.round(ms)} ms`,
    );
    return {
      authServers,
      authServerById: new Map(authServers.map((a) => [a.id, a])),
      total: servers.total,
      truncated: servers.truncated,
      ms,
    };
  }

  private async loadChildren(s: ActiveSession, id: string, signal: AbortSignal): Promise<AuthServerChildren> {
    const opts = { pageSize: this.pageSize, cap: this.caps.identity, limiter: this.newLimiter(), signal };
    const [scopes, claims, clients] = await Promise.all([
      loadAllPages(
        (n, size, sig) => s.client.identity.scopes.list(id, { pageNumber: n, pageSize: size }, { signal: sig }),
        opts,
      ),
      loadAllPages(
        (n, size, sig) => s.client.identity.claims.list(id, { pageNumber: n, pageSize: size }, { signal: sig }),
        opts,
      ),
      loadAllPages(
        (n, size, sig) => s.client.identity.clients.list(id, { pageNumber: n, pageSize: size }, { signal: sig }),
        opts,
      ),
    ]);
    return {
      scopes: scopes.items.sort(byName),
      claims: claims.items.sort(byName),
      clients: clients.items.sort(byName),
    };
  }

  /**
   * A client's secrets or issued tokens, for its group in the tree when expanded. Not cached: the view reads them
   * again whenever it redraws (`changedClient` after a secret or token action), so they are never stale.
   */
  async clientList(
    authServerId: string,
    clientId: string,
    group: 'secrets',
  ): Promise<Loadable<readonly ClientSecretItem[]>>;
  async clientList(authServerId: string, clientId: string, group: 'tokens'): Promise<Loadable<readonly Token[]>>;
  async clientList(
    authServerId: string,
    clientId: string,
    group: 'secrets' | 'tokens',
  ): Promise<Loadable<readonly (ClientSecretItem | Token)[]>> {
    let s: ActiveSession | undefined;
    try {
      s = await this.session.active();
      if (!s) return { state: 'signedOut' };
      const api = s.client.identity.clients;
      const all = await loadAllPages<ClientSecretItem | Token>(
        (n, size, signal) =>
          group === 'secrets'
            ? api.listSecrets(authServerId, clientId, { pageNumber: n, pageSize: size, sort: 'created_at' }, { signal })
            : api.listTokens(authServerId, clientId, { pageNumber: n, pageSize: size, sort: 'created_at' }, { signal }),
        {
          pageSize: this.pageSize,
          cap: this.caps.identity,
          limiter: this.newLimiter(),
          signal: new AbortController().signal,
        },
      );
      return { state: 'ready', value: all.items, connection: s.info.name };
    } catch (err) {
      const error = classify(err, s?.host);
      this.log.warn(`loading the ${group} of Kong Identity client ${clientId} failed: ${error.message}`, err);
      return { state: 'error', error, connection: s?.info.name ?? '' };
    }
  }

  /** A client's secrets or tokens changed: the identity view redraws (and reads them again); nothing else reloads. */
  changedClient(): void {
    this.changed.fire('identity');
  }

  dispose(): void {
    this.cancel();
    this.subscription.dispose();
    this.changed.dispose();
    this.loaded.dispose();
  }
}

function indexCatalog(
  providers: Loaded<DcrProvider>,
  strategies: Loaded<AppAuthStrategy>,
  ms: number,
  complete: boolean,
): Catalog {
  const ps = providers.items.sort(byName);
  const ss = strategies.items.sort(byName);
  const byProvider = new Map<string, AppAuthStrategy[]>();
  for (const st of ss) {
    const pid = st.dcr_provider?.id;
    if (!pid) continue;
    let list = byProvider.get(pid);
    if (!list) byProvider.set(pid, (list = []));
    list.push(st);
  }
  return {
    providers: ps,
    strategies: ss,
    providerById: new Map(ps.map((p) => [p.id, p])),
    strategyById: new Map(ss.map((x) => [x.id, x])),
    strategiesByProvider: byProvider,
    totals: { providers: providers.total, strategies: strategies.total },
    truncated: providers.truncated || strategies.truncated,
    ms,
    complete,
  };
}
