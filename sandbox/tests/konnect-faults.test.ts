/** The emulator's fault injection (programmatic and /_sandbox/faults) and its request log. */
import assert from 'node:assert/strict';
import { TOKEN, type TestKonnect, startTestKonnect } from './support/fakes';
import { specExample } from './support/spec-validate';

describe('konnect emulator: faults and request log', function () {
  let k: TestKonnect;
  beforeEach(async () => {
    k = await startTestKonnect();
  });
  afterEach(async () => {
    await k.stop();
  });

  const get = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(k.emu.url + path, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) } });

  it('a 429 with Retry-After fires `times` times, then the endpoint answers normally', async () => {
    const f = k.emu.faults.add({
      path: '^/v2/dcr-providers$',
      method: 'GET',
      kind: 'status',
      status: 429,
      retryAfter: 2,
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const r = await get('/v2/dcr-providers');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '2');
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
      const body = (await r.json()) as { status: number; title: string; instance: string };
      assert.equal(body.status, 429);
      assert.equal(body.title, 'Too Many Requests');
      assert.match(body.instance, /^kong:trace:\d+$/);
    }
    assert.equal((await get('/v2/dcr-providers')).status, 200);
    assert.equal((await get('/v2/dcr-providers')).status, 200);
    const after = k.emu.faults.get(f.id);
    assert.equal(after?.fired, 2);
    assert.equal(after?.remaining, 0);
    assert.deepEqual(
      k.emu.requests.filter((r) => r.path === '/v2/dcr-providers').map((r) => r.status),
      [429, 429, 200, 200],
    );
    assert.equal(k.emu.hits('GET', /^\/v2\/dcr-providers$/), 4);
  });

  it('only the matching method and path are affected; 500/502/503/504 answer problem+json', async () => {
    k.emu.faults.add({ path: '^/v2/dcr-providers$', method: 'POST', kind: 'status', status: 503, times: 1 });
    assert.equal((await get('/v2/dcr-providers')).status, 200, 'GET is not the faulted method');
    const r = await get('/v2/dcr-providers', {
      method: 'POST',
      body: JSON.stringify(specExample('aas', 'DcrProviderOktaCreateRequest')),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal(k.emu.store.providers.size, 0, 'a faulted request never reaches the handler');
    for (const status of [500, 502, 504]) {
      k.emu.faults.add({ path: '^/v3/apis$', kind: 'status', status, times: 1 });
      const x = await get('/v3/apis');
      assert.equal(x.status, status);
      assert.equal(((await x.json()) as { status: number }).status, status);
    }
    assert.equal((await get('/v3/apis')).status, 200);
  });

  it('latency delays the answer; slow-body dribbles a complete body', async () => {
    k.emu.faults.add({ path: '^/v2/application-auth-strategies$', kind: 'latency', delayMs: 150, times: 1 });
    let t0 = performance.now();
    const r = await get('/v2/application-auth-strategies');
    assert.equal(r.status, 200);
    assert.ok(performance.now() - t0 >= 140, 'answered after the injected latency');

    k.emu.seed({ providers: 30 });
    k.emu.faults.add({ path: '^/v2/dcr-providers$', kind: 'slow-body', delayMs: 200, times: 1 });
    t0 = performance.now();
    const slow = await get('/v2/dcr-providers?page[size]=30');
    const body = (await slow.json()) as { data: unknown[] };
    assert.ok(performance.now() - t0 >= 150, 'the body took the injected time to arrive');
    assert.equal(body.data.length, 30, 'and arrived whole');
  });

  it('malformed JSON and dropped connections', async () => {
    k.emu.faults.add({ path: '^/v1/auth-servers$', kind: 'malformed', times: 1 });
    const bad = await get('/v1/auth-servers');
    assert.equal(bad.status, 200);
    await assert.rejects(bad.json(), SyntaxError);
    assert.equal((await get('/v1/auth-servers')).status, 200);

    k.emu.faults.add({ path: '^/v3/portals$', kind: 'drop', times: 1 });
    await assert.rejects(get('/v3/portals'), 'the socket is destroyed without an answer');
    assert.equal(k.emu.requests.find((r) => r.path === '/v3/portals')?.status, 0);
    assert.equal((await get('/v3/portals')).status, 200);
  });

  it('the Portal API listeners take faults too', async () => {
    const portal = (await (
      await get('/v3/portals', {
        method: 'POST',
        body: JSON.stringify({ name: 'p' }),
        headers: { 'content-type': 'application/json' },
      })
    ).json()) as { id: string };
    const url = k.emu.portalApiUrl(portal.id);
    k.emu.faults.add({ path: '^/api/v3/developer/authenticate$', kind: 'status', status: 429, times: 1 });
    const creds = JSON.stringify({ username: 'dev@example.com', password: 'kdcr-sandbox-password' });
    const first = await fetch(`${url}/api/v3/developer/authenticate`, {
      method: 'POST',
      body: creds,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(first.status, 429);
    const second = await fetch(`${url}/api/v3/developer/authenticate`, {
      method: 'POST',
      body: creds,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(second.status, 204);
    assert.deepEqual(
      k.emu.requests.filter((r) => r.listener === `portal:${portal.id}`).map((r) => r.status),
      [429, 204],
    );
  });

  it('/_sandbox/faults: token required, POST/GET/DELETE, 400 on a bad spec; /_sandbox/requests lists and clears the log', async () => {
    assert.equal((await fetch(`${k.emu.url}/_sandbox/faults`)).status, 401);
    const created = await get('/_sandbox/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '^/v2/', kind: 'status', status: 502, times: 3 }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(created.status, 201);
    const fault = (await created.json()) as { id: string; remaining: number };
    assert.equal(fault.remaining, 3);
    const listed = (await (await get('/_sandbox/faults')).json()) as { data: { id: string }[] };
    assert.deepEqual(
      listed.data.map((f) => f.id),
      [fault.id],
    );
    assert.equal((await get('/v2/dcr-providers')).status, 502);
    const one = (await (await get(`/_sandbox/faults/${fault.id}`)).json()) as { fired: number };
    assert.equal(one.fired, 1);
    assert.equal((await get(`/_sandbox/faults/${fault.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await get(`/_sandbox/faults/${fault.id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await get('/v2/dcr-providers')).status, 200);

    const bad = await get('/_sandbox/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '(', kind: 'status' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.status, 400);
    const badKind = await get('/_sandbox/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '.', kind: 'explode' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(badKind.status, 400);
    await get('/_sandbox/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '.', kind: 'latency', delayMs: 1 }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal((await get('/_sandbox/faults', { method: 'DELETE' })).status, 204);
    assert.deepEqual(k.emu.faults.list(), []);

    const log = (await (await get('/_sandbox/requests')).json()) as {
      data: { method: string; path: string; status: number }[];
    };
    assert.ok(log.data.some((r) => r.path === '/v2/dcr-providers' && r.status === 502));
    assert.ok(!log.data.some((r) => r.path.startsWith('/_sandbox')), 'control calls are not logged');
    assert.equal((await get('/_sandbox/requests', { method: 'DELETE' })).status, 204);
    assert.equal(k.emu.requests.length, 0);
  });
});
