// One oidc-provider instance as every flavour uses it: per-provider adapter and RSA key, client_credentials on,
// JWT access tokens through resource indicators, mounted under a path prefix of the shared node:http listener.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  Configuration,
  IssuedToken,
  KoaContext,
  Middleware,
  OidcClient,
  Provider,
  ResourceServerInfo,
  StructuredToken,
} from 'oidc-provider';
import { loadJose, loadOidc } from './esm';
import { createAdapterFactory, type ClientSource, type PresentedMethod } from './client-store';
import { constantTimeEqual, contentTypeOf, encodeForm, parseParams, readBody, replayBody, splitUrl } from './http-util';

/** The resource indicator every token request resolves to; flavours read the real audience from TokenExtras. */
const DEFAULT_RESOURCE = 'urn:konnect-sandbox:token-request';

/** Parameters a flavour took out of the token request body before oidc-provider saw it (audience, resource...). */
export type TokenExtras = Map<string, string>;

/** What a flavour grants for one token request. */
export interface TokenDecision {
  audience: string | string[];
  /** The scopes the token carries (the request's scope parameter is replaced by these). */
  scopes: string[];
  ttlSeconds: number;
  /** Default RS256. */
  alg?: string;
  /** Default jwt. Opaque tokens are stored and can be looked up (Curity's one-time `dcr` token). */
  format?: 'jwt' | 'opaque';
}

export interface SigningKey {
  /** Private JWK (with kid), for oidc-provider's keystore. */
  privateJwk: Record<string, unknown>;
  /** Public JWK, for local verification by the admin facades. */
  publicJwk: Record<string, unknown> & { kid: string };
}

export async function generateSigningKey(): Promise<SigningKey> {
  const jose = await loadJose();
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const pub = await jose.exportJWK(publicKey);
  const kid = await jose.calculateJwkThumbprint(pub);
  const priv = await jose.exportJWK(privateKey);
  return { privateJwk: { ...priv, kid, use: 'sig' }, publicJwk: { ...pub, kid, use: 'sig' } };
}

export interface ProviderSpec {
  issuer: string;
  /** The listener path oidc-provider routes are relative to (e.g. '/okta'); the issuer may be deeper. */
  mount: string;
  /** oidc-provider route overrides (token, jwks, registration, introspection...), relative to `mount`. */
  routes: Record<string, string>;
  clients: ClientSource;
  key: SigningKey;
  /** Extra static scopes oidc-provider should know (beyond openid and offline_access), e.g. Curity's `dcr`. */
  staticScopes?: string[];
  /** RFC 7591 registration (+ RFC 7592 management) with an initial access token. */
  registration?: { management: boolean };
  /** Decides audience, granted scopes, TTL and signing alg of a client_credentials token, or throws an OAuth error. */
  tokenPolicy(ctx: KoaContext, client: OidcClient, extras: TokenExtras): Promise<TokenDecision> | TokenDecision;
  /** Reshapes the JWT access token (header and payload) into the flavour's form. */
  customizeJwt?(ctx: KoaContext, token: IssuedToken, structured: StructuredToken): void | Promise<void>;
  /** Token endpoint body preprocessing: take flavour parameters out (they go to TokenExtras). */
  extractTokenParams?(params: Map<string, string[]>, extras: TokenExtras): void;
  /** Also accept JSON token request bodies (Auth0 does). */
  jsonTokenRequests?: boolean;
  /** Extra token endpoint paths (relative to `mount`) that behave as the token endpoint (Azure's v2.0 endpoint). */
  tokenAliases?: string[];
  /** Middlewares run before oidc-provider's own (provider.use). */
  middlewares?: Middleware[];
  discovery?: Record<string, unknown>;
  /** Token introspection / revocation endpoints (on by default; Auth0 and Azure AD have none). */
  introspection?: boolean;
  revocation?: boolean;
}

export interface MountedProvider {
  readonly provider: Provider;
  readonly issuer: string;
  readonly key: SigningKey;
  /** Serve a request whose path after `mount` is `inner` (path + query). */
  handle(req: IncomingMessage, res: ServerResponse, inner: string): Promise<void>;
  urlOf(route: string): string;
}

const requestExtras = new WeakMap<IncomingMessage, TokenExtras>();

