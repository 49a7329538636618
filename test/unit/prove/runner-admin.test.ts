// "Prove DCR" in admin mode over fakes: no developer signs in (the Portal API is never used); the admin creates a
// test developer, an application linked with dcr_client_id and an approved registration through Portal Management.
// For Kong Identity the run creates the client on the provider's auth server and deletes it at the end; for other
// IdPs it uses the client the admin owns and never deletes it. The cleanup order and what is left on a failure.
import * as assert from 'node:assert/strict';
import type { AppAuthStrategy } from '../../../src/core/model/authStrategy';
import type { ExecutedResponse, RequestExecutor } from '../../../src/core/requests/executor';
import { proveDcr, type ProveDeps, type ProveKonnect } from '../../../src/core/prove/runner';
import type { ProveReport, ProveTarget, StepId } from '../../../src/core/prove/types';
import { Redactor } from '../../../src/core/util/redact';
import { ProveViewModelSchema } from '../../../src/shared/prove/protocol';
import { toViewModel } from '../../../src/ui/prove/view';
import { FakeClock } from '../../support/clock';
import { fakeJwt } from '../requests/tokens';

const ISSUER = 'https://ki.example.com/auth/as-1';
const TOKEN_URL = `${ISSUER}/oauth/token`;
const GATEWAY = 'https://gw.example.com/orders/anything';
const KI_SECRET = 'ki-client-secret-once-0001';
const OWNED = { clientId: 'owned-okta-client', clientSecret: 'owned-okta-secret-0002' };

function strategy(type: 'kongIdentity' | 'okta'): AppAuthStrategy {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    name: `orders-${type}`,
    display_name: 'Orders',
    strategy_type: 'openid_connect',
    configs: {
      'openid-connect': {
        issuer: ISSUER,
        credential_claim: ['client_id'],
        scopes: ['orders:read'],
        auth_methods: ['client_credentials', 'bearer'],
      },
    },
    dcr_provider: { id: '22222222-2222-4222-8222-222222222222', name: `${type}-prov`, provider_type: type },
    active: true,
    labels: {},
    created_at: '',
    updated_at: '',
  } as unknown as AppAuthStrategy;
}

const publication = {
  apiId: '33333333-3333-4333-8333-333333333333',
  apiName: 'Orders',
  portalId: '44444444-4444-4444-8444-444444444444',
  portalName: 'Dev Portal',
  portalUrl: 'https://dev.example.com',
};

function target(type: 'kongIdentity' | 'okta', over: Partial<ProveTarget> = {}): ProveTarget {
  return {
    strategy: strategy(type),
    publication,
    gatewayUrl: GATEWAY,
    mode: 'admin',
    appName: 'kdcr-prove-admin',
    keepApp: false,
    ...(type === 'okta' ? { ownedClient: OWNED } : {}),
    ...over,
  };
}

const json = (status: number, body: unknown): ExecutedResponse => ({
  status,
  statusText: status === 200 ? 'OK' : '',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  bytes: 0,
  timings: { firstByteMs: 1, transferMs: 1, totalMs: 2, viaProxy: false },
});

interface World {
  calls: string[];
  /** Form bodies of the token requests. */
  tokenForms: URLSearchParams[];
  createAppError?: unknown;
  deleteDeveloperError?: unknown;
  redactor: Redactor;
  clock: FakeClock;
}

