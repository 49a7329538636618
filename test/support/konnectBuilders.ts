/**
 * Typed payload builders for Konnect answers: valid by construction (the return types are the model's `z.infer`
 * types), overridable per test. Ids are deterministic per call sequence, so failures are reproducible.
 */
import type { Page } from '../../src/core/model/common';
import type { DcrProvider } from '../../src/core/model/dcrProvider';
import type { AppAuthStrategy } from '../../src/core/model/authStrategy';
import type { AuthServer, CreatedClient } from '../../src/core/model/kongIdentity';

let seq = 0;
/** A UUID-shaped id, unique within the process. */
export function testId(): string {
  seq += 1;
  return `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`;
}

const T = '2026-01-01T00:00:00.000Z';

export function anOktaProvider(overrides: Partial<Extract<DcrProvider, { provider_type: 'okta' }>> = {}): DcrProvider {
  return {
    id: testId(),
    name: 'okta-provider',
    provider_type: 'okta',
    issuer: 'https://my-issuer.okta.com/default',
    active: false,
    dcr_config: {},
    created_at: T,
    updated_at: T,
    ...overrides,
  };
}

export function anHttpProvider(overrides: Partial<Extract<DcrProvider, { provider_type: 'http' }>> = {}): DcrProvider {
  return {
    id: testId(),
    name: 'http-provider',
    provider_type: 'http',
    issuer: 'https://issuer.example.com',
    active: true,
    dcr_config: { dcr_base_url: 'https://dcr.example.com/v1/dcr' },
    created_at: T,
    updated_at: T,
    ...overrides,
  };
}

export function anOidcStrategy(
  overrides: Partial<Extract<AppAuthStrategy, { strategy_type: 'openid_connect' }>> = {},
): AppAuthStrategy {
  return {
    id: testId(),
    name: 'oidc',
    display_name: 'OIDC',
    strategy_type: 'openid_connect',
    active: false,
    configs: {
      'openid-connect': {
        issuer: 'https://issuer.example.com',
        credential_claim: ['client_id'],
        scopes: ['openid'],
        auth_methods: ['client_credentials', 'bearer'],
      },
    },
    dcr_provider: null,
    labels: {},
    created_at: T,
    updated_at: T,
    ...overrides,
  };
}

export function anAuthServer(overrides: Partial<AuthServer> = {}): AuthServer {
  const id = overrides.id ?? testId();
  return {
    id,
    name: 'auth server',
    description: '',
    audience: 'api://default',
    signing_algorithm: 'RS256',
    issuer: `https://${id}.identity.example.com/auth`,
    metadata_uri: `https://${id}.identity.example.com/auth/.well-known/openid-configuration`,
    labels: {},
    created_at: T,
    updated_at: T,
    ...overrides,
  };
}

export function aCreatedClient(overrides: Partial<CreatedClient> = {}): CreatedClient {
  return {
    id: 'kYa9iQFU5xPDSIUH9z1z',
    name: 'client',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    access_token_duration: 300,
    id_token_duration: 300,
    allow_all_scopes: true,
    allow_scopes: [],
    labels: {},
    response_types: ['token'],
    token_endpoint_auth_method: 'client_secret_post',
    created_at: T,
    updated_at: T,
    client_secret: 'YAzsyUlNZ5gNGeKS9H3VAdxVPzhPo4ae',
    ...overrides,
  };
}

/** Page `number` of `all`, `size` per page, as Konnect would answer it. */
export function aPage<T>(all: readonly T[], number: number, size: number): Page<T> {
  return { data: all.slice((number - 1) * size, number * size), meta: { page: { number, size, total: all.length } } };
}
