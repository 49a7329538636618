/**
 * The seams between the three parts of the local Konnect sandbox:
 *
 *   konnect/  the Konnect emulator (owns all Konnect state: providers with their write-only secrets, strategies,
 *             Kong Identity auth servers/scopes/claims/clients, APIs, publications, portals, applications)
 *   idp/      the identity providers (panva's oidc-provider, one flavour per provider_type) and the "DCR drivers":
 *             the code that talks to each IdP's own registration API exactly as Konnect does
 *   gateway/  a Kong-like gateway that checks real JWTs (JWKS) or API keys against the published strategy
 *
 * The emulator calls the IdP side only through `DcrDriver` and reads/writes Kong Identity through
 * `KongIdentityBackend`; the gateway reads the emulator only through `GatewayCatalog`. Changes to these types are
 * additive only (new optional fields / methods), so each side can be built and tested on its own.
 */

export type ProviderType = 'auth0' | 'azureAd' | 'curity' | 'okta' | 'http' | 'kongIdentity';

/** A DCR provider as the emulator stores it: the public response fields plus the write-only secrets. */
export interface StoredDcrProvider {
  id: string;
  name: string;
  provider_type: ProviderType;
  issuer: string;
  /** The response-shaped dcr_config (no secrets). */
  dcr_config: Record<string, unknown>;
  /** Write-only values Konnect keeps but never returns. */
  secrets: { initial_client_secret?: string; dcr_token?: string; api_key?: string };
}

/** What Konnect sends when a developer creates an application under a DCR strategy. */
export interface ClientRegistrationRequest {
  application_id: string;
  application_name: string;
  application_description?: string;
  portal_id: string;
  organization_id: string;
  developer_id: string;
  auth_strategy_id: string;
  dcr_provider_id: string;
  /** From the strategy's openid-connect config. */
  scopes: string[];
  auth_methods: string[];
  credential_claim: string[];
  /** openid-connect extras, e.g. Auth0's audience from token_post_args_values. */
  audience?: string;
  grant_types: string[];
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  /**
   * The portal's own URL (`https://<domain>`). A client_credentials client never redirects, but OpenID Connect DCR
   * 1.0 §2 makes `redirect_uris` REQUIRED and strict servers refuse a registration without one: drivers of such
   * servers register this URL, which the organisation controls, when the application has no redirect URI.
   */
  portal_url?: string;
}

/**
 * RFC 7591 §3.2.1 / RFC 7592 §3: where and with what a registered client is managed afterwards. Konnect keeps it
 * (never returned by any API) to read, update and delete the client with the registration access token.
 */
export interface ClientManagement {
  registration_client_uri: string;
  registration_access_token: string;
}

export interface RegisteredClient {
  client_id: string;
  client_secret: string;
  /** Present when the IdP answered with RFC 7592 management fields; an update may rotate the token (RFC 7592 §2.2). */
  management?: ClientManagement;
}

export interface VerifyResult {
  status: 'success' | 'failed';
  errors: string[];
}