function setup(): { w: World; deps: ProveDeps } {
  const clock = new FakeClock();
  const w: World = { calls: [], tokenForms: [], redactor: new Redactor(), clock };
  const executor: RequestExecutor = {
    async execute(req) {
      if (req.url.endsWith('/.well-known/openid-configuration'))
        return json(200, { issuer: ISSUER, token_endpoint: TOKEN_URL });
      if (req.url === TOKEN_URL) {
        const form = new URLSearchParams(req.body ?? '');
        w.tokenForms.push(form);
        const cid = form.get('client_id')!;
        return json(200, {
          access_token: fakeJwt({ iss: ISSUER, client_id: cid, scope: 'orders:read', exp: clock.now() / 1000 + 300 }),
          token_type: 'Bearer',
        });
      }
      if (req.url === GATEWAY) return json(200, { consumer: { client_id: 'x' } });
      return json(404, {});
    },
  };
  const konnect: ProveKonnect = {
    dcrProviders: {
      verify: async () => ({ status: 'success', errors: [] }),
      get: async () => {
        w.calls.push('get provider');
        return { issuer: `${ISSUER}/` };
      },
    },
    apiPublications: {
      get: async () =>
        ({
          auth_strategy_ids: [strategy('okta').id],
          visibility: 'public',
          auto_approve_registrations: false,
        }) as never,
    },
    portalAdmin: {
      createDeveloper: async (portalId, body) => {
        w.calls.push(`create developer ${body.status} ${portalId === publication.portalId}`);
        return { id: 'dev-1', email: body.email, full_name: body.full_name, status: 'approved' } as never;
      },
      createApplication: async (_p, body) => {
        w.calls.push(
          `create application owner=${body.owner.type}:${body.owner.id} dcr_client_id=${body.dcr_client_id}`,
        );
        if (w.createAppError) throw w.createAppError;
        return { id: 'app-1', name: body.name, client_id: body.dcr_client_id } as never;
      },
      createRegistration: async (_p, appId, body) => {
        w.calls.push(`register ${appId} ${body.api_id === publication.apiId} ${body.status}`);
        return { id: 'reg-1', status: 'approved' } as never;
      },
      deleteApplication: async (_p, id) => {
        w.calls.push(`delete application ${id}`);
      },
      deleteDeveloper: async (_p, id) => {
        w.calls.push(`delete developer ${id}`);
        if (w.deleteDeveloperError) throw w.deleteDeveloperError;
      },
    },
    identity: {
      authServers: {
        listAll: async () =>
          [
            { id: 'as-0', name: 'other', issuer: 'https://ki.example.com/auth/as-0' },
            { id: 'as-1', name: 'orders-as', issuer: ISSUER },
          ] as never,
      },
      scopes: {
        listAll: async (asId) => {
          w.calls.push(`list scopes ${asId}`);
          return [
            { id: 'scope-read', name: 'orders:read' },
            { id: 'scope-write', name: 'orders:write' },
          ] as never;
        },
      },
      clients: {
        create: async (asId, body) => {
          w.calls.push(`create KI client ${asId} scopes=${(body.allow_scopes ?? []).join(',')}`);
          return { id: 'ki-client-1', client_secret: KI_SECRET } as never;
        },
        delete: async (asId, id) => {
          w.calls.push(`delete KI client ${asId} ${id}`);
        },
      },
    },
  };
  const deps: ProveDeps = {
    konnect,
    portal: () => {
      throw new Error('admin mode must not use the developer Portal API');
    },
    executor,
    clock,
    redactor: w.redactor,
    tokenRetry: { totalMs: 0, intervalMs: 1 },
    gatewayRetry: { totalMs: 0, intervalMs: 1 },
  };
  return { w, deps };
}

const statuses = (r: ProveReport): string => r.steps.map((s) => `${s.id}:${s.status}`).join(' ');
const step = (r: ProveReport, id: StepId) => r.steps.find((s) => s.id === id)!;
const never = new AbortController().signal;
const ALL_PASS = 'verify:pass publication:pass application:pass token:pass claims:pass gateway:pass cleanup:pass';

