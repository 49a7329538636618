// Plans against a known Konnect state (pure): create, update with field-level changes, no-op, only in Konnect,
// conflicts; secrets are "will be sent", never drift; dependency order.
import * as assert from 'node:assert/strict';
import type { AppAuthStrategy, AuthServer, DcrProvider } from '../../../src/core/api/index';
import {
  analyzeConfig,
  isNoop,
  planAgainst,
  renderPlan,
  type DesiredState,
  type PlanStep,
  type RemoteState,
} from '../../../src/core/config/index';

const TS = '2026-01-01T00:00:00Z';
const model = (text: string): DesiredState => {
  const a = analyzeConfig(text, { fileName: 'konnect-dcr.yaml' });
  assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics.map((d) => d.message)));
  return a.model!;
};
const remote = (r: Partial<RemoteState>): RemoteState => ({
  providers: [],
  strategies: [],
  authServers: undefined,
  scopes: new Map(),
  claims: new Map(),
  clients: new Map(),
  ...r,
});

const FILE = `_defaults:
  kongctl:
    namespace: payments
kong_identity_auth_servers:
  - ref: ki
    name: KI
    audience: https://payments
    scopes:
      - name: read
dcr_providers:
  - ref: okta-dcr
    name: Okta DCR
    provider_type: okta
    issuer: https://example.okta.com/oauth2/default
    dcr_config:
      dcr_token: !secret {source: !env OKTA_TOKEN}
    labels:
      team: identity
  - ref: ki-dcr
    name: KI DCR
    provider_type: kongIdentity
    issuer: !ref ki#issuer
application_auth_strategies:
  - ref: okta-oidc
    name: Okta OIDC
    display_name: Okta
    strategy_type: openid_connect
    dcr_provider_id: !ref okta-dcr
    configs:
      openid_connect:
        issuer: https://example.okta.com/oauth2/default
        credential_claim: [cid]
        scopes: [payments]
        auth_methods: [client_credentials, bearer]
`;

const okta = (over: Partial<DcrProvider> = {}): DcrProvider =>
  ({
    id: 'p-okta',
    name: 'Okta DCR',
    provider_type: 'okta',
    issuer: 'https://example.okta.com/oauth2/default',
    active: true,
    labels: { team: 'identity', 'KONGCTL-namespace': 'payments' },
    dcr_config: {},
    created_at: TS,
    updated_at: TS,
    ...over,
  }) as DcrProvider;
const kiProvider = (over: Partial<DcrProvider> = {}): DcrProvider =>
  ({
    id: 'p-ki',
    name: 'KI DCR',
    provider_type: 'kongIdentity',
    issuer: 'https://ki.example.com/auth',
    active: false,
    labels: { 'KONGCTL-namespace': 'payments' },
    dcr_config: {},
    created_at: TS,
    updated_at: TS,
    ...over,
  }) as DcrProvider;
const oidc = (over: Partial<AppAuthStrategy> = {}): AppAuthStrategy =>
  ({
    id: 's-okta',
    name: 'Okta OIDC',
    display_name: 'Okta',
    strategy_type: 'openid_connect',
    active: false,
    dcr_provider: { id: 'p-okta', name: 'Okta DCR', provider_type: 'okta' },
    labels: { 'KONGCTL-namespace': 'payments' },
    configs: {
      'openid-connect': {
        issuer: 'https://example.okta.com/oauth2/default',
        credential_claim: ['cid'],
        scopes: ['payments'],
        auth_methods: ['client_credentials', 'bearer'],
      },
    },
    created_at: TS,
    updated_at: TS,
    ...over,
  }) as AppAuthStrategy;
const server: AuthServer = {
  id: 'as-1',
  name: 'KI',
  description: '',
  audience: 'https://payments',
  signing_algorithm: 'RS256',
  issuer: 'https://ki.example.com/auth',
  metadata_uri: 'https://ki.example.com/auth/.well-known/openid-configuration',
  labels: {},
  created_at: TS,
  updated_at: TS,
};
const scope = {
  id: 'sc-1',
  name: 'read',
  description: '',
  default: false,
  include_in_metadata: false,
  enabled: true,
  created_at: TS,
  updated_at: TS,
};
const inSync = (): RemoteState =>
  remote({
    providers: [okta(), kiProvider()],
    strategies: [oidc()],
    authServers: [server],
    scopes: new Map([['as-1', [scope]]]),
    claims: new Map([['as-1', []]]),
  });
const step = (p: { steps: readonly PlanStep[] }, kind: PlanStep['kind'], name: string): PlanStep => {
  const s = p.steps.find((x) => x.kind === kind && x.name === name);
  assert.ok(s, `${kind} ${name} in ${p.steps.map((x) => `${x.kind}:${x.name}`).join(', ')}`);
  return s;
};

