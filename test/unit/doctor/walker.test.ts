/** DCR Doctor's walker against in-memory ports: a healthy chain is all green; each broken link is named first. */
import * as assert from 'node:assert/strict';
import { diagnose, type DoctorPorts, type DoctorReport, type DoctorTarget } from '../../../src/core/doctor';
import type { AppAuthStrategy } from '../../../src/core/model/authStrategy';
import type { Api, ApiImplementation, ApiPublicationListItem, Portal } from '../../../src/core/model/catalog';
import type { DcrProvider } from '../../../src/core/model/dcrProvider';
import type { AdminRegistration, GatewayPlugin } from '../../../src/core/model/gateway';
import { KonnectApiError } from '../../../src/core/api/errors';

const ISSUER = 'https://idp.example.com/oauth2/default';
const STRATEGY = '11111111-1111-4111-8111-111111111111';
const PROVIDER = '22222222-2222-4222-8222-222222222222';
const API = '33333333-3333-4333-8333-333333333333';
const PORTAL = '44444444-4444-4444-8444-444444444444';
const CP = '55555555-5555-4555-8555-555555555555';
const SVC = '66666666-6666-4666-8666-666666666666';
const T = '2026-01-01T00:00:00Z';

interface World {
  strategy: AppAuthStrategy;
  provider: DcrProvider;
  verify: { status: 'success' | 'failed'; errors: string[] };
  pubs: ApiPublicationListItem[];
  api: Api;
  portal: Portal;
  impls: ApiImplementation[];
  services: Map<string, { id: string; name: string }>;
  plugins: GatewayPlugin[];
  registrations: AdminRegistration[];
  docs: Map<string, { status: number; body: unknown }>;
  authServer?: { name: string; id: string; scopes: string[]; claims: string[] };
  calls: string[];
}

function world(): World {
  return {
    strategy: {
      id: STRATEGY,
      name: 'orders-okta',
      display_name: 'Orders',
      strategy_type: 'openid_connect',
      configs: {
        'openid-connect': {
          issuer: ISSUER,
          credential_claim: ['cid'],
          scopes: ['orders:read'],
          auth_methods: ['client_credentials', 'bearer'],
        },
      },
      dcr_provider: { id: PROVIDER, name: 'okta-prod', display_name: 'Okta', provider_type: 'okta' },
      active: true,
      labels: {},
      created_at: T,
      updated_at: T,
    } as unknown as AppAuthStrategy,
    provider: {
      id: PROVIDER,
      name: 'okta-prod',
      provider_type: 'okta',
      issuer: ISSUER,
      dcr_config: {},
      active: true,
      labels: {},
      created_at: T,
      updated_at: T,
    } as unknown as DcrProvider,
    verify: { status: 'success', errors: [] },
    pubs: [
      {
        api_id: API,
        portal_id: PORTAL,
        auth_strategy_ids: [STRATEGY],
        visibility: 'public',
        entity_type: 'api',
        auto_approve_registrations: false,
        created_at: T,
        updated_at: T,
      },
    ],
    api: {
      id: API,
      name: 'Orders',
      version: 'v1',
      slug: 'orders-v1',
      labels: {},
      created_at: T,
      updated_at: T,
    } as unknown as Api,
    portal: { id: PORTAL, name: 'Dev Portal', auto_approve_applications: false } as unknown as Portal,
    impls: [{ id: 'impl-1', api_id: API, created_at: T, updated_at: T, service: { control_plane_id: CP, id: SVC } }],
    services: new Map([[`${CP}/${SVC}`, { id: SVC, name: 'orders-svc' }]]),
    plugins: [{ id: 'plug-kaa', name: 'konnect-application-auth', enabled: true, service: { id: SVC } }],
    registrations: [],
    docs: new Map<string, { status: number; body: unknown }>([
      [
        `${ISSUER}/.well-known/openid-configuration`,
        {
          status: 200,
          body: {
            issuer: ISSUER,
            token_endpoint: `${ISSUER}/v1/token`,
            jwks_uri: `${ISSUER}/v1/keys`,
            grant_types_supported: ['authorization_code', 'client_credentials'],
            claims_supported: ['sub', 'iss', 'cid'],
            scopes_supported: ['openid', 'orders:read'],
          },
        },
      ],
      [`${ISSUER}/v1/keys`, { status: 200, body: { keys: [{ kty: 'RSA', kid: 'k1' }] } }],
    ]),
    calls: [],
  };
}

