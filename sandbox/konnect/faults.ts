/**
 * Fault injection for the emulator's listeners (Konnect API and every Portal API), matched per request on a path
 * regex and a method. A fault fires `times` times (default: until removed), then stops matching.
 *
 *   latency      wait `delayMs`, then answer normally
 *   status       answer `status` (429/500/502/503/504/...) as problem+json; 429/503 carry `Retry-After: retryAfter`
 *   malformed    answer 200 with a truncated JSON body (content-type application/json)
 *   drop         destroy the socket without answering
 *   slow-body    answer normally, but dribble the body out over `delayMs`
 */
import { randomUUID } from 'node:crypto';

export type FaultKind = 'latency' | 'status' | 'malformed' | 'drop' | 'slow-body';

export interface FaultSpec {
  /** Regex source matched against the request path (without the query string). */
  path: string;
  /** HTTP method, or `*` (default). */
  method?: string;
  kind: FaultKind;
  /** kind `status`; default 503. */
  status?: number;
  /** Seconds (number) or an HTTP date; default 1 for 429 and 503. */
  retryAfter?: number | string;
  /** latency / slow-body duration in ms (default 200). */
  delayMs?: number;
  /** How many matching requests the fault fires for (default: unlimited). */
  times?: number;
}

export interface Fault extends Required<Pick<FaultSpec, 'path' | 'kind'>> {
  id: string;
  method: string;
  status?: number;
  retryAfter?: number | string;
  delayMs?: number;
  /** Remaining firings (null: unlimited). */
  remaining: number | null;
  /** How many times it fired. */
  fired: number;
}

const KINDS: FaultKind[] = ['latency', 'status', 'malformed', 'drop', 'slow-body'];

export class FaultRegistry {
  private faults: Fault[] = [];

  /** Validates and adds a fault; throws TypeError on a bad spec. */
  add(spec: FaultSpec): Fault {
    if (!spec || typeof spec.path !== 'string') throw new TypeError('fault.path (regex source) is required');
    try {
      new RegExp(spec.path);
    } catch {
      throw new TypeError(`fault.path is not a valid regex: ${spec.path}`);
    }
    if (!KINDS.includes(spec.kind)) throw new TypeError(`fault.kind must be one of ${KINDS.join(', ')}`);
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1))
      throw new TypeError('fault.times must be a positive integer');
    if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599))
      throw new TypeError('fault.status must be an HTTP status');
    if (spec.delayMs !== undefined && (typeof spec.delayMs !== 'number' || spec.delayMs < 0))
      throw new TypeError('fault.delayMs must be >= 0');
    const f: Fault = {
      id: randomUUID(),
      path: spec.path,
      kind: spec.kind,
      method: (spec.method ?? '*').toUpperCase(),
      remaining: spec.times ?? null,
      fired: 0,
    };
    if (spec.status !== undefined) f.status = spec.status;
    if (spec.retryAfter !== undefined) f.retryAfter = spec.retryAfter;
    if (spec.delayMs !== undefined) f.delayMs = spec.delayMs;
    this.faults.push(f);
    return f;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  get(id: string): Fault | undefined {
    const f = this.faults.find((x) => x.id === id);
    return f && { ...f };
  }

  /** The first live fault matching this request; consumes one firing. */
  take(method: string, path: string): Fault | undefined {
    const m = method.toUpperCase();
    for (const f of this.faults) {
      if (f.remaining === 0) continue;
      if (f.method !== '*' && f.method !== m) continue;
      if (!new RegExp(f.path).test(path)) continue;
      f.fired++;
      if (f.remaining !== null) f.remaining--;
      return { ...f };
    }
    return undefined;
  }
}
