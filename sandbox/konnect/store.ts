/**
 * All Konnect state of the emulator, in memory. Records keep what Konnect keeps (including write-only secrets);
 * `views.ts` turns them into spec-shaped responses. The store also implements the two read seams other parts of the
 * sandbox use: `KongIdentityStore` (the Kong Identity IdP flavour) and `GatewayCatalog` (the gateway).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  ClientManagement,
  GatewayCatalog,
  GatewayRoute,
  GatewayStrategy,
  KiAuthServer,
  KiClaim,
  KiClient,
  KiScope,
  KongIdentityBackend,
  KongIdentityStore,
  LeftAtIdp,
  ProviderType,
  StoredDcrProvider,
} from '../contracts';

export type Labels = Record<string, string>;

export interface ProviderRec extends StoredDcrProvider {
  display_name?: string;
  labels: Labels;
  created_at: string;
  updated_at: string;
}

export type StrategyType = 'key_auth' | 'openid_connect';
export interface StrategyRec {
  id: string;
  name: string;
  display_name: string;
  strategy_type: StrategyType;
  /** `{ 'key-auth': {...} }` or `{ 'openid-connect': {...} }`, as on the wire. */
  configs: Record<string, Record<string, unknown>>;
  dcr_provider_id: string | null;
  labels: Labels;
  principals?: { enabled: boolean };
  created_at: string;
  updated_at: string;
}

export interface AuthServerRec {
  id: string;
  name: string;
  description: string;
  audience: string;
  signing_algorithm: string;
  labels: Labels;
  trusted_origins?: string[];
  created_at: string;
  updated_at: string;
}
export interface ScopeRec {
  id: string;
  auth_server_id: string;
  name: string;
  description: string;
  default: boolean;
  include_in_metadata: boolean;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}
export interface ClaimRec {
  id: string;
  auth_server_id: string;
  name: string;
  value: string;
  include_in_token: boolean;
  include_in_all_scopes: boolean;
  include_in_scopes: string[];
  enabled: boolean;
  created_at: string;
  updated_at: string;
}
export interface ClientSecretRec {
  id: string;
  secret: string;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}
/** A token the Kong Identity IdP issued to a client (its value is not kept). */
export interface TokenRec {
  id: string;
  granted_scope_names: string[];
  created_at: string;
  expires_at: string;
}
export interface ClientRec {
  id: string;
  auth_server_id: string;
  name: string;
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
  login_uri: string | null;
  access_token_duration: number;
  id_token_duration: number;
  allow_all_scopes: boolean;
  allow_scopes: string[];
  labels: Labels;
  token_endpoint_auth_method: string;
  secrets: ClientSecretRec[];
  created_at: string;
  updated_at: string;
}

export interface ApiRec {
  id: string;
  name: string;
  description: string | null;
  version: string | null;
  slug: string;
  labels: Labels;
  attributes: Record<string, string[]>;
  created_at: string;
  updated_at: string;
}
export interface ImplementationRec {
  id: string;
  api_id: string;
  service?: { control_plane_id: string; id: string };
  control_plane?: { control_plane_id: string };
  created_at: string;
  updated_at: string;
}
export interface PublicationRec {
  api_id: string;
  portal_id: string;
  auth_strategy_ids: string[] | null;
  visibility: 'public' | 'private';
  auto_approve_registrations?: boolean;
  created_at: string;
  updated_at: string;
}

export interface PortalRec {
  id: string;
  name: string;
  display_name: string;
  description: string | null;
  authentication_enabled: boolean;
  rbac_enabled: boolean;
  sipr_enabled: boolean;
  default_api_visibility: 'public' | 'private';
  default_page_visibility: 'public' | 'private';
  default_application_auth_strategy_id: string | null;
  auto_approve_developers: boolean;
  auto_approve_applications: boolean;
  default_domain: string;
  canonical_domain: string;
  labels: Labels;
  notifications_developer_pii_visibility_enabled: boolean;
  created_at: string;
  updated_at: string;
  /** Base URL of this portal's Portal API listener (sandbox only). */
  api_url: string;
}

