// An interrupted sync: a fault (a 500, or the connection dropped without an answer) on each write a sync makes in
// turn (the first provider create, the strategy create, each strategy delete, each provider delete). The report
// must say exactly what was deleted and what was created before the fault (checked against what Konnect has), and a
// second sync must complete with no duplicate and without deleting anything twice. Against the Konnect emulator,
// its fault knobs (sandbox/konnect/faults.ts) and no retries, so that every fault interrupts the sync.
import * as assert from 'node:assert/strict';
import { createKonnectClient, type KonnectClient } from '../../src/core/api/index';
import {
  analyzeConfig,
  applyConfig,
  computePlan,
  isNoop,
  renderApplyResult,
  renderPlan,
  stepLabel,
  type DesiredState,
  type PlanStep,
} from '../../src/core/config/index';
import type { FaultKind } from '../../sandbox/konnect/faults';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../sandbox/tests/support/fakes';

const model = (text: string): DesiredState => {
  const a = analyzeConfig(text, { fileName: 'konnect-dcr.yaml' });
  assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics.map((d) => d.message)));
  return a.model!;
};
const resolveSecret = (): Promise<string> => Promise.resolve('okta-ssws-interrupted-sync-0001');
const provider = (ref: string, name: string): string =>
  `  - ref: ${ref}\n    name: ${name}\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !secret {source: !env KDCR_INTERRUPTED_TOKEN}\n`;
const strategy = (ref: string, name: string, providerRef: string): string =>
  `  - ref: ${ref}\n    name: ${name}\n    display_name: ${name}\n    strategy_type: openid_connect\n    dcr_provider_id: !ref ${providerRef}\n    configs:\n      openid_connect:\n        issuer: https://example.okta.com/oauth2/default\n        credential_claim: [client_id]\n        scopes: [openid]\n        auth_methods: [client_credentials, bearer]\n`;
const NS = '_defaults:\n  kongctl:\n    namespace: interrupted\n';
const BEFORE =
  NS +
  'dcr_providers:\n' +
  provider('keep', 'Keep') +
  provider('old1', 'Old 1') +
  provider('old2', 'Old 2') +
  'application_auth_strategies:\n' +
  strategy('keep-oidc', 'Keep OIDC', 'keep') +
  strategy('old1-oidc', 'Old 1 OIDC', 'old1') +
  strategy('old2-oidc', 'Old 2 OIDC', 'old2');
const SYNC =
  NS +
  'dcr_providers:\n' +
  provider('keep', 'Keep') +
  provider('new1', 'New 1') +
  provider('new2', 'New 2') +
  'application_auth_strategies:\n' +
  strategy('keep-oidc', 'Keep OIDC', 'keep') +
  strategy('new1-oidc', 'New 1 OIDC', 'new1');

const PATH = { provider: '/v2/dcr-providers', strategy: '/v2/application-auth-strategies' } as const;

interface Case {
  readonly label: string;
  readonly kind: FaultKind;
  /** The step whose request fails (by name, in the sync plan). */
  readonly at: string;
}
const AT = ['New 1', 'New 1 OIDC', 'Old 1 OIDC', 'Old 2 OIDC', 'Old 1', 'Old 2'];
const CASES: Case[] = AT.flatMap((at) =>
  (['status', 'drop'] as const).map((kind) => ({
    label: `${{ status: 'a 500', drop: 'a dropped connection' }[kind]} at "${at}"`,
    kind,
    at,
  })),
);

