/**
 * Typed Konnect resources. Method names follow the spec's operationIds: `update` is PATCH, `replace` is PUT.
 * Every method takes `CallOptions` last (`signal`, `timeoutMs`, `maxAttempts`).
 */
import type * as z from 'zod';
import type { Page } from '../model/common';
import {
  DcrProviderSchema,
  ListDcrProvidersResponseSchema,
  VerifyDcrProviderResponseSchema,
  type CreateDcrProviderRequest,
  type DcrProvider,
  type DcrProviderFilterField,
  type DcrProviderSortField,
  type UpdateDcrProviderRequest,
  type VerifyDcrProviderResponse,
} from '../model/dcrProvider';
import {
  AppAuthStrategySchema,
  ListAppAuthStrategiesResponseSchema,
  type AppAuthStrategy,
  type AuthStrategyFilterField,
  type AuthStrategySortField,
  type CreateAppAuthStrategyRequest,
  type UpdateAppAuthStrategyRequest,
} from '../model/authStrategy';
import {
  AuthServerListSchema,
  AuthServerSchema,
  ClaimListSchema,
  ClaimSchema,
  TestClaimResultSchema,
  ClientListSchema,
  ClientSchema,
  ClientSecretItemSchema,
  ClientSecretListSchema,
  TokenListSchema,
  TokenSchema,
  CreatedClientSchema,
  ScopeListSchema,
  ScopeSchema,
  type AuthServer,
  type AuthServerFilterField,
  type AuthServerSortField,
  type Claim,
  type ClaimFilterField,
  type Client,
  type ClientFilterField,
  type ClientSecretItem,
  type CreateAuthServerRequest,
  type CreateClaimRequest,
  type CreateClientRequest,
  type CreateClientSecretRequest,
  type CreateScopeRequest,
  type CreatedClient,
  type IdentitySortField,
  type ReplaceClientRequest,
  type Scope,
  type ScopeFilterField,
  type UpdateAuthServerRequest,
  type UpdateClaimRequest,
  type TestClaimRequest,
  type TestClaimResult,
  type UpdateClientRequest,
  type UpdateClientSecretRequest,
  type Token,
  type UpdateScopeRequest,
} from '../model/kongIdentity';
import {
  ApiImplementationListSchema,
  ApiImplementationSchema,
  ApiListSchema,
  ApiPublicationListSchema,
  ApiPublicationSchema,
  ApiSchema,
  PortalListSchema,
  PortalSchema,
  type Api,
  type ApiFilterField,
  type ApiImplementation,
  type ApiImplementationFilterField,
  type ApiImplementationSortField,
  type ApiPublication,
  type ApiPublicationFilterField,
  type ApiPublicationListItem,
  type ApiPublicationSortField,
  type ApiSortField,
  type CreateApiImplementationRequest,
  type CreateApiRequest,
  type CreatePortalRequest,
  type Portal,
  type PortalFilterField,
  type PortalSortField,
  type PublishApiRequest,
  type UpdateApiRequest,
  type UpdatePortalRequest,
} from '../model/catalog';
import {
  AdminRegistrationListSchema,
  AdminRegistrationSchema,
  GatewayPluginPageSchema,
  GatewayPluginSchema,
  GatewayServiceSchema,
  type AdminRegistration,
  type GatewayPlugin,
  type GatewayService,
  type RegistrationFilterField,
} from '../model/gateway';
import { Collection, type ListAllOptions } from './collection';
import type { CallOptions, RestEngine } from './engine';
import { KonnectApiError, KonnectLimitError } from './errors';
import { seg, type ListQuery } from './query';

/** The list/pages/listAll trio every collection resource has. */
abstract class ListResource<T, F extends string, S extends string> {
  protected constructor(
    protected readonly engine: RestEngine,
    protected readonly path: string,
    schema: z.ZodType<Page<T>>,
  ) {
    this.collection = new Collection<T, F, S>(engine, path, schema);
  }
  private readonly collection: Collection<T, F, S>;

