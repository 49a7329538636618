// The part of panva's oidc-provider 9 that the sandbox IdP uses. The package ships no type definitions (the
// DefinitelyTyped ones are not installed), so this declares just that surface, checked against
// node_modules/oidc-provider/lib (provider.js, helpers/defaults.js, models/*, helpers/errors.js).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcParams {
    grant_type?: string | undefined;
    scope?: string | undefined;
    client_id?: string | undefined;
    [key: string]: unknown;
  }

  export interface OidcClient {
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly scope?: string;
    readonly clientAuthMethod: string;
    readonly grantTypes: string[];
    metadata(): Record<string, unknown>;
    compareClientSecret(actual: string): boolean | Promise<boolean>;
  }

  export interface OidcContext {
    readonly route: string;
    readonly params: OidcParams | undefined;
    /** The parsed request body (set by oidc-provider's body parser). */
    readonly body?: Record<string, unknown>;
    readonly client: OidcClient | undefined;
    readonly issuer: string;
    urlFor(name: string, opt?: Record<string, string>): string;
    getAccessToken(): string | undefined;
  }

  export interface KoaContext {
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    readonly method: string;
    readonly path: string;
    readonly headers: IncomingMessage['headers'];
    status: number;
    body: unknown;
    readonly oidc: OidcContext;
    set(field: string, value: string): void;
  }

  export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  export interface ResourceServerInfo {
    audience: string | string[];
    scope?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string; kid?: string } };
  }

  /** The token an access-token customizer receives (only the fields used here). */
  export interface IssuedToken {
    readonly clientId: string;
    readonly scope?: string;
    readonly jti: string;
    readonly resourceServer?: { audience: string | string[]; scope?: string; accessTokenTTL?: number };
  }

  export interface StructuredToken {
    header: Record<string, unknown> | undefined;
    payload: Record<string, unknown>;
  }

  export interface AdapterPayload {
    [key: string]: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface Configuration {
    adapter?: (model: string) => Adapter;
    jwks?: { keys: Record<string, unknown>[] };
    clients?: Record<string, unknown>[];
    clientDefaults?: Record<string, unknown>;
    clientAuthMethods?: string[];
    scopes?: string[];
    claims?: Record<string, string[] | null>;
    routes?: Record<string, string>;
    features?: Record<string, Record<string, unknown>>;
    ttl?: Record<string, number | ((ctx: KoaContext, token: IssuedToken, client: OidcClient) => number)>;
    formats?: {
      customizers?: {
        jwt?: (ctx: KoaContext, token: IssuedToken, structured: StructuredToken) => void | Promise<void>;
      };
    };
    extraClientMetadata?: {
      properties?: string[];
      validator?: (ctx: KoaContext | undefined, key: string, value: unknown, metadata: Record<string, unknown>) => void;
    };
    enabledJWA?: Record<string, string[]>;
    discovery?: Record<string, unknown>;
    findAccount?: (ctx: KoaContext, sub: string) => Promise<undefined>;
    renderError?: (ctx: KoaContext, out: Record<string, unknown>, error: Error) => Promise<void>;
  }

  export interface TokenModel {
    readonly clientId: string;
    readonly scope?: string;
    destroy(): Promise<void>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    use(middleware: Middleware): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly Client: {
      prototype: OidcClient;
      find(id: string): Promise<OidcClient | undefined>;
      validate(metadata: Record<string, unknown>): Promise<void>;
    };
    readonly ClientCredentials: { find(value: string): Promise<TokenModel | undefined> };
    readonly InitialAccessToken: new (payload: Record<string, unknown>) => { save(): Promise<string> };
    readonly RegistrationAccessToken: new (payload: { clientId: string }) => { save(): Promise<string> };
    /** The Koa context of the request being served (AsyncLocalStorage), if any. */
    static readonly ctx: KoaContext | undefined;
  }

  export class OIDCProviderError extends Error {
    constructor(status: number, message: string);
    status: number;
    statusCode: number;
    error: string;
    error_description?: string;
    expose: boolean;
  }
  type DescribedError = new (description?: string) => OIDCProviderError;
  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    InvalidScope: new (description: string, scope?: string) => OIDCProviderError;
    InvalidRequest: new (description?: string, code?: number) => OIDCProviderError;
    InvalidClientMetadata: new (description: string) => OIDCProviderError;
    InvalidTarget: DescribedError;
    AccessDenied: DescribedError;
    UnauthorizedClient: DescribedError;
  };

  export default Provider;
}
