/** Emulator plumbing: routing errors, the response self-check, seeding large data sets, control endpoints, stop(). */
import assert from 'node:assert/strict';
import { TOKEN, type TestKonnect, startTestKonnect } from './support/fakes';
import { type Json, SpecClient } from './support/spec-client';

describe('konnect emulator: plumbing', function () {
  let k: TestKonnect;
  before(async () => {
    k = await startTestKonnect();
  });
  after(async () => {
    await k.stop();
  });

  const raw = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(k.emu.url + path, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) } });

  it('listens on 127.0.0.1 with a random port', () => {
    assert.match(k.emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(k.emu.url).port, '0');
  });

  it('unknown paths 404, wrong methods 405, spec operations the sandbox does not serve 501 (all problem+json)', async () => {
    const nf = await raw('/v3/dcr-providers');
    assert.equal(nf.status, 404, '/v3/dcr-providers does not exist; DCR providers are /v2');
    assert.match(nf.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(
      (await raw('/v2/dcr-providers/5f9fd312-a987-4628-b4c5-bb4f4fddd5f7', { method: 'PUT' })).status,
      405,
      'there is no PUT on DCR providers',
    );
    const ni = await raw('/v3/portals/5f9fd312-a987-4628-b4c5-bb4f4fddd5f7/pages');
    assert.equal(ni.status, 501);
    assert.match(((await ni.json()) as { detail: string }).detail, /list-portal-pages/);
    assert.equal((await fetch(`${k.emu.url}/v3/nothing`)).status, 401, 'authentication comes first');
  });

  it('415 for a non-JSON body; 400 for broken JSON', async () => {
    const r = await raw('/v3/apis', {
      method: 'POST',
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 415);
    const b = await raw('/v3/apis', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    assert.equal(b.status, 400);
  });

  it('the self-check records answers that drift from the spec', async () => {
    const p = await new SpecClient(k.emu.url, TOKEN).post(
      '/v2/dcr-providers',
      { name: 'drift', provider_type: 'okta', issuer: 'https://x.example.com', dcr_config: { dcr_token: 't' } },
      { expect: 201 },
    );
    assert.equal(k.emu.specViolations.length, 0);
    const rec = k.emu.store.providers.get(String(p.body.id));
    assert.ok(rec);
    rec.dcr_config = { leaked: 'x' }; // what a buggy handler could produce
    await raw(`/v2/dcr-providers/${String(p.body.id)}`);
    assert.equal(k.emu.specViolations.length, 1);
    assert.match(k.emu.specViolations[0]?.message ?? '', /leaked/);
    const listed = (await (await raw('/_sandbox/spec-violations')).json()) as { data: unknown[] };
    assert.equal(listed.data.length, 1);
    assert.equal((await raw('/_sandbox/spec-violations', { method: 'DELETE' })).status, 204);
    assert.deepEqual(k.emu.specViolations, []);
    k.emu.store.providers.delete(String(p.body.id));
  });

  it('seeds 2000 providers and 2000 strategies fast, and the list pages add up over the API', async () => {
    const t0 = performance.now();
    const ids = k.emu.seed({ providers: 2000, strategies: 2000 });
    assert.ok(performance.now() - t0 < 2000, `seeding took ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(ids.providers.length, 2000);
    const api = new SpecClient(k.emu.url, TOKEN);
    const seen = new Set<string>();
    let pages = 0;
    for (let n = 1; ; n++) {
      const r = await api.get(`/v2/dcr-providers?page[size]=100&page[number]=${n}`, { expect: 200 });
      assert.equal(r.body.meta.page.total, 2000);
      if (!r.body.data.length) break;
      pages++;
      for (const x of r.body.data as Json[]) seen.add(String(x.id));
    }
    assert.equal(pages, 20);
    assert.equal(seen.size, 2000);
    const strategies = await api.get('/v2/application-auth-strategies?page[size]=1', { expect: 200 });
    assert.equal(strategies.body.meta.page.total, 2000);
    const byCtl = await raw('/_sandbox/seed', {
      method: 'POST',
      body: JSON.stringify({ apis: 3, authServers: 2 }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(byCtl.status, 201);
    assert.equal(((await byCtl.json()) as { apis: string[] }).apis.length, 3);
    assert.equal((await api.get('/v1/auth-servers', { expect: 200 })).body.meta.page.total, 2);
    assert.deepEqual(k.emu.specViolations, []);
  });

  it('/_sandbox/portals lists each portal with its Portal API URL', async () => {
    const api = new SpecClient(k.emu.url, TOKEN);
    const p = (await api.post('/v3/portals', { name: 'listed' }, { expect: 201 })).body;
    const list = (await (await raw('/_sandbox/portals')).json()) as { data: { id: string; portal_api_url: string }[] };
    const item = list.data.find((x) => x.id === p.id);
    assert.equal(item?.portal_api_url, k.emu.portalApiUrl(String(p.id)));
    assert.equal((await raw('/_sandbox/nothing')).status, 404);
  });

  it('a stuck IdP: driver calls give up after driverTimeoutMs (verify: failed; app creation: 400)', async () => {
    const slow = await startTestKonnect({ driverTimeoutMs: 100 });
    try {
      slow.drivers.okta.hang = true;
      const p = (
        await slow.api.post(
          '/v2/dcr-providers',
          { name: 'stuck', provider_type: 'okta', issuer: 'https://stuck.example.com', dcr_config: { dcr_token: 't' } },
          { expect: 201 },
        )
      ).body;
      const v = await slow.api.post(`/v2/dcr-providers/${String(p.id)}/verify`, undefined, { expect: 200 });
      assert.equal(v.body.status, 'failed');
      assert.match(v.body.errors[0], /did not answer within 100 ms/);
      const s = (
        await slow.api.post(
          '/v2/application-auth-strategies',
          {
            name: 'stuck',
            display_name: 'stuck',
            strategy_type: 'openid_connect',
            dcr_provider_id: p.id,
            configs: {
              'openid-connect': {
                issuer: 'https://stuck.example.com',
                credential_claim: ['sub'],
                scopes: [],
                auth_methods: ['client_credentials'],
              },
            },
          },
          { expect: 201 },
        )
      ).body;
      const portal = (
        await slow.api.post(
          '/v3/portals',
          { name: 'stuck', default_application_auth_strategy_id: s.id },
          { expect: 201 },
        )
      ).body;
      const papi = SpecClient.portal(slow.emu.portalApiUrl(String(portal.id)));
      const auth = await papi.post(
        '/api/v3/developer/authenticate',
        { username: 'dev@example.com', password: 'kdcr-sandbox-password' },
        { expect: 204 },
      );
      papi.cookie = auth.headers.getSetCookie()[0]?.split(';')[0];
      const app = await papi.post('/api/v3/applications', { name: 'stuck app' }, { expect: 400 });
      assert.match(app.body.detail, /did not answer within 100 ms/);
      assert.equal(slow.emu.store.applications.size, 0);
    } finally {
      await slow.stop();
    }
  });

  it('the request log keeps the newest requestLogLimit entries', async () => {
    const small = await startTestKonnect({ requestLogLimit: 3 });
    try {
      for (const path of ['/v3/apis', '/v3/portals', '/v1/auth-servers', '/v2/dcr-providers'])
        await small.api.get(path, { expect: 200 });
      assert.deepEqual(
        small.emu.requests.map((r) => r.path),
        ['/v3/portals', '/v1/auth-servers', '/v2/dcr-providers'],
      );
    } finally {
      await small.stop();
    }
  });

  it('stop() closes the Konnect and Portal API listeners', async () => {
    const other = await startTestKonnect();
    const p = (await other.api.post('/v3/portals', { name: 'closing' }, { expect: 201 })).body;
    const portalUrl = other.emu.portalApiUrl(String(p.id));
    await other.stop();
    await assert.rejects(fetch(`${other.emu.url}/v2/dcr-providers`));
    await assert.rejects(fetch(`${portalUrl}/api/v3/developer/me`));
    await other.stop();
  });
});
