// A small, complete data set created through the core client on a sandbox: one DCR provider of every type (with
// their write-only secrets), strategies of both types, a Kong Identity auth server with a scope, a claim and a
// client. What the trees must show is read back from the sandbox, not from here.
import type { AppAuthStrategy, AuthServer, CreateDcrProviderRequest, DcrProvider } from '../../../src/core/api/index';
import { rememberSecret } from './secrets';
import { randomPat, type TestSandbox } from './sandbox';

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

const secret = (): string => rememberSecret(randomPat('spat').replace('spat_', 'sec_'));

export async function seed(sb: TestSandbox, prefix = ''): Promise<Seeded> {
  const c = sb.client;
  const authServer = await c.identity.authServers.create({ name: `${prefix}Payments auth server`, audience: 'https://payments.example.com', description: 'for the payments APIs' });
  const scope = await c.identity.scopes.create(authServer.id, { name: 'payments:read', description: 'read payments', enabled: true });
  await c.identity.claims.create(authServer.id, { name: 'tier', value: 'gold', include_in_token: true, include_in_scopes: [scope.id] });
  const created = await c.identity.clients.create(authServer.id, { name: 'ci-pipeline', grant_types: ['client_credentials'], response_types: ['token'], allow_scopes: [scope.id] });
  rememberSecret(created.client_secret);

  const s = { auth0: secret(), azureAd: secret(), curity: secret(), okta: secret(), http: secret().replace(/[^A-Za-z0-9_]/g, '_') };
  const bodies: CreateDcrProviderRequest[] = [
    { provider_type: 'kongIdentity', name: `${prefix}ki-provider`, issuer: authServer.issuer, display_name: 'Kong Identity DCR' },
    { provider_type: 'auth0', name: `${prefix}auth0-provider`, issuer: 'https://tenant.eu.auth0.com/', dcr_config: { initial_client_id: 'auth0-initial-client', initial_client_secret: s.auth0, initial_client_audience: 'https://tenant.eu.auth0.com/api/v2/', use_developer_managed_scopes: true } },
    { provider_type: 'azureAd', name: `${prefix}azure-provider`, issuer: 'https://sts.windows.net/03640e99-6c96-4817-b392-b9336037a8e2', dcr_config: { initial_client_id: 'azure-initial-client', initial_client_secret: s.azureAd } },
    { provider_type: 'curity', name: `${prefix}curity-provider`, issuer: 'https://curity.example.com/oauth/v2/oauth-anonymous', dcr_config: { initial_client_id: 'curity-initial-client', initial_client_secret: s.curity } },
    { provider_type: 'okta', name: `${prefix}okta-provider`, issuer: 'https://example.okta.com/oauth2/default', dcr_config: { dcr_token: s.okta }, labels: { team: 'identity' } },
    { provider_type: 'http', name: `${prefix}http-provider`, issuer: 'https://idp.example.com', dcr_config: { dcr_base_url: 'https://dcr-bridge.example.com/v1', api_key: s.http, allow_multiple_credentials: true } },
  ];
  const providers = {} as Record<DcrProvider['provider_type'], DcrProvider>;
  for (const b of bodies) providers[b.provider_type] = await c.dcrProviders.create(b);

  const oidc = {} as Record<DcrProvider['provider_type'], AppAuthStrategy>;
  for (const p of Object.values(providers)) {
    oidc[p.provider_type] = await c.authStrategies.create({
      strategy_type: 'openid_connect', name: `${prefix}oidc-${p.provider_type}`, display_name: `OIDC via ${p.name}`, dcr_provider_id: p.id,
      configs: { 'openid-connect': { issuer: p.issuer, credential_claim: ['client_id'], scopes: ['openid', 'payments:read'], auth_methods: ['client_credentials', 'bearer'], ...(p.provider_type === 'auth0' ? { token_post_args_names: ['audience'], token_post_args_values: ['https://payments.example.com'] } : {}) } },
    });
  }
  const keyAuth = await c.authStrategies.create({ strategy_type: 'key_auth', name: `${prefix}api-keys`, display_name: 'API keys', configs: { 'key-auth': { key_names: ['apikey', 'x-api-key'], ttl: { value: 30, unit: 'days' } } } });
  const selfManaged = await c.authStrategies.create({ strategy_type: 'openid_connect', name: `${prefix}self-managed`, display_name: 'Bring your own client', configs: { 'openid-connect': { issuer: 'https://login.example.com', credential_claim: ['sub'], scopes: [], auth_methods: ['bearer'] } } });
  return { authServer, providers, oidc, keyAuth, selfManaged, secrets: Object.values(s), clientSecret: created.client_secret };
}