  /** One page. */
  list(query?: ListQuery<F, S>, opts?: CallOptions): Promise<Page<T>> {
    return this.collection.list(query, opts);
  }
  /** Every page, lazily (for "Load more" UIs and streaming). */
  pages(query?: ListQuery<F, S>, opts?: CallOptions): AsyncGenerator<Page<T>, void, undefined> {
    return this.collection.pages(query, opts);
  }
  /** Every item, guarded by `maxItems` (default 1000). */
  listAll(query?: ListQuery<F, S>, opts?: ListAllOptions): Promise<T[]> {
    return this.collection.listAll(query, opts);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// /v2/dcr-providers

export class DcrProvidersApi extends ListResource<DcrProvider, DcrProviderFilterField, DcrProviderSortField> {
  constructor(engine: RestEngine) {
    super(engine, '/v2/dcr-providers', ListDcrProvidersResponseSchema);
  }

  get(id: string, opts?: CallOptions): Promise<DcrProvider> {
    return this.engine.json({ method: 'GET', path: `${this.path}/${seg(id)}` }, DcrProviderSchema, opts);
  }
  /** 201; the answer never contains the secrets just sent. */
  create(body: CreateDcrProviderRequest, opts?: CallOptions): Promise<DcrProvider> {
    return this.engine.json({ method: 'POST', path: this.path, body }, DcrProviderSchema, opts);
  }
  /** PATCH. `provider_type` cannot change. */
  update(id: string, body: UpdateDcrProviderRequest, opts?: CallOptions): Promise<DcrProvider> {
    return this.engine.json({ method: 'PATCH', path: `${this.path}/${seg(id)}`, body }, DcrProviderSchema, opts);
  }
  delete(id: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: `${this.path}/${seg(id)}` }, opts);
  }
  /**
   * Asks Konnect to check the provider against its IdP. A `failed` status may come as a 200 body or as a 400/422
   * problem (docs/konnect-api.md §8.5): both resolve to `{ status: 'failed', errors }`. 401/403/404 and the rest
   * still throw.
   */
  async verify(id: string, opts?: CallOptions): Promise<VerifyDcrProviderResponse> {
    try {
      return await this.engine.json(
        { method: 'POST', path: `${this.path}/${seg(id)}/verify` },
        VerifyDcrProviderResponseSchema,
        opts,
      );
    } catch (err) {
      if (err instanceof KonnectApiError && (err.status === 400 || err.status === 422)) {
        const errors = [err.detail ?? err.title, ...err.invalidParameters.map((p) => `${p.field}: ${p.reason}`)];
        return { status: 'failed', errors };
      }
      throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// /v2/application-auth-strategies

export class AuthStrategiesApi extends ListResource<AppAuthStrategy, AuthStrategyFilterField, AuthStrategySortField> {
  constructor(engine: RestEngine) {
    super(engine, '/v2/application-auth-strategies', ListAppAuthStrategiesResponseSchema);
  }

  get(id: string, opts?: CallOptions): Promise<AppAuthStrategy> {
    return this.engine.json({ method: 'GET', path: `${this.path}/${seg(id)}` }, AppAuthStrategySchema, opts);
  }
  create(body: CreateAppAuthStrategyRequest, opts?: CallOptions): Promise<AppAuthStrategy> {
    return this.engine.json({ method: 'POST', path: this.path, body }, AppAuthStrategySchema, opts);
  }
  /** PUT with a full create body. */
  replace(id: string, body: CreateAppAuthStrategyRequest, opts?: CallOptions): Promise<AppAuthStrategy> {
    return this.engine.json({ method: 'PUT', path: `${this.path}/${seg(id)}`, body }, AppAuthStrategySchema, opts);
  }
  /** PATCH. `strategy_type` cannot change. */
  update(id: string, body: UpdateAppAuthStrategyRequest, opts?: CallOptions): Promise<AppAuthStrategy> {
    return this.engine.json({ method: 'PATCH', path: `${this.path}/${seg(id)}`, body }, AppAuthStrategySchema, opts);
  }
  /** 409 while the strategy is in use by a publication. */
  delete(id: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: `${this.path}/${seg(id)}` }, opts);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Kong Identity: /v1/auth-servers and children

export class AuthServersApi extends ListResource<AuthServer, AuthServerFilterField, AuthServerSortField> {
  constructor(engine: RestEngine) {
    super(engine, '/v1/auth-servers', AuthServerListSchema);
  }

  get(id: string, opts?: CallOptions): Promise<AuthServer> {
    return this.engine.json({ method: 'GET', path: `${this.path}/${seg(id)}` }, AuthServerSchema, opts);
  }
  create(body: CreateAuthServerRequest, opts?: CallOptions): Promise<AuthServer> {
    return this.engine.json({ method: 'POST', path: this.path, body }, AuthServerSchema, opts);
  }
  update(id: string, body: UpdateAuthServerRequest, opts?: CallOptions): Promise<AuthServer> {
    return this.engine.json({ method: 'PATCH', path: `${this.path}/${seg(id)}`, body }, AuthServerSchema, opts);
  }
  /** Without `force`, Konnect refuses while clients, scopes or claims exist; `force: true` deletes them too. */
  delete(id: string, options: { force?: boolean } = {}, opts?: CallOptions): Promise<void> {
    const query: [string, string][] = options.force === undefined ? [] : [['force', String(options.force)]];
    return this.engine.noContent({ method: 'DELETE', path: `${this.path}/${seg(id)}`, query }, opts);
  }
}

/** A child collection of an auth server (`/v1/auth-servers/{id}/<kind>`). */
abstract class AuthServerChildApi<T, F extends string> {
  protected constructor(
    protected readonly engine: RestEngine,
    private readonly kind: string,
    private readonly listSchema: z.ZodType<Page<T>>,
  ) {}

  protected base(authServerId: string): string {
    return `/v1/auth-servers/${seg(authServerId)}/${this.kind}`;
  }
  private collection(authServerId: string): Collection<T, F, IdentitySortField> {
    return new Collection<T, F, IdentitySortField>(this.engine, this.base(authServerId), this.listSchema);
  }
  list(authServerId: string, query?: ListQuery<F, IdentitySortField>, opts?: CallOptions): Promise<Page<T>> {
    return this.collection(authServerId).list(query, opts);
  }
  pages(
    authServerId: string,
    query?: ListQuery<F, IdentitySortField>,
    opts?: CallOptions,
  ): AsyncGenerator<Page<T>, void, undefined> {
    return this.collection(authServerId).pages(query, opts);
  }
  listAll(authServerId: string, query?: ListQuery<F, IdentitySortField>, opts?: ListAllOptions): Promise<T[]> {
    return this.collection(authServerId).listAll(query, opts);
  }
  delete(authServerId: string, id: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: `${this.base(authServerId)}/${seg(id)}` }, opts);
  }
}

export class AuthServerScopesApi extends AuthServerChildApi<Scope, ScopeFilterField> {
  constructor(engine: RestEngine) {
    super(engine, 'scopes', ScopeListSchema);
  }
  get(authServerId: string, scopeId: string, opts?: CallOptions): Promise<Scope> {
    return this.engine.json({ method: 'GET', path: `${this.base(authServerId)}/${seg(scopeId)}` }, ScopeSchema, opts);
  }
  create(authServerId: string, body: CreateScopeRequest, opts?: CallOptions): Promise<Scope> {
    return this.engine.json({ method: 'POST', path: this.base(authServerId), body }, ScopeSchema, opts);
  }
  update(authServerId: string, scopeId: string, body: UpdateScopeRequest, opts?: CallOptions): Promise<Scope> {
    return this.engine.json(
      { method: 'PATCH', path: `${this.base(authServerId)}/${seg(scopeId)}`, body },
      ScopeSchema,
      opts,
    );
  }
}

export class AuthServerClaimsApi extends AuthServerChildApi<Claim, ClaimFilterField> {
  constructor(engine: RestEngine) {
    super(engine, 'claims', ClaimListSchema);
  }
  get(authServerId: string, claimId: string, opts?: CallOptions): Promise<Claim> {
    return this.engine.json({ method: 'GET', path: `${this.base(authServerId)}/${seg(claimId)}` }, ClaimSchema, opts);
  }
  create(authServerId: string, body: CreateClaimRequest, opts?: CallOptions): Promise<Claim> {
    return this.engine.json({ method: 'POST', path: this.base(authServerId), body }, ClaimSchema, opts);
  }
  update(authServerId: string, claimId: string, body: UpdateClaimRequest, opts?: CallOptions): Promise<Claim> {
    return this.engine.json(
      { method: 'PATCH', path: `${this.base(authServerId)}/${seg(claimId)}`, body },
      ClaimSchema,
      opts,
    );
  }
}

export class AuthServerClientsApi extends AuthServerChildApi<Client, ClientFilterField> {
  constructor(engine: RestEngine) {
    super(engine, 'clients', ClientListSchema);
  }
  get(authServerId: string, clientId: string, opts?: CallOptions): Promise<Client> {
    return this.engine.json({ method: 'GET', path: `${this.base(authServerId)}/${seg(clientId)}` }, ClientSchema, opts);
  }
  /** 201 `CreatedClient`: `client_secret` is in this answer and nowhere else. */
  create(authServerId: string, body: CreateClientRequest, opts?: CallOptions): Promise<CreatedClient> {
    return this.engine.json({ method: 'POST', path: this.base(authServerId), body }, CreatedClientSchema, opts);
  }
  update(authServerId: string, clientId: string, body: UpdateClientRequest, opts?: CallOptions): Promise<Client> {
    return this.engine.json(
      { method: 'PATCH', path: `${this.base(authServerId)}/${seg(clientId)}`, body },
      ClientSchema,
      opts,
    );
  }
  /** PUT: creates or replaces the client with this id and secret (200 or 201). */
  replace(authServerId: string, clientId: string, body: ReplaceClientRequest, opts?: CallOptions): Promise<Client> {
    return this.engine.json(
      { method: 'PUT', path: `${this.base(authServerId)}/${seg(clientId)}`, body },
      ClientSchema,
      opts,
    );
  }

