import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import {
  KonnectApiError,
  KonnectLimitError,
  KonnectNetworkError,
  createKonnectClient,
  type KonnectClient,
  type KonnectClientOptions,
} from '../../../src/core/api/index';
import { Redactor } from '../../../src/core/util/redact';
import { FakeClock } from '../../support/clock';
import { MemoryLogger } from '../../support/memoryLogger';
import { problemReply, startStubServer, type StubServer } from '../../support/stubServer';
import { rejectionOf, waitFor } from '../../support/waitFor';
import {
  aCreatedClient,
  anAuthServer,
  anHttpProvider,
  anOidcStrategy,
  anOktaProvider,
  aPage,
} from '../../support/konnectBuilders';
import { loadSpecExamples, specExample } from '../../support/fixtures';

const TOKEN = 'kpat_' + 'T0kenValue'.repeat(4);
const UA = 'konnect-dcr-vscode/0.1.0';

describe('api: KonnectClient over a loopback server', function () {
  let stub: StubServer;
  let clock: FakeClock;
  let log: MemoryLogger;
  const clients: KonnectClient[] = [];

  beforeEach(async () => {
    stub = await startStubServer();
    clock = new FakeClock();
    log = new MemoryLogger();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stub.close();
  });

  function client(overrides: Partial<KonnectClientOptions> = {}): KonnectClient {
    const c = createKonnectClient({
      baseUrl: stub.url,
      token: TOKEN,
      userAgent: UA,
      clock,
      logger: log,
      timeoutMs: 5000,
      retry: { random: () => 0.5 },
      ...overrides,
    });
    clients.push(c);
    return c;
  }

  describe('requests', () => {
    it('sends the bearer token, the user agent and JSON headers', async () => {
      const p = anOktaProvider();
      stub.on('GET', `/v2/dcr-providers/${p.id}`, { json: p });
      stub.on('POST', '/v2/dcr-providers', { status: 201, json: p });
      const c = client();
      assert.deepEqual(await c.dcrProviders.get(p.id), p);
      await c.dcrProviders.create({
        name: 'okta-provider',
        provider_type: 'okta',
        issuer: 'https://my-issuer.okta.com/default',
        dcr_config: { dcr_token: 'abc123xyz098!' },
      });
      const [get, post] = stub.requests;
      assert.equal(get?.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(get?.headers['user-agent'], UA);
      assert.match(String(get?.headers.accept), /application\/json/);
      assert.equal(get?.headers['content-type'], undefined);
      assert.equal(post?.headers['content-type'], 'application/json');
      assert.deepEqual(post?.json, {
        name: 'okta-provider',
        provider_type: 'okta',
        issuer: 'https://my-issuer.okta.com/default',
        dcr_config: { dcr_token: 'abc123xyz098!' },
      });
    });

    it('identity.clients.testClaims posts the templates to test-claim and returns the rendered map as given', async () => {
      const result = specExample(loadSpecExamples('kong-identity-v1.examples.yaml'), 'TestClaimResult');
      stub.on('POST', '/v1/auth-servers/as%201/clients/c1/test-claim', { json: result });
      const got = await client().identity.clients.testClaims('as 1', 'c1', {
        destination: 'anywhere',
        uuid: '${ uuidv4 }',
      });
      assert.deepEqual(got, result);
      assert.deepEqual((got as { alt_scopes?: unknown }).alt_scopes, ['openid', 'profile']);
      assert.deepEqual(stub.requests[0]?.json, { destination: 'anywhere', uuid: '${ uuidv4 }' });
      assert.equal(stub.requests[0]?.method, 'POST');
    });

    it("a test-claim 400 is a KonnectApiError whose message carries Konnect's detail", async () => {
      stub.on(
        'POST',
        '/v1/auth-servers/as1/clients/c1/test-claim',
        problemReply(400, 'Invalid Request', 'Invalid claim template: template: claim:1: unclosed action', {
          invalid_parameters: [
            { field: 'x', rule: 'invalid', reason: 'template: claim:1: unclosed action', source: 'body' },
          ],
        }),
      );
      const err = await rejectionOf(client().identity.clients.testClaims('as1', 'c1', { x: '${ .Client.ID' }));
      assert.ok(err instanceof KonnectApiError, String(err));
      assert.equal(err.status, 400);
      assert.match(err.userMessage, /unclosed action/);
      assert.equal(stub.hits(), 1, 'a POST is not retried');
    });

    it('a test-claim answer that is not an object is malformed', async () => {
      stub.on('POST', '/v1/auth-servers/as1/clients/c1/test-claim', { json: ['not', 'a', 'map'] });
      const err = await rejectionOf(client().identity.clients.testClaims('as1', 'c1', { x: 'y' }));
      assert.ok(err instanceof KonnectNetworkError && err.kind === 'malformed', String(err));
    });

    it('puts the version in the path and encodes ids', async () => {
      stub.fallback(() => ({ status: 204 }));
      const c = client();
      await c.dcrProviders.delete('a/b?c');
      await c.authStrategies.delete('s1');
      await c.identity.authServers.delete('as1', { force: true });
      await c.identity.scopes.delete('as1', 'sc1');
      await c.apiPublications.unpublish('api1', 'portal1');
      assert.deepEqual(
        stub.requests.map((r) => `${r.method} ${r.url}`),
        [
          'DELETE /v2/dcr-providers/a%2Fb%3Fc',
          'DELETE /v2/application-auth-strategies/s1',
          'DELETE /v1/auth-servers/as1?force=true',
          'DELETE /v1/auth-servers/as1/scopes/sc1',
          'DELETE /v3/apis/api1/publications/portal1',
        ],
      );
    });

    it('a base URL with a path prefix is kept in front of the versioned path', async () => {
      stub.on('GET', '/konnect/v2/dcr-providers', { json: aPage([], 1, 10) });
      const c = client({ baseUrl: `${stub.url}/konnect/` });
      assert.equal((await c.dcrProviders.list()).meta.page.total, 0);
    });

    it('refuses a token that would break the header, and `ca`/`proxy` together with a transport', () => {
      assert.throws(() => client({ token: 'bad token' }), /spaces/);
      assert.throws(
        () =>
          client({
            transport: { send: () => Promise.reject(new Error('x')), close: async () => {} },
            proxy: 'http://p',
          }),
        /not both/,
      );
    });

    it('request() reaches any path with the same auth, parsing with a schema when given', async () => {
      stub.on('GET', '/v2/whatever', { json: { hello: 'world' } });
      const c = client();
      const res = await c.request({ method: 'GET', path: '/v2/whatever' });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { hello: 'world' });
      assert.equal(stub.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
    });
  });

  describe('pagination', () => {
    const all = Array.from({ length: 25 }, (_, i) => anOktaProvider({ name: `p${i}` }));
    const serve = (): void =>
      stub.on('GET', '/v2/dcr-providers', (req) => {
        const size = Number(req.query.get('page[size]') ?? 10);
        const number = Number(req.query.get('page[number]') ?? 1);
        return { json: aPage(all, number, size) };
      });

    it('pages() walks every page until meta.page.total, encoding filter and sort', async () => {
      serve();
      const c = client();
      const seen: number[] = [];
      for await (const page of c.dcrProviders.pages({
        pageSize: 10,
        filter: { name: { contains: 'p' }, provider_type: { eq: 'okta' } },
        sort: 'name desc',
      })) {
        seen.push(page.data.length);
        assert.equal(page.meta.page.total, 25);
      }
      assert.deepEqual(seen, [10, 10, 5]);
      assert.equal(stub.hits('GET', '/v2/dcr-providers'), 3);
      const q = stub.requests[2]!.query;
      assert.equal(q.get('page[number]'), '3');
      assert.equal(q.get('page[size]'), '10');
      assert.equal(q.get('filter[name][contains]'), 'p');
      assert.equal(q.get('filter[provider_type][eq]'), 'okta');
      assert.equal(q.get('sort'), 'name desc');
      assert.match(stub.requests[0]!.url, /filter\[name\]\[contains\]=p/);
    });

    it('listAll() collects every item; pages() can start later', async () => {
      serve();
      const c = client();
      const items = await c.dcrProviders.listAll({ pageSize: 7 });
      assert.deepEqual(
        items.map((p) => p.name),
        all.map((p) => p.name),
      );
      assert.equal(stub.hits(), 4);
      const later: number[] = [];
      for await (const page of c.dcrProviders.pages({ pageSize: 10, pageNumber: 2 })) later.push(page.meta.page.number);
      assert.deepEqual(later, [2, 3]);
    });

    it('listAll() refuses lists longer than maxItems after the first page', async () => {
      serve();
      const err = await rejectionOf(client().dcrProviders.listAll({ pageSize: 10 }, { maxItems: 20 }));
      assert.ok(err instanceof KonnectLimitError, String(err));
      assert.equal(err.total, 25);
      assert.match(err.userMessage, /25 items, more than the 20/);
      assert.equal(stub.hits(), 1);
    });

    it('stops at an empty page even if total claims more', async () => {
      stub.on('GET', '/v2/application-auth-strategies', (req) => {
        const n = Number(req.query.get('page[number]'));
        return { json: { data: n === 1 ? [anOidcStrategy()] : [], meta: { page: { number: n, size: 1, total: 99 } } } };
      });
      const items = await client().authStrategies.listAll({ pageSize: 1 });
      assert.equal(items.length, 1);
      assert.equal(stub.hits(), 2);
    });

    it('list() sends only what it is given', async () => {
      stub.on('GET', '/v1/auth-servers', { json: aPage([anAuthServer()], 1, 10) });
      await client().identity.authServers.list();
      assert.equal(stub.requests[0]!.url, '/v1/auth-servers');
    });
  });

  describe('problem+json errors', () => {
    it('400 with invalid_parameters becomes a typed KonnectApiError', async () => {
      stub.on(
        'POST',
        '/v2/application-auth-strategies',
        problemReply(400, 'Invalid Request', 'Invalid Parameters', {
          instance: 'kong:trace:1433447772874964729',
          invalid_parameters: [
            { field: 'dcr_provider_id', rule: 'is_uuid', reason: 'must be a valid UUID', source: 'body' },
            {
              field: 'configs.openid-connect.scopes',
              rule: 'max_items',
              maximum: 50,
              reason: 'too many',
              source: 'body',
            },
            { field: 'strategy_type', rule: 'enum', choices: ['key_auth', 'openid_connect'], reason: 'must be one of' },
          ],
        }),
      );
      const err = await rejectionOf(
        client().authStrategies.create({
          name: 'n',
          display_name: '',
          strategy_type: 'key_auth',
          configs: { 'key-auth': { key_names: ['apikey'] } },
        }),
      );
      assert.ok(err instanceof KonnectApiError, String(err));
      assert.equal(err.status, 400);
      assert.equal(err.title, 'Invalid Request');
      assert.equal(err.detail, 'Invalid Parameters');
      assert.equal(err.instance, 'kong:trace:1433447772874964729');
      assert.equal(err.traceId, '1433447772874964729');
      assert.equal(err.invalidParameters.length, 3);
      const [p0, p1, p2] = err.invalidParameters;
      assert.equal(p0?.rule, 'is_uuid');
      assert.ok(p1 && 'maximum' in p1 && p1.maximum === 50);
      assert.ok(p2 && 'choices' in p2);
      assert.match(
        err.message,
        /400 Invalid Request to POST \/v2\/application-auth-strategies: Invalid Parameters \(dcr_provider_id: must be a valid UUID;/,
      );
      assert.match(err.message, /kong:trace:1433447772874964729/);
      assert.ok(!err.message.includes('\n'));
      assert.equal(stub.hits(), 1);
    });

    it('401, 403, 404 and 409 carry status, title, detail and a hint', async () => {
      stub.on('GET', '/v2/dcr-providers', problemReply(401, 'Unauthorized'));
      stub.on('GET', '/v2/dcr-providers/x', problemReply(404, 'Not Found'));
      stub.on(
        'DELETE',
        '/v2/dcr-providers/x',
        problemReply(403, 'Forbidden', 'You do not have permission to perform this action'),
      );
      stub.on(
        'DELETE',
        '/v2/application-auth-strategies/s',
        problemReply(409, 'Conflict', 'The auth strategy is used by a publication'),
      );
      const c = client();
      const e401 = await rejectionOf(c.dcrProviders.list());
      assert.ok(e401 instanceof KonnectApiError && e401.status === 401);
      assert.match(e401.userMessage, /did not accept the token/);
      const e404 = await rejectionOf(c.dcrProviders.get('x'));
      assert.ok(e404 instanceof KonnectApiError && e404.status === 404 && e404.title === 'Not Found');
      const e403 = await rejectionOf(c.dcrProviders.delete('x'));
      assert.ok(e403 instanceof KonnectApiError && e403.detail === 'You do not have permission to perform this action');
      const e409 = await rejectionOf(c.authStrategies.delete('s'));
      assert.ok(e409 instanceof KonnectApiError && e409.status === 409);
      assert.match(e409.userMessage, /used by a publication/);
      assert.equal(stub.hits(), 4, 'no retry on 4xx');
    });

    it('a non-JSON error body still gives a clear error', async () => {
      stub.on('POST', '/v2/dcr-providers/x/verify', {
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
      });
      stub.on('GET', '/v2/dcr-providers/y', {
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: 'upstream exploded',
      });
      const c = client({ retry: { maxAttempts: 1 } });
      const html = await rejectionOf(c.dcrProviders.verify('x'));
      assert.ok(html instanceof KonnectApiError);
      assert.equal(html.status, 502);
      assert.equal(html.title, 'Bad Gateway');
      assert.equal(html.detail, '502 Bad Gateway');
      const text = await rejectionOf(c.dcrProviders.get('y'));
      assert.ok(text instanceof KonnectApiError);
      assert.match(text.message, /500 Internal Server Error to GET \/v2\/dcr-providers\/y: upstream exploded/);
    });

    it('a redirect is an error that points at the base URL', async () => {
      stub.on('GET', '/v2/dcr-providers', {
        status: 301,
        headers: { location: 'https://elsewhere.example/v2/dcr-providers' },
      });
      const err = await rejectionOf(client().dcrProviders.list());
      assert.ok(err instanceof KonnectApiError && err.status === 301);
      assert.match(err.message, /redirected to https:\/\/elsewhere\.example.*check the base URL/);
    });
  });

  describe('retries', () => {
    it('429 with Retry-After in seconds is honoured, for a POST too', async () => {
      const p = anHttpProvider();
      stub.on('POST', '/v2/dcr-providers', [
        {
          ...problemReply(429, 'Too Many Requests'),
          headers: { 'retry-after': '2', 'content-type': 'application/problem+json' },
        },
        { status: 201, json: p },
      ]);
      const created = await client().dcrProviders.create({
        name: 'h',
        provider_type: 'http',
        issuer: 'https://issuer.example.com',
        dcr_config: { dcr_base_url: 'https://dcr.example.com', api_key: 'gYmrbDfu_7PTsZWH' },
      });
      assert.equal(created.id, p.id);
      assert.equal(stub.hits('POST', '/v2/dcr-providers'), 2);
      assert.deepEqual(clock.sleeps, [2000]);
      assert.match(log.text(), /429; retry 2\/4 in 2 s \(Retry-After\)/);
    });

    it('429 with Retry-After as an HTTP date is honoured', async () => {
      stub.on('GET', '/v2/dcr-providers', [
        { status: 429, headers: { 'retry-after': new Date(clock.now() + 3000).toUTCString() } },
        { json: aPage([], 1, 10) },
      ]);
      await client().dcrProviders.list();
      assert.deepEqual(clock.sleeps, [3000]);
      assert.equal(stub.hits(), 2);
    });

    it('a Retry-After beyond the cap fails at once with a clear message', async () => {
      stub.on('GET', '/v2/dcr-providers', { status: 429, headers: { 'retry-after': '120' } });
      const err = await rejectionOf(client().dcrProviders.list());
      assert.ok(err instanceof KonnectApiError && err.status === 429);
      assert.equal(err.retryAfterMs, 120_000);
      assert.match(err.userMessage, /asked to wait 120 s before retrying, longer than the 60 s limit/);
      assert.equal(stub.hits(), 1);
      assert.deepEqual(clock.sleeps, []);
    });

    it('429 without Retry-After backs off exponentially and gives up after maxAttempts', async () => {
      stub.on('GET', '/v2/dcr-providers', { status: 429 });
      const err = await rejectionOf(
        client({ retry: { maxAttempts: 3, random: () => 0.5, baseDelayMs: 100 } }).dcrProviders.list(),
      );
      assert.ok(err instanceof KonnectApiError && err.status === 429);
      assert.equal(err.attempts, 3);
      assert.equal(stub.hits(), 3);
      assert.deepEqual(clock.sleeps, [75, 150]);
    });

    it('503 on a GET is retried with backoff, then succeeds', async () => {
      stub.on('GET', '/v1/auth-servers', [
        problemReply(503, 'Service Unavailable'),
        problemReply(503, 'Service Unavailable'),
        { json: aPage([anAuthServer()], 1, 10) },
      ]);
      const page = await client().identity.authServers.list();
      assert.equal(page.data.length, 1);
      assert.equal(stub.hits(), 3);
      assert.deepEqual(clock.sleeps, [375, 750]);
    });

    it('502/504 on PUT and DELETE are retried (idempotent)', async () => {
      stub.on('PUT', '/v3/apis/a/publications/p', [
        { status: 504 },
        { json: { visibility: 'public', auth_strategy_ids: ['s'], created_at: 't', updated_at: 't' } },
      ]);
      stub.on('DELETE', '/v2/dcr-providers/d', [{ status: 502 }, { status: 204 }]);
      const c = client();
      assert.equal((await c.apiPublications.publish('a', 'p', { visibility: 'public' })).visibility, 'public');
      await c.dcrProviders.delete('d');
      assert.equal(stub.hits('PUT'), 2);
      assert.equal(stub.hits('DELETE'), 2);
    });

    it('503 on a POST or a PATCH is never retried', async () => {
      stub.on('POST', '/v2/dcr-providers', problemReply(503, 'Service Unavailable'));
      stub.on('PATCH', '/v2/dcr-providers/d', problemReply(503, 'Service Unavailable'));
      const c = client();
      const post = await rejectionOf(
        c.dcrProviders.create({ name: 'k', provider_type: 'kongIdentity', issuer: 'https://ki.example.com' }),
      );
      assert.ok(post instanceof KonnectApiError && post.status === 503 && post.attempts === 1);
      const patch = await rejectionOf(c.dcrProviders.update('d', { name: 'x' }));
      assert.ok(patch instanceof KonnectApiError && patch.status === 503);
      assert.equal(stub.hits('POST'), 1);
      assert.equal(stub.hits('PATCH'), 1);
      assert.deepEqual(clock.sleeps, []);
    });

    it('a connection reset is retried on GET but not on POST', async () => {
      stub.on('GET', '/v2/dcr-providers', [{ destroy: true }, { json: aPage([], 1, 10) }]);
      stub.on('POST', '/v1/auth-servers', { destroy: true });
      const c = client();
      await c.dcrProviders.list();
      assert.equal(stub.hits('GET'), 2);
      const err = await rejectionOf(c.identity.authServers.create({ name: 'a', audience: 'x' }));
      assert.ok(err instanceof KonnectNetworkError, String(err));
      assert.equal(err.kind, 'reset');
      assert.equal(stub.hits('POST'), 1);
    });
  });

  describe('timeouts and cancellation', () => {
    it('times out a call that gets no answer (each attempt has its own timeout; GET retried, POST not)', async () => {
      stub.on('GET', '/v2/dcr-providers', { hang: true });
      stub.on('POST', '/v2/dcr-providers/x/verify', { hang: true });
      const c = client({ timeoutMs: 80, retry: { maxAttempts: 2, random: () => 0.5 } });
      const get = await rejectionOf(c.dcrProviders.list());
      assert.ok(get instanceof KonnectNetworkError && get.kind === 'timeout', String(get));
      assert.match(get.message, /did not answer GET \/v2\/dcr-providers within 80 ms/);
      assert.equal(stub.hits('GET'), 2);
      const post = await rejectionOf(c.dcrProviders.verify('x'));
      assert.ok(post instanceof KonnectNetworkError && post.kind === 'timeout');
      assert.equal(stub.hits('POST'), 1);
    });

    it('aborting during a request rejects promptly with an AbortError', async () => {
      stub.on('GET', '/v2/dcr-providers', { hang: true });
      const ctrl = new AbortController();
      const pending = rejectionOf(client({ timeoutMs: 10_000 }).dcrProviders.list({}, { signal: ctrl.signal }));
      await waitFor(() => stub.hits() === 1, { message: 'the request reached the server' });
      const t0 = Date.now();
      ctrl.abort();
      const err = await pending;
      assert.ok(Date.now() - t0 < 1000);
      assert.ok(err instanceof KonnectNetworkError && err.kind === 'aborted', String(err));
      assert.equal(err.name, 'AbortError');
      assert.equal(stub.hits(), 1);
    });

    it('aborting during the backoff wait stops at once, without another request', async () => {
      const manual = new FakeClock({ auto: false });
      stub.on('GET', '/v2/dcr-providers', problemReply(503, 'Service Unavailable'));
      const ctrl = new AbortController();
      const pending = rejectionOf(client({ clock: manual }).dcrProviders.list({}, { signal: ctrl.signal }));
      await waitFor(() => manual.pending === 1, { message: 'the client is in backoff' });
      ctrl.abort();
      const err = await pending;
      assert.ok(err instanceof KonnectNetworkError && err.name === 'AbortError', String(err));
      assert.equal(stub.hits(), 1);
      assert.equal(manual.pending, 0);
    });

    it('an already aborted signal sends nothing', async () => {
      const err = await rejectionOf(client().dcrProviders.list({}, { signal: AbortSignal.abort() }));
      assert.ok(err instanceof KonnectNetworkError && err.kind === 'aborted');
      assert.equal(stub.hits(), 0);
    });
  });

  describe('network failures and malformed answers', () => {
    it('a refused connection is "unreachable" and names the host', async () => {
      const port = await closedPort();
      const err = await rejectionOf(client({ baseUrl: `http://127.0.0.1:${port}` }).dcrProviders.list());
      assert.ok(err instanceof KonnectNetworkError, String(err));
      assert.equal(err.kind, 'unreachable');
      assert.equal(err.code, 'ECONNREFUSED');
      assert.match(err.userMessage, new RegExp(`Cannot connect to 127\\.0\\.0\\.1:${port}`));
    });

    it('invalid JSON is a "malformed" error that does not quote the body', async () => {
      stub.on('GET', '/v2/dcr-providers/x', {
        headers: { 'content-type': 'application/json' },
        body: '{"id": "x", "api_key": "leakyleakyleaky',
      });
      const err = await rejectionOf(client().dcrProviders.get('x'));
      assert.ok(err instanceof KonnectNetworkError && err.kind === 'malformed', String(err));
      assert.match(err.message, /GET \/v2\/dcr-providers\/x.*not valid JSON \(HTTP 200, application\/json/);
      assert.ok(!err.message.includes('leaky'));
    });

    it('a wrong type or a missing field is rejected with the zod issue path', async () => {
      const bad = anOktaProvider() as Record<string, unknown>;
      bad['active'] = 'yes';
      stub.on('GET', '/v2/dcr-providers', { json: { data: [bad], meta: { page: { number: 1, size: 10, total: 1 } } } });
      const missing = anHttpProvider() as { dcr_config: Record<string, unknown> };
      delete missing.dcr_config['dcr_base_url'];
      stub.on('GET', '/v2/dcr-providers/m', { json: missing });
      stub.on('GET', '/v2/dcr-providers/e', { status: 200, body: '' });
      const c = client();
      const wrong = await rejectionOf(c.dcrProviders.list());
      assert.ok(wrong instanceof KonnectNetworkError && wrong.kind === 'malformed');
      assert.match(wrong.message, /data\[0\]\.active: Invalid input: expected boolean/);
      const absent = await rejectionOf(c.dcrProviders.get('m'));
      assert.ok(absent instanceof KonnectNetworkError && absent.kind === 'malformed');
      assert.match(absent.message, /dcr_config\.dcr_base_url/);
      const empty = await rejectionOf(c.dcrProviders.get('e'));
      assert.match(String((empty as Error).message), /body is empty/);
    });
  });

  describe('secrets', () => {
    it('the token and the secrets sent are never echoed in errors or logs', async () => {
      const apiKey = 'SuperSecretApiKey_123';
      stub.on(
        'POST',
        '/v2/dcr-providers',
        problemReply(400, 'Invalid Request', `api_key ${apiKey} rejected for ${TOKEN}`, {
          invalid_parameters: [
            { field: 'dcr_config.api_key', rule: 'invalid', reason: `value ${apiKey} is not accepted` },
          ],
        }),
      );
      stub.on('GET', '/v2/dcr-providers/x', {
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: `debug: Authorization: Bearer ${TOKEN}`,
      });
      const redactor = new Redactor();
      const c = client({ redactor, retry: { maxAttempts: 1 } });
      const e1 = (await rejectionOf(
        c.dcrProviders.create({
          name: 'h',
          provider_type: 'http',
          issuer: 'https://issuer.example.com',
          dcr_config: { dcr_base_url: 'https://dcr.example.com', api_key: apiKey },
        }),
      )) as KonnectApiError;
      const e2 = (await rejectionOf(c.dcrProviders.get('x'))) as KonnectApiError;
      for (const text of [
        e1.message,
        e1.userMessage,
        e1.detail ?? '',
        ...e1.invalidParameters.map((p) => p.reason),
        e2.message,
        e2.userMessage,
        log.text(),
      ]) {
        assert.ok(!text.includes(apiKey), `api key leaked: ${text}`);
        assert.ok(!text.includes(TOKEN), `token leaked: ${text}`);
      }
      assert.match(e1.message, /api_key ‹redacted›/);
      assert.equal(redactor.redact(`x ${apiKey} y`), 'x ‹redacted› y', 'the shared redactor learned the secret');
    });

    it('a secret received (Kong Identity client_secret) is returned once and remembered by the redactor', async () => {
      const created = aCreatedClient();
      stub.on('POST', '/v1/auth-servers/as1/clients', { status: 201, json: created });
      const redactor = new Redactor();
      const got = await client({ redactor }).identity.clients.create('as1', {
        name: 'c',
        grant_types: ['client_credentials'],
        response_types: ['token'],
      });
      assert.equal(got.client_secret, created.client_secret);
      assert.ok(!redactor.redact(`secret=${created.client_secret}`).includes(created.client_secret));
    });
  });

  describe('resources', () => {
    const aas = loadSpecExamples('application-auth-strategies-v2.examples.yaml');

    it('verify: a 200 "failed", a 400 problem as "failed", and 404 thrown', async () => {
      stub.on('POST', '/v2/dcr-providers/a/verify', { json: specExample(aas, 'VerifyDcrProviderResponseFailed') });
      stub.on('POST', '/v2/dcr-providers/b/verify', problemReply(400, 'Bad Request', 'Unable to reach the issuer'));
      stub.on('POST', '/v2/dcr-providers/c/verify', problemReply(404, 'Not Found'));
      stub.on('POST', '/v2/dcr-providers/d/verify', { json: specExample(aas, 'VerifyDcrProviderResponseSuccess') });
      const c = client();
      assert.deepEqual(await c.dcrProviders.verify('a'), {
        status: 'failed',
        errors: ['Unable to create the DCR application'],
      });
      assert.deepEqual(await c.dcrProviders.verify('b'), { status: 'failed', errors: ['Unable to reach the issuer'] });
      assert.ok((await rejectionOf(c.dcrProviders.verify('c'))) instanceof KonnectApiError);
      assert.deepEqual(await c.dcrProviders.verify('d'), { status: 'success', errors: [] });
    });

    it('strategies: list by dcr_provider_id, replace with PUT, update with PATCH', async () => {
      const s = anOidcStrategy({ dcr_provider: { id: 'p1', name: 'p', provider_type: 'okta' } });
      stub.on('GET', '/v2/application-auth-strategies', { json: aPage([s], 1, 10) });
      stub.on('PUT', `/v2/application-auth-strategies/${s.id}`, { status: 201, json: s });
      stub.on('PATCH', `/v2/application-auth-strategies/${s.id}`, { json: s });
      const c = client();
      const page = await c.authStrategies.list({ filter: { dcr_provider_id: { eq: 'p1' } } });
      assert.equal(page.data[0]?.dcr_provider?.id, 'p1');
      assert.equal(stub.requests[0]!.query.get('filter[dcr_provider_id][eq]'), 'p1');
      await c.authStrategies.replace(s.id, {
        name: 'oidc',
        display_name: 'OIDC',
        strategy_type: 'openid_connect',
        dcr_provider_id: 'p1',
        configs: {
          'openid-connect': {
            issuer: 'https://issuer.example.com',
            credential_claim: ['client_id'],
            scopes: [],
            auth_methods: ['bearer'],
          },
        },
      });
      await c.authStrategies.update(s.id, { configs: { 'openid-connect': { scopes: ['openid'] } } });
      assert.deepEqual(stub.requests[2]!.json, { configs: { 'openid-connect': { scopes: ['openid'] } } });
    });
  });
});

/** A port nobody listens on (bound then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
