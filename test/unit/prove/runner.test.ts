// The "Prove DCR" step runner over fakes of its collaborators (Konnect client, Portal API client, request executor,
// clock): the order of the steps, what each reports on success and failure, what is skipped, the retries, the
// cancellation, and that the test application is always cleaned up.
import * as assert from 'node:assert/strict';
import type { AppAuthStrategy } from '../../../src/core/model/authStrategy';
import type { ExecutedResponse, OutgoingRequest, RequestExecutor } from '../../../src/core/requests/executor';
import { proveDcr, type ProveDeps, type ProvePortal } from '../../../src/core/prove/runner';
import { gatewayRouteUrl, portalUrlOf, resolvePortal, testAppName } from '../../../src/core/prove/targets';
import type { ProveReport, ProveTarget, StepId } from '../../../src/core/prove/types';
import { Redactor } from '../../../src/core/util/redact';
import { FakeClock } from '../../support/clock';
import { fakeJwt } from '../requests/tokens';

const ISSUER = 'https://idp.example.com/oauth2/default';
const TOKEN_URL = `${ISSUER}/v1/token`;
const GATEWAY = 'https://gw.example.com/orders-v1/anything';

function strategy(over: { credentialClaim?: string[]; scopes?: string[]; provider?: boolean } = {}): AppAuthStrategy {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    name: 'orders-okta',
    display_name: 'Orders',
    strategy_type: 'openid_connect',
    configs: {
      'openid-connect': {
        issuer: ISSUER,
        credential_claim: over.credentialClaim ?? ['cid'],
        scopes: over.scopes ?? ['orders:read'],
        auth_methods: ['client_credentials', 'bearer'],
      },
    },
    dcr_provider:
      over.provider === false
        ? null
        : {
            id: '22222222-2222-4222-8222-222222222222',
            name: 'okta-prod',
            display_name: 'Okta',
            provider_type: 'okta',
          },
    active: true,
    labels: {},
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  } as unknown as AppAuthStrategy;
}

const publication = {
  apiId: '33333333-3333-4333-8333-333333333333',
  apiName: 'Orders',
  apiSlug: 'orders-v1',
  portalId: '44444444-4444-4444-8444-444444444444',
  portalName: 'Dev Portal',
  portalUrl: 'https://dev.example.com',
};