  /**
   * `test-claim`: renders claim templates for this client as a token would carry them, without issuing a token.
   * A template Konnect cannot render is a 400 (`KonnectApiError`).
   */
  testClaims(
    authServerId: string,
    clientId: string,
    claims: TestClaimRequest,
    opts?: CallOptions,
  ): Promise<TestClaimResult> {
    return this.engine.json(
      { method: 'POST', path: `${this.base(authServerId)}/${seg(clientId)}/test-claim`, body: claims },
      TestClaimResultSchema,
      opts,
    );
  }

  // Client secrets: /v1/auth-servers/{id}/clients/{clientId}/secrets
  private secretsPath(authServerId: string, clientId: string): string {
    return `${this.base(authServerId)}/${seg(clientId)}/secrets`;
  }
  listSecrets(
    authServerId: string,
    clientId: string,
    query?: ListQuery<'id', 'created_at' | 'updated_at'>,
    opts?: CallOptions,
  ): Promise<Page<ClientSecretItem>> {
    return new Collection<ClientSecretItem, 'id', 'created_at' | 'updated_at'>(
      this.engine,
      this.secretsPath(authServerId, clientId),
      ClientSecretListSchema,
    ).list(query, opts);
  }
  /** The answer's `secret` is the only time the value is shown. */
  createSecret(
    authServerId: string,
    clientId: string,
    body: CreateClientSecretRequest = {},
    opts?: CallOptions,
  ): Promise<ClientSecretItem> {
    return this.engine.json(
      { method: 'POST', path: this.secretsPath(authServerId, clientId), body },
      ClientSecretItemSchema,
      opts,
    );
  }
  updateSecret(
    authServerId: string,
    clientId: string,
    secretId: string,
    body: UpdateClientSecretRequest,
    opts?: CallOptions,
  ): Promise<ClientSecretItem> {
    return this.engine.json(
      { method: 'PATCH', path: `${this.secretsPath(authServerId, clientId)}/${seg(secretId)}`, body },
      ClientSecretItemSchema,
      opts,
    );
  }
  deleteSecret(authServerId: string, clientId: string, secretId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: `${this.secretsPath(authServerId, clientId)}/${seg(secretId)}` },
      opts,
    );
  }

  // Issued tokens: /v1/auth-servers/{id}/clients/{clientId}/tokens (sort: created_at, expires_at; filter: id)
  private tokensPath(authServerId: string, clientId: string): string {
    return `${this.base(authServerId)}/${seg(clientId)}/tokens`;
  }
  listTokens(
    authServerId: string,
    clientId: string,
    query?: ListQuery<'id', 'created_at' | 'expires_at'>,
    opts?: CallOptions,
  ): Promise<Page<Token>> {
    return new Collection<Token, 'id', 'created_at' | 'expires_at'>(
      this.engine,
      this.tokensPath(authServerId, clientId),
      TokenListSchema,
    ).list(query, opts);
  }
  getToken(authServerId: string, clientId: string, tokenId: string, opts?: CallOptions): Promise<Token> {
    return this.engine.json(
      { method: 'GET', path: `${this.tokensPath(authServerId, clientId)}/${seg(tokenId)}` },
      TokenSchema,
      opts,
    );
  }
  /** DELETE one token: revoked (honoured where the client's tokens are introspected). */
  revokeToken(authServerId: string, clientId: string, tokenId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: `${this.tokensPath(authServerId, clientId)}/${seg(tokenId)}` },
      opts,
    );
  }
  revokeAllTokens(authServerId: string, clientId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: this.tokensPath(authServerId, clientId) }, opts);
  }
}

