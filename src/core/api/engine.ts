/**
 * The request engine shared by `KonnectClient` and `PortalClient`: URL building, headers, the per-attempt timeout,
 * retries with backoff, error mapping, JSON parsing and zod validation. Not exported from the package surface.
 *
 * Retry policy:
 * - 429: the request was not processed, so it is retried for any method, after `Retry-After` (seconds or HTTP date)
 *   when present, else after an exponential backoff. A `Retry-After` longer than `maxRetryAfterMs` fails at once.
 * - 502/503/504, connection resets and timeouts: retried only for idempotent methods (GET, HEAD, PUT, DELETE,
 *   OPTIONS). A POST or PATCH is never repeated on those: it may have been applied.
 * - Everything else fails at once. Aborting the caller's signal stops the request and any backoff wait promptly.
 */
import type * as z from 'zod';
import { DCR_SECRET_KEYS } from '../model/providerTypes';
import { abortError, linkAbort } from '../util/abort';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/logger';
import type { Redactor } from '../util/redact';
import {
  KonnectApiError,
  KonnectNetworkError,
  certificateHostMismatch,
  classifyNetworkError,
  describeNetworkFailure,
  describeZodIssues,
  formatDuration,
  type CallSite,
  type NetworkErrorKind,
} from './errors';
import { encodeQuery } from './query';
import { headerValue, type HttpMethod, type HttpResponse, type HttpTransport } from './transport';

export interface RetryOptions {
  /** Requests per call, the first included (default 4). 1 disables retries. */
  maxAttempts?: number | undefined;
  /** First backoff step (default 500 ms); doubles per attempt, with jitter. */
  baseDelayMs?: number | undefined;
  /** Largest backoff step (default 8 s). */
  maxDelayMs?: number | undefined;
  /** A `Retry-After` longer than this fails the call with a clear message instead of waiting (default 60 s). */
  maxRetryAfterMs?: number | undefined;
  /** Jitter source in [0, 1) (default `Math.random`). */
  random?: (() => number) | undefined;
}

/** Options every network call takes. */
export interface CallOptions {
  /** Cancels the call, including a pending retry wait. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `retry.maxAttempts`. */
  maxAttempts?: number | undefined;
  /**
   * Shared by calls that run side by side (the config apply's workers): once Konnect answers any of them 429 or 503
   * with `Retry-After`, none of them sends a request before that time has passed.
   */
  gate?: RetryGate | undefined;
}

/** A point in time before which the calls holding this gate send nothing (see `CallOptions.gate`). */
export class RetryGate {
  private until = 0;
  /** Nothing is sent before `atMs` (epoch ms, the engine's clock); a later hold extends, an earlier one is ignored. */
  hold(atMs: number): void {
    if (atMs > this.until) this.until = atMs;
  }
  get heldUntil(): number {
    return this.until;
  }
  /** Resolves once the gate is open; rejects with an AbortError when `signal` aborts first. */
  async wait(clock: Clock, signal?: AbortSignal): Promise<void> {
    for (let ms = this.until - clock.now(); ms > 0; ms = this.until - clock.now()) await clock.sleep(ms, signal);
  }
}

/** `RetryOptions` with every default filled in. */
export type ResolvedRetry = { [K in keyof RetryOptions]-?: NonNullable<RetryOptions[K]> };

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: Readonly<ResolvedRetry> = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
};

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_STATUS_IDEMPOTENT = new Set([502, 503, 504]);
const RETRYABLE_FAILURES_IDEMPOTENT: ReadonlySet<NetworkErrorKind> = new Set<NetworkErrorKind>(['reset', 'timeout']);

/** Request-body and answer keys whose values are secrets: remembered by the redactor so they never reach a log or an error. */
const SECRET_KEYS = new Set([
  ...DCR_SECRET_KEYS,
  'client_secret',
  'secret',
  'password',
  'access_token',
  'refresh_token',
  'credential',
]);

export interface EngineOptions {
  /** Normalised, no trailing slash. */
  baseUrl: string;
  userAgent: string;
  transport: HttpTransport;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  timeoutMs: number;
  retry: ResolvedRetry;
  /** Authentication headers, read on every attempt (bearer token, or the portal cookie once signed in). */
  auth: () => Record<string, string>;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Starts with `/`, ids already encoded. */
  path: string;
  query?: readonly (readonly [string, string])[] | undefined;
  /** Serialised as JSON. */
  body?: unknown;
}