function target(over: Partial<ProveTarget> = {}): ProveTarget {
  return {
    strategy: strategy(),
    publication,
    gatewayUrl: GATEWAY,
    developer: { username: 'dev@example.com', password: 'dev-password-1' },
    appName: 'kdcr-prove-test',
    keepApp: false,
    ...over,
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ExecutedResponse => ({
  status,
  statusText: status === 200 ? 'OK' : status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : '',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
  bytes: 0,
  timings: { firstByteMs: 1, transferMs: 1, totalMs: 2, viaProxy: false },
});

interface World {
  verify: { status: 'success' | 'failed'; errors: string[] };
  publicationStrategies: string[] | null | 'missing';
  registration: 'approved' | 'pending';
  token: (req: OutgoingRequest, n: number) => ExecutedResponse;
  gateway: (req: OutgoingRequest, n: number) => ExecutedResponse;
  /**
   * What the fake IdP does with the client once the application is deleted: `removes` it (the token endpoint answers
   * 401 invalid_client, after `removedAfter` more token requests), `keeps` it (it still issues tokens: Konnect did
   * not delete it), or answers `down` (503).
   */
  idpAfterDelete: 'removes' | 'keeps' | 'down';
  removedAfter: number;
  /** Token requests made after the deletion. */
  afterDelete: OutgoingRequest[];
  /** What the portal throws when asked to create the application (default: it creates it). */
  createError?: unknown;
  calls: string[];
  deleted: string[];
  clock: FakeClock;
  redactor: Redactor;
}

function goodToken(clock: FakeClock, extra: Record<string, unknown> = {}): string {
  return fakeJwt({ iss: ISSUER, cid: 'client-1', scp: ['orders:read'], exp: clock.now() / 1000 + 300, ...extra });
}

function world(over: Partial<World> = {}): World {
  const clock = over.clock ?? new FakeClock();
  return {
    verify: { status: 'success', errors: [] },
    publicationStrategies: [strategy().id],
    registration: 'approved',
    token: () => json(200, { access_token: goodToken(clock), token_type: 'Bearer', expires_in: 300 }),
    gateway: () => json(200, { consumer: { type: 'openid_connect', client_id: 'client-1', credential_claim: 'cid' } }),
    idpAfterDelete: 'removes',
    removedAfter: 0,
    afterDelete: [],
    calls: [],
    deleted: [],
    clock,
    redactor: new Redactor(),
    ...over,
  };
}

function deps(w: World, extra: Partial<ProveDeps> = {}): ProveDeps {
  const counts = { token: 0, gateway: 0 };
  const executor: RequestExecutor = {
    async execute(req, signal) {
      if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      w.calls.push(`${req.method} ${req.url}`);
      w.clock.advance(5);
      if (req.url.endsWith('/.well-known/openid-configuration'))
        return json(200, { issuer: ISSUER, token_endpoint: TOKEN_URL });
      if (req.url === TOKEN_URL && w.deleted.length) {
        w.afterDelete.push(req);
        if (w.idpAfterDelete === 'down') return json(503, { message: 'unavailable' });
        if (w.idpAfterDelete === 'removes' && w.afterDelete.length > w.removedAfter)
          return json(401, { error: 'invalid_client', error_description: 'client authentication failed' });
      }
      if (req.url === TOKEN_URL) return w.token(req, ++counts.token);
      if (req.url === GATEWAY) return w.gateway(req, ++counts.gateway);
      return json(404, { message: 'no Route matched with those values' });
    },
  };
  const portal = (): ProvePortal => ({
    async authenticate(c) {
      w.calls.push(`portal sign-in ${c.username}`);
    },
    async createApplication(body) {
      w.calls.push(`portal create ${body.name}`);
      if (w.createError) throw w.createError;
      return {
        id: 'app-1',
        name: body.name,
        description: null,
        client_id: 'client-1',
        client_secret: 'client-secret-123456',
        auth_strategy: {} as never,
        created_at: '',
        updated_at: '',
      } as never;
    },
    async createRegistration(appId, body) {
      w.calls.push(`portal register ${appId} ${body.api_id}`);
      return {
        id: 'reg-1',
        status: w.registration,
        application_id: appId,
        api_id: body.api_id,
        api_name: 'Orders',
        created_at: '',
        updated_at: '',
      };
    },
    async deleteApplication(id) {
      w.calls.push(`portal delete ${id}`);
      w.deleted.push(id);
    },
    async close() {},
  });
  return {
    konnect: {
      dcrProviders: {
        verify: async () => {
          w.clock.advance(20);
          w.calls.push('verify');
          return w.verify;
        },
      },
      apiPublications: {
        get: async () => {
          w.calls.push('publication');
          if (w.publicationStrategies === 'missing')
            throw Object.assign(new Error('Not Found'), { status: 404, kind: 'api' });
          return {
            auth_strategy_ids: w.publicationStrategies,
            visibility: 'public',
            auto_approve_registrations: true,
            created_at: '',
            updated_at: '',
          };
        },
      },
    },
    portal,
    executor,
    clock: w.clock,
    redactor: w.redactor,
    tokenRetry: { totalMs: 3000, intervalMs: 1000 },
    gatewayRetry: { totalMs: 3000, intervalMs: 1000 },
    deletionRetry: { totalMs: 3000, intervalMs: 1000 },
    ...extra,
  };
}

const statuses = (r: ProveReport): string => r.steps.map((s) => `${s.id}:${s.status}`).join(' ');
const step = (r: ProveReport, id: StepId) => r.steps.find((s) => s.id === id)!;
const never = new AbortController().signal;
const c7 = (r: ProveReport) => step(r, 'cleanup');

describe('prove: the step runner', () => {
  it('passes all seven steps in order, with times, and deletes the test application', async () => {
    const w = world();
    const progress: string[] = [];
    const r = await proveDcr(
      target(),
      deps(w, { onProgress: (p) => progress.push(`${p.current ?? 'done'}:${p.steps.length}`) }),
      never,
    );
    assert.equal(
      statuses(r),
      'verify:pass publication:pass application:pass token:pass claims:pass gateway:pass cleanup:pass',
    );
    assert.equal(r.verdict, 'pass');
    assert.equal(r.failedStep, undefined);
    assert.equal(step(r, 'verify').ms, 20, 'the verify step took the 20 ms the fake Konnect spent');
    assert.match(step(r, 'application').detail, /client id client-1 .*registration for "Orders" approved/);
    assert.match(step(r, 'token').detail, /scope orders:read/);
    assert.match(step(r, 'gateway').detail, /answered 200 .*client-1 \(from cid\)/);
    assert.deepEqual(w.deleted, ['app-1']);
    assert.equal(r.application?.kept, false);
    assert.equal(
      step(r, 'cleanup').detail,
      'Deleted "kdcr-prove-test" in the portal; the identity provider (Okta) now refuses the old credentials (HTTP 401 invalid_client): Konnect deleted client client-1 there.',
    );
    assert.equal(w.afterDelete.length, 1, 'the old credentials were tried once after the deletion');
    assert.match(
      String(w.afterDelete[0]!.body),
      /grant_type=client_credentials.*client_id=client-1&client_secret=client-secret-123456/,
    );
    assert.deepEqual(
      r.token?.checks.filter((c) => c.status === 'fail'),
      [],
    );
    assert.equal(r.token?.payload['cid'], 'client-1');
    assert.equal(r.tokenEndpoint?.url, TOKEN_URL);
    assert.ok(progress.includes('verify:0') && progress.includes('cleanup:6'), progress.join(' '));
    assert.equal(
      w.redactor.redact('x client-secret-123456 dev-password-1 y'),
      'x ‹redacted› ‹redacted› y',
      'the client secret and the developer password are redacted',
    );
    const tokenReq = w.calls.indexOf(`POST ${TOKEN_URL}`);
    assert.ok(tokenReq > w.calls.indexOf('portal register app-1 33333333-3333-4333-8333-333333333333'));
  });

  it('a provider that fails verification: step 1 fails with the reason, nothing else runs', async () => {
    const w = world({ verify: { status: 'failed', errors: ['invalid_client: the DCR token was refused'] } });
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(
      statuses(r),
      'verify:fail publication:skip application:skip token:skip claims:skip gateway:skip cleanup:skip',
    );
    assert.equal(r.verdict, 'fail');
    assert.equal(r.failedStep, 'verify');
    assert.match(step(r, 'verify').detail, /failed verification: invalid_client/);
    assert.equal(step(r, 'verify').explanation?.findings[0]?.rule, 'verify.credentials');
    assert.match(step(r, 'verify').explanation!.findings[0]!.text, /DCR token \(dcr_token\)/);
    assert.match(step(r, 'publication').detail, /did not pass/);
    assert.ok(!w.calls.some((c) => c.startsWith('portal')), 'no application was created');
  });

  it('a strategy without a DCR provider, or a key_auth strategy, fails at step 1 without calling Konnect', async () => {
    const w = world();
    const r = await proveDcr(target({ strategy: strategy({ provider: false }) }), deps(w), never);
    assert.equal(r.failedStep, 'verify');
    assert.match(step(r, 'verify').detail, /no DCR provider/);
    const keyAuth = {
      ...strategy(),
      strategy_type: 'key_auth',
      configs: { 'key-auth': { key_names: ['apikey'] } },
    } as unknown as AppAuthStrategy;
    const r2 = await proveDcr(target({ strategy: keyAuth }), deps(w), never);
    assert.match(step(r2, 'verify').detail, /key_auth strategy/);
    assert.deepEqual(w.calls, []);
  });

  it('not published: step 2 says so and what to do; a publication with another strategy or none is named', async () => {
    const r = await proveDcr(target({ publication: undefined }), deps(world()), never);
    assert.equal(r.failedStep, 'publication');
    assert.match(step(r, 'publication').detail, /not published on any API/);
    assert.equal(step(r, 'publication').explanation?.findings[0]?.rule, 'publication.none');
    const gone = await proveDcr(target(), deps(world({ publicationStrategies: 'missing' })), never);
    assert.match(step(gone, 'publication').detail, /"Orders" is not published to the portal "Dev Portal"/);
    const other = await proveDcr(
      target(),
      deps(world({ publicationStrategies: ['99999999-9999-4999-8999-999999999999'] })),
      never,
    );
    assert.match(step(other, 'publication').detail, /another auth strategy/);
    const open = await proveDcr(target(), deps(world({ publicationStrategies: null })), never);
    assert.match(step(open, 'publication').detail, /without application auth/);
  });

  it('a credential claim the IdP does not issue: step 5 fails naming it, the gateway call still runs and is explained', async () => {
    const w = world({
      gateway: () =>
        json(
          401,
          { message: 'Unauthorized: credential claim client_ref not found' },
          {
            'www-authenticate':
              'Bearer realm="kong", error="invalid_token", error_description="credential claim client_ref not found"',
          },
        ),
    });
    const r = await proveDcr(target({ strategy: strategy({ credentialClaim: ['client_ref'] }) }), deps(w), never);
    assert.equal(
      statuses(r),
      'verify:pass publication:pass application:pass token:pass claims:fail gateway:fail cleanup:pass',
    );
    assert.equal(r.failedStep, 'claims');
    assert.match(step(r, 'claims').detail, /credential claim client_ref/);
    const f = step(r, 'claims').explanation!.findings[0]!;
    assert.equal(f.rule, 'claims.credential_claim');
    assert.match(f.text, /no `client_ref` claim.*Okta puts the client id in `cid`/);
    assert.equal(step(r, 'gateway').explanation?.findings[0]?.rule, 'gw.credential_claim');
    assert.deepEqual(w.deleted, ['app-1'], 'cleaned up after a failure too');
  });

  it('a registration pending approval: the gateway 403 is explained by it, and not retried', async () => {
    let hits = 0;
    const w = world({
      registration: 'pending',
      gateway: () => {
        hits++;
        return json(403, { message: 'The application client-1 (cid) is not registered for the API Orders' });
      },
    });
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(r.failedStep, 'gateway');
    assert.match(step(r, 'application').detail, /pending: an admin must approve it/);
    assert.match(step(r, 'gateway').detail, /answered 403 Forbidden/);
    assert.equal(step(r, 'gateway').explanation?.findings[0]?.rule, 'gw.pending');
    assert.match(
      step(r, 'gateway').explanation!.summary,
      /^403: The application's registration for "Orders" is pending/,
    );
    assert.equal(hits, 1);
  });

  it('a new registration not enforced yet: the gateway call is retried until it is', async () => {
    const w = world({
      gateway: (_r, n) =>
        n < 3
          ? json(403, { message: 'The application client-1 (cid) is not registered for the API Orders' })
          : json(200, {}),
    });
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(r.verdict, 'pass');
    assert.match(step(r, 'gateway').detail, /after 3 attempts/);
    assert.deepEqual(w.clock.sleeps, [1000, 1000]);
  });

  it('a new client the IdP does not know yet: the token request is retried; a lasting invalid_client is explained', async () => {
    const w = world();
    w.token = (_r, n) =>
      n < 2 ? json(401, { error: 'invalid_client' }) : json(200, { access_token: goodToken(w.clock) });
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(r.verdict, 'pass');
    assert.match(step(r, 'token').detail, /after 2 attempts/);

    const w2 = world({
      token: () => json(401, { error: 'invalid_client', error_description: 'client authentication failed' }),
    });
    const r2 = await proveDcr(target(), deps(w2), never);
    assert.equal(r2.failedStep, 'token');
    assert.match(step(r2, 'token').detail, /answered 401 invalid_client after 3 attempts/);
    assert.equal(step(r2, 'token').explanation?.findings[0]?.rule, 'token.invalid_client');
    assert.match(statuses(r2), /claims:skip gateway:skip cleanup:pass/);
  });

  it('a bare 403 with an empty body from the token endpoint is explained as client authentication, not as the gateway', async () => {
    const empty: ExecutedResponse = { ...json(403, {}), headers: {}, body: '' };
    const r = await proveDcr(target(), deps(world({ token: () => empty })), never);
    assert.equal(r.failedStep, 'token');
    const ex = step(r, 'token').explanation!;
    assert.deepEqual(
      ex.findings.map((f) => f.rule),
      ['token.refused', 'token.client_auth', 'token.scope'],
    );
    assert.match(
      ex.findings[1]!.text,
      /form body \(client_secret_post\): if the client is registered for client_secret_basic/,
    );
    assert.doesNotMatch(ex.summary, /Authorization header/);
  });

  it('an opaque token fails step 5 with the Auth0 audience hint', async () => {
    const s = strategy();
    const auth0 = { ...s, dcr_provider: { ...s.dcr_provider!, provider_type: 'auth0' } } as AppAuthStrategy;
    const r = await proveDcr(
      target({ strategy: auth0 }),
      deps(world({ token: () => json(200, { access_token: 'opaque-token-value' }) })),
      never,
    );
    assert.equal(r.failedStep, 'claims');
    assert.match(step(r, 'claims').explanation!.findings[0]!.text, /Auth0 returns an opaque token when no audience/);
  });

  // Konnect answers an IdP refusal during application creation as a 400 on the field auth_strategy_id
  const apiError = (status: number, detail: string, field = 'auth_strategy_id'): Error =>
    Object.assign(new Error(detail), {
      kind: 'api',
      status,
      title: 'Bad Request',
      detail,
      invalidParameters: [{ field, rule: 'invalid', reason: detail, source: 'body' }],
    });

  it('a registration the IdP refuses while the application is created points at the IdP and the DCR provider, with its words, not at step 2', async () => {
    const idpText =
      'Unable to create the DCR application: Registering the client in Curity was refused: HTTP 400: invalid_client_metadata (redirect_uris must contain members; secret client-secret-123456).';
    const w = world({ createError: apiError(400, idpText) });
    w.redactor.add('client-secret-123456');
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(
      statuses(r),
      'verify:pass publication:pass application:fail token:skip claims:skip gateway:skip cleanup:skip',
    );
    const app = step(r, 'application');
    const rules = app.explanation!.findings.map((f) => f.rule);
    assert.deepEqual(rules, ['app.idp', 'app.idp_fix']);
    assert.ok(!JSON.stringify(app).includes('step 2'), 'no hint at the publication step');
    assert.match(
      app.explanation!.summary,
      /^The identity provider refused to register the application's client: .*invalid_client_metadata \(redirect_uris must contain members/,
    );
    assert.match(app.explanation!.findings[0]!.text, /through the DCR provider "okta-prod" \(Okta\)/);
    assert.equal(
      app.detail.match(/invalid_client_metadata/g)?.length,
      1,
      'the repeated invalid parameter is said once',
    );
    assert.ok(!JSON.stringify(app).includes('client-secret-123456'), 'the IdP text is redacted');
    assert.match(JSON.stringify(app), /secret ‹redacted›/);
  });

  it('a 5xx while the application is created is also put on the IdP side; a strategy the portal does not offer still points at step 2', async () => {
    const r = await proveDcr(target(), deps(world({ createError: apiError(502, 'Bad Gateway', 'body') })), never);
    assert.equal(step(r, 'application').explanation!.findings[0]!.rule, 'app.idp');
    const other = apiError(
      404,
      'Application auth strategy 1111 is not available in portal "Dev Portal" (it must be used by an API published there, or be the portal default)',
    );
    const r2 = await proveDcr(target(), deps(world({ createError: other })), never);
    assert.deepEqual(
      step(r2, 'application').explanation!.findings.map((f) => f.rule),
      ['app.create', 'app.strategy'],
    );
    assert.match(step(r2, 'application').explanation!.findings[1]!.text, /check step 2/);
  });

  it('an IdP that keeps the client after the deletion: step 7 fails, says the client still works and what to delete by hand', async () => {
    const w = world({ idpAfterDelete: 'keeps' });
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(
      statuses(r),
      'verify:pass publication:pass application:pass token:pass claims:pass gateway:pass cleanup:fail',
    );
    assert.equal(r.verdict, 'fail', 'a client left behind at the IdP is a failure, even after six passing steps');
    assert.equal(r.failedStep, 'cleanup');
    assert.equal(c7(r).title, 'Test application and its IdP client deleted');
    const c = step(r, 'cleanup');
    assert.match(
      c.detail,
      /^Deleted "kdcr-prove-test" in the portal, but client client-1 still works at the identity provider \(Okta\): its token endpoint issued a token for the old credentials after the deletion \(3 attempts over 2 s; last answer: a token\)\.$/,
    );
    assert.equal(
      c.explanation?.summary,
      'The client still works at the identity provider (Okta): Konnect did not delete it.',
    );
    const left = c.explanation!.findings[0]!;
    assert.deepEqual([left.rule, left.severity], ['cleanup.idp_client_left', 'warning']);
    assert.match(
      left.text,
      /Delete client client-1 at the identity provider \(Okta\) \(https:\/\/idp\.example\.com\/oauth2\/default\) by hand/,
    );
    assert.ok(!/Konnect deleted/.test(JSON.stringify(r.steps)), 'no claim that the client was deleted');
    assert.equal(w.afterDelete.length, 3, 'retried for the 3 s the policy allows, not forever');
    assert.deepEqual(w.clock.sleeps.slice(-2), [1000, 1000]);
    const late = goodToken(w.clock, { jti: 'after-delete' });
    w.token = () => json(200, { access_token: late });
    await proveDcr(target(), deps(w), never);
    assert.equal(
      w.redactor.redact(`x ${late} y`),
      'x ‹redacted› y',
      'a token issued after the deletion is redacted too',
    );
  });

  it('a deletion that takes a moment to reach the IdP: the old credentials are tried again until refused', async () => {
    const w = world({ removedAfter: 1 });
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(step(r, 'cleanup').status, 'pass');
    assert.match(
      step(r, 'cleanup').detail,
      /now refuses the old credentials \(HTTP 401 invalid_client\) \(after 2 attempts\): Konnect deleted client client-1 there\.$/,
    );
  });

  it('cancelled while the old credentials are being tried: the check stops at once and says it was not checked', async () => {
    const ctrl = new AbortController();
    const w = world({ idpAfterDelete: 'keeps' });
    const inner = w.token;
    w.token = (req, n) => {
      if (w.deleted.length) ctrl.abort();
      return inner(req, n);
    };
    const r = await proveDcr(target(), deps(w), ctrl.signal);
    assert.equal(w.afterDelete.length, 1, 'no further attempt after the cancellation');
    assert.equal(r.cancelled, true);
    assert.equal(step(r, 'cleanup').status, 'pass');
    assert.match(
      step(r, 'cleanup').detail,
      /^Deleted "kdcr-prove-test" in the portal\. Not checked whether client client-1 is gone at the identity provider \(Okta\): the run was cancelled\.$/,
    );
  });

  it('the IdP cannot be asked after the deletion: the step says it was not checked, and claims nothing', async () => {
    const w = world({ idpAfterDelete: 'down' });
    const r = await proveDcr(target(), deps(w), never);
    const c = step(r, 'cleanup');
    assert.equal(c.status, 'pass', 'the application was deleted');
    assert.match(
      c.detail,
      /^Deleted "kdcr-prove-test" in the portal\. Whether client client-1 is gone at the identity provider \(Okta\) could not be checked: the token endpoint .* answered HTTP 503 \(last of 3 attempts\)\.$/,
    );
    assert.equal(c.explanation?.findings[0]?.rule, 'cleanup.idp_unchecked');
    assert.ok(!/Konnect deleted/.test(c.detail));
  });

  it('credentials that never got a token: a refusal after the deletion is not taken as proof that the client is gone', async () => {
    const w = world({ token: () => json(401, { error: 'invalid_client' }) });
    const r = await proveDcr(target(), deps(w), never);
    assert.equal(r.failedStep, 'token');
    assert.match(
      step(r, 'cleanup').detail,
      /refuses the old credentials of client client-1 \(HTTP 401 invalid_client\), but it gave them no token before the deletion either \(step 4\), so this does not show that Konnect deleted the client\.$/,
    );
  });

  it('"keep": the application stays and the report says so', async () => {
    const w = world();
    const r = await proveDcr(target({ keepApp: true }), deps(w), never);
    assert.equal(r.verdict, 'pass');
    assert.equal(step(r, 'cleanup').status, 'skip');
    assert.match(step(r, 'cleanup').detail, /Kept as asked: "kdcr-prove-test" \(client id client-1\)/);
    assert.deepEqual(w.deleted, []);
    assert.equal(r.application?.kept, true);
  });

  it('no gateway URL: step 6 is skipped and the proof is not a pass', async () => {
    const r = await proveDcr(target({ gatewayUrl: undefined }), deps(world()), never);
    assert.equal(step(r, 'gateway').status, 'skip');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.failedStep, undefined);
  });

  it('cancelled during the token request: the rest is skipped, the application is still deleted', async () => {
    const ctrl = new AbortController();
    const w = world();
    w.token = () => {
      ctrl.abort();
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    };
    const r = await proveDcr(target(), deps(w), ctrl.signal);
    assert.equal(r.cancelled, true);
    assert.equal(
      statuses(r),
      'verify:pass publication:pass application:pass token:skip claims:skip gateway:skip cleanup:pass',
    );
    assert.deepEqual(w.deleted, ['app-1']);
    assert.match(
      step(r, 'cleanup').detail,
      /^Deleted "kdcr-prove-test" in the portal\. Not checked whether client client-1 is gone at the identity provider \(Okta\): the run was cancelled\.$/,
    );
    assert.equal(w.afterDelete.length, 0);
  });
});

describe('prove: targets', () => {
  it('builds the route URL from the gateway base, the API slug and the route path', () => {
    assert.equal(gatewayRouteUrl('https://gw.example.com/', 'orders-v1'), 'https://gw.example.com/orders-v1/anything');
    assert.equal(
      gatewayRouteUrl('http://127.0.0.1:8000', 'orders', '/{slug}/v1/ping'),
      'http://127.0.0.1:8000/orders/v1/ping',
    );
    assert.equal(gatewayRouteUrl('https://gw', undefined, 'health'), 'https://gw/health');
  });

  it('the portal URL: custom domain first, then the default domain', () => {
    assert.equal(
      portalUrlOf({ canonical_domain: 'developer.acme.com', default_domain: 'abc.us.kongportals.com' }),
      'https://developer.acme.com',
    );
    assert.equal(
      portalUrlOf({ canonical_domain: '', default_domain: 'abc.us.kongportals.com' }),
      'https://abc.us.kongportals.com',
    );
  });

  it('resolvePortal: an override, else the sandbox header, else the domain', async () => {
    const portal = {
      id: '44444444-4444-4444-8444-444444444444',
      name: 'p',
      display_name: 'p',
      description: null,
      authentication_enabled: true,
      rbac_enabled: false,
      default_api_visibility: 'public',
      default_page_visibility: 'public',
      default_application_auth_strategy_id: null,
      auto_approve_applications: true,
      auto_approve_developers: true,
      default_domain: 'p-1.kongportals.localhost',
      canonical_domain: '',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    };
    const konnect = (headers: Record<string, string>) =>
      ({ request: async () => ({ status: 200, headers, body: JSON.stringify(portal) }) }) as never;
    const id = portal.id;
    assert.deepEqual((await resolvePortal(konnect({}), id, {}, never)).url, 'https://p-1.kongportals.localhost');
    const sb = await resolvePortal(konnect({ 'x-kdcr-portal-api-url': 'http://127.0.0.1:4567' }), id, {}, never);
    assert.deepEqual([sb.url, sb.source], ['http://127.0.0.1:4567', 'sandbox']);
    const o = await resolvePortal(
      konnect({ 'x-kdcr-portal-api-url': 'http://127.0.0.1:4567' }),
      id,
      { [id]: 'https://dev.acme.com/' },
      never,
    );
    assert.deepEqual([o.url, o.source], ['https://dev.acme.com', 'override']);
  });

  it('test application names are unique per millisecond and keep to safe characters', () => {
    const n = testAppName('Orders / Okta (prod)', Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    assert.equal(n, 'kdcr-prove-Orders-Okta-prod-20260102T030405678Z');
  });
});