describe('reliability: a sync interrupted by a fault at each of its writes', function () {
  this.timeout(60_000);
  let k: TestKonnect;
  let client: KonnectClient;
  const byName = async (): Promise<Map<string, string[]>> => {
    const out = new Map<string, string[]>();
    for (const r of [...(await client.dcrProviders.listAll()), ...(await client.authStrategies.listAll())])
      out.set(r.name, [...(out.get(r.name) ?? []), r.id]);
    return out;
  };
  const writes = (from: number): { method: string; path: string }[] =>
    k.emu.requests.slice(from).filter((q) => q.method !== 'GET' && !q.fault);

  beforeEach(async () => {
    k = await startTestKonnect();
    // no retries: the fault is the interruption
    client = createKonnectClient({
      baseUrl: k.emu.url,
      token: TOKEN,
      userAgent: 'kdcr-reliability/1',
      retry: { maxAttempts: 1 },
    });
    const r = await applyConfig(client, model(BEFORE), { resolveSecret });
    assert.ok(r.ok, renderApplyResult(r));
  });
  afterEach(async () => {
    await client.close();
    await k.stop();
  });

  for (const c of CASES)
    it(`${c.label}: the report says what was deleted and created; a second sync finishes it`, async () => {
      const desired = model(SYNC);
      const plan = await computePlan(client, desired, { mode: 'sync' });
      const work = plan.steps.filter((s) => ['create', 'update', 'delete'].includes(s.action));
      assert.deepEqual(
        work.map((s) => `${s.action} ${s.name}`),
        [
          'create New 1',
          'create New 2',
          'create New 1 OIDC',
          'delete Old 1 OIDC',
          'delete Old 2 OIDC',
          'delete Old 1',
          'delete Old 2',
        ],
        renderPlan(plan),
      );
      const target = work.find((s) => s.name === c.at)!;
      const before = await byName();
      k.emu.faults.add({
        path:
          target.action === 'delete'
            ? `^${PATH[target.kind as 'provider']}/${target.id}$`
            : `^${PATH[target.kind as 'provider']}$`,
        method: target.action === 'delete' ? 'DELETE' : 'POST',
        kind: c.kind,
        times: 1,
      });
      const from = k.emu.requests.length;
      // one step at a time, so that the fault is on the write it names
      const r = await applyConfig(client, desired, { resolveSecret, mode: 'sync', expected: plan, concurrency: 1 });
      const report = renderApplyResult(r);
      assert.equal(r.ok, false, report);
      assert.equal(r.failed?.step.name, c.at, report);
      assert.equal(r.failed?.uncertain, c.kind !== 'status', 'no answer: it may have been done; a 500 was not');
      if (c.kind !== 'status')
        assert.match(
          report,
          new RegExp(`may have been ${target.action === 'delete' ? 'deleted' : 'created'} anyway`),
          'the report says the failed step may have happened',
        );

      // what the report says, against what Konnect has now
      const after = await byName();
      const gone = work.filter((s) => s.action === 'delete' && !after.has(s.name)).map((s) => s.name);
      const made = work.filter((s) => s.action === 'create' && after.has(s.name)).map((s) => s.name);
      // the failed step is not among what was done (the emulator's faults answer before doing anything)
      const saw = (names: string[]): string[] => names.filter((n) => n !== c.at);
      const label = (names: string[], steps: readonly PlanStep[]): string =>
        names.length
          ? names
              .map((n) => steps.find((s) => s.name === n)!)
              .map((s) => `${stepLabel(s)} (${(s.id ?? after.get(s.name)![0])!})`)
              .join('; ')
          : 'nothing';
      const line = report.split('\n').find((l) => l.startsWith('Deleted: '));
      assert.ok(line, report);
      const m = /^Deleted: (.*)\. Created: (.*)\.$/.exec(line);
      assert.ok(m, line);
      const listed = (what: 'Deleted' | 'Created'): string[] =>
        (what === 'Deleted' ? m[1]! : m[2]!)
          .split('; ')
          .filter((x) => x && x !== 'nothing')
          .sort();
      assert.deepEqual(
        listed('Deleted'),
        label(gone, work)
          .split('; ')
          .filter((x) => x !== 'nothing')
          .sort(),
        report,
      );
      assert.deepEqual(
        listed('Created'),
        label(made, work)
          .split('; ')
          .filter((x) => x !== 'nothing')
          .sort(),
        report,
      );
      // nothing happened that the report does not say: the writes that got through are its lines
      assert.equal(writes(from).length, saw(gone).length + saw(made).length, report);
      assert.ok(!made.includes(c.at) && !gone.includes(c.at), 'the failed write did not happen (the fault came first)');
      for (const [name, ids] of before) if (!work.some((s) => s.name === name)) assert.deepEqual(after.get(name), ids);

      // the second sync: only what is left, no duplicate, nothing deleted twice
      const again = await computePlan(client, desired, { mode: 'sync' });
      const left = again.steps.filter((s) => ['create', 'update', 'delete'].includes(s.action));
      assert.deepEqual(
        left.map((s) => `${s.action} ${s.name}`).sort(),
        work
          .filter((s) => !gone.includes(s.name) && !made.includes(s.name))
          .map((s) => `${s.action} ${s.name}`)
          .sort(),
      );
      const from2 = k.emu.requests.length;
      const r2 = await applyConfig(client, desired, { resolveSecret, mode: 'sync', expected: again });
      assert.ok(r2.ok, renderApplyResult(r2));
      const deleted2 = writes(from2)
        .filter((q) => q.method === 'DELETE')
        .map((q) => q.path.slice(q.path.lastIndexOf('/') + 1));
      const deleted1 = work.filter((s) => gone.includes(s.name)).map((s) => s.id!);
      assert.deepEqual(
        deleted2.filter((id) => deleted1.includes(id)),
        [],
        'no delete twice',
      );
      const final = await byName();
      for (const s of work)
        if (s.action === 'create') assert.equal(final.get(s.name)?.length, 1, `one "${s.name}", no duplicate`);
        else assert.ok(!final.has(s.name), `"${s.name}" is deleted`);
      assert.deepEqual(final.get('Keep'), before.get('Keep'));
      assert.deepEqual(final.get('Keep OIDC'), before.get('Keep OIDC'));
      assert.ok(isNoop(await computePlan(client, desired, { mode: 'sync' })), 'a third sync has nothing to do');
    });
});
