// The one kongctl YAML renderer (Pull, the details documents, "Copy as kongctl YAML"): whatever it renders loads in
// our own config analyzer with no problem at all (no error, no warning), for every provider type, both strategy types
// and a Kong Identity auth server, whole or as the details of one resource; and it says what Konnect holds.
import * as assert from 'node:assert/strict';
import { analyzeConfig, type Analysis } from '../../../src/core/config/index';
import { renderKongctlYaml, type KongctlResources } from '../../../src/core/config/kongctlYaml';
import { renderPulled } from '../../../src/core/config/pull';
import { AppAuthStrategySchema, type AppAuthStrategy } from '../../../src/core/model/authStrategy';
import { DcrProviderSchema, type DcrProvider } from '../../../src/core/model/dcrProvider';
import type { Claim, Client, Scope } from '../../../src/core/model/kongIdentity';
import { PROVIDER_TYPES, dcrFieldsOf, providerType, type ProviderType } from '../../../src/core/model/providerTypes';
import { anAuthServer, testId } from '../../support/konnectBuilders';

const T = '2026-01-01T00:00:00.000Z';

/** A Konnect answer for a provider of this type, built from its row of the table (so a new type is covered too). */
function providerOf(type: ProviderType, labels: Record<string, string> = {}): DcrProvider {
  const q = providerType(type).quirks;
  const issuer =
    q.providerIssuer === 'discoveryUrl'
      ? `https://${type}.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration`
      : q.providerIssuer === 'azureV1'
        ? 'https://sts.windows.net/03640e99-6c96-4817-b392-b9336037a8e2'
        : `https://${type}.example.com/oauth2/default`;
  const dcr_config: Record<string, unknown> = {};
  for (const f of dcrFieldsOf(type)) {
    if (f.kind === 'secret') continue;
    dcr_config[f.key] =
      f.kind === 'boolean'
        ? true
        : f.nullable
          ? null
          : f.kind === 'url'
            ? `https://${type}-bridge.example.com/dcr`
            : `${type}-admin-client`;
  }
  return DcrProviderSchema.parse({
    id: testId(),
    name: `${type} provider`,
    display_name: `${type} (prod)`,
    provider_type: type,
    issuer,
    active: true,
    dcr_config,
    labels,
    created_at: T,
    updated_at: T,
  });
}

/** An openid_connect strategy on this provider that follows every quirk of its type (so the lint has nothing to say). */
function oidcOn(p: DcrProvider, labels: Record<string, string> = {}): AppAuthStrategy {
  const row = providerType(p.provider_type);
  const issuer = p.issuer.replace(/\/\.well-known\/openid-configuration$/, '');
  return AppAuthStrategySchema.parse({
    id: testId(),
    name: `${p.provider_type} strategy`,
    display_name: `${p.provider_type} apps`,
    strategy_type: 'openid_connect',
    active: true,
    configs: {
      'openid-connect': {
        issuer,
        credential_claim: [row.quirks.credentialClaimMustBeClientId ? row.clientIdClaim : row.defaultCredentialClaim],
        scopes: row.quirks.noOpenidScope ? ['orders:read'] : ['openid', 'orders:read'],
        auth_methods: ['client_credentials', 'bearer'],
        ...(row.quirks.tokenAudience
          ? { token_post_args_names: ['audience'], token_post_args_values: ['https://orders.example.com'] }
          : {}),
        ttl: 3600,
      },
    },
    dcr_provider: { id: p.id, name: p.name, provider_type: p.provider_type },
    labels,
    created_at: T,
    updated_at: T,
  });
}

const keyAuth = (): AppAuthStrategy =>
  AppAuthStrategySchema.parse({
    id: testId(),
    name: 'API keys',
    display_name: '',
    strategy_type: 'key_auth',
    active: false,
    configs: { 'key-auth': { key_names: ['apikey', 'x-api-key'], ttl: { value: 30, unit: 'days' } } },
    dcr_provider: null,
    labels: { 'KONGCTL-namespace': 'payments', team: 'billing' },
    created_at: T,
    updated_at: T,
  });

const server = anAuthServer({
  name: 'Payments auth server',
  description: 'for the payments APIs',
  labels: { team: 'payments', 'KONGCTL-namespace': 'payments' },
  jwks_uri: 'https://x.example.com/keys',
});
const scope = (name: string): Scope => ({
  id: testId(),
  name,
  description: '',
  default: false,
  include_in_metadata: true,
  enabled: true,
  created_at: T,
  updated_at: T,
});
const scopes = [scope('payments:read'), scope('payments:write')];
const claim: Claim = {
  id: testId(),
  name: 'tier',
  value: 'gold',
  include_in_token: true,
  include_in_all_scopes: false,
  include_in_scopes: [scopes[1]!.id],
  enabled: true,
  created_at: T,
  updated_at: T,
};
const client: Client = {
  id: 'kYa9iQFU5xPDSIUH9z1z',
  name: 'ci-pipeline',
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
};

