/**
 * Prove DCR (src/core/prove) end to end with third-party servers where it matters: Konnect is our emulator (it
 * cannot be reached from here), but the strategy's issuer, the discovery document, the token endpoint, the JWKS
 * and the client registration are Glewlwyd's, and the route is guarded by Apache httpd + mod_auth_openidc. The
 * emulator reaches Glewlwyd with its own Curity driver (the initial client's `dcr` token, then RFC 7591 to register
 * and RFC 7592 to delete), which this also holds to a strict server nobody here wrote.
 */
import * as assert from 'node:assert/strict';
import { createKonnectClient, createPortalClient, type KonnectClient } from '../../src/core/api/index';
import type { AppAuthStrategy } from '../../src/core/model/index';
import { proveDcr } from '../../src/core/prove/runner';
import type { ProveReport, ProveTarget } from '../../src/core/prove/types';
import { createRequestExecutor } from '../../src/core/requests/executor';
import { systemClock } from '../../src/core/util/clock';
import { Redactor } from '../../src/core/util/redact';
import { startKonnectEmulator, type KonnectEmulator } from '../../sandbox/konnect/emulator';
import { curityDriver } from '../../sandbox/idp/drivers/drivers';
import { fakeKongIdentityBackend, TOKEN } from '../../sandbox/tests/support/fakes';
import { BILLING_AUDIENCE } from './servers/glewlwyd';
import { strategyConfig } from './support/fixtures';
import { HttpClient, trustInFetch } from './support/http';
import { startWorld, type World } from './support/world';

const UA = 'konnect-dcr-interop-tests/1';
const DEVELOPER = { email: 'dev@interop.test', password: 'kdcr-interop-developer' };