export async function createProvider(spec: ProviderSpec): Promise<MountedProvider> {
  const oidc = await loadOidc();
  const { Provider: ProviderClass, errors } = oidc;

  const presentedMethod = (): PresentedMethod => {
    const ctx = ProviderClass.ctx;
    if (!ctx) return undefined;
    if (/^Basic\s/i.test(ctx.headers.authorization ?? '')) return 'client_secret_basic';
    return typeof ctx.oidc.params?.['client_secret'] === 'string' ? 'client_secret_post' : undefined;
  };

  const configuration: Configuration = {
    adapter: createAdapterFactory(spec.clients, presentedMethod),
    jwks: { keys: [spec.key.privateJwk] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // Machine clients: a registration without grant_types / response_types is a client_credentials client.
    clientDefaults: {
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    scopes: ['openid', 'offline_access', ...(spec.staticScopes ?? [])],
    routes: spec.routes,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: spec.introspection ?? true },
      revocation: { enabled: spec.revocation ?? true },
      registration: spec.registration
        ? { enabled: true, initialAccessToken: true, issueRegistrationAccessToken: true }
        : { enabled: false },
      registrationManagement: { enabled: spec.registration?.management ?? false, rotateRegistrationAccessToken: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx: KoaContext) => (ctx.oidc.route === 'token' ? DEFAULT_RESOURCE : undefined),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx: KoaContext, resource: string, client: OidcClient) => {
          if (resource !== DEFAULT_RESOURCE || ctx.oidc.route !== 'token') {
            throw new errors.InvalidTarget('the resource parameter is not supported by this authorization server');
          }
          const decision = await spec.tokenPolicy(ctx, client, requestExtras.get(ctx.req) ?? new Map());
          // The client_credentials grant keeps the requested scopes that the resource server lists: make both the decision.
          if (ctx.oidc.params) ctx.oidc.params.scope = decision.scopes.join(' ') || undefined;
          const info: ResourceServerInfo = {
            audience: decision.audience,
            scope: decision.scopes.join(' '),
            accessTokenTTL: decision.ttlSeconds,
            accessTokenFormat: decision.format ?? 'jwt',
          };
          if ((decision.format ?? 'jwt') === 'jwt') info.jwt = { sign: { alg: decision.alg ?? 'RS256' } };
          return info;
        },
      },
    },
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 86400,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
    },
    enabledJWA: {
      // Kong Identity auth servers may sign with any of these.
      authorizationSigningAlgValues: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
      idTokenSigningAlgValues: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
    },
    formats: spec.customizeJwt
      ? { customizers: { jwt: (ctx, token, structured) => spec.customizeJwt?.(ctx, token, structured) } }
      : {},
    discovery: spec.discovery ?? {},
    findAccount: async () => undefined,
  };

  const provider = new ProviderClass(spec.issuer, configuration);
  for (const mw of spec.middlewares ?? []) provider.use(mw);

  // Several enabled secrets may authenticate one client (Azure passwords, Kong Identity secrets).
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: OidcClient,
    actual: string,
  ): boolean {
    const rec = spec.clients.get(this.clientId);
    const secrets = rec ? rec.secrets : this.clientSecret ? [this.clientSecret] : [];
    let ok = false;
    for (const s of secrets) if (constantTimeEqual(s, actual)) ok = true;
    return ok;
  };

  const callback = provider.callback();
  const tokenPaths = new Set([spec.routes['token'] ?? '/token', ...(spec.tokenAliases ?? [])]);
  const tokenRoute = spec.routes['token'] ?? '/token';

  return {
    provider,
    issuer: spec.issuer,
    key: spec.key,
    urlOf: (route) => new URL(spec.mount + route, spec.issuer).href,
    async handle(req, res, inner) {
      let url = inner;
      const { path } = splitUrl(inner);
      if (req.method === 'POST' && tokenPaths.has(path)) {
        url = inner.replace(path, tokenRoute);
        const cty = contentTypeOf(req);
        if (cty === 'application/x-www-form-urlencoded' || (cty === 'application/json' && spec.jsonTokenRequests)) {
          const params = parseParams(await readBody(req), cty);
          const extras: TokenExtras = new Map();
          spec.extractTokenParams?.(params, extras);
          params.delete('resource');
          requestExtras.set(req, extras);
          replayBody(req, encodeForm(params), 'application/x-www-form-urlencoded');
        }
      }
      const mutable = req as IncomingMessage & { originalUrl?: string };
      mutable.originalUrl = spec.mount + url;
      req.url = url;
      await callback(req, res);
    },
  };
}

/** Splits a space-separated scope parameter. */
export function scopeList(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter(Boolean);
}