export class RestEngine {
  readonly baseUrl: string;
  private readonly host: string;

  constructor(private readonly o: EngineOptions) {
    this.baseUrl = o.baseUrl;
    this.host = new URL(o.baseUrl).host;
  }

  /** Sends the request and parses a 2xx JSON answer with `schema`. */
  async json<T>(spec: RequestSpec, schema: z.ZodType<T>, opts: CallOptions = {}): Promise<T> {
    const { res, site, attempts } = await this.exchange(spec, opts);
    return this.parse(res, schema, site, attempts);
  }

  /** Sends the request; any 2xx answer is success and its body is ignored (DELETE → 204). */
  async noContent(spec: RequestSpec, opts: CallOptions = {}): Promise<void> {
    await this.exchange(spec, opts);
  }

  parse<T>(res: HttpResponse, schema: z.ZodType<T>, site: CallSite, attempts = 1): T {
    const malformed = (detail: string): KonnectNetworkError =>
      new KonnectNetworkError('malformed', describeNetworkFailure('malformed', undefined, detail, site), {
        site,
        status: res.status,
        attempts,
      });
    if (!res.body.trim()) throw malformed(`the body is empty (HTTP ${res.status}), JSON was expected`);
    let data: unknown;
    try {
      data = JSON.parse(res.body);
    } catch {
      // Not the parser's message: it quotes the body, which may hold a secret.
      const type = headerValue(res, 'content-type') ?? 'no content-type';
      throw malformed(`not valid JSON (HTTP ${res.status}, ${type}, ${res.body.length} characters)`);
    }
    this.rememberSecrets(data);
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw malformed(`unexpected shape: ${describeZodIssues(parsed.error)}`);
    return parsed.data;
  }

  /** Sends with retries; resolves with the 2xx answer, throws a `KonnectError` otherwise. */
  async exchange(
    spec: RequestSpec,
    opts: CallOptions = {},
  ): Promise<{ res: HttpResponse; site: CallSite; attempts: number }> {
    const { clock, logger, retry } = this.o;
    const site: CallSite = { method: spec.method, path: spec.path, host: this.host };
    const url = new URL(`${this.baseUrl}${spec.path}${encodeQuery(spec.query ?? [])}`);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (spec.body !== undefined) this.rememberSecrets(spec.body);
    const maxAttempts = Math.max(1, Math.floor(opts.maxAttempts ?? retry.maxAttempts));
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs;
    const idempotent = IDEMPOTENT.has(spec.method);
    const redact = (s: string): string => this.o.redactor.redact(s);
    const label = `${spec.method} ${url.pathname}${url.search}`;

    for (let attempt = 1; ; attempt++) {
      if (opts.signal?.aborted) throw this.aborted(site, attempt - 1, opts.signal.reason);
      if (opts.gate && opts.gate.heldUntil > clock.now()) {
        try {
          await opts.gate.wait(clock, opts.signal);
        } catch (err) {
          throw this.aborted(site, attempt - 1, err);
        }
      }
      const started = clock.now();
      let res: HttpResponse;
      try {
        res = await this.attempt(url, spec.method, body, timeoutMs, opts.signal);
      } catch (err) {
        const failure = this.toNetworkError(err, site, attempt, timeoutMs, opts.signal);
        if (
          failure.kind !== 'aborted' &&
          idempotent &&
          RETRYABLE_FAILURES_IDEMPOTENT.has(failure.kind) &&
          attempt < maxAttempts
        ) {
          const delay = this.backoff(attempt);
          logger.warn(
            redact(
              `${label}: ${failure.kind}${failure.code ? ` (${failure.code})` : ''}; retry ${attempt + 1}/${maxAttempts} in ${formatDuration(delay)}`,
            ),
          );
          await this.sleep(delay, site, attempt, opts.signal);
          continue;
        }
        logger.debug(
          redact(`${label}: ${failure.kind} after ${formatDuration(clock.now() - started)}: ${failure.message}`),
        );
        throw failure;
      }
      logger.debug(
        redact(
          `${label} → ${res.status} in ${formatDuration(clock.now() - started)}${attempt > 1 ? ` (attempt ${attempt})` : ''}`,
        ),
      );
      if (res.status >= 200 && res.status < 300) return { res, site, attempts: attempt };

      const retryable = res.status === 429 || (idempotent && RETRYABLE_STATUS_IDEMPOTENT.has(res.status));
      const retryAfterMs = parseRetryAfter(headerValue(res, 'retry-after'), clock.now());
      const errorFrom = (note?: string): KonnectApiError =>
        KonnectApiError.fromResponse(
          { status: res.status, body: res.body, contentType: headerValue(res, 'content-type') },
          site,
          redact,
          { attempts: attempt, retryAfterMs, note: note ?? redirectNote(res) },
        );
      if (retryable && retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) {
        throw errorFrom(
          `Konnect asked to wait ${formatDuration(retryAfterMs)} before retrying, longer than the ${formatDuration(retry.maxRetryAfterMs)} limit; try again later`,
        );
      }
      if ((res.status === 429 || res.status === 503) && retryAfterMs !== undefined)
        opts.gate?.hold(clock.now() + retryAfterMs);
      if (retryable && attempt < maxAttempts) {
        const delay = retryAfterMs ?? this.backoff(attempt);
        logger.warn(
          redact(
            `${label} → ${res.status}; retry ${attempt + 1}/${maxAttempts} in ${formatDuration(delay)}${retryAfterMs !== undefined ? ' (Retry-After)' : ''}`,
          ),
        );
        await this.sleep(delay, site, attempt, opts.signal);
        continue;
      }
      throw errorFrom();
    }
  }