function clean(r: KongctlResources, fileName: string): { text: string; analysis: Analysis } {
  const { text } = renderKongctlYaml(r);
  const analysis = analyzeConfig(text, { fileName });
  assert.deepEqual(
    analysis.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`),
    [],
    `${fileName}:\n${text}`,
  );
  return { text, analysis };
}

describe('kongctl YAML renderer', () => {
  const providers = PROVIDER_TYPES.map((t, i) =>
    providerOf(t, i % 2 ? { 'KONGCTL-namespace': 'payments', 'KONGCTL-protected': 'true', team: 'payments' } : {}),
  );
  const strategies = [...providers.map((p) => oidcOn(p)), keyAuth()];

  it('every provider type, both strategy types and a Kong Identity auth server: a file the analyzer takes with no problem', () => {
    const { text, analysis } = clean(
      {
        providers,
        strategies,
        authServers: [{ authServer: server, scopes, claims: [claim], clients: [client] }],
        comment: 'everything',
      },
      'konnect-dcr.yaml',
    );
    assert.match(text, /^kong_identity_auth_servers:$/m);
    assert.doesNotMatch(text, /^auth_servers:/m);
    assert.doesNotMatch(text, /^\s+KONGCTL-/m, "kongctl's labels are kongctl: metadata, not labels");
    const m = analysis.model!;
    assert.deepEqual(
      m.providers.map((p) => p.providerType),
      [...PROVIDER_TYPES],
    );
    assert.equal(m.strategies.length, PROVIDER_TYPES.length + 1);
    assert.equal(m.authServers.length, 1);
  });

  it('providers and strategies alone: a *.kongctl.yaml file kongctl reads, with no problem', () => {
    clean({ providers, strategies }, 'dcr.kongctl.yaml');
    assert.equal(
      renderPulled(providers, strategies, 'Pulled for the test.').secretNames.length,
      providers.reduce((n, p) => n + dcrFieldsOf(p.provider_type).filter((f) => f.kind === 'secret').length, 0),
    );
    clean({ providers, strategies, namespaceDefaults: true }, 'pulled.kongctl.yaml');
  });

  it('each details document (one provider, a strategy with its provider, an auth server, a scope, a claim, a client) has no problem', () => {
    for (const p of providers)
      clean({ providers: [p], comment: `DCR provider "${p.name}" (id ${p.id})` }, `${p.name}.yaml`);
    for (const s of strategies) {
      const p = providers.find((x) => s.strategy_type === 'openid_connect' && x.id === s.dcr_provider?.id);
      clean({ providers: p ? [p] : [], strategies: [s] }, `${s.name}.yaml`);
    }
    clean({ authServers: [{ authServer: server }] }, 'server.yaml');
    clean({ authServers: [{ authServer: server, scopes: [scopes[0]!] }] }, 'scope.yaml');
    clean(
      {
        authServers: [
          { authServer: server, scopes: scopes.filter((s) => claim.include_in_scopes.includes(s.id)), claims: [claim] },
        ],
      },
      'claim.yaml',
    );
    clean({ authServers: [{ authServer: server, claims: [claim] }] }, 'claim-without-its-scopes.yaml');
    clean({ authServers: [{ authServer: server, clients: [client] }] }, 'client.yaml');
  });

  it('says what Konnect holds: values, !ref to the provider, !secret references, kongctl metadata; read-only values as comments', () => {
    const { text, analysis } = clean(
      { providers, strategies, authServers: [{ authServer: server, scopes, claims: [claim], clients: [client] }] },
      'konnect-dcr.yaml',
    );
    const m = analysis.model!;
    providers.forEach((p, i) => {
      const d = m.providers[i]!;
      assert.equal(d.name, p.name);
      assert.deepEqual(d.issuer, { kind: 'value', value: p.issuer });
      assert.deepEqual(
        d.config,
        Object.fromEntries(Object.entries(p.dcr_config).filter(([, v]) => v !== null)),
        `${p.provider_type} dcr_config`,
      );
      assert.deepEqual(
        Object.keys(d.secrets),
        dcrFieldsOf(p.provider_type)
          .filter((f) => f.kind === 'secret')
          .map((f) => f.key),
      );
      assert.equal(d.namespace, i % 2 ? 'payments' : undefined);
      assert.equal(d.protected, i % 2 ? true : undefined);
      assert.deepEqual(d.labels, i % 2 ? { team: 'payments' } : undefined);
      assert.deepEqual(m.strategies[i]!.provider, { kind: 'ref', ref: d.ref, field: 'id' });
    });
    const k = m.strategies.at(-1)!;
    assert.deepEqual(
      [k.strategyType, k.namespace, k.labels, k.config],
      [
        'key_auth',
        'payments',
        { team: 'billing' },
        { key_names: ['apikey', 'x-api-key'], ttl: { value: 30, unit: 'days' } },
      ],
    );
    const a = m.authServers[0]!;
    assert.deepEqual(
      [a.name, a.audience, a.description, a.labels],
      [server.name, server.audience, server.description, { team: 'payments' }],
    );
    assert.deepEqual(
      a.scopes.map((s) => s.name),
      ['payments:read', 'payments:write'],
    );
    assert.deepEqual(
      a.claims.map((c) => [c.name, c.value, c.include_in_scopes]),
      [['tier', 'gold', ['payments:write']]],
    );
    // clients are entries (no longer comments): their writable fields, never a secret
    assert.deepEqual(a.clients, [
      {
        name: 'ci-pipeline',
        grant_types: ['client_credentials'],
        response_types: ['token'],
        access_token_duration: 300,
        id_token_duration: 300,
        allow_all_scopes: true,
        token_endpoint_auth_method: 'client_secret_post',
      },
    ]);
    assert.doesNotMatch(text, /^\s*-? ?client_secret:/m);
    for (const ro of [
      `# issuer: ${server.issuer}`,
      `# metadata_uri: ${server.metadata_uri}`,
      '# jwks_uri: https://x.example.com/keys',
      `# client_id ${client.id} (Konnect's; its secret is never shown)`,
      `id ${server.id}`,
      `id ${providers[0]!.id}`,
    ]) {
      assert.ok(text.includes(ro), `${ro} in\n${text}`);
    }
  });
});
