// Cancellation: every long operation stops promptly when its AbortSignal fires (it settles within SETTLE_MS of the
// abort) and leaves nothing half-done: no request is sent after the abort, no resource is created after it, what an
// apply reports as existing is what Konnect has, the Prove DCR test application is deleted, a pull returns no text.
// A runner request stops in every phase (DNS, TLS handshake, the proxy tunnel, the wait for the answer, its body) at
// its timeout and at Cancel, names the phase, and leaves no socket open.
import * as assert from 'node:assert/strict';
import { createKonnectClient, createPortalClient, type KonnectClient } from '../../src/core/api/index';
import { analyzeConfig, applyConfig, pullConfig, renderApplyResult } from '../../src/core/config/index';
import { proveDcr } from '../../src/core/prove/runner';
import type { ProveReport } from '../../src/core/prove/types';
import {
  createRequestExecutor,
  RequestFailedError,
  type ExecutorOptions,
  type RequestPhase,
} from '../../src/core/requests/executor';
import { parseRequestFile } from '../../src/core/requests/parser';
import { RequestRunner, RunSession } from '../../src/core/requests/runner';
import { systemClock } from '../../src/core/util/clock';
import { loadUndici } from '../../src/core/util/undici';
import { nullLogger } from '../../src/core/util/logger';
import { Redactor } from '../../src/core/util/redact';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { konnectClientFor, publish, setUpFlavour, USER_AGENT } from '../../sandbox/scenarios';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../sandbox/tests/support/fakes';
import { startStubServer, type StubServer } from '../support/stubServer';
import { generateConfig } from './support/configs';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { activeSockets, startStallServer, type StallMode, type StallServer } from './support/stallServer';

/** How soon after the abort an operation must have settled. */
const SETTLE_MS = 500;

function client(url: string): KonnectClient {
  return createKonnectClient({ baseUrl: url, token: TOKEN, userAgent: 'konnect-dcr-reliability/1', timeoutMs: 10_000 });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `op`, aborts when `when()` resolves, and returns how long `op` took to settle after the abort (ms), with
 * its value or error. Fails the test if `op` settled before the abort (then nothing was cancelled).
 */
async function abortAndTime<T>(
  op: (signal: AbortSignal) => Promise<T>,
  when: () => Promise<void>,
): Promise<{ ms: number; abortedAt: number; value?: T; error?: unknown }> {
  const ctrl = new AbortController();
  let settled = false;
  const p = op(ctrl.signal)
    .then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    )
    .finally(() => {
      settled = true;
    });
  await when();
  assert.equal(settled, false, 'the operation was still running when it was cancelled');
  const abortedAt = Date.now();
  const t0 = performance.now();
  ctrl.abort();
  const out = await p;
  return { ms: performance.now() - t0, abortedAt, ...out };
}