  /** One request with its own timeout. Rejects as soon as the signal aborts, even if the transport lingers. */
  private async attempt(
    url: URL,
    method: HttpMethod,
    body: string | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse> {
    const link = linkAbort(signal);
    const timer = setTimeout(() => link.abort(new TimeoutMarker(timeoutMs)), timeoutMs);
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'user-agent': this.o.userAgent,
      ...this.o.auth(),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(link.signal.reason);
      if (link.signal.aborted) onAbort();
      else link.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.o.transport.send({ method, url, headers, body, signal: link.signal }), aborted]);
    } finally {
      clearTimeout(timer);
      if (onAbort) link.signal.removeEventListener('abort', onAbort);
      link.dispose();
      aborted.catch(() => undefined);
    }
  }

  private toNetworkError(
    err: unknown,
    site: CallSite,
    attempts: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): KonnectNetworkError {
    if (signal?.aborted) return this.aborted(site, attempts, err);
    if (err instanceof TimeoutMarker || hasTimeoutMarker(err)) {
      return new KonnectNetworkError('timeout', describeNetworkFailure('timeout', undefined, '', site, timeoutMs), {
        site,
        attempts,
        cause: err,
      });
    }
    const c = classifyNetworkError(err);
    const detail = this.o.redactor.redact(c.detail);
    return new KonnectNetworkError(
      c.kind,
      describeNetworkFailure(
        c.kind,
        c.code,
        detail,
        site,
        timeoutMs,
        c.kind === 'tls' ? certificateHostMismatch(err) : undefined,
      ),
      { site, code: c.code, attempts, cause: err },
    );
  }

  private aborted(site: CallSite, attempts: number, cause: unknown): KonnectNetworkError {
    return new KonnectNetworkError('aborted', describeNetworkFailure('aborted', undefined, '', site), {
      site,
      attempts,
      cause,
    });
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random. */
  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs, random } = this.o.retry;
    const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + random() * (step / 2));
  }

  private async sleep(ms: number, site: CallSite, attempts: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.o.clock.sleep(ms, signal);
    } catch (err) {
      throw this.aborted(site, attempts, err);
    }
    if (signal?.aborted) throw this.aborted(site, attempts, abortError(signal.reason));
  }

  private rememberSecrets(value: unknown, depth = 0): void {
    if (depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) this.rememberSecrets(v, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' && SECRET_KEYS.has(k)) this.o.redactor.add(v);
      else this.rememberSecrets(v, depth + 1);
    }
  }
}

/** The abort reason of a per-attempt timeout (tells a timeout from the caller's abort). */
class TimeoutMarker extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

function hasTimeoutMarker(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    if (e instanceof TimeoutMarker) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function redirectNote(res: HttpResponse): string | undefined {
  if (res.status < 300 || res.status >= 400) return undefined;
  const to = headerValue(res, 'location');
  return `redirected${to ? ` to ${to}` : ''}; check the base URL (http vs https, path prefix)`;
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds (`"120"`) or an HTTP date. Past dates give 0;
 * anything unparseable gives `undefined`.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
