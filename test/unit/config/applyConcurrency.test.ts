// The config apply with bounded concurrency, against the Konnect emulator (in-process) and its fault knobs: at most
// `concurrency` requests in flight, dependency order kept (no strategy request before every provider it may refer to
// exists), `Retry-After` honoured by every worker (nothing is sent before it has passed), never a duplicate create,
// and a failure starts nothing new while the steps in flight finish and are reported.
import * as assert from 'node:assert/strict';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import { createUndiciTransport, type HttpRequest, type HttpTransport } from '../../../src/core/api/transport';
import { analyzeConfig, applyConfig, renderApplyResult, type DesiredState } from '../../../src/core/config/index';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../../sandbox/tests/support/fakes';
import { generateConfig } from '../../reliability/support/configs';

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly start: number;
  end: number;
  status: number;
}

/** A transport that records every request with its start and end (performance.now()) and the peak in flight. */
function recordingTransport(): HttpTransport & { log: Sent[]; peak: number } {
  const inner = createUndiciTransport();
  let inFlight = 0;
  const t = {
    log: [] as Sent[],
    peak: 0,
    async send(req: HttpRequest) {
      const entry: Sent = { method: req.method, path: req.url.pathname, start: performance.now(), end: 0, status: 0 };
      t.log.push(entry);
      t.peak = Math.max(t.peak, ++inFlight);
      try {
        const res = await inner.send(req);
        entry.status = res.status;
        return res;
      } finally {
        inFlight--;
        entry.end = performance.now();
      }
    },
    close: () => inner.close(),
  };
  return t;
}

const N = 12;