/** One per provider_type: how Konnect talks to that IdP. Every method takes an AbortSignal. */
export interface DcrDriver {
  /** POST /v2/dcr-providers/{id}/verify: discovery reachable, initial credentials / DCR token / API key accepted. */
  verify(provider: StoredDcrProvider, signal?: AbortSignal): Promise<VerifyResult>;
  /** Create the OAuth client in the IdP through the IdP's own API. Throws DcrDriverError on refusal. */
  register(
    provider: StoredDcrProvider,
    request: ClientRegistrationRequest,
    signal?: AbortSignal,
  ): Promise<RegisteredClient>;
  /**
   * Delete the client at the IdP; `management` is what `register` (or the last `newSecret`) returned, if anything.
   * Throws DcrDriverError when the IdP did not delete it: the client is then left behind at the IdP.
   */
  deleteClient(
    provider: StoredDcrProvider,
    clientId: string,
    signal?: AbortSignal,
    management?: ClientManagement,
  ): Promise<void>;
  /** regenerate-secret */
  newSecret(
    provider: StoredDcrProvider,
    clientId: string,
    signal?: AbortSignal,
    management?: ClientManagement,
  ): Promise<RegisteredClient>;
  /**
   * Whether a client with this id exists at the IdP (read through the IdP's own API), for an application created with
   * `dcr_client_id` (linked to a client Konnect did not create). Drivers that cannot tell leave it out: the link is
   * then accepted unchecked.
   */
  clientExists?(provider: StoredDcrProvider, clientId: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * http bridges only: POST {dcr_base_url}/{clientId}/event-hook (a no-op when dcr_config.disable_event_hooks).
   * Konnect sends update_application, add_registration and remove_registration.
   */
  eventHook?(provider: StoredDcrProvider, clientId: string, event: DcrEventHook, signal?: AbortSignal): Promise<void>;
}

/** The HTTP DCR bridge event-hook body (the bridge's EventHook schema); client_id is added by the driver. */
export interface DcrEventHook {
  event_type: 'update_application' | 'add_registration' | 'remove_registration';
  application_id: string;
  application_name: string;
  application_description: string;
  portal_id: string;
  organization_id: string;
  developer_id: string;
  auth_strategy_id: string;
  dcr_provider_id: string;
  /** update_application */
  redirect_uris?: string[];
  /** add_registration / remove_registration */
  api_product_version_id?: string;
  audience?: string;
}

export class DcrDriverError extends Error {
  /**
   * @param leftAtIdp a client the driver created at the IdP and could not remove again (e.g. a registration whose
   *   answer was unusable and whose roll-back was refused): the emulator records it as left behind.
   */
  constructor(
    message: string,
    readonly status = 400,
    readonly leftAtIdp?: { client_id: string; reason: string },
  ) {
    super(message);
    this.name = 'DcrDriverError';
  }
}

/**
 * A client Konnect meant to delete at the IdP but could not (the deletion was refused or failed), or created and
 * could not roll back. No Konnect API reports it (deleting an application answers 204 either way), so the emulator
 * keeps this list for the tests and Prove DCR's own check to compare with: `konnect.leftAtIdp`,
 * `GET /_sandbox/left-at-idp`.
 */
export interface LeftAtIdp {
  client_id: string;
  dcr_provider_id: string;
  provider_type: ProviderType;
  application_id: string;
  application_name: string;
  /** What Konnect was doing: deleting the application, or creating it (a roll-back that failed). */
  during: 'delete_application' | 'create_application';
  /** The IdP's answer, in plain words (no secret). */
  reason: string;
  at: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Kong Identity: the emulator owns /v1/auth-servers state; the IdP serves each auth server's issuer from it.

export interface KiAuthServer {
  id: string;
  name: string;
  audience: string;
  signing_algorithm: string;
  /** Set by the IdP side (KongIdentityBackend.issuerFor). */
  issuer: string;
}
export interface KiScope {
  id: string;
  name: string;
  default: boolean;
  enabled: boolean;
  include_in_metadata: boolean;
}
export interface KiClaim {
  id: string;
  name: string;
  /** static value or template such as "{{ .AuthServer.Audience }}" / client id */
  value: string;
  include_in_token: boolean;
  include_in_all_scopes: boolean;
  include_in_scopes: string[]; // scope ids
  enabled: boolean;
}
export interface KiClient {
  id: string; // = OAuth client_id
  name: string;
  grant_types: string[];
  response_types: string[];
  allow_all_scopes: boolean;
  allow_scopes: string[]; // scope ids
  access_token_duration: number;
  token_endpoint_auth_method: string;
  /** Every enabled secret works at the token endpoint. */
  secrets: string[];
  labels: Record<string, string>;
}

/** Read access the Kong Identity IdP flavour needs; implemented by the emulator's store. */
export interface KongIdentityStore {
  authServer(id: string): KiAuthServer | undefined;
  scopes(authServerId: string): KiScope[];
  claims(authServerId: string): KiClaim[];
  client(authServerId: string, clientId: string): KiClient | undefined;
  /**
   * The IdP issued an access token to this client: Konnect lists it (`/tokens`) until it is revoked or the client
   * deleted. `id` is the token's `jti`; times in seconds since the epoch, as in the JWT.
   */
  recordToken?(
    authServerId: string,
    clientId: string,
    token: { id: string; scopes: string[]; issuedAt: number; expiresAt: number },
  ): void;
  /** Is this recorded token still listed (not revoked, its client not deleted)? Introspection asks. */
  tokenActive?(authServerId: string, clientId: string, tokenId: string): boolean;
}

/** Implemented by the IdP side. */
export interface KongIdentityBackend {
  /** The issuer URL the sandbox IdP serves for this auth server (no trailing slash). */
  issuerFor(authServerId: string): string;
  /** Parse an issuer back to its auth server id, if it is one of ours. */
  authServerIdFor(issuer: string): string | undefined;
  jwksUriFor(authServerId: string): string;
  metadataUriFor(authServerId: string): string;
}

// ---------------------------------------------------------------------------------------------------------------
// Gateway: what it needs to know about published APIs.

export interface GatewayStrategy {
  id: string;
  strategy_type: 'openid_connect' | 'key_auth';
  /** openid_connect */
  issuer?: string;
  credential_claim?: string[];
  scopes?: string[];
  auth_methods?: string[];
  /** openid-connect extra fields (e.g. audience_required, token_post_args_*), verbatim */
  extra?: Record<string, unknown>;
  /** key_auth */
  key_names?: string[];
}

export interface GatewayRoute {
  api_id: string;
  api_name: string;
  /** Requests whose path starts with `/${slug}` belong to this API. */
  slug: string;
  /** null: published without app auth (open). */
  strategy: GatewayStrategy | null;
  /** client_id (DCR / OIDC apps) or api keys (key_auth) of applications with an approved registration for this API. */
  isRegisteredClient(clientIdOrKey: string): boolean;
  /** Is this client registered for some *other* API (used for the 403 explanation only). */
  registeredElsewhere(clientIdOrKey: string): string | undefined;
}

export interface GatewayCatalog {
  routeFor(path: string): GatewayRoute | undefined;
}