export type DeveloperStatus = 'approved' | 'pending' | 'revoked' | 'rejected';
export interface DeveloperRec {
  id: string;
  portal_id: string;
  email: string;
  full_name: string;
  status: DeveloperStatus;
  /** Never returned; undefined until set through reset-password or the sandbox. */
  password?: string;
  created_at: string;
  updated_at: string;
}

export interface CredentialRec {
  id: string;
  type: 'api_key' | 'client_secret';
  display_name: string | null;
  /** api_key only: the key (shown once at creation). DCR client secrets live in the IdP, not here. */
  key?: string;
  client_id?: string;
  status: 'active' | 'expired' | 'revoked';
  expires_at: string | null;
  created_at: string;
}

export type RegistrationStatus = 'approved' | 'pending' | 'revoked' | 'rejected';
export interface RegistrationRec {
  id: string;
  application_id: string;
  portal_id: string;
  api_id: string;
  status: RegistrationStatus;
  created_at: string;
  updated_at: string;
}

export interface ApplicationRec {
  id: string;
  portal_id: string;
  name: string;
  description: string | null;
  auth_strategy_id: string;
  owner: { type: 'developer' | 'team'; id: string };
  /** DCR or self-managed client id. */
  client_id: string | null;
  /** The provider the client was registered with (kept even if the strategy is relinked later). */
  dcr_provider_id: string | null;
  redirect_uri: string | null;
  scopes: string[] | null;
  labels: Labels;
  credentials: CredentialRec[];
  created_at: string;
  updated_at: string;
  /** The RFC 7592 registration client URI and access token of the IdP client (Konnect keeps them; never returned). */
  dcr_management?: ClientManagement;
  /**
   * Created with `dcr_client_id`: linked to a client Konnect did not create, so deleting the application leaves that
   * client at the IdP (docs/konnect-api.md §5.2).
   */
  dcr_linked?: boolean;
}

/**
 * A Gateway entity as the control plane's config API stores it: the request body as sent (the spec's `Service` /
 * `Plugin`), with the id and the Unix-second timestamps the control plane adds.
 */
export interface GatewayEntityRec {
  control_plane_id: string;
  id: string;
  body: Record<string, unknown>;
  created_at: number;
  updated_at: number;
}

export interface OutboxMail {
  portal_id: string;
  to: string;
  kind: 'verify-email' | 'reset-password';
  token: string;
  at: string;
}

/** Monotonic ISO timestamps: two writes in the same millisecond still sort in creation order. */
let lastMs = 0;
export function now(): string {
  const ms = Math.max(Date.now(), lastMs + 1);
  lastMs = ms;
  return new Date(ms).toISOString();
}

export const uuid = (): string => randomUUID();
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomAlnum(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[(bytes[i] ?? 0) % ALNUM.length];
  return s;
}

export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

export class KonnectStore implements KongIdentityStore, GatewayCatalog {
  readonly providers = new Map<string, ProviderRec>();
  readonly strategies = new Map<string, StrategyRec>();
  readonly authServers = new Map<string, AuthServerRec>();
  readonly scopesById = new Map<string, ScopeRec>();
  readonly claimsById = new Map<string, ClaimRec>();
  /** key: `${authServerId}/${clientId}` */
  readonly clients = new Map<string, ClientRec>();
  /** Tokens issued per client, key: `${authServerId}/${clientId}` (as `clients`); gone with the client. */
  readonly tokens = new Map<string, TokenRec[]>();
  readonly apis = new Map<string, ApiRec>();
  readonly implementations = new Map<string, ImplementationRec>();
  /** key: `${apiId}/${portalId}` */
  readonly publications = new Map<string, PublicationRec>();
  readonly portals = new Map<string, PortalRec>();
  readonly developers = new Map<string, DeveloperRec>();
  readonly applications = new Map<string, ApplicationRec>();
  readonly registrations = new Map<string, RegistrationRec>();
  /** Gateway entities of the control planes (Control Planes Config v2), key: `${controlPlaneId}/${id}` */
  readonly gatewayServices = new Map<string, GatewayEntityRec>();
  readonly gatewayPlugins = new Map<string, GatewayEntityRec>();
  readonly gatewayConsumers = new Map<string, GatewayEntityRec>();
  /**
   * An application's Gateway Consumer per Gateway context (Portal Management's registration consumer mapping), key:
   * `${applicationId}/${controlPlaneId}`, value: the consumer id. Registrations of the application whose APIs are
   * implemented in the same control plane share it.
   */
  readonly applicationConsumers = new Map<string, string>();
  /** portal access token -> developer id */
  readonly sessions = new Map<string, string>();
  readonly outbox: OutboxMail[] = [];
  /** IdP clients Konnect could not delete (or roll back): see `LeftAtIdp`. */
  readonly leftAtIdp: LeftAtIdp[] = [];
  /** one-time tokens (verify-email, reset-password) -> developer id */
  readonly devTokens = new Map<string, { developerId: string; kind: 'verify-email' | 'reset-password' }>();