function ports(w: World): DoctorPorts {
  const notFound = (what: string): never => {
    throw new KonnectApiError({ status: 404, title: 'Not Found', detail: `${what} not found` } as never);
  };
  return {
    strategy: async (id) => (id === w.strategy.id ? w.strategy : notFound('strategy')),
    provider: async (id) => (id === w.provider.id ? w.provider : notFound('provider')),
    verify: async (id) => {
      w.calls.push(`verify ${id}`);
      return w.verify;
    },
    publications: async (f) =>
      w.pubs.filter(
        (p) =>
          (!f.strategyId || (p.auth_strategy_ids ?? []).includes(f.strategyId)) && (!f.apiId || p.api_id === f.apiId),
      ),
    api: async (id) => (id === w.api.id ? w.api : notFound('api')),
    portal: async (id) => (id === w.portal.id ? w.portal : notFound('portal')),
    implementations: async (apiId) => w.impls.filter((i) => i.api_id === apiId),
    service: async (cp, id) => w.services.get(`${cp}/${id}`),
    plugins: async () => w.plugins,
    kongIdentity: async (issuer) => (w.authServer && issuer === ISSUER ? w.authServer : undefined),
    pendingRegistrations: async () => w.registrations.filter((r) => r.status === 'pending'),
    getJson: async (url) => {
      const d = w.docs.get(url);
      if (!d) throw new Error(`connect ECONNREFUSED (${url})`);
      return d;
    },
  };
}

const run = (w: World, target: DoctorTarget = { kind: 'strategy', strategyId: STRATEGY }): Promise<DoctorReport> =>
  diagnose(ports(w), target, { signal: new AbortController().signal });
const status = (r: DoctorReport): Record<string, string> => Object.fromEntries(r.links.map((l) => [l.id, l.status]));

