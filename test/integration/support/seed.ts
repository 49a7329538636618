// A small, complete data set created through the core client on a sandbox: one DCR provider of every type (with
// their write-only secrets), strategies of both types, a Kong Identity auth server with a scope, a claim and a
// client. What the trees must show is read back from the sandbox, not from here.
import type { AppAuthStrategy, AuthServer, CreateDcrProviderRequest, DcrProvider } from '../../../src/core/api/index';
import { rememberSecret } from './secrets';
import type { TestSandbox } from './sandbox';

export interface Seeded {
  readonly authServer: AuthServer;
  readonly providers: Record<DcrProvider['provider_type'], DcrProvider>;
  /** One openid_connect strategy per provider type, named `oidc-<type>`. */
  readonly oidc: Record<DcrProvider['provider_type'], AppAuthStrategy>;
  readonly keyAuth: AppAuthStrategy;
  readonly selfManaged: AppAuthStrategy;
  /** The write-only values sent when creating the providers. */
  readonly secrets: readonly string[];
  readonly clientSecret: string;
}

export async function seed(sb: TestSandbox, prefix = ''): Promise<Seeded> {
  const c = sb.client;
  const authServer = await c.identity.authServers.create({
    name: `${prefix}Payments auth server`,
    audience: 'https://payments.example.com',
    description: 'for the payments APIs',
  });
  const scope = await c.identity.scopes.create(authServer.id, {
    name: 'payments:read',
    description: 'read payments',
    enabled: true,
  });
  await c.identity.claims.create(authServer.id, {
    name: 'tier',
    value: 'gold',
    include_in_token: true,
    include_in_scopes: [scope.id],
  });
  const created = await c.identity.clients.create(authServer.id, {
    name: 'ci-pipeline',
    grant_types: ['client_credentials'],
    response_types: ['token'],
    allow_scopes: [scope.id],
  });
  rememberSecret(created.client_secret);

  // The sandbox's real IdPs: with these settings every provider passes /verify.
  const f = sb.state.flavours;
  const bodies: CreateDcrProviderRequest[] = [
    {
      provider_type: 'kongIdentity',
      name: `${prefix}ki-provider`,
      issuer: authServer.issuer,
      display_name: 'Kong Identity DCR',
    },
    {
      provider_type: 'auth0',
      name: `${prefix}auth0-provider`,
      issuer: f.auth0.issuer,
      dcr_config: {
        initial_client_id: f.auth0.initialClientId,
        initial_client_secret: f.auth0.initialClientSecret,
        initial_client_audience: f.auth0.managementApi,
        use_developer_managed_scopes: false,
      },
    },
    {
      provider_type: 'azureAd',
      name: `${prefix}azure-provider`,
      issuer: f.azureAd.issuer,
      dcr_config: {
        initial_client_id: f.azureAd.initialClientId,
        initial_client_secret: f.azureAd.initialClientSecret,
      },
    },
    {
      provider_type: 'curity',
      name: `${prefix}curity-provider`,
      issuer: f.curity.issuer,
      dcr_config: { initial_client_id: f.curity.initialClientId, initial_client_secret: f.curity.initialClientSecret },
    },
    {
      provider_type: 'okta',
      name: `${prefix}okta-provider`,
      issuer: f.okta.issuer,
      dcr_config: { dcr_token: f.okta.dcrToken },
      labels: { team: 'identity' },
    },
    {
      provider_type: 'http',
      name: `${prefix}http-provider`,
      issuer: f.http.issuer,
      dcr_config: { dcr_base_url: f.http.dcrBaseUrl, api_key: f.http.apiKey, allow_multiple_credentials: true },
    },
  ];
  const secrets = [
    f.auth0.initialClientSecret,
    f.azureAd.initialClientSecret,
    f.curity.initialClientSecret,
    f.okta.dcrToken,
    f.http.apiKey,
  ];
  const providers = {} as Record<DcrProvider['provider_type'], DcrProvider>;
  for (const b of bodies) providers[b.provider_type] = await c.dcrProviders.create(b);

  const oidc = {} as Record<DcrProvider['provider_type'], AppAuthStrategy>;
  for (const p of Object.values(providers)) {
    oidc[p.provider_type] = await c.authStrategies.create({
      strategy_type: 'openid_connect',
      name: `${prefix}oidc-${p.provider_type}`,
      display_name: `OIDC via ${p.name}`,
      dcr_provider_id: p.id,
      configs: {
        'openid-connect': {
          issuer: p.issuer,
          credential_claim: ['client_id'],
          scopes: ['openid', 'payments:read'],
          auth_methods: ['client_credentials', 'bearer'],
          ...(p.provider_type === 'auth0'
            ? { token_post_args_names: ['audience'], token_post_args_values: ['https://payments.example.com'] }
            : {}),
        },
      },
    });
  }
  const keyAuth = await c.authStrategies.create({
    strategy_type: 'key_auth',
    name: `${prefix}api-keys`,
    display_name: 'API keys',
    configs: { 'key-auth': { key_names: ['apikey', 'x-api-key'], ttl: { value: 30, unit: 'days' } } },
  });
  const selfManaged = await c.authStrategies.create({
    strategy_type: 'openid_connect',
    name: `${prefix}self-managed`,
    display_name: 'Bring your own client',
    configs: {
      'openid-connect': {
        issuer: 'https://login.example.com',
        credential_claim: ['sub'],
        scopes: [],
        auth_methods: ['bearer'],
      },
    },
  });
  return { authServer, providers, oidc, keyAuth, selfManaged, secrets, clientSecret: created.client_secret };
}