describe('prove: admin mode', () => {
  it('Kong Identity: creates a KI client, a developer, the linked application and an approved registration; cleans up all three in order', async () => {
    const { w, deps } = setup();
    const r = await proveDcr(target('kongIdentity'), deps, never);
    assert.equal(statuses(r), ALL_PASS, JSON.stringify(r.steps, null, 1));
    assert.equal(r.mode, 'admin');
    assert.deepEqual(w.calls, [
      'get provider',
      'list scopes as-1',
      'create KI client as-1 scopes=scope-read',
      'create developer approved true',
      'create application owner=developer:dev-1 dcr_client_id=ki-client-1',
      'register app-1 true approved',
      'delete application app-1',
      'delete developer dev-1',
      'delete KI client as-1 ki-client-1',
    ]);
    assert.equal(w.tokenForms[0]?.get('client_id'), 'ki-client-1');
    assert.equal(w.tokenForms[0]?.get('client_secret'), KI_SECRET);
    assert.match(step(r, 'application').detail, /^As the admin: test developer kdcr-prove-\S+@example\.com created/);
    assert.match(
      step(r, 'application').detail,
      /Kong Identity client ki-client-1, created on the auth server "orders-as"/,
    );
    assert.equal(step(r, 'application').title, 'Test developer and application created by the admin, registered');
    assert.match(
      c7(r).detail,
      /application "kdcr-prove-admin", the test developer \S+, the Kong Identity client ki-client-1/,
    );
    assert.equal(r.application?.kept, false);
    assert.equal(w.redactor.redact(`x ${KI_SECRET} y`).includes(KI_SECRET), false, 'the KI secret is masked');
    const model = ProveViewModelSchema.parse(toViewModel(r, 1));
    assert.equal(model.mode, 'admin', 'the report page says which mode ran');
    assert.equal(JSON.stringify(model).includes(KI_SECRET), false);
  });

  it("another IdP: links the admin's own client, which is used for the token and never deleted", async () => {
    const { w, deps } = setup();
    const r = await proveDcr(target('okta'), deps, never);
    assert.equal(statuses(r), ALL_PASS, JSON.stringify(r.steps, null, 1));
    assert.deepEqual(w.calls, [
      'create developer approved true',
      `create application owner=developer:dev-1 dcr_client_id=${OWNED.clientId}`,
      'register app-1 true approved',
      'delete application app-1',
      'delete developer dev-1',
    ]);
    assert.equal(w.tokenForms[0]?.get('client_id'), OWNED.clientId);
    assert.equal(w.tokenForms[0]?.get('client_secret'), OWNED.clientSecret);
    assert.match(step(r, 'application').detail, /linked with dcr_client_id to your client owned-okta-client/);
    assert.match(c7(r).detail, /your client owned-okta-client was left as it is \(Prove DCR did not create it\)/);
    assert.equal(w.redactor.redact(OWNED.clientSecret).includes(OWNED.clientSecret), false);
  });

  it('another IdP without an owned client: step 3 says what to give; nothing is created', async () => {
    const { w, deps } = setup();
    const r = await proveDcr(target('okta', { ownedClient: undefined }), deps, never);
    assert.equal(r.failedStep, 'application');
    assert.equal(step(r, 'application').explanation?.findings[0]?.rule, 'app.no_owned_client');
    assert.deepEqual(w.calls, []);
    assert.equal(c7(r).status, 'skip');
  });

  it('a refused link (unknown dcr_client_id): step 3 explains it; the developer and the KI client are still deleted', async () => {
    const { w, deps } = setup();
    w.createAppError = Object.assign(new Error('Invalid Parameters'), {
      status: 400,
      detail: 'client "ki-client-1" does not exist in the DCR provider',
      invalidParameters: [
        { field: 'dcr_client_id', reason: 'client "ki-client-1" does not exist in the DCR provider' },
      ],
    });
    const r = await proveDcr(target('kongIdentity'), deps, never);
    assert.equal(r.failedStep, 'application');
    assert.equal(step(r, 'application').explanation?.findings[0]?.rule, 'app.link');
    assert.match(statuses(r), /token:skip claims:skip gateway:skip cleanup:pass$/);
    assert.deepEqual(w.calls.slice(-2), ['delete developer dev-1', 'delete KI client as-1 ki-client-1']);
    assert.equal(
      w.calls.some((c) => c.startsWith('delete application')),
      false,
    );
  });

  it('a developer that cannot be deleted: the step fails and says what to delete; the KI client is still deleted', async () => {
    const { w, deps } = setup();
    w.deleteDeveloperError = Object.assign(new Error('Forbidden'), { status: 403 });
    const r = await proveDcr(target('kongIdentity'), deps, never);
    assert.equal(c7(r).status, 'fail');
    assert.equal(r.failedStep, 'cleanup', 'something was left behind: the run says so');
    assert.equal(c7(r).explanation?.findings[0]?.rule, 'cleanup.failed');
    assert.match(
      c7(r).explanation!.findings[0]!.text,
      /test developer \S+: Forbidden\. Delete it in the portal "Dev Portal"/,
    );
    assert.equal(w.calls.at(-1), 'delete KI client as-1 ki-client-1');
  });

  it('kept as asked: nothing is deleted and the report says what stays', async () => {
    const { w, deps } = setup();
    const r = await proveDcr(target('kongIdentity', { keepApp: true }), deps, never);
    assert.equal(c7(r).status, 'skip');
    assert.match(c7(r).detail, /Kept as asked: .*Kong Identity client ki-client-1 stay/);
    assert.equal(
      w.calls.some((c) => c.startsWith('delete')),
      false,
    );
  });

  it('developer mode is the default and names itself', async () => {
    const { deps } = setup();
    const r = await proveDcr({ ...target('okta'), mode: undefined }, deps, never).catch((e: unknown) => e);
    assert.equal((r as ProveReport).mode, 'developer');
    assert.equal(step(r as ProveReport, 'application').title, 'Test application created and registered');
  });
});

const c7 = (r: ProveReport) => step(r, 'cleanup');
