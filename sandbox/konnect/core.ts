/** What every route module gets: the store, the injected IdP seams, list settings, and a few shared helpers. */
import type { DcrDriver, KongIdentityBackend, ProviderType } from '../contracts';
import { badRequest, type Handler, notFound } from './http';
import type { InvalidParameter, SpecSet } from './openapi';
import type { ListOptions } from './query';
import type { DeveloperRec, KonnectStore, Labels, PortalRec } from './store';

export interface Core {
  store: KonnectStore;
  specs: SpecSet;
  backend: KongIdentityBackend;
  list: ListOptions;
  driverFor(type: ProviderType): DcrDriver | undefined;
  /**
   * Runs one DcrDriver call with an AbortSignal that fires after the driver timeout (or when the incoming request
   * goes away), and gives up on a driver that ignores its signal: the promise rejects with a DcrDriverError (504).
   */
  callDriver<T>(request: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Opens the Portal API listener of a portal; returns its base URL. */
  openPortal(portal: PortalRec): Promise<string>;
  closePortal(portalId: string): Promise<void>;
  /** The developer seeded in every new portal. */
  seedDeveloper: { email: string; password: string; full_name: string };
}

export interface Extra {
  core: Core;
  /** Portal API only: the portal whose listener got the request, and the signed-in developer (if any). */
  portal?: PortalRec;
  developer?: DeveloperRec;
}

export type RouteHandler = Handler<Extra>;
export interface RouteDef {
  handler: RouteHandler;
  /** Replaces the generic spec validation of the request body (returns the invalid parameters, empty when fine). */
  validate?: (ctx: Parameters<RouteHandler>[0]) => InvalidParameter[];
}
/** operationId -> handler */
export type Routes = Record<string, RouteHandler | RouteDef>;

export type Obj = Record<string, unknown>;
export const asObj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw notFound(`${what} not found`);
  return v;
}

/** PATCH labels: a `null` value removes the key, `labels: null` removes them all. */
export function mergeLabels(current: Labels, update: unknown): Labels {
  if (update === undefined) return current;
  if (update === null) return {};
  const out = { ...current };
  for (const [k, v] of Object.entries(asObj(update))) {
    if (v === null) delete out[k];
    else out[k] = String(v);
  }
  return out;
}

export function labelsOf(v: unknown): Labels {
  const out: Labels = {};
  for (const [k, val] of Object.entries(asObj(v))) if (typeof val === 'string') out[k] = val;
  return out;
}

export function missingReference(field: string, what: string, id: unknown): never {
  throw badRequest([
    { field, rule: 'missing_reference', reason: `${what} "${String(id)}" does not exist`, source: 'body' },
  ]);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