  constructor(
    readonly organizationId: string,
    private readonly backend: KongIdentityBackend,
  ) {}

  // ---------------------------------------------------------------- derived state

  /** "At least one published entity is using this auth strategy." */
  strategyActive(id: string): boolean {
    for (const p of this.publications.values()) if (p.auth_strategy_ids?.includes(id)) return true;
    return false;
  }

  /**
   * "At least one active auth strategy is using this DCR provider." Walks the publications (a handful) rather than
   * every strategy: a list page of providers asks this for each of its items, and with 20,000 strategies the walk over
   * strategies made every page cost 2 million look-ups.
   */
  providerActive(id: string): boolean {
    for (const p of this.publications.values())
      for (const sid of p.auth_strategy_ids ?? []) if (this.strategies.get(sid)?.dcr_provider_id === id) return true;
    return false;
  }

  /** Publications and portal defaults that keep a strategy from being deleted. */
  strategyUsers(id: string): { publications: PublicationRec[]; portals: PortalRec[] } {
    return {
      publications: [...this.publications.values()].filter((p) => p.auth_strategy_ids?.includes(id)),
      portals: [...this.portals.values()].filter((p) => p.default_application_auth_strategy_id === id),
    };
  }

  /** The strategies a portal offers to developers: used by a publication in it, or the portal default. */
  portalStrategyIds(portalId: string): Set<string> {
    const ids = new Set<string>();
    for (const p of this.publications.values())
      if (p.portal_id === portalId) for (const s of p.auth_strategy_ids ?? []) ids.add(s);
    const portal = this.portals.get(portalId);
    if (portal?.default_application_auth_strategy_id) ids.add(portal.default_application_auth_strategy_id);
    return ids;
  }

  /** The control plane an API is implemented in (its Gateway context), if it has an implementation. */
  controlPlaneOfApi(apiId: string): string | undefined {
    for (const i of this.implementations.values())
      if (i.api_id === apiId) return i.service?.control_plane_id ?? i.control_plane?.control_plane_id;
    return undefined;
  }

  registrationCount(appId: string): number {
    let n = 0;
    for (const r of this.registrations.values()) if (r.application_id === appId) n++;
    return n;
  }

  clientsOf(authServerId: string): ClientRec[] {
    return [...this.clients.values()].filter((c) => c.auth_server_id === authServerId);
  }

  /** Auth server whose issuer is this one (trailing slashes ignored). */
  authServerForIssuer(issuer: string): AuthServerRec | undefined {
    const norm = issuer.replace(/\/+$/, '');
    const byBackend = this.backend.authServerIdFor(norm) ?? this.backend.authServerIdFor(issuer);
    if (byBackend && this.authServers.has(byBackend)) return this.authServers.get(byBackend);
    for (const a of this.authServers.values()) if (this.backend.issuerFor(a.id).replace(/\/+$/, '') === norm) return a;
    return undefined;
  }

  issuerOf(authServerId: string): string {
    return this.backend.issuerFor(authServerId);
  }

  // ---------------------------------------------------------------- KongIdentityStore

  authServer(id: string): KiAuthServer | undefined {
    const a = this.authServers.get(id);
    return (
      a && {
        id: a.id,
        name: a.name,
        audience: a.audience,
        signing_algorithm: a.signing_algorithm,
        issuer: this.backend.issuerFor(a.id),
      }
    );
  }