describe('interop: Prove DCR with Glewlwyd as the IdP and Apache httpd + mod_auth_openidc as the gateway', function () {
  this.timeout(60_000);
  let world: World;
  let untrust: (() => Promise<void>) | undefined;
  let emulator: KonnectEmulator;
  let konnect: KonnectClient;
  let http: HttpClient;
  let providerId: string;
  let publication: { apiId: string; apiSlug: string; portalId: string; portalUrl: string };
  let runs = 0;

  before(async () => {
    world = await startWorld();
    untrust = trustInFetch(world.ca);
    http = new HttpClient(world.ca);
    emulator = await startKonnectEmulator({
      token: TOKEN,
      kongIdentity: fakeKongIdentityBackend(),
      drivers: { curity: curityDriver },
      developer: { ...DEVELOPER, full_name: 'Interop Developer' },
    });
    konnect = createKonnectClient({ baseUrl: emulator.url, token: TOKEN, userAgent: UA, timeoutMs: 15_000 });
    // the seeds' set-up, through the extension's own Konnect client
    const provider = await konnect.dcrProviders.create({
      name: 'interop-glewlwyd',
      provider_type: 'curity',
      issuer: world.idp.discoveryUrl,
      dcr_config: {
        initial_client_id: world.idp.initialClient.id,
        initial_client_secret: world.idp.initialClient.secret,
      },
    });
    providerId = provider.id;
    const api = await konnect.apis.create({ name: 'orders', version: 'v1' });
    await konnect.apiImplementations.create(api.id, {
      service: { control_plane_id: crypto.randomUUID(), id: crypto.randomUUID() },
    });
    const portal = await konnect.portals.create({ name: 'interop-portal', auto_approve_applications: true });
    publication = {
      apiId: api.id,
      apiSlug: api.slug ?? 'orders',
      portalId: portal.id,
      portalUrl: emulator.portalApiUrl(portal.id),
    };
  });
  after(async () => {
    await konnect?.close();
    await emulator?.stop();
    await http?.close();
    await untrust?.();
    await world?.stop();
  });

  async function strategy(name: string, overrides: Record<string, unknown> = {}): Promise<AppAuthStrategy> {
    const s = await konnect.authStrategies.create({
      name,
      display_name: name,
      strategy_type: 'openid_connect',
      dcr_provider_id: providerId,
      configs: { 'openid-connect': strategyConfig(world, overrides) },
    });
    await konnect.apiPublications.publish(publication.apiId, publication.portalId, {
      auth_strategy_ids: [s.id],
      visibility: 'public',
      auto_approve_registrations: true,
    });
    return s;
  }

  function prove(s: AppAuthStrategy): Promise<ProveReport> {
    const target: ProveTarget = {
      strategy: s,
      publication: { ...publication, apiName: 'orders', portalName: 'interop-portal' },
      gatewayUrl: world.routeUrl,
      developer: { username: DEVELOPER.email, password: DEVELOPER.password },
      appName: `kdcr-prove-interop-${++runs}`,
      keepApp: false,
    };
    return proveDcr(
      target,
      {
        konnect,
        portal: (url) => createPortalClient({ portalUrl: url, userAgent: UA, timeoutMs: 15_000 }),
        executor: createRequestExecutor({ ca: world.ca, timeoutMs: 10_000 }),
        clock: systemClock,
        redactor: new Redactor(),
        tokenRetry: { totalMs: 3_000, intervalMs: 500 },
        gatewayRetry: { totalMs: 0, intervalMs: 500 },
      },
      new AbortController().signal,
    );
  }

  const steps = (r: ProveReport): string[] => r.steps.map((s) => `${s.id}:${s.status}`);
  const detail = (r: ProveReport): string =>
    r.steps
      .map(
        (s) =>
          `${s.id}: ${s.status} — ${s.detail}${s.explanation ? ` [${s.explanation.findings.map((f) => f.rule).join(', ')}]` : ''}`,
      )
      .join('\n');

  /** Does Glewlwyd still give this client a token? (What "the client was deleted too" must mean.) */
  async function stillGetsTokens(clientId: string, secret: string): Promise<number> {
    const r = await http.call(world.idp.tokenEndpoint, {
      form: { grant_type: 'client_credentials', scope: 'orders:read', client_id: clientId, client_secret: secret },
    });
    return r.status;
  }

  it('passes all seven steps: Glewlwyd registers the client, issues the token, Apache lets it in; the client is gone from Glewlwyd afterwards', async () => {
    const s = await strategy('interop-orders');
    const logged = world.gateway.accessLog().length;
    const r = await prove(s);
    assert.deepEqual(
      steps(r),
      [
        'verify:pass',
        'publication:pass',
        'application:pass',
        'token:pass',
        'claims:pass',
        'gateway:pass',
        'cleanup:pass',
      ],
      detail(r),
    );
    assert.equal(r.verdict, 'pass');
    assert.equal(r.tokenEndpoint?.url, world.idp.tokenEndpoint, "the token endpoint from Glewlwyd's discovery");
    const app = r.application!;
    assert.equal(r.token?.payload['client_id'], app.clientId);
    assert.equal(r.token?.payload['iss'], world.idp.issuer);
    assert.equal(
      r.token?.payload['aud'],
      'https://orders.interop.test',
      'Glewlwyd honoured the resource the strategy asks for',
    );
    assert.deepEqual(
      r.token?.checks.filter((c) => c.status === 'fail'),
      [],
    );
    // the gateway, not our code, authenticated the application
    assert.deepEqual(await world.gateway.accessLogAfter(logged), [
      { status: 200, user: app.clientId, path: '/orders/anything' },
    ]);
    // cleanup: Konnect deleted the application and, through RFC 7592, the client at Glewlwyd with it; Prove checked
    assert.equal(emulator.store.applications.size, 0);
    assert.deepEqual(emulator.leftAtIdp, [], 'the emulator left nothing behind at the IdP');
    assert.equal(await stillGetsTokens(app.clientId, app.clientSecret), 403, 'Glewlwyd refuses the deleted client');
    assert.match(
      r.steps.at(-1)!.detail,
      /now refuses the old credentials \(HTTP 403\): Konnect deleted client /,
      r.steps.at(-1)!.detail,
    );
  });

  it('a strategy that asks for another audience than it requires: the token check and the gateway both refuse it, and the report says why', async () => {
    const s = await strategy('interop-billing-aud', { token_post_args_values: [BILLING_AUDIENCE] });
    const r = await prove(s);
    assert.deepEqual(
      steps(r),
      [
        'verify:pass',
        'publication:pass',
        'application:pass',
        'token:pass',
        'claims:fail',
        'gateway:fail',
        'cleanup:pass',
      ],
      detail(r),
    );
    assert.equal(r.failedStep, 'claims');
    assert.deepEqual(
      r.token?.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      ['aud'],
    );
    const gw = r.steps.find((x) => x.id === 'gateway')!;
    assert.match(gw.detail, /answered 403/);
    assert.equal(gw.explanation?.findings[0]?.rule, 'gw.audience', JSON.stringify(gw.explanation));
    assert.match(
      gw.explanation!.findings[0]!.text,
      /https:\/\/billing\.interop\.test is not the strategy's https:\/\/orders\.interop\.test/,
    );
    assert.match(
      world.gateway.errorLog(),
      /could not match require claim expression 'aud:https:\/\/orders\.interop\.test'/,
    );
  });

  it('a strategy whose scope the route does not accept: the token matches the strategy, the gateway alone refuses (403), and the report does not pretend to know more', async () => {
    const s = await strategy('interop-inventory', { scopes: ['inventory:read'] });
    const r = await prove(s);
    assert.deepEqual(
      steps(r),
      [
        'verify:pass',
        'publication:pass',
        'application:pass',
        'token:pass',
        'claims:pass',
        'gateway:fail',
        'cleanup:pass',
      ],
      detail(r),
    );
    assert.equal(r.token?.payload['scope'], 'inventory:read');
    const gw = r.steps.find((x) => x.id === 'gateway')!;
    assert.match(gw.detail, /answered 403/);
    assert.equal(gw.explanation?.findings[0]?.rule, 'gw.unknown', JSON.stringify(gw.explanation));
    assert.match(gw.explanation!.findings[0]!.text, /passes every check the runner can make/);
  });

  it("verify fails with the reason Glewlwyd gives when the initial client's secret is wrong", async () => {
    const bad = await konnect.dcrProviders.create({
      name: 'interop-glewlwyd-bad-secret',
      provider_type: 'curity',
      issuer: world.idp.discoveryUrl,
      dcr_config: { initial_client_id: world.idp.initialClient.id, initial_client_secret: 'not-the-secret-0123456789' },
    });
    const s = await konnect.authStrategies.create({
      name: 'interop-bad-provider',
      display_name: 'interop-bad-provider',
      strategy_type: 'openid_connect',
      dcr_provider_id: bad.id,
      configs: { 'openid-connect': strategyConfig(world) },
    });
    const r = await prove(s);
    assert.deepEqual(steps(r).slice(0, 2), ['verify:fail', 'publication:skip'], detail(r));
    const v = r.steps[0]!;
    assert.match(v.detail, /refused a token to the initial client: HTTP 403/, v.detail);
    assert.equal(v.explanation?.findings[0]?.rule, 'verify.credentials');
    assert.equal(r.steps.at(-1)?.status, 'skip', 'no application was created, nothing to clean up');
  });
});
