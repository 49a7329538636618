/** What the interop tests share: the strategy that matches the gateway's route, and a DCR provider record for it. */
import type { StrategyView } from '../../../src/core/requests/jwt';
import type { ClientRegistrationRequest, StoredDcrProvider } from '../../../sandbox/contracts';
import { ORDERS_AUDIENCE } from '../servers/glewlwyd';
import { ROUTE_SCOPE, type World } from './world';

/**
 * The openid_connect strategy an admin would write for the gateway's route: Glewlwyd's issuer, the client id in
 * `client_id`, scope orders:read, and the audience asked for as an RFC 8707 `resource` (a token post argument).
 */
export function strategyConfig(
  world: World,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> & { issuer: string; credential_claim: string[]; scopes: string[]; auth_methods: string[] } {
  return {
    issuer: world.idp.issuer,
    credential_claim: ['client_id'],
    scopes: [ROUTE_SCOPE],
    auth_methods: ['client_credentials', 'bearer'],
    token_post_args_names: ['resource'],
    token_post_args_values: [ORDERS_AUDIENCE],
    audience_required: [ORDERS_AUDIENCE],
    ...overrides,
  };
}

/** The same strategy as the runner's checks see it. */
export function strategyViewFor(world: World): StrategyView {
  const { issuer, credential_claim, scopes, auth_methods, ...extra } = strategyConfig(world);
  return {
    id: 'interop-orders',
    name: 'interop-orders',
    issuer,
    credentialClaims: credential_claim,
    scopes,
    authMethods: auth_methods,
    audiences: [ORDERS_AUDIENCE],
    providerType: 'curity',
    extra,
  };
}

/** A Curity-type DCR provider on Glewlwyd, as Konnect stores it (the initial client's secret write-only). */
export function storedProvider(world: World): StoredDcrProvider {
  return {
    id: 'interop-provider',
    name: 'interop-glewlwyd',
    provider_type: 'curity',
    issuer: world.idp.discoveryUrl,
    dcr_config: { initial_client_id: world.idp.initialClient.id },
    secrets: { initial_client_secret: world.idp.initialClient.secret },
  };
}

/** What Konnect sends the driver for a new application of that strategy. */
export function registrationRequest(name: string): ClientRegistrationRequest {
  return {
    application_id: `app-${name}`,
    application_name: name,
    portal_id: 'portal',
    organization_id: 'org',
    developer_id: 'dev',
    auth_strategy_id: 'interop-orders',
    dcr_provider_id: 'interop-provider',
    scopes: [ROUTE_SCOPE],
    auth_methods: ['client_credentials', 'bearer'],
    credential_claim: ['client_id'],
    grant_types: ['client_credentials'],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_post',
    portal_url: 'https://interop-portal.example.test',
  };
}
