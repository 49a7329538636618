/**
 * What the Portals view and the strategies' "Used by" nodes show: a portal's settings, developers, applications and
 * registrations, loaded lazily per list (when a node is expanded), cached, and reloaded after an action. Long lists
 * come as a first screen (page 1) while the other pages load, then whole. Never throws: failures are `error` loads.
 */
import * as vscode from 'vscode';
import type {
  ApplicationRegistration,
  ApplicationRegistrationStatus,
  Portal,
  PortalApplication,
  PortalDeveloper,
} from '../../core/api/index';
import type { Logger } from '../../core/util/logger';
import type { ActiveSession, Session } from '../auth/session';
import { classify, type Classified } from '../platform/errors';
import { Limiter, loadAllPages, type Loaded } from '../tree/paging';

export type AdminLoad<T> =
  | { readonly state: 'signedOut' }
  | {
      readonly state: 'ready';
      readonly items: readonly T[];
      readonly total: number;
      /** False for a first screen: the other pages are still loading. */
      readonly complete: boolean;
      /** The list stopped at its cap: Konnect holds more ("Load more" doubles the cap: `loadMore`). */
      readonly more?: boolean;
    }
  | { readonly state: 'error'; readonly error: Classified };

/** An application with the portal it is in (the strategies' "Used by" lists span portals). */
export interface AppInPortal {
  readonly portal: Portal;
  readonly app: PortalApplication;
}

interface Slot<T> {
  readonly ctrl: AbortController;
  /** The first screen if there is one, else the whole. */
  readonly early: Promise<AdminLoad<T>>;
  readonly whole: Promise<AdminLoad<T>>;
  result?: AdminLoad<T>;
}

export const REGISTRATION_STATUSES: readonly ApplicationRegistrationStatus[] = [
  'pending',
  'approved',
  'revoked',
  'rejected',
];

/** Keys of the lists; a change event names the key whose list changed (undefined: all of them). */
export const AdminKeys = {
  portals: 'portals',
  developers: (portalId: string) => `d:${portalId}`,
  applications: (portalId: string) => `a:${portalId}`,
  appRegistrations: (portalId: string, appId: string) => `r:${portalId}:${appId}`,
  byStatus: (portalId: string, status: ApplicationRegistrationStatus) => `s:${portalId}:${status}`,
  strategyUsers: (strategyId: string) => `u:${strategyId}`,
} as const;

export interface AdminModelOptions {
  readonly pageSize?: number;
  readonly concurrency?: number;
  /** Items per list at most (25,000), until "Load more" doubles it for that list. */
  readonly cap?: number;
}

/** How far a list loads: its cap, and after "Load more" what it showed (it goes on from there). */
interface ListMore {
  readonly cap: number;
  readonly from?: { readonly items: readonly unknown[]; readonly total: number } | undefined;
}

