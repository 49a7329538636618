import type * as z from 'zod';
import { systemClock, type Clock } from '../util/clock';
import { nullLogger, type Logger } from '../util/logger';
import { Redactor } from '../util/redact';
import {
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  RestEngine,
  type CallOptions,
  type ResolvedRetry,
  type RetryOptions,
} from './engine';
import { PortalAdminApi } from './portalAdmin';
import { checkBearerToken, resolveBaseUrl, type KonnectRegion } from './regions';
import {
  ApiImplementationsApi,
  ApiPublicationsApi,
  ApisApi,
  AuthStrategiesApi,
  ControlPlaneConfigApi,
  DcrProvidersApi,
  KongIdentityApi,
  PortalRegistrationsApi,
  PortalsApi,
} from './resources';
import { createUndiciTransport, type HttpMethod, type HttpResponse, type HttpTransport } from './transport';

/** What every client (Konnect, Portal) is built from. */
export interface HttpClientOptions {
  /** `konnect-dcr-vscode/0.1.0`: names the extension and its version. */
  userAgent: string;
  /** Defaults to an undici transport built from `ca` and `proxy`. */
  transport?: HttpTransport | undefined;
  /** Extra CA certificates (PEM) to trust, besides Node's roots. Only without `transport`. TLS is always verified. */
  ca?: string | undefined;
  /** Proxy URL. Only without `transport`. */
  proxy?: string | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** Shared with the log channel: the client adds the token and every secret it sends or receives. */
  redactor?: Redactor | undefined;
  /** Per attempt (each retry gets its own). Default 30 s. */
  timeoutMs?: number | undefined;
  retry?: RetryOptions | undefined;
}

export interface KonnectClientOptions extends HttpClientOptions {
  /** `us`, `eu`, `au`, `me`, `in`, `sg`. Ignored when `baseUrl` is given. */
  region?: KonnectRegion | undefined;
  /** Any base URL, e.g. the local sandbox `http://127.0.0.1:PORT`. */
  baseUrl?: string | undefined;
  /** A `kpat_…` / `spat_…` token (any bearer token is accepted, for the sandbox). */
  token: string;
}

/** A raw request for what the typed resources do not cover (and for tests that send deliberately odd bodies). */
export interface RawRequest<T> {
  method: HttpMethod;
  /** Including the version, e.g. `/v2/dcr-providers`. */
  path: string;
  query?: readonly (readonly [string, string])[] | undefined;
  body?: unknown;
  /** Parses the 2xx answer; without it the body is returned as text in `HttpResponse`. */
  schema?: z.ZodType<T> | undefined;
}

/** @internal Builds the engine both clients share. */
export function buildEngine(
  baseUrl: string,
  options: HttpClientOptions,
  auth: () => Record<string, string>,
): { engine: RestEngine; transport: HttpTransport; ownsTransport: boolean; redactor: Redactor } {
  const userAgent = options.userAgent.trim();
  if (!userAgent || !/^[\x20-\x7e]+$/.test(userAgent))
    throw new TypeError('userAgent must be printable ASCII, e.g. "konnect-dcr-vscode/0.1.0"');
  if (options.transport && (options.ca || options.proxy))
    throw new TypeError('Pass `ca`/`proxy` or a `transport`, not both');
  const transport = options.transport ?? createUndiciTransport({ ca: options.ca, proxy: options.proxy });
  const redactor = options.redactor ?? new Redactor();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  const r = options.retry ?? {};
  const retry: ResolvedRetry = {
    maxAttempts: r.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    baseDelayMs: r.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: r.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    maxRetryAfterMs: r.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
    random: r.random ?? DEFAULT_RETRY.random,
  };
  const engine = new RestEngine({
    baseUrl,
    userAgent,
    transport,
    redactor,
    timeoutMs,
    retry,
    auth,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? nullLogger,
  });
  return { engine, transport, ownsTransport: !options.transport, redactor };
}

/**
 * The Konnect admin API client (bearer token). Resources:
 * `dcrProviders`, `authStrategies`, `identity` (auth servers, scopes, claims, clients), `apis`,
 * `apiImplementations`, `apiPublications`, `portals`.
 */
export class KonnectClient {
  readonly baseUrl: string;
  readonly dcrProviders: DcrProvidersApi;
  readonly authStrategies: AuthStrategiesApi;
  readonly identity: KongIdentityApi;
  readonly apis: ApisApi;
  readonly apiImplementations: ApiImplementationsApi;
  readonly apiPublications: ApiPublicationsApi;
  readonly portals: PortalsApi;
  /** A control plane's Gateway Services and plugins (`/v2/control-planes/{id}/core-entities`). */
  readonly controlPlaneConfig: ControlPlaneConfigApi;
  /** A portal's application registrations, admin side. */
  readonly registrations: PortalRegistrationsApi;
  /** A portal's developers, applications and registrations (admin side), and Gateway Consumers to map them to. */
  readonly portalAdmin: PortalAdminApi;

  private readonly engine: RestEngine;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;

  constructor(options: KonnectClientOptions) {
    const token = checkBearerToken(options.token);
    this.baseUrl = resolveBaseUrl(options);
    const built = buildEngine(this.baseUrl, options, () => ({ authorization: `Bearer ${token}` }));
    built.redactor.add(token);
    this.engine = built.engine;
    this.transport = built.transport;
    this.ownsTransport = built.ownsTransport;
    this.dcrProviders = new DcrProvidersApi(this.engine);
    this.authStrategies = new AuthStrategiesApi(this.engine);
    this.identity = new KongIdentityApi(this.engine);
    this.apis = new ApisApi(this.engine);
    this.apiImplementations = new ApiImplementationsApi(this.engine);
    this.apiPublications = new ApiPublicationsApi(this.engine);
    this.portals = new PortalsApi(this.engine);
    this.controlPlaneConfig = new ControlPlaneConfigApi(this.engine);
    this.registrations = new PortalRegistrationsApi(this.engine);
    this.portalAdmin = new PortalAdminApi(this.engine);
  }

  /** Any Konnect call, with the same auth, retries and errors; parsed with `schema` when given. */
  request<T>(req: RawRequest<T> & { schema: z.ZodType<T> }, opts?: CallOptions): Promise<T>;
  request(req: RawRequest<never> & { schema?: undefined }, opts?: CallOptions): Promise<HttpResponse>;
  async request<T>(req: RawRequest<T>, opts?: CallOptions): Promise<T | HttpResponse> {
    const spec = { method: req.method, path: req.path, query: req.query, body: req.body };
    if (req.schema) return this.engine.json(spec, req.schema, opts);
    return (await this.engine.exchange(spec, opts)).res;
  }

  /** Releases the connections of the transport the client created (a passed-in transport is left alone). */
  async close(): Promise<void> {
    if (this.ownsTransport) await this.transport.close();
  }
}

export function createKonnectClient(options: KonnectClientOptions): KonnectClient {
  return new KonnectClient(options);
}
