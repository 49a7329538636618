/**
 * The Konnect emulator: a spec-faithful HTTP server for the Konnect endpoints Konnect DCR uses.
 *
 *   const konnect = await startKonnectEmulator({ token: 'kpat_test', kongIdentity, drivers: { okta: oktaDriver } });
 *   fetch(`${konnect.url}/v2/dcr-providers`, { headers: { authorization: 'Bearer kpat_test' } });
 *
 * Listeners (all on 127.0.0.1, port 0 unless `port` is given):
 *   - the Konnect API: `/v1` (Kong Identity), `/v2` (DCR providers, auth strategies), `/v3` (API catalog, portals),
 *     plus the sandbox control endpoints under `/_sandbox/*`. Everything needs `Authorization: Bearer <token>`.
 *   - one Portal API listener per portal (`/api/v3/*`, the developer API that Konnect serves on the portal's own
 *     domain). Its base URL is `portalApiUrl(portalId)`, also sent as the `x-kdcr-portal-api-url` header on portal
 *     responses and listed by `GET /_sandbox/portals`. Sign-in is the `portalaccesstoken` cookie.
 *
 * Request bodies are validated with ajv against the spec's own request schemas (400 + `invalid_parameters`), and
 * with `selfCheck` (default on) every answer is validated against the spec's response schema for its status;
 * mismatches land in `specViolations` so sandbox tests can assert the emulator never drifts from the spec.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DcrDriverError,
  type DcrDriver,
  type GatewayCatalog,
  type KongIdentityBackend,
  type KongIdentityStore,
  type LeftAtIdp,
  type ProviderType,
} from '../contracts';
import type { Core, Extra, RouteDef, Routes } from './core';
import { type Fault, type FaultKind, FaultRegistry, type FaultSpec } from './faults';
import {
  type Ctx,
  HttpError,
  type Reply,
  cookies,
  parseJsonBody,
  problemBody,
  problemReply,
  readBody,
  titleFor,
  unauthorized,
} from './http';
import { createKongIdentityDriver } from './kong-identity-driver';
import { type Operation, type SpecName, type SpecSet, specs as sharedSpecs } from './openapi';
import { authStrategyRoutes, dcrProviderRoutes } from './routes-aas';
import { catalogRoutes } from './routes-catalog';
import { controlPlaneConfigRoutes } from './routes-cp-config';
import { kongIdentityRoutes } from './routes-ki';
import { portalApiRoutes } from './routes-portal-api';
import { portalRoutes } from './routes-portals';
import {
  type DeveloperRec,
  type DeveloperStatus,
  KonnectStore,
  type PortalRec,
  type RegistrationStatus,
} from './store';

export interface KonnectEmulatorOptions {
  /** The bearer token every Konnect API request must carry (a `kpat_`/`spat_` look-alike is fine). */
  token: string;
  /** Issuer / JWKS / metadata URLs of Kong Identity auth servers (the IdP side implements it). */
  kongIdentity: KongIdentityBackend;
  /** One DCR driver per provider_type; `kongIdentity` defaults to the built-in one (clients in this store). */
  drivers?: Partial<Record<ProviderType, DcrDriver>>;
  /** Konnect API port (default 0: random). Portal API listeners always use random ports. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  organizationId?: string;
  /** The developer seeded in every new portal (default dev@example.com / kdcr-sandbox-password). */
  developer?: { email: string; password: string; full_name?: string };
  /** Page size default (10) and maximum (100; larger `page[size]` values are clamped, as meta.page.size shows). */
  pageSize?: { default?: number; max?: number };
  /** Time limit for one DcrDriver call (default 10 s). */
  driverTimeoutMs?: number;
  /** Validate every response against the spec and record mismatches in `specViolations` (default true). */
  selfCheck?: boolean;
  /** Reuse an already loaded SpecSet (default: the process-wide one). */
  specs?: SpecSet;
  /** Keep at most this many request log entries, dropping the oldest (default 100 000). */
  requestLogLimit?: number;
}

export interface RequestLogEntry {
  /** `konnect` or `portal:<portalId>` */
  listener: string;
  method: string;
  path: string;
  query: string;
  /** 0 when the connection was dropped by a fault. */
  status: number;
  operationId?: string;
  fault?: FaultKind;
  at: number;
}

export interface SpecViolation {
  method: string;
  path: string;
  template: string;
  status: number;
  message: string;
}