  scopes(authServerId: string): KiScope[] {
    return [...this.scopesById.values()]
      .filter((s) => s.auth_server_id === authServerId)
      .map((s) => ({
        id: s.id,
        name: s.name,
        default: s.default,
        enabled: s.enabled,
        include_in_metadata: s.include_in_metadata,
      }));
  }

  claims(authServerId: string): KiClaim[] {
    return [...this.claimsById.values()]
      .filter((c) => c.auth_server_id === authServerId)
      .map((c) => ({
        id: c.id,
        name: c.name,
        value: c.value,
        include_in_token: c.include_in_token,
        include_in_all_scopes: c.include_in_all_scopes,
        include_in_scopes: [...c.include_in_scopes],
        enabled: c.enabled,
      }));
  }

  client(authServerId: string, clientId: string): KiClient | undefined {
    const c = this.clients.get(`${authServerId}/${clientId}`);
    return (
      c && {
        id: c.id,
        name: c.name,
        grant_types: [...c.grant_types],
        response_types: [...c.response_types],
        allow_all_scopes: c.allow_all_scopes,
        allow_scopes: [...c.allow_scopes],
        access_token_duration: c.access_token_duration,
        token_endpoint_auth_method: c.token_endpoint_auth_method,
        secrets: c.secrets.filter((s) => s.enabled).map((s) => s.secret),
        labels: { ...c.labels },
      }
    );
  }

  tokenActive(authServerId: string, clientId: string, tokenId: string): boolean {
    return !!this.tokens.get(`${authServerId}/${clientId}`)?.some((t) => t.id === tokenId);
  }

  recordToken(
    authServerId: string,
    clientId: string,
    t: { id: string; scopes: string[]; issuedAt: number; expiresAt: number },
  ): void {
    const key = `${authServerId}/${clientId}`;
    if (!this.clients.has(key)) return;
    let list = this.tokens.get(key);
    if (!list) this.tokens.set(key, (list = []));
    const iso = (s: number): string => new Date(s * 1000).toISOString();
    list.push({
      id: t.id,
      granted_scope_names: [...t.scopes],
      created_at: iso(t.issuedAt),
      expires_at: iso(t.expiresAt),
    });
  }

  // ---------------------------------------------------------------- GatewayCatalog