describe('DCR Doctor walker', () => {
  it('a healthy chain: every link green, no culprit, the provider verified', async () => {
    const w = world();
    const r = await run(w);
    assert.deepEqual(status(r), {
      provider: 'pass',
      idp: 'pass',
      strategy: 'pass',
      publication: 'pass',
      implementation: 'pass',
      service: 'pass',
      plugin: 'pass',
      registration: 'pass',
      claims: 'pass',
    });
    assert.equal(r.verdict, 'pass');
    assert.equal(r.culprit, undefined);
    assert.deepEqual(w.calls, [`verify ${PROVIDER}`]);
    assert.deepEqual(r.publication, { apiId: API, apiName: 'Orders', portalId: PORTAL, portalName: 'Dev Portal' });
  });

  it('the same chain from the API and from the publication', async () => {
    for (const target of [
      { kind: 'api', apiId: API },
      { kind: 'publication', apiId: API, portalId: PORTAL },
    ] as const) {
      const r = await run(world(), target);
      assert.equal(r.verdict, 'pass', JSON.stringify(r.links));
      assert.equal(r.subject.kind, target.kind);
    }
  });

  it('no Gateway Service link: names the API, strategies are not enforced; service and plugin unknown', async () => {
    const w = world();
    w.impls = [];
    const r = await run(w);
    assert.equal(r.culprit?.link, 'implementation');
    assert.deepEqual(r.culprit?.object, { kind: 'api', name: 'Orders', id: API });
    assert.match(r.culprit?.detail ?? '', /not enforced/);
    assert.equal(status(r)['service'], 'unknown');
    assert.equal(status(r)['plugin'], 'unknown');
  });

  it('both konnect-application-auth and ace apply: names the ace plugin (the service link manages app-auth)', async () => {
    const w = world();
    w.plugins.push({ id: 'plug-ace', name: 'ace', enabled: true });
    const r = await run(w);
    assert.equal(r.culprit?.link, 'plugin');
    assert.equal(r.culprit?.object?.kind, 'plugin');
    assert.equal(r.culprit?.object?.id, 'plug-ace');
    assert.match(r.culprit?.detail ?? '', /plug-kaa/);
  });

  it('a plugin scoped to another service, or disabled, does not count; none left is a failure on the service', async () => {
    const w = world();
    w.plugins = [
      { id: 'p1', name: 'konnect-application-auth', enabled: true, service: { id: 'other' } },
      { id: 'p2', name: 'ace', enabled: false },
      { id: 'p3', name: 'ace', enabled: true, route: { id: 'r1' } },
    ];
    const r = await run(w);
    assert.equal(r.culprit?.link, 'plugin');
    assert.deepEqual(r.culprit?.object, { kind: 'gatewayService', name: 'orders-svc', id: SVC });
    w.plugins = [{ id: 'g1', name: 'ace', enabled: true }];
    assert.equal((await run(w)).verdict, 'pass');
  });

  it('a linked service the control plane does not have: names the service', async () => {
    const w = world();
    w.services.clear();
    const r = await run(w);
    assert.equal(r.culprit?.link, 'service');
    assert.deepEqual(r.culprit?.object, { kind: 'gatewayService', name: SVC, id: SVC });
  });

  it("wrong issuer: names the strategy, with the IdP's issuer and the edit form as the fix", async () => {
    const w = world();
    (w.strategy.configs as Record<string, { issuer: string }>)['openid-connect']!.issuer =
      'https://idp.example.com/other';
    const r = await run(w);
    assert.equal(r.culprit?.link, 'strategy');
    assert.deepEqual(r.culprit?.object, { kind: 'strategy', name: 'orders-okta', id: STRATEGY });
    assert.match(r.culprit?.detail ?? '', new RegExp(ISSUER.replace(/[./]/g, '\\$&')));
    assert.deepEqual(r.links.find((l) => l.id === 'strategy')?.fixes, [{ kind: 'editStrategy', strategyId: STRATEGY }]);
  });

  it('the discovery URL form of the issuer (Curity) and a trailing slash are the same issuer', async () => {
    const w = world();
    (w.strategy.configs as Record<string, { issuer: string }>)['openid-connect']!.issuer =
      `${ISSUER}/.well-known/openid-configuration`;
    assert.equal(status(await run(w))['strategy'], 'pass');
    (w.strategy.configs as Record<string, { issuer: string }>)['openid-connect']!.issuer = `${ISSUER}/`;
    assert.equal(status(await run(w))['strategy'], 'pass');
  });

  it('Kong Identity: a credential claim or scope its auth server does not have is broken, named on the strategy', async () => {
    const w = world();
    (w.strategy as unknown as { dcr_provider: { provider_type: string } }).dcr_provider.provider_type = 'kongIdentity';
    (w.provider as unknown as { provider_type: string }).provider_type = 'kongIdentity';
    w.authServer = { name: 'orders-as', id: 'as-1', scopes: ['orders:read'], claims: ['client_name'] };
    const cfg = (w.strategy.configs as Record<string, { credential_claim: string[]; scopes: string[] }>)[
      'openid-connect'
    ]!;
    cfg.credential_claim = ['client_name'];
    assert.equal(status(await run(w))['claims'], 'pass');
    cfg.credential_claim = ['employee_number'];
    let r = await run(w);
    assert.equal(r.culprit?.link, 'claims');
    assert.deepEqual(r.culprit?.object, { kind: 'strategy', name: 'orders-okta', id: STRATEGY });
    assert.match(r.culprit?.detail ?? '', /employee_number.*orders-as/);
    cfg.credential_claim = ['client_id']; // RFC 9068: every access token may carry it
    assert.equal(status(await run(w))['claims'], 'pass');
    cfg.scopes = ['orders:write'];
    r = await run(w);
    assert.equal(r.culprit?.link, 'claims');
    assert.match(r.culprit?.detail ?? '', /orders:write/);
  });

  it('elsewhere a claim or scope missing from claims_supported / scopes_supported is unknown (the lists need not be complete)', async () => {
    const w = world();
    const cfg = (w.strategy.configs as Record<string, { credential_claim: string[]; scopes: string[] }>)[
      'openid-connect'
    ]!;
    cfg.credential_claim = ['employee_number'];
    let r = await run(w);
    assert.equal(status(r)['claims'], 'unknown');
    assert.match(r.links.find((l) => l.id === 'claims')?.detail ?? '', /employee_number/);
    assert.equal(r.verdict, 'unknown');
    cfg.credential_claim = ['cid']; // Okta's client-id claim
    cfg.scopes = ['openid', 'orders:read'];
    r = await run(w);
    assert.equal(status(r)['claims'], 'pass');
  });

  it('an IdP that publishes neither claims_supported nor scopes_supported: claims unknown, verdict unknown', async () => {
    const w = world();
    const doc = w.docs.get(`${ISSUER}/.well-known/openid-configuration`)!.body as Record<string, unknown>;
    delete doc['claims_supported'];
    delete doc['scopes_supported'];
    const r = await run(w);
    assert.equal(status(r)['claims'], 'unknown');
    assert.equal(r.verdict, 'unknown');
    assert.equal(r.culprit, undefined);
  });

  it('a pending registration: names it, says why (no auto-approve anywhere), offers approval', async () => {
    const w = world();
    w.registrations = [
      {
        id: 'reg-1',
        status: 'pending',
        api: { id: API, name: 'Orders' },
        application: { id: 'app-1', name: 'my-app' },
      },
      { id: 'reg-2', status: 'pending', api: { id: 'other', name: 'Other' }, application: { id: 'app-2', name: 'x' } },
    ];
    const r = await run(w);
    assert.equal(r.culprit?.link, 'registration');
    assert.deepEqual(r.culprit?.object, { kind: 'registration', name: 'my-app', id: 'reg-1' });
    assert.match(r.culprit?.detail ?? '', /does not auto-approve registrations/);
    assert.deepEqual(r.links.find((l) => l.id === 'registration')?.fixes, [
      { kind: 'approveRegistration', portalId: PORTAL, applicationId: 'app-1', registrationId: 'reg-1' },
    ]);
  });

  it('a failing verify: names the provider first, with Verify and Edit as fixes', async () => {
    const w = world();
    w.verify = { status: 'failed', errors: ['invalid DCR token'] };
    w.impls = []; // a later broken link does not take the first place
    const r = await run(w);
    assert.equal(r.culprit?.link, 'provider');
    assert.deepEqual(r.culprit?.object, { kind: 'dcrProvider', name: 'okta-prod', id: PROVIDER });
    assert.match(r.culprit?.detail ?? '', /invalid DCR token/);
    assert.deepEqual(
      r.links[0]?.fixes.map((f) => f.kind),
      ['verifyProvider', 'editProvider'],
    );
  });

  it('discovery down: the IdP link fails on the identity provider, the issuer and claims are unknown', async () => {
    const w = world();
    w.docs.clear();
    const r = await run(w);
    assert.equal(r.culprit?.link, 'idp');
    assert.equal(r.culprit?.object?.kind, 'identityProvider');
    assert.equal(status(r)['strategy'], 'unknown');
    assert.equal(status(r)['claims'], 'unknown');
  });

  it('no client_credentials in grant_types_supported, or an empty key set: the IdP link fails', async () => {
    const w = world();
    const doc = w.docs.get(`${ISSUER}/.well-known/openid-configuration`)!.body as Record<string, unknown>;
    doc['grant_types_supported'] = ['authorization_code'];
    assert.match((await run(w)).culprit?.detail ?? '', /client_credentials/);
    doc['grant_types_supported'] = ['client_credentials'];
    w.docs.set(`${ISSUER}/v1/keys`, { status: 200, body: { keys: [] } });
    assert.match((await run(w)).culprit?.detail ?? '', /has no keys/);
  });

  it('an unpublished strategy names the strategy; an API without publications names the API', async () => {
    const w = world();
    w.pubs = [];
    let r = await run(w);
    assert.equal(r.culprit?.link, 'publication');
    assert.equal(r.culprit?.object?.kind, 'strategy');
    r = await run(w, { kind: 'api', apiId: API });
    assert.equal(r.culprit?.link, 'publication');
    assert.deepEqual(r.culprit?.object, { kind: 'api', name: 'Orders', id: API });
  });
});