export interface KonnectEmulator {
  /** Konnect API base URL, e.g. `http://127.0.0.1:41234` (no trailing slash; paths carry /v1, /v2, /v3). */
  url: string;
  token: string;
  store: KonnectStore;
  faults: FaultRegistry;
  /** Every request in arrival order (method, path, status...), recorded before the answer is written. */
  requests: RequestLogEntry[];
  specViolations: SpecViolation[];
  /** IdP clients Konnect could not delete (or roll back), newest last (also `GET /_sandbox/left-at-idp`). */
  leftAtIdp: LeftAtIdp[];
  /** Unexpected handler errors (500s). */
  errors: Error[];
  catalog: GatewayCatalog;
  identity: KongIdentityStore;
  /** The built-in DcrDriver for kongIdentity. */
  kongIdentityDriver: DcrDriver;
  seed: KonnectStore['seed'];
  /** Many applications (and their registrations for one API) in one portal at once: see `KonnectStore.seedApplications`. */
  seedApplications: KonnectStore['seedApplications'];
  /** Base URL of a portal's Portal API (throws for unknown portals). */
  portalApiUrl(portalId: string): string;
  /** Adds a portal developer who can sign in right away. */
  addDeveloper(
    portalId: string,
    d: { email: string; password: string; full_name?: string; status?: DeveloperStatus },
  ): DeveloperRec;
  /** Requests so far matching a method (`*` for any) and a path regex. */
  hits(method: string, path: RegExp | string): number;
  stop(): Promise<void>;
}