function assertAbortError(err: unknown): void {
  assert.ok(err instanceof Error, `rejected with an Error (got ${String(err)})`);
  assert.equal(
    err.name,
    'AbortError',
    `an AbortError (the UI treats it as a silent cancellation), got ${err.name}: ${err.message}`,
  );
}

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('reliability: cancellation of Konnect calls (list, apply, verify, pull)', function () {
  this.timeout(30_000);
  let k: TestKonnect;
  let konnect: KonnectClient;
  // a short driver deadline: the hanging verify below leaves the emulator's timer behind, which must not hold the process
  beforeEach(async () => {
    k = await startTestKonnect({ driverTimeoutMs: 1_500 });
    konnect = client(k.emu.url);
  });
  afterEach(async () => {
    k.drivers.okta.hang = false;
    await konnect.close();
    await k.stop();
  });

  const listHits = (): number => k.emu.hits('GET', /^\/v2\/dcr-providers$/);

  it(`listAll over 2,100 items, slow pages: stops within ${SETTLE_MS} ms, no page asked for after the abort`, async () => {
    k.emu.seed({ providers: 2_100, prefix: 'cancel' });
    k.emu.faults.add({ path: '^/v2/dcr-providers$', method: 'GET', kind: 'latency', delayMs: 80 });
    const r = await abortAndTime(
      (signal) => konnect.dcrProviders.listAll({}, { signal, maxItems: 5_000 }),
      () => until('3 pages', () => listHits() >= 3),
    );
    assertAbortError(r.error);
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
    const seen = listHits();
    await sleep(250);
    assert.equal(listHits(), seen, 'no further page requested');
    assert.ok(seen < 21, `stopped early (${seen} of 21 pages)`);
  });

  it(`listAll while a page body is dribbling in: stops within ${SETTLE_MS} ms`, async () => {
    k.emu.seed({ providers: 2_100, prefix: 'cancel' });
    k.emu.faults.add({ path: '^/v2/dcr-providers$', method: 'GET', kind: 'slow-body', delayMs: 5_000 });
    const r = await abortAndTime(
      (signal) => konnect.dcrProviders.listAll({}, { signal, maxItems: 5_000 }),
      () => sleep(300),
    );
    assertAbortError(r.error);
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
  });

  it(`listAll waiting out a 429's Retry-After of 30 s: the wait is cut short within ${SETTLE_MS} ms`, async () => {
    k.emu.faults.add({ path: '^/v2/dcr-providers$', method: 'GET', kind: 'status', status: 429, retryAfter: 30 });
    const r = await abortAndTime(
      (signal) => konnect.dcrProviders.listAll({}, { signal }),
      () => until('the 429', () => listHits() >= 1).then(() => sleep(100)),
    );
    assertAbortError(r.error);
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
    assert.equal(listHits(), 1, 'no retry after the abort');
  });

  const cfg = generateConfig('cnl', 20);
  const desired = (() => {
    const a = analyzeConfig(cfg.text, { fileName: 'cancel.kongctl.yaml' });
    assert.equal(a.errorCount, 0);
    return a.model!;
  })();
  const resolveSecret = (name: string): Promise<string | undefined> => Promise.resolve(cfg.secrets[name]);
  const storedNames = (): string[] =>
    [
      ...[...k.emu.store.providers.values()].map((p) => `provider ${p.name}`),
      ...[...k.emu.store.strategies.values()].map((s) => `strategy ${s.name}`),
    ].sort();
  const posts = (): { at: number; status: number }[] => k.emu.requests.filter((q) => q.method === 'POST');

  for (const where of ['GET', 'POST'] as const) {
    it(`apply of 40 resources, cancelled during a slow ${where === 'GET' ? 'look-up' : 'create'}: cancelled within ${SETTLE_MS} ms, no create after the abort, the report is what exists`, async () => {
      // every look-up (or create) of a provider takes 150 ms; a create is looked up first when an earlier apply may
      // have made it (here: all of them)
      k.emu.faults.add({ path: '^/v2/dcr-providers$', method: where, kind: 'latency', delayMs: 150 });
      const lookUpFirst =
        where === 'GET'
          ? [
              ...desired.providers.map((p) => ({ kind: 'provider' as const, name: p.name })),
              ...desired.strategies.map((x) => ({ kind: 'strategy' as const, name: x.name })),
            ]
          : undefined;
      let fetched = false;
      const r = await abortAndTime(
        (signal) =>
          applyConfig(konnect, desired, {
            signal,
            resolveSecret,
            lookUpFirst,
            onProgress: (done) => {
              if (done >= 3) fetched = true;
            },
          }),
        () => until('3 steps done', () => fetched).then(() => sleep(60)),
      );
      assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
      assert.equal(r.error, undefined, `the apply reports a cancellation instead of throwing: ${String(r.error)}`);
      const result = r.value!;
      assert.equal(result.cancelled, true, renderApplyResult(result));
      assert.equal(result.ok, false);
      assert.match(renderApplyResult(result), /^Cancelled after \d+ of 40 changes\./);
      // nothing is created after the abort, also not by the request that was in flight
      await sleep(300);
      assert.deepEqual(
        posts().filter((q) => q.at > r.abortedAt + 5 && q.status === 201),
        [],
        'no create after the abort',
      );
      assert.deepEqual(
        result.existing.map((e) => `${e.kind} ${e.name}`).sort(),
        storedNames(),
        'the report says exactly what exists',
      );
      assert.equal(result.applied.length + result.notDone.length, 40);
      // apply again: completes, no duplicates
      k.emu.faults.clear();
      const again = await applyConfig(konnect, desired, { resolveSecret });
      assert.ok(again.ok, renderApplyResult(again));
      assert.equal(storedNames().length, 40);
      assert.equal(new Set(storedNames()).size, 40, 'no duplicate');
    });
  }

  it(`verify against an IdP that never answers: cancelled within ${SETTLE_MS} ms`, async () => {
    const p = await konnect.dcrProviders.create({
      provider_type: 'okta',
      name: 'hangs',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: 'okta-token-cancel-0001' },
    });
    k.drivers.okta.hang = true;
    const r = await abortAndTime(
      (signal) => konnect.dcrProviders.verify(p.id, { signal }),
      () => until('the driver call', () => k.drivers.okta.calls.some((c) => c.method === 'verify')),
    );
    assertAbortError(r.error);
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
  });

  it(`pull of 2,100 providers and strategies with slow pages: cancelled within ${SETTLE_MS} ms, no text to write`, async () => {
    k.emu.seed({ providers: 1_050, strategies: 1_050, prefix: 'pull' });
    k.emu.faults.add({ path: '^/v2/', method: 'GET', kind: 'latency', delayMs: 80 });
    const r = await abortAndTime(
      (signal) => pullConfig(konnect, { signal }),
      () => until('2 pages', () => listHits() >= 2),
    );
    assertAbortError(r.error);
    assert.equal(r.value, undefined, 'nothing for the caller to write');
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('reliability: cancellation of the request runner (send)', function () {
  this.timeout(20_000);
  let stub: StubServer;
  let proxy: FaultProxy;
  before(async () => {
    stub = await startStubServer();
    stub.on('POST', '/token', { json: { access_token: 'opaque-access-token-0001', token_type: 'Bearer' } });
    stub.on('GET', '/api', { json: { ok: true } });
    proxy = await startFaultProxy(stub.url);
  });
  after(async () => {
    await proxy.stop();
    await stub.close();
  });
  afterEach(() => proxy.faults.clear());

  const text = (): string =>
    [
      `@base = ${proxy.url}`,
      '',
      '### token',
      '# @name token',
      'POST {{base}}/token',
      'Content-Type: application/x-www-form-urlencoded',
      '',
      'grant_type=client_credentials&client_secret={{$secret s}}',
      '',
      '### api',
      'GET {{base}}/api',
      'Authorization: Bearer {{token.response.body.access_token}}',
      '',
    ].join('\n');
  const session = (): RunSession =>
    new RunSession(parseRequestFile(text()), {
      environment: {},
      dotenv: {},
      processEnv: () => undefined,
      now: () => Date.now(),
      secret: () => Promise.resolve('client-secret-cancel-0001'),
    });
  const runner = new RequestRunner({
    executor: createRequestExecutor({ timeoutMs: 30_000 }),
    now: () => Date.now(),
    redactor: new Redactor(),
    logger: nullLogger,
  });
  const hits = (path: string): number => proxy.hits.filter((h) => h.path === path).length;

  const cases: { title: string; path: string; index: number; fault: Parameters<FaultProxy['faults']['add']>[0] }[] = [
    {
      title: 'a token endpoint that takes 10 s',
      path: '/token',
      index: 0,
      fault: { path: '^/token$', kind: 'latency', delayMs: 10_000 },
    },
    {
      title: 'an answer dribbling in over 10 s',
      path: '/token',
      index: 0,
      fault: { path: '^/token$', kind: 'slow-body', delayMs: 10_000 },
    },
    {
      title: 'the chained token request of a gateway call, slow',
      path: '/token',
      index: 1,
      fault: { path: '^/token$', kind: 'latency', delayMs: 10_000 },
    },
    {
      title: 'the gateway call itself, slow',
      path: '/api',
      index: 1,
      fault: { path: '^/api$', kind: 'latency', delayMs: 10_000 },
    },
  ];
  for (const c of cases) {
    it(`${c.title}: cancelled within ${SETTLE_MS} ms, nothing sent after the abort`, async () => {
      proxy.faults.add(c.fault);
      // The proxy keeps the earlier cases' hits: wait for this case's own request, or the abort may come before it
      // is sent and a loaded machine delivers it after the count below.
      const before = hits(c.path);
      const r = await abortAndTime(
        (signal) => runner.run(session(), c.index, signal),
        () => until('the request', () => hits(c.path) > before).then(() => sleep(50)),
      );
      assertAbortError(r.error);
      assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
      const n = proxy.hits.length;
      await sleep(200);
      assert.equal(
        proxy.hits.length,
        n,
        `nothing sent after the abort (the chain does not go on to the gateway): ${proxy.hits
          .slice(n)
          .map((h) => h.path)
          .join(', ')}`,
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------

describe('reliability: every phase of a runner request stops at the timeout and at Cancel, naming the phase', function () {
  this.timeout(20_000);
  /** The request timeout of these cases, and how late after it a request may settle. */
  const TIMEOUT_MS = 300;
  const LATE_MS = 500;
  const servers: StallServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  const stall = async (mode: StallMode): Promise<StallServer> => {
    const s = await startStallServer(mode);
    servers.push(s);
    return s;
  };
  // undici is loaded on the first send: load it before the clocks start
  before(() => {
    loadUndici();
  });

  interface Setup {
    url: string;
    options?: ExecutorOptions;
    /** resolves once the request is stuck in its phase */ stuck: () => Promise<void>;
  }
  const accepted = (s: StallServer) => (): Promise<void> =>
    until('the connection', () => s.accepted() >= 1).then(() => sleep(80));
  const cases: { title: string; phase: RequestPhase; named: RegExp; setup: () => Promise<Setup> }[] = [
    {
      title: 'a server that accepts TCP and never speaks TLS',
      phase: 'tls',
      named: /the TLS handshake with 127\.0\.0\.1:\d+/,
      setup: async () => {
        const s = await stall('silent');
        return { url: `https://127.0.0.1:${s.port}/oauth2/v1/token`, stuck: accepted(s) };
      },
    },
    {
      title: 'a server that reads the request and never answers',
      phase: 'firstByte',
      named:
        /the wait for the answer from 127\.0\.0\.1:\d+ \(the request was sent, no status line or headers came back\)/,
      setup: async () => {
        const s = await stall('silent');
        return { url: `http://127.0.0.1:${s.port}/oauth2/v1/token`, stuck: accepted(s) };
      },
    },
    {
      title: 'a server that stalls mid-body',
      phase: 'body',
      named: /the transfer of the answer body from 127\.0\.0\.1:\d+ \(\d+ bytes received\)/,
      setup: async () => {
        const s = await stall('mid-body');
        return { url: `http://127.0.0.1:${s.port}/oauth2/v1/token`, stuck: accepted(s) };
      },
    },
    {
      title: 'a DNS lookup that never answers',
      phase: 'dns',
      named: /the DNS lookup of idp\.slow-dns\.test/,
      setup: async () => {
        let asked = 0;
        const lookup = ((): void => {
          asked++;
        }) as unknown as ExecutorOptions['lookup'];
        return {
          url: 'https://idp.slow-dns.test/oauth2/v1/token',
          options: { lookup },
          stuck: () => until('the lookup', () => asked >= 1).then(() => sleep(80)),
        };
      },
    },
    {
      title: 'a proxy that never answers CONNECT',
      phase: 'proxy',
      named:
        /the connection through the proxy 127\.0\.0\.1:\d+ \(TCP to it, then its CONNECT tunnel to idp\.example\.test:443\)/,
      setup: async () => {
        const p = await stall('proxy-mute');
        return {
          url: 'https://idp.example.test/oauth2/v1/token',
          options: { proxy: `http://127.0.0.1:${p.port}` },
          stuck: accepted(p),
        };
      },
    },
    {
      title: 'a proxy tunnel to a server that never speaks TLS',
      phase: 'tls',
      named: /the TLS handshake with idp\.example\.test:443/,
      setup: async () => {
        const target = await stall('silent');
        const p = await stall({ proxyTo: target.port });
        return {
          url: 'https://idp.example.test/oauth2/v1/token',
          options: { proxy: `http://127.0.0.1:${p.port}` },
          stuck: accepted(target),
        };
      },
    },
  ];

  /** The client closed every connection it opened, and this process holds no more sockets than before. */
  async function assertNothingLeftOpen(before: number): Promise<void> {
    await until('the client to close its connections', () => servers.every((s) => s.open() === 0), LATE_MS);
    for (const s of servers.splice(0)) await s.close();
    await until(
      `no socket left open (${activeSockets()} now, ${before} before)`,
      () => activeSockets() <= before,
      LATE_MS,
    );
  }

  for (const c of cases) {
    it(`${c.title}: a ${TIMEOUT_MS} ms timeout settles it within ${LATE_MS} ms of the deadline, naming the phase; no socket left open`, async () => {
      const before = activeSockets();
      const s = await c.setup();
      const t0 = performance.now();
      const err = await createRequestExecutor({ timeoutMs: TIMEOUT_MS, ...s.options })
        .execute(
          {
            method: 'POST',
            url: s.url,
            headers: [['content-type', 'application/x-www-form-urlencoded']],
            body: 'grant_type=client_credentials',
          },
          new AbortController().signal,
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      const ms = performance.now() - t0;
      assert.ok(err instanceof RequestFailedError, `a RequestFailedError, got ${String(err)}`);
      assert.equal(err.kind, 'timeout', err.message);
      assert.equal(err.phase, c.phase, err.message);
      assert.match(
        err.message,
        /^No complete answer within 300 ms \(konnectDcr\.requestTimeoutSeconds\): timed out during /,
      );
      assert.match(err.message, c.named);
      assert.ok(ms < TIMEOUT_MS + LATE_MS, `settled ${ms.toFixed(0)} ms after the start`);
      await assertNothingLeftOpen(before);
    });

    it(`${c.title}: Cancel settles it within ${SETTLE_MS} ms, naming the phase; no socket left open`, async () => {
      const before = activeSockets();
      const s = await c.setup();
      const ex = createRequestExecutor({ timeoutMs: 30_000, ...s.options });
      const r = await abortAndTime((signal) => ex.execute({ method: 'GET', url: s.url, headers: [] }, signal), s.stuck);
      assertAbortError(r.error);
      assert.equal((r.error as { phase?: string }).phase, c.phase, (r.error as Error).message);
      assert.match((r.error as Error).message, /^Cancelled during /);
      assert.match((r.error as Error).message, c.named);
      assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
      await assertNothingLeftOpen(before);
    });
  }

  it("Send: a token request to a server that never speaks TLS is cancelled within 500 ms, and times out with the phase in the run's error", async () => {
    const s = await stall('silent');
    const text = [
      '### token',
      '# @name token',
      `POST https://127.0.0.1:${s.port}/oauth2/v1/token`,
      'Content-Type: application/x-www-form-urlencoded',
      '',
      'grant_type=client_credentials',
    ].join('\n');
    const session = (): RunSession =>
      new RunSession(parseRequestFile(text), {
        environment: {},
        dotenv: {},
        processEnv: () => undefined,
        now: () => Date.now(),
        secret: () => Promise.resolve(undefined),
      });
    const runner = (timeoutMs: number): RequestRunner =>
      new RequestRunner({
        executor: createRequestExecutor({ timeoutMs }),
        now: () => Date.now(),
        redactor: new Redactor(),
        logger: nullLogger,
      });
    const r = await abortAndTime((signal) => runner(30_000).run(session(), 0, signal), accepted(s));
    assertAbortError(r.error);
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
    const t0 = performance.now();
    const timedOut = await runner(TIMEOUT_MS).run(session(), 0, new AbortController().signal);
    assert.ok(performance.now() - t0 < TIMEOUT_MS + LATE_MS, 'settled near its deadline');
    assert.equal(timedOut.error?.kind, 'timeout');
    assert.match(timedOut.error?.message ?? '', /timed out during the TLS handshake with 127\.0\.0\.1:\d+/);
    await until('the client to close its connections', () => s.open() === 0, LATE_MS);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('reliability: cancellation of Prove DCR (against the sandbox)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let konnect: KonnectClient;
  let gw: FaultProxy;
  let target: Parameters<typeof proveDcr>[0];

  before(async () => {
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'cancel');
    const pub = await publish(sb, konnect, setup.strategy.id, 'cancel-orders');
    gw = await startFaultProxy(sb.state.gatewayUrl);
    target = {
      strategy: setup.strategy,
      publication: {
        apiId: pub.apiId,
        apiName: 'cancel-orders',
        apiSlug: pub.slug,
        portalId: pub.portalId,
        portalName: `portal-cancel-orders`,
        portalUrl: pub.portalApiUrl,
      },
      gatewayUrl: `${gw.url}/${pub.slug}/anything`,
      developer: { username: sb.state.developer.email, password: sb.state.developer.password },
      appName: 'kdcr-prove-cancel',
      keepApp: false,
    };
  });
  after(async () => {
    await gw?.stop();
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => {
    gw.faults.clear();
    sb.konnect.faults.clear();
  });

  const apps = (): string[] => [...sb.konnect.store.applications.values()].map((a) => a.name);
  function prove(signal: AbortSignal, onStep: (r: ProveReport) => void): Promise<ProveReport> {
    return proveDcr(
      { ...target, appName: `kdcr-prove-cancel-${Date.now()}` },
      {
        konnect,
        portal: (url) => createPortalClient({ portalUrl: url, userAgent: USER_AGENT, timeoutMs: 10_000 }),
        executor: createRequestExecutor({ timeoutMs: 30_000 }),
        clock: systemClock,
        redactor: new Redactor(),
        onProgress: onStep,
      },
      signal,
    );
  }

  it(`cancelled while the gateway answers slowly: the run ends within ${SETTLE_MS} ms, cleanup included, the test app is deleted`, async () => {
    gw.faults.add({ path: '.*', kind: 'latency', delayMs: 10_000 });
    let atGateway = false;
    const before = apps().length;
    const r = await abortAndTime(
      (signal) =>
        prove(signal, (rep) => {
          if (rep.current === 'gateway') atGateway = true;
        }),
      () => until('the gateway step', () => atGateway && gw.hits.length >= 1).then(() => sleep(50)),
    );
    assert.equal(r.error, undefined, `proveDcr never rejects: ${String(r.error)}`);
    const rep = r.value!;
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort (cleanup included)`);
    assert.equal(rep.cancelled, true);
    assert.deepEqual(
      rep.steps.map((s) => `${s.id}:${s.status}`),
      [
        'verify:pass',
        'publication:pass',
        'application:pass',
        'token:pass',
        'claims:pass',
        'gateway:skip',
        'cleanup:pass',
      ],
    );
    assert.equal(rep.application?.kept, false);
    assert.equal(apps().length, before, 'the test application was deleted');
  });

  it(`a gateway that accepts TCP and never speaks TLS: Cancel ends the run within ${SETTLE_MS} ms (cleanup included); a short timeout fails the step naming the handshake`, async () => {
    const silent = await startStallServer('silent');
    try {
      const gatewayUrl = `https://127.0.0.1:${silent.port}/${target.publication!.apiSlug}/anything`;
      let atGateway = false;
      const r = await abortAndTime(
        (signal) =>
          proveDcr(
            { ...target, gatewayUrl, appName: `kdcr-prove-cancel-${Date.now()}` },
            {
              konnect,
              portal: (url) => createPortalClient({ portalUrl: url, userAgent: USER_AGENT, timeoutMs: 10_000 }),
              executor: createRequestExecutor({ timeoutMs: 30_000 }),
              clock: systemClock,
              redactor: new Redactor(),
              onProgress: (rep) => {
                if (rep.current === 'gateway') atGateway = true;
              },
            },
            signal,
          ),
        () => until('the gateway step', () => atGateway && silent.accepted() >= 1).then(() => sleep(50)),
      );
      assert.equal(r.error, undefined, `proveDcr never rejects: ${String(r.error)}`);
      assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort (cleanup included)`);
      assert.equal(r.value!.cancelled, true);
      assert.deepEqual(
        r.value!.steps.slice(5).map((s) => `${s.id}:${s.status}`),
        ['gateway:skip', 'cleanup:pass'],
      );

      const t0 = performance.now();
      const rep = await proveDcr(
        { ...target, gatewayUrl, appName: `kdcr-prove-timeout-${Date.now()}` },
        {
          konnect,
          portal: (url) => createPortalClient({ portalUrl: url, userAgent: USER_AGENT, timeoutMs: 10_000 }),
          executor: createRequestExecutor({ timeoutMs: 1_500 }),
          clock: systemClock,
          redactor: new Redactor(),
        },
        new AbortController().signal,
      );
      assert.ok(performance.now() - t0 < 15_000, 'the run ended');
      const gw = rep.steps.find((s) => s.id === 'gateway')!;
      assert.equal(`${gw.status}`, 'fail');
      assert.match(gw.detail, /timed out during the TLS handshake with 127\.0\.0\.1:\d+/);
      await until('the client to close its connections', () => silent.open() === 0, 500);
    } finally {
      await silent.close();
    }
  });

  it(`cancelled during a slow verify: the run ends within ${SETTLE_MS} ms, no application is created`, async () => {
    // (the emulator's own latency timer cannot be cleared: 3 s, not more, so that it does not hold the process long)
    sb.konnect.faults.add({ path: '/verify$', method: 'POST', kind: 'latency', delayMs: 3_000 });
    const before = apps().length;
    let verifying = false;
    const r = await abortAndTime(
      (signal) =>
        prove(signal, (rep) => {
          if (rep.current === 'verify') verifying = true;
        }),
      () =>
        until('the verify step', () => verifying && sb.konnect.hits('POST', /\/verify$/) >= 1).then(() => sleep(50)),
    );
    assert.ok(r.ms < SETTLE_MS, `settled ${r.ms.toFixed(0)} ms after the abort`);
    const rep = r.value!;
    assert.equal(rep.cancelled, true);
    assert.deepEqual(
      rep.steps.map((s) => s.status),
      ['skip', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip'],
    );
    await sleep(200);
    assert.equal(apps().length, before, 'no application');
  });
});