export class PortalAdminModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly slots = new Map<string, Slot<unknown>>();
  private readonly pageSize: number;
  private readonly cap: number;
  /** Lists whose cap "Load more" lifted: key → cap. */
  private readonly caps = new Map<string, number>();
  /** Strategy id → the portals whose applications stopped at their cap when its "Used by" was read. */
  private readonly partialUsers = new Map<string, readonly Portal[]>();
  /** What a list showed when "Load more" was clicked: its next load goes on from there. */
  private readonly continued = new Map<string, { items: readonly unknown[]; total: number }>();
  private readonly limiter: Limiter;
  private generation = 0;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: Session,
    private readonly log: Logger,
    options: AdminModelOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.cap = options.cap ?? 25_000;
    this.limiter = new Limiter(options.concurrency ?? 6);
    this.subscription = session.onDidChange(() => this.reset());
  }

  // ------------------------------------------------------------------------------------------- lists

  portals(): Promise<AdminLoad<Portal>> {
    return this.list(AdminKeys.portals, (s, signal, first, more) =>
      this.pages(
        (n, size, sig) => s.client.portals.list({ pageNumber: n, pageSize: size, sort: 'name' }, { signal: sig }),
        signal,
        first,
        more,
      ),
    );
  }

  developers(portalId: string): Promise<AdminLoad<PortalDeveloper>> {
    return this.list(AdminKeys.developers(portalId), (s, signal, first, more) =>
      this.pages(
        (n, size, sig) =>
          s.client.portalAdmin.listDevelopers(
            portalId,
            { pageNumber: n, pageSize: size, sort: 'email' },
            { signal: sig },
          ),
        signal,
        first,
        more,
      ),
    );
  }

  /** A portal's applications by name: page 1 first (`complete: false`), then all of them. */
  applications(portalId: string): Promise<AdminLoad<PortalApplication>> {
    return this.list(AdminKeys.applications(portalId), (s, signal, first, more) =>
      this.pages(
        (n, size, sig) =>
          s.client.portalAdmin.listApplications(
            portalId,
            { pageNumber: n, pageSize: size, sort: 'name' },
            { signal: sig },
          ),
        signal,
        first,
        more,
      ),
    );
  }

  appRegistrations(portalId: string, appId: string): Promise<AdminLoad<ApplicationRegistration>> {
    return this.list(AdminKeys.appRegistrations(portalId, appId), (s, signal, first, more) =>
      this.pages(
        (n, size, sig) =>
          s.client.portalAdmin.listApplicationRegistrations(
            portalId,
            appId,
            { pageNumber: n, pageSize: size, sort: 'created_at' },
            { signal: sig },
          ),
        signal,
        first,
        more,
      ),
    );
  }

  /** A portal's registrations with one status, across its applications. */
  registrationsByStatus(
    portalId: string,
    status: ApplicationRegistrationStatus,
  ): Promise<AdminLoad<ApplicationRegistration>> {
    return this.list(AdminKeys.byStatus(portalId, status), (s, signal, first, more) =>
      this.pages(
        (n, size, sig) =>
          s.client.portalAdmin.listRegistrations(
            portalId,
            { pageNumber: n, pageSize: size, filter: { status: { eq: status } }, sort: 'created_at' },
            { signal: sig },
          ),
        signal,
        first,
        more,
      ),
    );
  }

  /**
   * Who uses a strategy: the applications with this auth strategy in every portal that offers it (an API published
   * there with it, or the portal default). Konnect cannot filter applications by strategy, so each of those portals'
   * applications are read (the same cached lists the Portals view shows) and filtered.
   */
  strategyUsers(strategyId: string): Promise<AdminLoad<AppInPortal>> {
    return this.list(AdminKeys.strategyUsers(strategyId), async (s, signal) => {
      const [pubs, portals] = await Promise.all([
        s.client.apiPublications.listAll(
          { filter: { auth_strategy_id: { eq: strategyId } } },
          { signal, maxItems: this.cap },
        ),
        this.whole(AdminKeys.portals, () => this.portals()),
      ]);
      const ids = new Set(pubs.map((p) => p.portal_id));
      const offering = portals.filter((p) => ids.has(p.id) || p.default_application_auth_strategy_id === strategyId);
      const users: AppInPortal[] = [];
      const partial: Portal[] = [];
      for (const portal of offering) {
        const apps = await this.wholeLoad(AdminKeys.applications(portal.id), () => this.applications(portal.id));
        if (apps.more) partial.push(portal);
        for (const app of apps.items) if (app.auth_strategy.id === strategyId) users.push({ portal, app });
      }
      this.partialUsers.set(strategyId, partial);
      return { items: users, total: users.length, truncated: false, pages: 1 };
    });
  }

  /**
   * The portals whose applications list stopped at its cap when a strategy's "Used by" was last read: that list holds
   * only the users among the applications read ("Load more" on the portal's Applications reads the rest).
   */
  partialStrategyUsers(strategyId: string): readonly Portal[] {
    return this.partialUsers.get(strategyId) ?? [];
  }

  /** "Load more" at the end of a list that stopped at its cap: twice the cap, loaded again. */
  loadMore(key: string): void {
    const shown = this.slots.get(key)?.result;
    this.caps.set(key, 2 * (this.caps.get(key) ?? this.cap));
    if (shown?.state === 'ready' && shown.complete && shown.more)
      this.continued.set(key, { items: shown.items, total: shown.total });
    this.invalidate(key);
  }

  /** What a list holds now (the first screen while it loads), without starting anything. */
  peek<T>(key: string): AdminLoad<T> | undefined {
    return this.slots.get(key)?.result as AdminLoad<T> | undefined;
  }

  // ------------------------------------------------------------------------------------------- after an action

  /** Forget these lists (exact keys, or every key starting with a prefix ending in ':'); the views ask again. */
  invalidate(...keys: string[]): void {
    for (const k of [...this.slots.keys()])
      if (keys.some((x) => (x.endsWith(':') ? k.startsWith(x) : k === x))) {
        this.slots.get(k)?.ctrl.abort();
        this.slots.delete(k);
      }
    for (const k of keys) this.changed.fire(k);
  }

  /** Reload everything shown. */
  refresh(): void {
    for (const s of this.slots.values()) s.ctrl.abort();
    this.slots.clear();
    this.changed.fire(undefined);
  }

  reset(): void {
    this.generation++;
    this.caps.clear();
    this.continued.clear();
    this.refresh();
  }

  // ------------------------------------------------------------------------------------------- loading

  /** The whole list of `key` (never its first screen), starting it with `start` when it is not loading yet. */
  private async whole<T>(key: string, start: () => Promise<AdminLoad<T>>): Promise<readonly T[]> {
    return (await this.wholeLoad(key, start)).items;
  }

  /** A list once it is whole: its items, and whether it stopped at its cap. */
  private async wholeLoad<T>(
    key: string,
    start: () => Promise<AdminLoad<T>>,
  ): Promise<{ items: readonly T[]; more: boolean }> {
    void start().then(undefined, () => undefined);
    const slot = this.slots.get(key) as Slot<T> | undefined;
    const l = slot ? await slot.whole : await start();
    if (l.state === 'error') throw new Error(l.error.message);
    return l.state === 'ready' ? { items: l.items, more: l.more === true } : { items: [], more: false };
  }

  /**
   * Every page up to the cap; after "Load more" (`more.from`: what was shown, whole pages of it) the pages after those,
   * with what was shown as the first screen.
   */
  private async pages<T extends { id: string }>(
    listPage: Parameters<typeof loadAllPages<T>>[0],
    signal: AbortSignal,
    first: (items: readonly T[], total: number) => void,
    more: ListMore,
  ): Promise<Loaded<T>> {
    const from = more.from as { items: readonly T[]; total: number } | undefined;
    const kept = from && from.items.length % this.pageSize === 0 ? from.items : [];
    if (kept.length) first(kept, from!.total);
    const rest = await loadAllPages(listPage, {
      pageSize: this.pageSize,
      cap: Math.max(1, more.cap - kept.length),
      limiter: this.limiter,
      signal,
      onFirstPage: kept.length ? undefined : first,
      startPage: kept.length / this.pageSize + 1,
    });
    if (!kept.length) return rest;
    const seen = new Set(kept.map((x) => x.id));
    return { ...rest, items: [...kept, ...rest.items.filter((x) => !seen.has(x.id))] };
  }

  private list<T>(
    key: string,
    load: (
      s: ActiveSession,
      signal: AbortSignal,
      first: (items: readonly T[], total: number) => void,
      more: ListMore,
    ) => Promise<Loaded<T>>,
  ): Promise<AdminLoad<T>> {
    const existing = this.slots.get(key) as Slot<T> | undefined;
    if (existing) return existing.result ? Promise.resolve(existing.result) : existing.early;
    // (a first screen is `result` until the whole replaces it: the views show it, then get a change event)
    const ctrl = new AbortController();
    const generation = this.generation;
    const more: ListMore = { cap: this.caps.get(key) ?? this.cap, from: this.continued.get(key) };
    this.continued.delete(key);
    let showEarly: (l: AdminLoad<T>) => void = () => undefined;
    const early = new Promise<AdminLoad<T>>((resolve) => (showEarly = resolve));
    const current = (): boolean => generation === this.generation && this.slots.get(key) === slot;
    let previewed = false;
    const whole = (async (): Promise<AdminLoad<T>> => {
      let session: ActiveSession | undefined;
      try {
        session = await this.session.active();
        if (!session) return { state: 'signedOut' };
        const loaded = await load(
          session,
          ctrl.signal,
          (items, total) => {
            if (ctrl.signal.aborted || !current()) return;
            previewed = true;
            const preview: AdminLoad<T> = { state: 'ready', items: [...items], total, complete: false };
            slot.result = preview;
            showEarly(preview);
          },
          more,
        );
        return {
          state: 'ready',
          items: loaded.items,
          total: loaded.total,
          complete: true,
          ...(loaded.truncated ? { more: true } : {}),
        };
      } catch (err) {
        const error = classify(err, session?.host);
        if (error.kind !== 'cancelled') this.log.warn(`loading ${key} failed: ${error.message}`, err);
        return { state: 'error', error };
      }
    })();
    const slot: Slot<T> = { ctrl, early, whole };
    this.slots.set(key, slot as Slot<unknown>);
    void whole.then(
      (r) => {
        if (!current()) return;
        slot.result = r;
        showEarly(r);
        // the whole list replaces the first screen the views show; a strategy's users give its "Used by" a count
        if (previewed || key.startsWith('u:')) this.changed.fire(key);
      },
      () => undefined,
    );
    return early;
  }

  dispose(): void {
    for (const s of this.slots.values()) s.ctrl.abort();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