const KONNECT_SPECS: readonly SpecName[] = ['aas', 'ki', 'cat', 'pm3', 'cpc'];
const PORTAL_SPECS: readonly SpecName[] = ['papi'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Listener {
  server: Server;
  url: string;
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve(`http://${host}:${a.port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startKonnectEmulator(opts: KonnectEmulatorOptions): Promise<KonnectEmulator> {
  if (!opts.token) throw new TypeError('token is required');
  const host = opts.host ?? '127.0.0.1';
  const specSet = opts.specs ?? sharedSpecs();
  const store = new KonnectStore(opts.organizationId ?? randomUUID(), opts.kongIdentity);
  const faults = new FaultRegistry();
  const requests: RequestLogEntry[] = [];
  const specViolations: SpecViolation[] = [];
  const errors: Error[] = [];
  const selfCheck = opts.selfCheck ?? true;
  const kongIdentityDriver = createKongIdentityDriver(store);
  const drivers: Partial<Record<ProviderType, DcrDriver>> = {
    kongIdentity: kongIdentityDriver,
    ...(opts.drivers ?? {}),
  };
  const portalListeners = new Map<string, Listener>();
  const driverTimeoutMs = opts.driverTimeoutMs ?? 10_000;
  const requestLogLimit = opts.requestLogLimit ?? 100_000;
  const log = (e: RequestLogEntry): void => {
    requests.push(e);
    if (requests.length > requestLogLimit) requests.splice(0, requests.length - requestLogLimit);
  };
  let stopped = false;

  const core: Core = {
    store,
    specs: specSet,
    backend: opts.kongIdentity,
    list: { defaultPageSize: opts.pageSize?.default ?? 10, maxPageSize: opts.pageSize?.max ?? 100 },
    driverFor: (t) => drivers[t],
    callDriver: <T>(request: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> => {
      const signal = AbortSignal.any([request, AbortSignal.timeout(driverTimeoutMs)]);
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void =>
          reject(
            new DcrDriverError(
              request.aborted
                ? 'the request was cancelled'
                : `the identity provider did not answer within ${driverTimeoutMs} ms`,
              504,
            ),
          );
        if (signal.aborted) {
          onAbort();
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        call(signal)
          .then(resolve, reject)
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    openPortal: async (portal: PortalRec) => {
      const server = createServer((req, res) => {
        void handle(req, res, { kind: 'portal', portalId: portal.id });
      });
      const url = await listen(server, 0, host);
      portalListeners.set(portal.id, { server, url });
      return url;
    },
    closePortal: async (portalId) => {
      const l = portalListeners.get(portalId);
      portalListeners.delete(portalId);
      if (l) await close(l.server);
    },
    seedDeveloper: {
      email: opts.developer?.email ?? 'dev@example.com',
      password: opts.developer?.password ?? 'kdcr-sandbox-password',
      full_name: opts.developer?.full_name ?? 'Sandbox Developer',
    },
  };

  const routes = new Map<string, RouteDef>();
  const add = (spec: SpecName, r: Routes): void => {
    for (const [id, def] of Object.entries(r))
      routes.set(`${spec}:${id}`, typeof def === 'function' ? { handler: def } : def);
  };
  add('aas', { ...dcrProviderRoutes(core), ...authStrategyRoutes(core) });
  add('ki', kongIdentityRoutes(core));
  add('cat', catalogRoutes(core));
  add('pm3', portalRoutes(core));
  add('papi', portalApiRoutes());
  add('cpc', controlPlaneConfigRoutes(core));

  type Where = { kind: 'konnect' } | { kind: 'portal'; portalId: string };

  const bearerOk = (req: IncomingMessage): boolean => {
    const m = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    return m?.[1]?.trim() === opts.token;
  };

  /** Writes a reply (JSON unless a problem); `slow` dribbles the body out over that many ms. */
  const send = async (res: ServerResponse, reply: Reply, slow?: number): Promise<void> => {
    const headers: Record<string, string | string[]> = { ...(reply.headers ?? {}) };
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    const buf = Buffer.from(text, 'utf8');
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(buf.length);
    res.writeHead(reply.status, headers);
    if (!slow) {
      res.end(buf);
      return;
    }
    const parts = 10;
    const step = Math.ceil(buf.length / parts);
    for (let i = 0; i < buf.length; i += step) {
      if (res.destroyed) return;
      res.write(buf.subarray(i, i + step));
      await delay(slow / parts);
    }
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, where: Where): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const u = new URL(req.url ?? '/', 'http://sandbox');
    const path = u.pathname;
    const listenerName = where.kind === 'konnect' ? 'konnect' : `portal:${where.portalId}`;
    const entry: RequestLogEntry = { listener: listenerName, method, path, query: u.search, status: 0, at: Date.now() };
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const finish = async (reply: Reply, op?: Operation, slow?: number): Promise<void> => {
      entry.status = reply.status;
      if (op) entry.operationId = op.operationId;
      if (!path.startsWith('/_sandbox')) log(entry);
      // 501 is the sandbox's own "not served here", not an emulation of Konnect: not checked
      if (selfCheck && op && !entry.fault && reply.status !== 501) {
        const ct = reply.headers?.['content-type'];
        const check = specSet.validateResponse(op, reply.status, reply.body, typeof ct === 'string' ? ct : undefined);
        if (!check.ok || !check.declared) {
          specViolations.push({ method, path, template: op.template, status: reply.status, message: check.message });
        }
      }
      await send(res, reply, slow);
    };

    let op: Operation | undefined;
    try {
      // 1. control endpoints (Konnect listener only; they need the token too)
      if (where.kind === 'konnect' && path.startsWith('/_sandbox')) {
        if (!bearerOk(req)) throw unauthorized();
        const raw = await readBody(req);
        await finish(
          await control(method, path, BODY_METHODS.has(method) ? parseJsonBody(raw, req.headers) : undefined),
        );
        return;
      }

      // 2. faults
      const fault: Fault | undefined = faults.take(method, path);
      let slow: number | undefined;
      if (fault) {
        entry.fault = fault.kind;
        switch (fault.kind) {
          case 'drop':
            log(entry);
            req.socket.destroy();
            return;
          case 'latency':
            await delay(fault.delayMs ?? 200);
            break;
          case 'status': {
            const status = fault.status ?? 503;
            const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
            if (status === 429 || status === 503 || fault.retryAfter !== undefined)
              headers['retry-after'] = String(fault.retryAfter ?? 1);
            await finish({
              status,
              headers,
              body: problemBody(
                status,
                titleFor(status),
                status === 429 ? 'Too many requests' : `Injected fault: ${status}`,
              ),
            });
            return;
          }
          case 'malformed': {
            entry.status = 200;
            log(entry);
            const text = '{"data":[{"id":"5f9fd312-a987-4628-b4c5-bb4f4fddd5f7","name":"trunc';
            res.writeHead(200, {
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(text)),
            });
            res.end(text);
            return;
          }
          case 'slow-body':
            slow = fault.delayMs ?? 200;
            break;
        }
      }

      // 3. authentication (Konnect listener: bearer token on everything)
      if (where.kind === 'konnect' && !bearerOk(req)) throw unauthorized();

      // 4. routing by the spec's own operations
      const found = specSet.findOperation(method, path, where.kind === 'konnect' ? KONNECT_SPECS : PORTAL_SPECS);
      if (!found) {
        const other = specSet.findOperation('*', path, where.kind === 'konnect' ? KONNECT_SPECS : PORTAL_SPECS);
        throw other
          ? new HttpError(405, 'Method Not Allowed', `${method} is not allowed on ${path}`)
          : new HttpError(404, 'Not Found', `No route for ${method} ${path}`);
      }
      op = found.op;
      const route = routes.get(`${op.spec}:${op.operationId}`);

      let portal: PortalRec | undefined;
      let developer: DeveloperRec | undefined;
      if (where.kind === 'portal') {
        portal = store.portals.get(where.portalId);
        if (!portal) throw new HttpError(404, 'Not Found', 'Portal not found');
        const token = cookies(req.headers)['portalaccesstoken'];
        const devId = token ? store.sessions.get(token) : undefined;
        developer = devId ? store.developers.get(devId) : undefined;
        if (developer && developer.portal_id !== portal.id) developer = undefined;
        const security = specSet.operationObject(op)['security'];
        const needsCookie =
          Array.isArray(security) &&
          security.some((s) => typeof s === 'object' && s !== null && 'portalAccessToken' in s);
        if (needsCookie && !developer) throw unauthorized();
      }

      // 5. body + validation
      const raw = await readBody(req);
      const body = raw.length ? parseJsonBody(raw, req.headers) : undefined;
      const ctx: Ctx<Extra> = {
        method,
        path,
        query: u.searchParams,
        params: found.params,
        body,
        headers: req.headers,
        op,
        signal: abort.signal,
        extra: portal ? { core, portal, ...(developer ? { developer } : {}) } : { core },
      };
      if (!route)
        throw new HttpError(
          501,
          'Not Implemented',
          `${op.method} ${op.template} (${op.operationId}) is not implemented by the sandbox`,
        );
      const invalid = route.validate ? route.validate(ctx) : specSet.validateRequest(op, body).invalidParameters;
      if (invalid.length) throw new HttpError(400, 'Invalid Request', 'Invalid Parameters', invalid);

      // 6. the handler
      const reply = await route.handler(ctx);
      await finish(reply, op, slow);
    } catch (e) {
      if (res.headersSent || res.destroyed) return;
      let he: HttpError;
      if (e instanceof HttpError) he = e;
      else if (e instanceof DcrDriverError)
        he = new HttpError(e.status >= 400 && e.status < 500 ? e.status : 400, titleFor(e.status), e.message);
      else {
        const err = e instanceof Error ? e : new Error(String(e));
        errors.push(err);
        he = new HttpError(500, 'Internal Server Error', `Sandbox error: ${err.message}`);
      }
      try {
        const reply = problemReply(he);
        // the control plane config API is Kong Gateway's Admin API: its errors carry `message` (GatewayUnauthorizedError)
        if (path.startsWith('/v2/control-planes/') && typeof reply.body === 'object' && reply.body !== null)
          (reply.body as Record<string, unknown>)['message'] = he.detail;
        await finish(reply, op);
      } catch {
        res.destroy();
      }
    }
  };

  /** `/_sandbox/*`: faults, request log, seeding, portals, developers, outbox, IdP clients left behind, spec violations. */
  const control = async (method: string, path: string, body: unknown): Promise<Reply> => {
    const parts = path.split('/').filter(Boolean).slice(1);
    const [what, id, sub] = parts;
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (what === 'faults') {
      if (method === 'GET' && !id) return { status: 200, body: { data: faults.list() } };
      if (method === 'POST' && !id) {
        try {
          return { status: 201, body: faults.add(b as unknown as FaultSpec) };
        } catch (e) {
          throw new HttpError(400, 'Invalid Request', e instanceof Error ? e.message : String(e), [
            { field: 'body', rule: 'invalid', reason: e instanceof Error ? e.message : String(e), source: 'body' },
          ]);
        }
      }
      if (method === 'DELETE' && !id) {
        faults.clear();
        return { status: 204 };
      }
      if (method === 'GET' && id) {
        const f = faults.get(id);
        if (!f) throw new HttpError(404, 'Not Found', 'Fault not found');
        return { status: 200, body: f };
      }
      if (method === 'DELETE' && id) {
        if (!faults.remove(id)) throw new HttpError(404, 'Not Found', 'Fault not found');
        return { status: 204 };
      }
    }
    if (what === 'requests') {
      if (method === 'GET') return { status: 200, body: { data: requests } };
      if (method === 'DELETE') {
        requests.length = 0;
        return { status: 204 };
      }
    }
    if (what === 'seed' && id === 'applications' && method === 'POST') {
      const str = (k: string): string => (typeof b[k] === 'string' ? (b[k] as string) : '');
      try {
        return {
          status: 201,
          body: store.seedApplications({
            portalId: str('portal_id'),
            strategyId: str('auth_strategy_id'),
            count: typeof b['count'] === 'number' ? b['count'] : 0,
            ...(typeof b['developers'] === 'number' ? { developers: b['developers'] } : {}),
            ...(str('api_id') ? { apiId: str('api_id') } : {}),
            ...(Array.isArray(b['statuses']) ? { statuses: b['statuses'] as RegistrationStatus[] } : {}),
            ...(str('prefix') ? { prefix: str('prefix') } : {}),
          }),
        };
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new HttpError(400, 'Invalid Request', reason, [
          { field: 'body', rule: 'invalid', reason, source: 'body' },
        ]);
      }
    }
    if (what === 'seed' && method === 'POST') {
      const n = (k: string): number => (typeof b[k] === 'number' ? (b[k] as number) : 0);
      return {
        status: 201,
        body: store.seed({
          providers: n('providers'),
          strategies: n('strategies'),
          authServers: n('authServers'),
          apis: n('apis'),
          ...(typeof b['prefix'] === 'string' ? { prefix: b['prefix'] } : {}),
        }),
      };
    }
    if (what === 'portals') {
      if (method === 'GET' && !id) {
        return {
          status: 200,
          body: {
            data: [...store.portals.values()].map((p) => ({ id: p.id, name: p.name, portal_api_url: p.api_url })),
          },
        };
      }
      if (method === 'POST' && id && sub === 'developers') {
        if (!store.portals.has(id)) throw new HttpError(404, 'Not Found', 'Portal not found');
        if (typeof b['email'] !== 'string' || typeof b['password'] !== 'string') {
          throw new HttpError(400, 'Invalid Request', 'email and password are required', [
            { field: 'email', rule: 'required', reason: 'email and password are required', source: 'body' },
          ]);
        }
        const d = emulator.addDeveloper(id, {
          email: b['email'],
          password: b['password'],
          ...(typeof b['full_name'] === 'string' ? { full_name: b['full_name'] } : {}),
        });
        return { status: 201, body: { id: d.id, email: d.email, full_name: d.full_name, status: d.status } };
      }
    }
    if (what === 'outbox' && method === 'GET') return { status: 200, body: { data: store.outbox } };
    if (what === 'left-at-idp') {
      if (method === 'GET') return { status: 200, body: { data: store.leftAtIdp } };
      if (method === 'DELETE') {
        store.leftAtIdp.length = 0;
        return { status: 204 };
      }
    }
    if (what === 'spec-violations') {
      if (method === 'GET') return { status: 200, body: { data: specViolations } };
      if (method === 'DELETE') {
        specViolations.length = 0;
        return { status: 204 };
      }
    }
    return Promise.reject(new HttpError(404, 'Not Found', `No sandbox control endpoint ${method} ${path}`));
  };

  const server = createServer((req, res) => {
    void handle(req, res, { kind: 'konnect' });
  });
  const url = await listen(server, opts.port ?? 0, host);

  const emulator: KonnectEmulator = {
    url,
    token: opts.token,
    store,
    faults,
    requests,
    specViolations,
    leftAtIdp: store.leftAtIdp,
    errors,
    catalog: store,
    identity: store,
    kongIdentityDriver,
    seed: (o) => store.seed(o),
    seedApplications: (o) => store.seedApplications(o),
    portalApiUrl(portalId) {
      const l = portalListeners.get(portalId);
      if (!l) throw new Error(`no Portal API listener for portal ${portalId}`);
      return l.url;
    },
    addDeveloper(portalId, d) {
      if (!store.portals.has(portalId)) throw new Error(`unknown portal ${portalId}`);
      const existing = store.developerByEmail(portalId, d.email);
      if (existing) {
        existing.password = d.password;
        if (d.status) existing.status = d.status;
        return existing;
      }
      return store.addDeveloper(portalId, d);
    },
    hits(method, path) {
      const re = typeof path === 'string' ? new RegExp(path) : path;
      const m = method.toUpperCase();
      return requests.filter((r) => (m === '*' || r.method === m) && re.test(r.path)).length;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([close(server), ...[...portalListeners.values()].map((l) => close(l.server))]);
      portalListeners.clear();
    },
  };
  return emulator;
}

/** Same as `startKonnectEmulator` (the brief's `KonnectEmulator.start(...)`). */
export const KonnectEmulator = { start: startKonnectEmulator };