describe('config plan', () => {
  const desired = model(FILE);

  it('against an empty Konnect: everything is created, in dependency order, secrets "will be sent", refs pending', () => {
    const p = planAgainst(desired, remote({ authServers: [] }));
    assert.deepEqual(
      p.steps.map((s) => `${s.action} ${s.kind} ${s.name}`),
      [
        'create authServer KI',
        'create scope read',
        'create provider Okta DCR',
        'create provider KI DCR',
        'create strategy Okta OIDC',
      ],
    );
    assert.deepEqual(p.counts, { create: 5, update: 0, unchanged: 0, onlyInKonnect: 0, delete: 0, conflict: 0 });
    const o = step(p, 'provider', 'Okta DCR');
    assert.deepEqual(
      o.changes.find((c) => c.field === 'dcr_config.dcr_token'),
      { field: 'dcr_config.dcr_token', note: 'will be sent (from OKTA_TOKEN)' },
    );
    assert.deepEqual(
      o.changes.find((c) => c.field === 'labels.KONGCTL-namespace'),
      { field: 'labels.KONGCTL-namespace', to: 'payments' },
    );
    assert.match(
      step(p, 'provider', 'KI DCR').changes.find((c) => c.field === 'issuer')!.note!,
      /issuer of ki, known once this apply creates it/,
    );
    assert.match(
      step(p, 'strategy', 'Okta OIDC').changes.find((c) => c.field === 'dcr_provider_id')!.note!,
      /id of okta-dcr, created by this apply/,
    );
    assert.deepEqual(p.secretNames, ['OKTA_TOKEN']);
  });

  it('against a Konnect in sync: nothing to do; write-only secrets are never drift', () => {
    const p = planAgainst(desired, inSync());
    assert.ok(isNoop(p));
    assert.deepEqual(p.counts, { create: 0, update: 0, unchanged: 5, onlyInKonnect: 0, delete: 0, conflict: 0 });
    assert.deepEqual(p.secretNames, []);
    assert.match(renderPlan(p), /0 to create, 0 to update, 5 unchanged: nothing to apply/);
  });

  it('updates with field-level changes (and only the declared fields)', () => {
    const r = inSync();
    const p = planAgainst(desired, {
      ...r,
      providers: [
        okta({
          issuer: 'https://example.okta.com/oauth2/old',
          labels: { team: 'platform', extra: 'x', 'KONGCTL-namespace': 'payments' },
          display_name: 'not compared',
        }),
        kiProvider(),
      ],
      strategies: [
        oidc({
          configs: {
            'openid-connect': {
              issuer: 'https://example.okta.com/oauth2/default',
              credential_claim: ['sub'],
              scopes: ['payments'],
              auth_methods: ['bearer'],
              unrelated_plugin_setting: true,
            },
          },
        }),
      ],
      scopes: new Map([['as-1', [{ ...scope, enabled: false }]]]),
    });
    assert.deepEqual(step(p, 'provider', 'Okta DCR').changes, [
      { field: 'issuer', from: 'https://example.okta.com/oauth2/old', to: 'https://example.okta.com/oauth2/default' },
      { field: 'labels.team', from: 'platform', to: 'identity' },
      { field: 'labels.extra', from: 'x', note: 'removed' },
    ]);
    assert.deepEqual(step(p, 'strategy', 'Okta OIDC').changes, [
      { field: 'configs.openid_connect.credential_claim', from: ['sub'], to: ['cid'] },
      { field: 'configs.openid_connect.auth_methods', from: ['bearer'], to: ['client_credentials', 'bearer'] },
    ]);
    assert.equal(
      step(p, 'scope', 'read').action,
      'unchanged',
      'scope fields not declared in the file are not compared',
    );
    assert.equal(p.counts.update, 2);
    const text = renderPlan(p);
    assert.match(
      text,
      /\n~ update +"Okta DCR" +\(ref okta-dcr, id p-okta\)\n {4}issuer: "https:\/\/example\.okta\.com\/oauth2\/old" → "https:\/\/example\.okta\.com\/oauth2\/default"\n/,
    );
  });

  it('re-sends secrets only when asked, as a change that is never "drift"', () => {
    const p = planAgainst(desired, inSync(), { resendSecrets: true });
    assert.deepEqual(step(p, 'provider', 'Okta DCR').changes, [
      { field: 'dcr_config.dcr_token', note: 'will be sent (from OKTA_TOKEN): rotated, as asked' },
    ]);
    assert.deepEqual(p.secretNames, ['OKTA_TOKEN']);
  });

  it('a trailing slash on a provider issuer is not a change (kongctl normalises it)', () => {
    const p = planAgainst(desired, {
      ...inSync(),
      providers: [okta({ issuer: 'https://example.okta.com/oauth2/default/' }), kiProvider()],
    });
    assert.ok(isNoop(p));
  });

  it("lists resources of the file's kongctl namespace that the file does not have; counts the others", () => {
    const r = inSync();
    const p = planAgainst(desired, {
      ...r,
      providers: [
        ...r.providers,
        okta({ id: 'p-old', name: 'Old one' }),
        okta({ id: 'p-other', name: 'Other team', labels: { 'KONGCTL-namespace': 'other' } }),
        okta({ id: 'p-none', name: 'Unmanaged', labels: {} }),
      ],
    });
    assert.deepEqual(
      p.steps.filter((s) => s.action === 'onlyInKonnect').map((s) => s.name),
      ['Old one'],
    );
    assert.deepEqual(p.others, { providers: 2, strategies: 0, authServers: 0 });
    assert.match(renderPlan(p), /\n- only in Konnect +"Old one" +\(id p-old\)\n/);
  });

  it('conflicts: provider_type change, another kongctl namespace, two with the same name, protected', () => {
    const r = inSync();
    const typeChange = planAgainst(desired, {
      ...r,
      providers: [
        okta({ provider_type: 'http', dcr_config: { dcr_base_url: 'https://b' } } as Partial<DcrProvider>),
        kiProvider(),
      ],
    });
    assert.match(step(typeChange, 'provider', 'Okta DCR').reason!, /as a http provider; provider_type cannot change/);
    const otherNs = planAgainst(desired, {
      ...r,
      providers: [okta({ labels: { 'KONGCTL-namespace': 'team-b' } }), kiProvider()],
    });
    assert.equal(step(otherNs, 'provider', 'Okta DCR').action, 'conflict');
    assert.match(step(otherNs, 'provider', 'Okta DCR').reason!, /belongs to kongctl namespace "team-b"/);
    const twins = planAgainst(desired, {
      ...r,
      providers: [okta({ labels: {} }), okta({ id: 'p-twin', labels: {} }), kiProvider()],
    });
    assert.match(step(twins, 'provider', 'Okta DCR').reason!, /2 resources in Konnect are named "Okta DCR"/);
    const nsPicks = planAgainst(desired, {
      ...r,
      providers: [okta(), okta({ id: 'p-twin', labels: { 'KONGCTL-namespace': 'x' } }), kiProvider()],
    });
    assert.equal(step(nsPicks, 'provider', 'Okta DCR').id, 'p-okta', 'the kongctl namespace tells twins apart');
    const prot = planAgainst(desired, {
      ...r,
      providers: [
        okta({
          issuer: 'https://changed',
          labels: { team: 'identity', 'KONGCTL-namespace': 'payments', 'KONGCTL-protected': 'true' },
        }),
        kiProvider(),
      ],
    });
    assert.match(step(prot, 'provider', 'Okta DCR').reason!, /protected by kongctl/);
  });

  it('resolves !refs to resources of sibling files (found in Konnect by name)', () => {
    const text =
      '_defaults:\n  kongctl:\n    namespace: payments\napplication_auth_strategies:\n  - ref: s\n    name: Okta OIDC\n    display_name: Okta\n    strategy_type: openid_connect\n    dcr_provider_id: !ref okta-elsewhere\n    configs:\n      openid_connect:\n        issuer: https://example.okta.com/oauth2/default\n        credential_claim: [cid]\n        scopes: [payments]\n        auth_methods: [client_credentials, bearer]\n';
    const a = analyzeConfig(text, {
      fileName: 'strategies.kongctl.yaml',
      externalRefs: new Map([['okta-elsewhere', 'provider' as const]]),
    });
    assert.equal(a.errorCount, 0);
    const p = planAgainst(a.model!, inSync(), {
      external: [{ ref: 'okta-elsewhere', kind: 'provider', name: 'Okta DCR' }],
    });
    assert.equal(step(p, 'strategy', 'Okta OIDC').action, 'unchanged', 'the sibling provider resolves to p-okta');
    const missing = planAgainst(a.model!, inSync(), {
      external: [{ ref: 'okta-elsewhere', kind: 'provider', name: 'Not in Konnect' }],
    });
    assert.equal(step(missing, 'strategy', 'Okta OIDC').action, 'update');
    assert.match(step(missing, 'strategy', 'Okta OIDC').changes[0]!.note!, /known once this apply creates it/);
  });

  it("adopts an unlabeled resource of the same name into the file's namespace", () => {
    const r = inSync();
    const p = planAgainst(desired, { ...r, providers: [okta({ labels: { team: 'identity' } }), kiProvider()] });
    assert.deepEqual(step(p, 'provider', 'Okta DCR').changes, [
      { field: 'labels.KONGCTL-namespace', from: undefined, to: 'payments' },
    ]);
  });
});