/** Kong Identity, grouped. */
export class KongIdentityApi {
  readonly authServers: AuthServersApi;
  readonly scopes: AuthServerScopesApi;
  readonly claims: AuthServerClaimsApi;
  readonly clients: AuthServerClientsApi;
  constructor(engine: RestEngine) {
    this.authServers = new AuthServersApi(engine);
    this.scopes = new AuthServerScopesApi(engine);
    this.claims = new AuthServerClaimsApi(engine);
    this.clients = new AuthServerClientsApi(engine);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// API Catalog v3

export class ApisApi extends ListResource<Api, ApiFilterField, ApiSortField> {
  constructor(engine: RestEngine) {
    super(engine, '/v3/apis', ApiListSchema);
  }
  get(id: string, opts?: CallOptions): Promise<Api> {
    return this.engine.json({ method: 'GET', path: `${this.path}/${seg(id)}` }, ApiSchema, opts);
  }
  create(body: CreateApiRequest, opts?: CallOptions): Promise<Api> {
    return this.engine.json({ method: 'POST', path: this.path, body }, ApiSchema, opts);
  }
  update(id: string, body: UpdateApiRequest, opts?: CallOptions): Promise<Api> {
    return this.engine.json({ method: 'PATCH', path: `${this.path}/${seg(id)}`, body }, ApiSchema, opts);
  }
  delete(id: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: `${this.path}/${seg(id)}` }, opts);
  }
}