  routeFor(path: string): GatewayRoute | undefined {
    let best: ApiRec | undefined;
    for (const api of this.apis.values()) {
      const prefix = `/${api.slug}`;
      if (path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`)) {
        if (!best || api.slug.length > best.slug.length) best = api;
      }
    }
    if (!best) return undefined;
    const api = best;
    // The most recently updated publication decides the strategy (an API published twice normally uses one strategy).
    const pubs = [...this.publications.values()]
      .filter((p) => p.api_id === api.id)
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    const pub = pubs[0];
    if (!pub) return undefined;
    const strategyId = pub.auth_strategy_ids?.[0];
    const strategy = strategyId ? this.strategies.get(strategyId) : undefined;
    return {
      api_id: api.id,
      api_name: api.name,
      slug: api.slug,
      strategy: strategy ? this.gatewayStrategy(strategy) : null,
      isRegisteredClient: (x) => this.approvedApiIdsFor(x).includes(api.id),
      registeredElsewhere: (x) => {
        const other = this.approvedApiIdsFor(x).find((id) => id !== api.id);
        return other ? (this.apis.get(other)?.name ?? other) : undefined;
      },
    };
  }

  gatewayStrategy(s: StrategyRec): GatewayStrategy {
    if (s.strategy_type === 'key_auth') {
      const cfg = s.configs['key-auth'] ?? {};
      const names = cfg['key_names'];
      return { id: s.id, strategy_type: 'key_auth', key_names: Array.isArray(names) ? names.map(String) : ['apikey'] };
    }
    const { issuer, credential_claim, scopes, auth_methods, ...extra } = s.configs['openid-connect'] ?? {};
    const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
    return {
      id: s.id,
      strategy_type: 'openid_connect',
      issuer: String(issuer ?? ''),
      credential_claim: strs(credential_claim),
      scopes: strs(scopes),
      auth_methods: strs(auth_methods),
      extra,
    };
  }

  /** API ids for which an application with this client id / api key has an approved registration. */
  approvedApiIdsFor(clientIdOrKey: string): string[] {
    const apps = [...this.applications.values()].filter(
      (a) =>
        a.client_id === clientIdOrKey ||
        a.credentials.some(
          (c) =>
            c.type === 'api_key' &&
            c.key === clientIdOrKey &&
            c.status === 'active' &&
            (c.expires_at === null || c.expires_at > new Date().toISOString()),
        ),
    );
    const ids: string[] = [];
    for (const r of this.registrations.values()) {
      if (r.status === 'approved' && apps.some((a) => a.id === r.application_id)) ids.push(r.api_id);
    }
    return ids;
  }

  /** A portal developer (the Portal API's `register` makes one without a password). */
  addDeveloper(
    portalId: string,
    d: { email: string; full_name?: string; password?: string; status?: DeveloperStatus },
  ): DeveloperRec {
    const ts = now();
    const rec: DeveloperRec = {
      id: uuid(),
      portal_id: portalId,
      email: d.email,
      full_name: d.full_name ?? d.email.split('@')[0] ?? d.email,
      status: d.status ?? 'approved',
      created_at: ts,
      updated_at: ts,
    };
    if (d.password !== undefined) rec.password = d.password;
    this.developers.set(rec.id, rec);
    return rec;
  }

  developerByEmail(portalId: string, email: string): DeveloperRec | undefined {
    const e = email.toLowerCase();
    for (const d of this.developers.values()) if (d.portal_id === portalId && d.email.toLowerCase() === e) return d;
    return undefined;
  }

  // ---------------------------------------------------------------- seeding

  /**
   * Many applications in one portal, directly in the store (no IdP call, no validation), each owned by one of
   * `developers` seeded developers and, with `apiId`, registered for that API; registration statuses cycle through
   * `statuses` (default all approved). DCR strategies get a made-up `client_id` per application.
   */
  seedApplications(opts: {
    portalId: string;
    strategyId: string;
    count: number;
    developers?: number;
    apiId?: string;
    statuses?: readonly RegistrationStatus[];
    prefix?: string;
  }): { applications: string[]; developers: string[]; registrations: string[] } {
    const portal = this.portals.get(opts.portalId);
    const strategy = this.strategies.get(opts.strategyId);
    if (!portal) throw new Error(`unknown portal ${opts.portalId}`);
    if (!strategy) throw new Error(`unknown strategy ${opts.strategyId}`);
    const prefix = opts.prefix ?? 'seed';
    const pad = (i: number, n: number): string => String(i).padStart(String(n).length, '0');
    const nd = Math.max(1, opts.developers ?? 1);
    const developers: string[] = [];
    for (let i = 0; i < nd; i++)
      developers.push(this.addDeveloper(portal.id, { email: `${prefix}-dev-${pad(i, nd)}@example.com` }).id);
    const statuses = opts.statuses?.length ? opts.statuses : (['approved'] as const);
    const oidc = strategy.strategy_type === 'openid_connect';
    const scopes = oidc ? ((strategy.configs['openid-connect']?.['scopes'] as string[] | undefined) ?? []) : null;
    const out = { applications: [] as string[], developers, registrations: [] as string[] };
    for (let i = 0; i < opts.count; i++) {
      const ts = now();
      const id = uuid();
      this.applications.set(id, {
        id,
        portal_id: portal.id,
        name: `${prefix}-app-${pad(i, opts.count)}`,
        description: null,
        auth_strategy_id: strategy.id,
        owner: { type: 'developer', id: developers[i % nd] ?? developers[0]! },
        client_id: oidc ? `${prefix}-client-${randomAlnum(12)}` : null,
        dcr_provider_id: oidc ? strategy.dcr_provider_id : null,
        redirect_uri: null,
        scopes: scopes ? [...scopes] : null,
        labels: {},
        credentials: [],
        created_at: ts,
        updated_at: ts,
      });
      out.applications.push(id);
      if (opts.apiId) {
        const rid = uuid();
        this.registrations.set(rid, {
          id: rid,
          application_id: id,
          portal_id: portal.id,
          api_id: opts.apiId,
          status: statuses[i % statuses.length] ?? 'approved',
          created_at: ts,
          updated_at: ts,
        });
        out.registrations.push(rid);
      }
    }
    return out;
  }

  /** Builds large data sets directly in the store (no HTTP, no validation): fast enough for thousands of objects. */
  seed(opts: { providers?: number; strategies?: number; authServers?: number; apis?: number; prefix?: string }): {
    providers: string[];
    strategies: string[];
    authServers: string[];
    apis: string[];
  } {
    const prefix = opts.prefix ?? 'seed';
    const pad = (i: number, n: number): string => String(i).padStart(String(n).length, '0');
    const out = {
      providers: [] as string[],
      strategies: [] as string[],
      authServers: [] as string[],
      apis: [] as string[],
    };
    const types: ProviderType[] = ['auth0', 'azureAd', 'curity', 'okta', 'http'];
    const np = opts.providers ?? 0;
    for (let i = 0; i < np; i++) {
      const t = types[i % types.length] ?? 'okta';
      const ts = now();
      const id = uuid();
      const issuer = `https://idp-${pad(i, np)}.example.com/${t}`;
      const dcr_config: Record<string, unknown> =
        t === 'auth0'
          ? { initial_client_id: `client-${i}`, initial_client_audience: null, use_developer_managed_scopes: false }
          : t === 'azureAd' || t === 'curity'
            ? { initial_client_id: `client-${i}` }
            : t === 'http'
              ? {
                  dcr_base_url: `https://dcr-${i}.example.com`,
                  disable_event_hooks: false,
                  disable_refresh_secret: false,
                  allow_multiple_credentials: false,
                }
              : {};
      const secrets =
        t === 'okta'
          ? { dcr_token: randomAlnum(24) }
          : t === 'http'
            ? { api_key: randomAlnum(24) }
            : { initial_client_secret: randomAlnum(24) };
      this.providers.set(id, {
        id,
        name: `${prefix}-provider-${pad(i, np)}`,
        provider_type: t,
        issuer,
        dcr_config,
        secrets,
        labels: {},
        created_at: ts,
        updated_at: ts,
      });
      out.providers.push(id);
    }
    const ns = opts.strategies ?? 0;
    for (let i = 0; i < ns; i++) {
      const ts = now();
      const id = uuid();
      const oidc = i % 2 === 1;
      const providerId = oidc && out.providers.length ? (out.providers[i % out.providers.length] ?? null) : null;
      const provider = providerId ? this.providers.get(providerId) : undefined;
      this.strategies.set(id, {
        id,
        name: `${prefix}-strategy-${pad(i, ns)}`,
        display_name: `Seed strategy ${i}`,
        strategy_type: oidc ? 'openid_connect' : 'key_auth',
        configs: oidc
          ? {
              'openid-connect': {
                issuer: provider?.issuer ?? 'https://idp.example.com',
                credential_claim: ['sub'],
                scopes: ['openid'],
                auth_methods: ['client_credentials', 'bearer'],
              },
            }
          : { 'key-auth': { key_names: ['apikey'] } },
        dcr_provider_id: providerId,
        labels: {},
        created_at: ts,
        updated_at: ts,
      });
      out.strategies.push(id);
    }
    const na = opts.authServers ?? 0;
    for (let i = 0; i < na; i++) {
      const ts = now();
      const id = uuid();
      this.authServers.set(id, {
        id,
        name: `${prefix}-auth-server-${pad(i, na)}`,
        description: '',
        audience: `${prefix}-aud-${i}`,
        signing_algorithm: 'RS256',
        labels: {},
        created_at: ts,
        updated_at: ts,
      });
      out.authServers.push(id);
    }
    const nx = opts.apis ?? 0;
    for (let i = 0; i < nx; i++) {
      const ts = now();
      const id = uuid();
      const name = `${prefix}-api-${pad(i, nx)}`;
      this.apis.set(id, {
        id,
        name,
        description: null,
        version: null,
        slug: slugify(name),
        labels: {},
        attributes: {},
        created_at: ts,
        updated_at: ts,
      });
      out.apis.push(id);
    }
    return out;
  }
}