describe('config apply with bounded concurrency (Konnect emulator)', function () {
  this.timeout(30_000);
  const cfg = generateConfig('conc', N);
  const analysis = analyzeConfig(cfg.text, { fileName: 'conc.kongctl.yaml' });
  const desired = analysis.model as DesiredState;
  const resolveSecret = (name: string): Promise<string | undefined> => Promise.resolve(cfg.secrets[name]);
  let k: TestKonnect;
  let transport: ReturnType<typeof recordingTransport>;
  let client: KonnectClient;

  beforeEach(async () => {
    assert.equal(analysis.errorCount, 0);
    k = await startTestKonnect();
    transport = recordingTransport();
    client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'konnect-dcr-tests/1', transport });
  });
  afterEach(async () => {
    await client.close();
    await k.stop();
  });

  const names = (): string[] =>
    [...k.emu.store.providers.values(), ...k.emu.store.strategies.values()].map((r) => r.name).sort();
  const expected = [...cfg.providerNames, ...cfg.strategyNames].sort();

  it('keeps at most `concurrency` requests in flight, and uses them', async () => {
    k.emu.faults.add({ path: '^/v2/', kind: 'latency', delayMs: 15 });
    const r = await applyConfig(client, desired, { resolveSecret, concurrency: 4 });
    assert.ok(r.ok, renderApplyResult(r));
    assert.equal(transport.peak, 4, 'peak requests in flight');
    assert.deepEqual(names(), expected, 'every resource exactly once');

    // concurrency 1: one step after the other (on a fresh Konnect; the plan's two list reads come first, together)
    const k2 = await startTestKonnect();
    const seq = recordingTransport();
    const one = createKonnectClient({ baseUrl: k2.emu.url, token: TOKEN, userAgent: 't/1', transport: seq });
    try {
      assert.ok((await applyConfig(one, desired, { resolveSecret, concurrency: 1 })).ok);
      const steps = seq.log.slice(2);
      assert.equal(steps.length, 2 * N, 'a create per resource, no look-up (the read said what exists)');
      assert.ok(
        steps.every((e) => e.method === 'POST'),
        'only creates',
      );
      for (let i = 1; i < steps.length; i++) assert.ok(steps[i]!.start >= steps[i - 1]!.end, 'one at a time');
    } finally {
      await one.close();
      await k2.stop();
    }
  });

  it('keeps dependency order: no strategy request before the last provider step has finished', async () => {
    k.emu.faults.add({ path: '^/v2/dcr-providers$', method: 'POST', kind: 'latency', delayMs: 20 });
    const r = await applyConfig(client, desired, { resolveSecret, concurrency: 8 });
    assert.ok(r.ok, renderApplyResult(r));
    const providerEnd = Math.max(
      ...transport.log.filter((e) => e.path.startsWith('/v2/dcr-providers')).map((e) => e.end),
    );
    const writes = transport.log.filter((e) => e.path.startsWith('/v2/application-auth-strategies'));
    // the first two requests are the plan's reads of Konnect (both lists), before any step
    const stepRequests = writes.slice(1);
    assert.ok(stepRequests.length >= N, `${stepRequests.length} strategy requests`);
    for (const e of stepRequests)
      assert.ok(e.start >= providerEnd, `${e.method} ${e.path} started before a provider step ended`);
    // and each strategy points at the provider its !ref names
    const providerId = new Map([...k.emu.store.providers.values()].map((p) => [p.name, p.id]));
    for (const s of k.emu.store.strategies.values()) {
      const pid = s.dcr_provider_id;
      if (!pid) continue;
      const i = s.name.slice(-String(N).length);
      assert.equal(pid, providerId.get(`conc-provider-${i}`), s.name);
    }
  });

  it('honours Retry-After across workers: nothing is sent before the time a 429 asked for', async () => {
    k.emu.faults.add({
      path: '^/v2/dcr-providers$',
      method: 'POST',
      kind: 'status',
      status: 429,
      retryAfter: 1,
      times: 1,
    });
    const r = await applyConfig(client, desired, { resolveSecret, concurrency: 6 });
    assert.ok(r.ok, renderApplyResult(r));
    const throttled = transport.log.find((e) => e.status === 429);
    assert.ok(throttled, 'the 429 was answered');
    const during = transport.log.filter((e) => e.start > throttled.end && e.start < throttled.end + 950);
    assert.deepEqual(
      during.map((e) => `${e.method} ${e.path} +${Math.round(e.start - throttled.end)} ms`),
      [],
      'requests sent while Konnect asked to wait',
    );
    assert.deepEqual(names(), expected, 'every resource exactly once');
  });

  it('never duplicates a create under a 429 storm on every write', async () => {
    k.emu.faults.add({ path: '^/v2/', method: 'POST', kind: 'status', status: 429, retryAfter: 0, times: 10 });
    const r = await applyConfig(client, desired, { resolveSecret, concurrency: 6 });
    assert.ok(r.ok, renderApplyResult(r));
    assert.equal(transport.log.filter((e) => e.status === 429).length, 10);
    assert.deepEqual(names(), expected, 'every resource exactly once');
    assert.equal(k.emu.specViolations.length, 0, JSON.stringify(k.emu.specViolations.slice(0, 2)));
  });

  it('a failure starts no further step; the steps in flight finish and are reported as existing', async () => {
    // the first strategy create is refused; the others take 30 ms, so that siblings are in flight when it is
    k.emu.faults.add({
      path: '^/v2/application-auth-strategies$',
      method: 'POST',
      kind: 'status',
      status: 400,
      times: 1,
    });
    k.emu.faults.add({ path: '^/v2/application-auth-strategies$', method: 'POST', kind: 'latency', delayMs: 30 });
    const r = await applyConfig(client, desired, { resolveSecret, concurrency: 3 });
    assert.equal(r.ok, false);
    assert.ok(r.failed && !r.failed.uncertain, renderApplyResult(r));
    const strategiesNow = [...k.emu.store.strategies.values()].map((s) => s.name).sort();
    assert.ok(strategiesNow.length <= 2, `at most the two siblings in flight finished: ${strategiesNow.join(', ')}`);
    assert.deepEqual(
      r.existing
        .filter((e) => e.kind === 'strategy')
        .map((e) => e.name)
        .sort(),
      strategiesNow,
      'the report matches Konnect',
    );
    assert.equal(r.notDone.length, 2 * N - N - strategiesNow.length);
    const again = await applyConfig(client, desired, { resolveSecret, concurrency: 3 });
    assert.ok(again.ok, renderApplyResult(again));
    assert.deepEqual(names(), expected, 'finished without a duplicate');
  });
});