/** Links between APIs and Gateway Services: `/v3/apis/{apiId}/implementations`, listed at `/v3/api-implementations`. */
export class ApiImplementationsApi extends ListResource<
  ApiImplementation,
  ApiImplementationFilterField,
  ApiImplementationSortField
> {
  constructor(engine: RestEngine) {
    super(engine, '/v3/api-implementations', ApiImplementationListSchema);
  }
  create(apiId: string, body: CreateApiImplementationRequest, opts?: CallOptions): Promise<ApiImplementation> {
    return this.engine.json(
      { method: 'POST', path: `/v3/apis/${seg(apiId)}/implementations`, body },
      ApiImplementationSchema,
      opts,
    );
  }
  get(apiId: string, implementationId: string, opts?: CallOptions): Promise<ApiImplementation> {
    return this.engine.json(
      { method: 'GET', path: `/v3/apis/${seg(apiId)}/implementations/${seg(implementationId)}` },
      ApiImplementationSchema,
      opts,
    );
  }
  delete(apiId: string, implementationId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: `/v3/apis/${seg(apiId)}/implementations/${seg(implementationId)}` },
      opts,
    );
  }
}

/** `PUT/GET/DELETE /v3/apis/{apiId}/publications/{portalId}`, listed at `/v3/api-publications`. */
export class ApiPublicationsApi extends ListResource<
  ApiPublicationListItem,
  ApiPublicationFilterField,
  ApiPublicationSortField
> {
  constructor(engine: RestEngine) {
    super(engine, '/v3/api-publications', ApiPublicationListSchema);
  }
  private one(apiId: string, portalId: string): string {
    return `/v3/apis/${seg(apiId)}/publications/${seg(portalId)}`;
  }
  /** Creates or updates the publication (the spec says 200; docs say 201; any 2xx is accepted). */
  publish(apiId: string, portalId: string, body: PublishApiRequest, opts?: CallOptions): Promise<ApiPublication> {
    return this.engine.json({ method: 'PUT', path: this.one(apiId, portalId), body }, ApiPublicationSchema, opts);
  }
  /** 404 when the API is not published to that portal. */
  get(apiId: string, portalId: string, opts?: CallOptions): Promise<ApiPublication> {
    return this.engine.json({ method: 'GET', path: this.one(apiId, portalId) }, ApiPublicationSchema, opts);
  }
  unpublish(apiId: string, portalId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: this.one(apiId, portalId) }, opts);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Portal Management v3

