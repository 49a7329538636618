// The runner's core against loopback stubs: the executor's timing split, TLS with a custom CA, proxy, timeout and
// cancellation; the runner's chaining (a named token request runs first), token decoding and checks, Explain on a
// 401, curl export and the redacted history.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestExecutor, RequestFailedError } from '../../../src/core/requests/executor';
import { toCurl } from '../../../src/core/requests/curl';
import { RunHistory, HISTORY_KEY } from '../../../src/core/requests/history';
import { parseRequestFile } from '../../../src/core/requests/parser';
import { RequestRunner, RunSession, checkSummary } from '../../../src/core/requests/runner';
import { generateValidationRequests, secretKeyFor, tokenParams } from '../../../src/core/requests/generate';
import { conventionalTokenEndpoint, findTokenEndpoint } from '../../../src/core/oidc/discovery';
import type { StrategyView } from '../../../src/core/requests/jwt';
import { Redactor } from '../../../src/core/util/redact';
import { nullLogger } from '../../../src/core/util/logger';
import { startStubServer, type StubServer } from '../../support/stubServer';
import { makeSelfSignedCert } from '../../support/tlsCert';
import { startCountingProxy } from '../../support/proxy';
import { fakeJwt } from './tokens';

const never = new AbortController().signal;

describe('requests: executor', () => {
  let stub: StubServer;
  beforeEach(async () => {
    stub = await startStubServer();
  });
  afterEach(async () => {
    await stub.close();
  });

  it('sends method, headers and body and splits the time into connect / first byte / transfer', async () => {
    stub.on('POST', '/token', (req) => ({ json: { got: req.body, ct: req.headers['content-type'] }, delayMs: 30 }));
    const ex = createRequestExecutor();
    const res = await ex.execute(
      { method: 'POST', url: `${stub.url}/token`, headers: [['Content-Type', 'text/plain']], body: 'hello' },
      never,
    );
    assert.equal(res.status, 200);
    assert.equal(res.statusText, 'OK');
    assert.deepEqual(JSON.parse(res.body), { got: 'hello', ct: 'text/plain' });
    const t = res.timings;
    assert.equal(t.viaProxy, false);
    assert.equal(t.tlsMs, undefined, 'no TLS on http');
    assert.ok(t.connectMs !== undefined && t.connectMs >= 0, `connect ${t.connectMs}`);
    assert.ok(t.firstByteMs >= 25, `first byte includes the server's 30 ms (${t.firstByteMs})`);
    assert.ok(t.totalMs >= t.firstByteMs + t.transferMs, JSON.stringify(t));
  });

  it('opens a fresh connection per request and closes it itself once the answer is read (asks for keep-alive, never reuses it)', async () => {
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ port: req.socket.remotePort, connection: req.headers.connection ?? null }));
    });
    const closed: number[] = [];
    server.on('connection', (socket) => {
      const port = socket.remotePort!;
      socket.on('close', () => closed.push(port));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      const ex = createRequestExecutor();
      const seen: { port: number; connection: string | null }[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await ex.execute({ method: 'GET', url, headers: [] }, never);
        seen.push(JSON.parse(res.body) as { port: number; connection: string | null });
        assert.ok(res.timings.connectMs !== undefined && res.timings.connectMs >= 0, JSON.stringify(res.timings));
        // the server did not close it (it was asked to keep it): this side did, when execute settled
        const deadline = Date.now() + 2000;
        while (!closed.includes(seen[i]!.port) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        assert.ok(closed.includes(seen[i]!.port), `the connection of request ${i + 1} is closed after it`);
      }
      assert.deepEqual(
        seen.map((s) => s.connection),
        ['keep-alive', 'keep-alive'],
      );
      assert.notEqual(seen[0]!.port, seen[1]!.port, 'the second request had a connection of its own');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('verifies TLS: refuses a self-signed certificate, accepts it with konnectDcr.caFile, and times TLS', async function () {
    const cert = makeSelfSignedCert();
    if (!cert) this.skip();
    const tls = await startStubServer({ tls: cert! });
    try {
      tls.on('GET', '/x', { json: { ok: true } });
      await assert.rejects(
        createRequestExecutor().execute({ method: 'GET', url: `${tls.url}/x`, headers: [] }, never),
        (e: unknown) =>
          e instanceof RequestFailedError && e.kind === 'tls' && /certificate was refused/.test(e.message),
      );
      const res = await createRequestExecutor({ ca: cert!.cert }).execute(
        { method: 'GET', url: `${tls.url}/x`, headers: [] },
        never,
      );
      assert.equal(res.status, 200);
      assert.ok(res.timings.tlsMs !== undefined && res.timings.tlsMs > 0, `tls ${res.timings.tlsMs}`);
    } finally {
      await tls.close();
    }
  });

  it('a certificate for another host name: says so and which names it is valid for, not to set a CA file (direct and through a proxy)', async function () {
    const cert = makeSelfSignedCert('idp.other.example', 'DNS:idp.other.example,IP:10.9.8.7');
    if (!cert) this.skip();
    const tls = await startStubServer({ tls: cert! });
    const proxy = await startCountingProxy();
    try {
      tls.on('POST', '/token', { json: { access_token: 'x' } });
      for (const options of [{}, { proxy: proxy.url, bypassLoopback: false }]) {
        const err: unknown = await createRequestExecutor({ ca: cert!.cert, ...options })
          .execute({ method: 'POST', url: `${tls.url}/token`, headers: [] }, never)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        assert.ok(err instanceof RequestFailedError, String(err));
        assert.equal(err.kind, 'tls');
        assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
        assert.match(
          err.message,
          /^The TLS certificate of localhost:\d+ is for another host: it is valid for idp\.other\.example, 10\.9\.8\.7, not for localhost\. A custom CA \(Konnect DCR: Ca File\) cannot fix this: use a host name the certificate lists/,
        );
        assert.doesNotMatch(err.message, /set "Konnect DCR: Ca File"/);
      }
      assert.equal(proxy.connects.length, 1, 'the second one went through the proxy');
      assert.equal(tls.hits(), 0);
    } finally {
      await proxy.close();
      await tls.close();
    }
  });

  it('goes through the proxy (CONNECT), except for loopback hosts by default', async () => {
    const proxy = await startCountingProxy();
    try {
      stub.on('GET', '/p', { json: { ok: 1 } });
      const direct = await createRequestExecutor({ proxy: proxy.url }).execute(
        { method: 'GET', url: `${stub.url}/p`, headers: [] },
        never,
      );
      assert.equal(direct.timings.viaProxy, false);
      assert.equal(proxy.count(), 0);
      const via = await createRequestExecutor({ proxy: proxy.url, bypassLoopback: false }).execute(
        { method: 'GET', url: `${stub.url}/p`, headers: [] },
        never,
      );
      assert.equal(via.status, 200);
      assert.equal(via.timings.viaProxy, true);
      assert.equal(via.timings.connectMs, undefined, 'no connect split through a proxy');
      assert.equal(proxy.count(), 1);
    } finally {
      await proxy.close();
    }
  });

  it('tunnels through a proxy that asks for Basic authentication (user:password in the proxy URL), and names a refusal', async () => {
    const proxy = await startCountingProxy({
      requireAuth: `Basic ${Buffer.from('kdcr:pr%xy pass').toString('base64')}`,
    });
    try {
      stub.on('GET', '/p', { json: { ok: 1 } });
      const ok = await createRequestExecutor({
        proxy: `http://kdcr:pr%25xy%20pass@${proxy.url.slice('http://'.length)}`,
        bypassLoopback: false,
      }).execute({ method: 'GET', url: `${stub.url}/p`, headers: [] }, never);
      assert.equal(ok.status, 200);
      assert.deepEqual(proxy.connects, [`127.0.0.1:${stub.port}`]);
      await assert.rejects(
        createRequestExecutor({ proxy: proxy.url, bypassLoopback: false }).execute(
          { method: 'GET', url: `${stub.url}/p`, headers: [] },
          never,
        ),
        (e: unknown) => e instanceof RequestFailedError && e.kind === 'proxy' && e.phase === 'proxy',
      );
    } finally {
      await proxy.close();
    }
  });

  it('times out with the setting named, and cancels promptly', async () => {
    stub.on('GET', '/hang', { hang: true });
    await assert.rejects(
      createRequestExecutor({ timeoutMs: 150 }).execute({ method: 'GET', url: `${stub.url}/hang`, headers: [] }, never),
      /No complete answer within 150 ms \(konnectDcr\.requestTimeoutSeconds\): timed out during the wait for the answer from 127\.0\.0\.1:\d+/,
    );
    const ctrl = new AbortController();
    const p = createRequestExecutor().execute({ method: 'GET', url: `${stub.url}/hang`, headers: [] }, ctrl.signal);
    setImmediate(() => ctrl.abort());
    await assert.rejects(p, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  it('refuses a URL it cannot parse, naming it (nothing goes to the network)', async () => {
    await assert.rejects(
      createRequestExecutor().execute({ method: 'GET', url: 'http://[::1/orders', headers: [] }, never),
      (e: unknown) =>
        e instanceof RequestFailedError &&
        e.kind === 'invalid-url' &&
        e.message === 'Cannot send: "http://[::1/orders" is not a valid URL',
    );
  });

  it('names a refused connection', async () => {
    await assert.rejects(
      createRequestExecutor().execute({ method: 'GET', url: 'http://127.0.0.1:9/x', headers: [] }, never),
      /Nothing answers there/,
    );
  });
});

describe('requests: runner', () => {
  let stub: StubServer;
  const ISS = 'https://idp.example.com/oauth2/default';
  const strategy: StrategyView = {
    id: 's1',
    name: 'orders',
    issuer: ISS,
    credentialClaims: ['cid'],
    scopes: ['api:read'],
    authMethods: ['client_credentials'],
    audiences: [],
    providerType: 'okta',
    extra: {},
  };
  let token: string;
  beforeEach(async () => {
    stub = await startStubServer();
    token = fakeJwt({
      iss: ISS,
      cid: 'app-1',
      sub: 'app-1',
      scp: ['api:read'],
      exp: Math.floor(Date.now() / 1000) + 300,
    });
    stub.on('POST', '/token', (req) =>
      new URLSearchParams(req.body).get('client_secret') === 'right secret'
        ? { json: { access_token: token, token_type: 'Bearer', expires_in: 300 } }
        : { status: 401, json: { error: 'invalid_client', error_description: 'client authentication failed' } },
    );
    stub.on('GET', '/orders/anything', (req) =>
      req.headers.authorization === `Bearer ${token}`
        ? { json: { ok: true } }
        : {
            status: 403,
            json: { message: 'The application app-1 (cid) is registered for the API billing, not for orders' },
          },
    );
  });
  afterEach(async () => {
    await stub.close();
  });

  const file = (secretKey = 'k') =>
    parseRequestFile(
      [
        `# @strategy orders`,
        `@base = ${'{{stub}}'}`,
        '',
        '### token',
        '# @name token',
        'POST {{base}}/token',
        'Content-Type: application/x-www-form-urlencoded',
        '',
        'grant_type=client_credentials',
        '&client_id=app-1',
        `&client_secret={{$secret ${secretKey}}}`,
        '&scope=api:read',
        '',
        '### gateway',
        'GET {{base}}/orders/anything',
        'Authorization: Bearer {{token.response.body.access_token}}',
        '',
      ].join('\n'),
    );

  function setup(secret: string) {
    const redactor = new Redactor();
    const runner = new RequestRunner({
      executor: createRequestExecutor(),
      now: () => Date.now(),
      redactor,
      logger: nullLogger,
      resolveStrategy: async (ref) => (ref === 'orders' ? strategy : undefined),
    });
    const session = new RunSession(file(), {
      environment: { stub: stub.url },
      dotenv: {},
      processEnv: () => undefined,
      now: () => Date.now(),
      secret: async (k) => (k === 'k' ? secret : undefined),
    });
    return { runner, session, redactor };
  }

  it('runs the named token request first for a chained gateway call, decodes and checks both tokens', async () => {
    const { runner, session, redactor } = setup('right secret');
    const r = await runner.run(session, 1, never);
    assert.equal(stub.hits('POST', '/token'), 1, 'the token request ran first');
    assert.equal(r.response?.status, 200);
    assert.equal(r.tokens.length, 1);
    assert.equal(r.tokens[0]!.source, 'request.bearer');
    assert.deepEqual(
      r.tokens[0]!.checks!.filter((c) => c.status === 'fail'),
      [],
    );
    assert.equal(checkSummary(r), '5/5 token checks passed');
    assert.equal(redactor.redact(`x ${token} right secret`), 'x ‹redacted› ‹redacted›');
    // the token run again from its own lens: decoded from the answer
    const t = await runner.run(session, 0, never);
    assert.equal(t.tokens[0]!.source, 'response.access_token');
    assert.equal(t.tokens[0]!.decoded?.payload['cid'], 'app-1');
    assert.equal(checkSummary(t), '5/5 token checks passed');
  });

  it('decodes a chained Bearer token once: the gateway run shows the decode of the token answer', async () => {
    const { runner, session } = setup('right secret');
    const t = await runner.run(session, 0, never);
    const g = await runner.run(session, 1, never);
    assert.equal(g.response?.status, 200);
    assert.equal(g.tokens[0]!.raw, t.tokens[0]!.raw);
    assert.equal(g.tokens[0]!.decoded, t.tokens[0]!.decoded, 'the same decode, not a second one');
    assert.equal(g.tokens[0]!.decoded?.payload['cid'], 'app-1');
    assert.equal(checkSummary(g), '5/5 token checks passed');
    // a session keeps the last few decodes only; an old token is decoded again (the same claims)
    const first = session.decode(token);
    for (let i = 0; i < 8; i++) session.decode(fakeJwt({ iss: ISS, n: i }));
    const again = session.decode(token);
    assert.notEqual(again, first);
    assert.deepEqual(again, first);
    assert.equal(session.decode('not-a-jwt'), undefined);
  });

  it('explains a wrong secret at the token endpoint and a gateway 403', async () => {
    const { runner, session } = setup('wrong secret');
    const t = await runner.run(session, 0, never);
    assert.equal(t.response?.status, 401);
    assert.equal(t.explanation?.findings[0]?.rule, 'token.invalid_client');
    const g = await runner.run(session, 1, never);
    assert.match(g.error?.message ?? '', /The response of "token" \(HTTP 401\) has no access_token/);
    // a valid token but another API
    token = fakeJwt({ iss: ISS, cid: 'app-1', scp: ['api:read'], exp: Math.floor(Date.now() / 1000) + 300 });
    const other = setup('right secret');
    stub.on('GET', '/orders/anything', {
      status: 403,
      json: { message: 'The application app-1 (cid) is registered for the API billing, not for orders' },
    });
    const g2 = await other.runner.run(other.session, 1, never);
    assert.equal(g2.response?.status, 403);
    assert.equal(g2.explanation?.findings[0]?.rule, 'gw.other_api');
  });

  it('redacts a form-encoded {{$secret}} in any field, not only the ones the redactor knows by name', async () => {
    stub.on('POST', '/revoke', { json: {} });
    const redactor = new Redactor();
    const runner = new RequestRunner({
      executor: createRequestExecutor(),
      now: () => Date.now(),
      redactor,
      logger: nullLogger,
    });
    const secret = 'opaque+tok/en=value';
    const s = new RunSession(
      parseRequestFile(
        [
          `POST ${stub.url}/revoke`,
          'Content-Type: application/x-www-form-urlencoded',
          '',
          'token={{$secret t}}&token_type_hint=refresh_token',
          '',
        ].join('\n'),
      ),
      {
        environment: {},
        dotenv: {},
        processEnv: () => undefined,
        now: Date.now,
        secret: async () => secret,
      },
    );
    const r = await runner.run(s, 0, never);
    assert.equal(r.response?.status, 200);
    assert.match(r.sent!.body!, /token=opaque%2Btok%2Fen%3Dvalue&/, 'the body carries the encoded value');
    const curl = toCurl(r.sent!, { redactor });
    assert.equal(curl.includes(encodeURIComponent(secret)), false, curl);
    assert.equal(curl.includes(secret), false, curl);
  });

  it('refuses a URL that does not parse after substitution, naming it, without sending', async () => {
    const { runner } = setup('x');
    const s = new RunSession(parseRequestFile('GET http://[::1/orders\n###\nGET ftp://example.com/x\n'), {
      environment: {},
      dotenv: {},
      processEnv: () => undefined,
      now: Date.now,
      secret: async () => undefined,
    });
    const r = await runner.run(s, 0, never);
    assert.deepEqual(r.error, { kind: 'invalid-url', message: 'Cannot send: "http://[::1/orders" is not a valid URL' });
    assert.match((await runner.run(s, 1, never)).error?.message ?? '', /only http and https URLs/);
    assert.equal(stub.requests.length, 0);
  });

  it('refuses a request with blocking diagnostics without sending it', async () => {
    const { runner } = setup('x');
    const s = new RunSession(parseRequestFile(`# @prompt pw\nGET ${stub.url}/x\n`), {
      environment: {},
      dotenv: {},
      processEnv: () => undefined,
      now: Date.now,
      secret: async () => undefined,
    });
    const r = await runner.run(s, 0, never);
    assert.match(r.error?.message ?? '', /line 1: `@prompt` is not supported/);
    assert.equal(stub.requests.length, 0);
  });

  it('copies as curl with secrets redacted (or not), and keeps a redacted history of 50', async () => {
    const { runner, session, redactor } = setup('right secret');
    const r = await runner.run(session, 1, never);
    const curl = toCurl(r.sent!, { redactor });
    assert.match(curl, /^curl -sS '.*\/orders\/anything' -H 'Authorization: Bearer ‹redacted›'$/);
    assert.match(toCurl(r.sent!), new RegExp(`Bearer ${token.replace(/\./g, '\\.')}`));
    const t = await runner.run(session, 0, never);
    assert.doesNotMatch(toCurl(t.sent!, { redactor }), /right secret|right%20secret/);
    assert.match(toCurl({ method: 'POST', url: 'http://x/y', headers: [], body: "it's" }), /--data-raw 'it'\\''s'$/);

    const store = new Map<string, unknown>();
    const history = new RunHistory(
      {
        get: <T>(k: string) => store.get(k) as T | undefined,
        update: async (k, v) => {
          store.set(k, v);
        },
      },
      redactor,
    );
    for (let i = 0; i < 55; i++) {
      await history.add({
        id: String(i),
        at: i,
        file: 'f.http',
        line: 1,
        method: 'POST',
        url: `${stub.url}/token`,
        status: 200,
        curl: toCurl(t.sent!),
        error: `boom right secret ${token}`,
      });
    }
    assert.equal(history.list().length, 50);
    assert.equal(history.list()[0]!.id, '54');
    const stored = JSON.stringify(store.get(HISTORY_KEY));
    assert.doesNotMatch(stored, /right secret|right%20secret/);
    assert.equal(stored.includes(token), false);
  });
});

describe('requests: generated validation requests', () => {
  const base: StrategyView = {
    id: 'st-1',
    name: 'orders',
    issuer: 'https://t.auth0.com/',
    credentialClaims: ['azp'],
    scopes: ['read:data'],
    authMethods: ['client_credentials'],
    audiences: ['https://api'],
    providerType: 'auth0',
    extra: { token_post_args_names: ['audience'], token_post_args_values: ['https://api'] },
  };

  it('builds the token request per IdP (Auth0 audience, Azure v1 resource / v2 .default, Okta without openid)', () => {
    assert.deepEqual(tokenParams(base, 'https://t.auth0.com/oauth/token'), [
      ['grant_type', 'client_credentials'],
      ['scope', 'read:data'],
      ['audience', 'https://api'],
    ]);
    const az: StrategyView = {
      ...base,
      providerType: 'azureAd',
      scopes: ['api://x/.default'],
      extra: {},
      audiences: [],
    };
    assert.deepEqual(tokenParams(az, 'https://login/t/oauth2/token'), [
      ['grant_type', 'client_credentials'],
      ['resource', 'api://x'],
    ]);
    assert.deepEqual(tokenParams(az, 'https://login/t/oauth2/v2.0/token'), [
      ['grant_type', 'client_credentials'],
      ['scope', 'api://x/.default'],
    ]);
    const okta: StrategyView = {
      ...base,
      providerType: 'okta',
      scopes: ['openid', 'api:read'],
      extra: {},
      audiences: [],
    };
    assert.deepEqual(tokenParams(okta, 'x'), [
      ['grant_type', 'client_credentials'],
      ['scope', 'api:read'],
    ]);
    const ki: StrategyView = { ...base, providerType: 'kongIdentity', scopes: ['openid'], extra: {}, audiences: [] };
    assert.deepEqual(tokenParams(ki, 'x'), [
      ['grant_type', 'client_credentials'],
      ['scope', 'openid'],
    ]);
  });

  it('writes a file the parser reads back: strategy link, $secret references, chained Bearer token', () => {
    const text = generateValidationRequests({
      strategy: base,
      tokenEndpoint: {
        url: 'https://t.auth0.com/oauth/token',
        source: 'discovery',
        discoveryUrl: 'https://t.auth0.com/.well-known/openid-configuration',
      },
      secretKey: secretKeyFor('st-1'),
      now: Date.UTC(2026, 0, 1),
      gatewayUrl: 'http://127.0.0.1:8000/orders/anything',
    });
    const f = parseRequestFile(text);
    assert.deepEqual(
      f.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
    assert.deepEqual(
      f.requests.map((r) => [r.name, r.method, r.strategy]),
      [
        ['token', 'POST', 'st-1'],
        ['gateway', 'GET', 'st-1'],
      ],
    );
    assert.equal(
      f.requests[0]!.body,
      'grant_type=client_credentials&scope=read:data&audience=https://api&client_id={{$secret strategy.st-1.clientId}}&client_secret={{$secret strategy.st-1.clientSecret}}',
    );
    assert.deepEqual(
      f.requests[1]!.headers.map((h) => [h.name, h.value]),
      [
        ['Authorization', 'Bearer {{token.response.body.access_token}}'],
        ['Accept', 'application/json'],
      ],
    );
  });

  it('finds the token endpoint by discovery, else by the IdP convention', async () => {
    const stub = await startStubServer();
    try {
      stub.on('GET', '/okta/oauth2/default/.well-known/openid-configuration', {
        json: { issuer: 'x', token_endpoint: `${stub.url}/okta/oauth2/default/v1/token` },
      });
      const ex = createRequestExecutor();
      const d = await findTokenEndpoint(ex, `${stub.url}/okta/oauth2/default`, 'okta', never);
      assert.deepEqual([d.url, d.source], [`${stub.url}/okta/oauth2/default/v1/token`, 'discovery']);
      const c = await findTokenEndpoint(ex, `${stub.url}/ki/as1`, 'kongIdentity', never);
      assert.deepEqual([c.url, c.source], [`${stub.url}/ki/as1/oauth/token`, 'convention']);
      assert.match(c.problem ?? '', /HTTP 404/);
    } finally {
      await stub.close();
    }
    assert.equal(conventionalTokenEndpoint('https://t.auth0.com/', 'auth0'), 'https://t.auth0.com/oauth/token');
    assert.equal(
      conventionalTokenEndpoint('https://c/oauth/v2/oauth-anonymous/.well-known/openid-configuration', 'curity'),
      'https://c/oauth/v2/oauth-token',
    );
    assert.equal(
      conventionalTokenEndpoint('https://sts.windows.net/tid', 'azureAd'),
      'https://login.microsoftonline.com/tid/oauth2/v2.0/token',
    );
    assert.equal(
      conventionalTokenEndpoint('https://o.okta.com/oauth2/default', 'okta'),
      'https://o.okta.com/oauth2/default/v1/token',
    );
  });
});