export class PortalsApi extends ListResource<Portal, PortalFilterField, PortalSortField> {
  constructor(engine: RestEngine) {
    super(engine, '/v3/portals', PortalListSchema);
  }
  get(id: string, opts?: CallOptions): Promise<Portal> {
    return this.engine.json({ method: 'GET', path: `${this.path}/${seg(id)}` }, PortalSchema, opts);
  }
  create(body: CreatePortalRequest, opts?: CallOptions): Promise<Portal> {
    return this.engine.json({ method: 'POST', path: this.path, body }, PortalSchema, opts);
  }
  update(id: string, body: UpdatePortalRequest, opts?: CallOptions): Promise<Portal> {
    return this.engine.json({ method: 'PATCH', path: `${this.path}/${seg(id)}`, body }, PortalSchema, opts);
  }
  /** Without `force`, refused while APIs are published; `force: true` removes the publications too. */
  delete(id: string, options: { force?: boolean } = {}, opts?: CallOptions): Promise<void> {
    const query: [string, string][] = options.force === undefined ? [] : [['force', String(options.force)]];
    return this.engine.noContent({ method: 'DELETE', path: `${this.path}/${seg(id)}`, query }, opts);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Control plane config v2: a control plane's Gateway entities

/** `/v2/control-planes/{controlPlaneId}/core-entities/{services,plugins}`. */
export class ControlPlaneConfigApi {
  constructor(private readonly engine: RestEngine) {}
  private base(controlPlaneId: string): string {
    return `/v2/control-planes/${seg(controlPlaneId)}/core-entities`;
  }
  getService(controlPlaneId: string, serviceId: string, opts?: CallOptions): Promise<GatewayService> {
    return this.engine.json(
      { method: 'GET', path: `${this.base(controlPlaneId)}/services/${seg(serviceId)}` },
      GatewayServiceSchema,
      opts,
    );
  }
  /** Every plugin of the control plane (global and scoped), following Kong's `offset` (at most `maxItems`, 1000). */
  async listPlugins(controlPlaneId: string, opts: ListAllOptions = {}): Promise<GatewayPlugin[]> {
    const max = opts.maxItems ?? 1000;
    const out: GatewayPlugin[] = [];
    let offset: string | undefined;
    for (let i = 0; i < 1000; i++) {
      const query: [string, string][] = [['size', '100']];
      if (offset) query.push(['offset', offset]);
      const page = await this.engine.json(
        { method: 'GET', path: `${this.base(controlPlaneId)}/plugins`, query },
        GatewayPluginPageSchema,
        opts,
      );
      out.push(...page.data);
      if (out.length > max)
        throw new KonnectLimitError(out.length, max, {
          method: 'GET',
          path: this.base(controlPlaneId),
          host: new URL(this.engine.baseUrl).host,
        });
      offset = page.offset ?? undefined;
      if (!offset || page.data.length === 0) break;
    }
    return out;
  }
  createService(controlPlaneId: string, body: Record<string, unknown>, opts?: CallOptions): Promise<GatewayService> {
    return this.engine.json(
      { method: 'POST', path: `${this.base(controlPlaneId)}/services`, body },
      GatewayServiceSchema,
      opts,
    );
  }
  createPlugin(controlPlaneId: string, body: Record<string, unknown>, opts?: CallOptions): Promise<GatewayPlugin> {
    return this.engine.json(
      { method: 'POST', path: `${this.base(controlPlaneId)}/plugins`, body },
      GatewayPluginSchema,
      opts,
    );
  }
  deletePlugin(controlPlaneId: string, pluginId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: `${this.base(controlPlaneId)}/plugins/${seg(pluginId)}` },
      opts,
    );
  }
}

/** A portal's application registrations, admin side (Portal Management v3). */
export class PortalRegistrationsApi {
  constructor(private readonly engine: RestEngine) {}
  /** `GET /v3/portals/{portalId}/application-registrations`, every page. */
  listAll(
    portalId: string,
    query: ListQuery<RegistrationFilterField, string> = {},
    opts?: ListAllOptions,
  ): Promise<AdminRegistration[]> {
    return new Collection<AdminRegistration, RegistrationFilterField, string>(
      this.engine,
      `/v3/portals/${seg(portalId)}/application-registrations`,
      AdminRegistrationListSchema,
    ).listAll(query, opts);
  }
  /** Approves (or otherwise sets the status of) one registration. */
  setStatus(
    portalId: string,
    applicationId: string,
    registrationId: string,
    status: AdminRegistration['status'],
    opts?: CallOptions,
  ): Promise<AdminRegistration> {
    return this.engine.json(
      {
        method: 'PATCH',
        path: `/v3/portals/${seg(portalId)}/applications/${seg(applicationId)}/registrations/${seg(registrationId)}`,
        body: { status },
      },
      AdminRegistrationSchema,
      opts,
    );
  }
}
