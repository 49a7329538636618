// Fuzzing the config path (apply and sync plans): thousands of mutated YAML files (from the repository's fixtures, the kongctl examples, the
// bad corpus and every snippet: keys, values, types, indentation, tags, anchors and alias bombs, truncation,
// duplication, CRLF, BOM) through the analyzer (parser with positions, schema, refs, lint) and the planner, in a
// worker with a watchdog. What each case must hold is in support/fuzzCases.ts. Seeded: KDCR_SEED=<n> reproduces a
// run, the seed is printed; KDCR_FUZZ_MS (default 15 000) bounds the time, KDCR_FUZZ_CASES (default 20 000) the count.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createKonnectClient } from '../../src/core/api/index';
import { analyzeConfig, applyConfig, computePlan, fetchRemote, type RemoteState } from '../../src/core/config/index';
import { TOKEN, startTestKonnect } from '../../sandbox/tests/support/fakes';
import { FIXTURES } from '../unit/config/support';
import { generateConfig } from './support/configs';
import { CountingTransport } from './support/fuzzCases';
import { describeFailure, runFuzz } from './support/fuzzHarness';
import { suiteSeed } from './support/random';

const BUDGET_MS = Number(process.env['KDCR_FUZZ_MS'] ?? 15_000);
const MAX_CASES = Number(process.env['KDCR_FUZZ_CASES'] ?? 20_000);
/** Below this many cases in the default budget the run says little: fail rather than pass quietly (a few thousand
 * run on an idle machine; the floor leaves room for a loaded one). */
const MIN_CASES = process.env['KDCR_FUZZ_MS'] ? 1 : 500;

describe('reliability: fuzzing config files (analyzer + planner)', function () {
  this.timeout(BUDGET_MS + 60_000);
  const seed = suiteSeed();
  let remote: RemoteState;

  before(async () => {
    // a populated Konnect to plan against: the complete fixture and a generated file, applied to the emulator
    const k = await startTestKonnect();
    const client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'kdcr-fuzz/1' });
    try {
      const complete = analyzeConfig(fs.readFileSync(path.join(FIXTURES, 'complete.konnect-dcr.yaml'), 'utf8'), {
        fileName: 'konnect-dcr.yaml',
      }).model!;
      const gen = generateConfig('fz', 6);
      const generated = analyzeConfig(gen.text, { fileName: 'gen.kongctl.yaml' }).model!;
      const secret = (n: string): Promise<string> => Promise.resolve(gen.secrets[n] ?? 'fuzz_secret_value_01');
      assert.ok((await applyConfig(client, complete, { resolveSecret: secret })).ok);
      assert.ok((await applyConfig(client, generated, { resolveSecret: secret })).ok);
      // for the sync plans: a protected provider, and a strategy that an API publication uses (neither may be deleted)
      const providers = await client.dcrProviders.listAll();
      const strategies = await client.authStrategies.listAll();
      // one no strategy uses, so that only its protection keeps a sync from deleting it
      // (in kongctl's default namespace, which most corpus files and their mutants are in)
      const unused = providers.filter((p) => !strategies.some((x) => x.dcr_provider?.id === p.id));
      const guarded =
        unused.find((p) => p.labels?.['KONGCTL-namespace'] === 'default') ??
        unused.find((p) => p.labels?.['KONGCTL-namespace']);
      if (guarded)
        await client.dcrProviders.update(guarded.id, { labels: { ...guarded.labels, 'KONGCTL-protected': 'true' } });
      const held = strategies.find((x) => x.labels?.['KONGCTL-namespace']);
      if (held) {
        const portal = await client.portals.create({ name: 'Fuzz Portal' });
        const api = await client.apis.create({ name: 'Fuzz API' });
        await client.apiPublications.publish(api.id, portal.id, { auth_strategy_ids: [held.id] });
      }
      assert.ok(guarded && held, 'the applied files have kongctl namespaces');
      remote = await fetchRemote(client, complete, { mode: 'sync' });
    } finally {
      await client.close();
      await k.stop();
    }
  });

  it(`mutated configs for ${BUDGET_MS / 1000} s: no crash, no hang, every invalid file has a located diagnostic and makes no network call`, async () => {
    console.log(`      seed ${seed} (KDCR_SEED=${seed} reproduces this run)`);
    const r = await runFuzz('yaml', {
      seed,
      budgetMs: BUDGET_MS,
      maxCases: MAX_CASES,
      minCases: MIN_CASES,
      hangMs: 8_000,
      remote,
    });
    if (r.hung) assert.fail(`a case did not finish within 8 s (a hang):\n${describeFailure('yaml', seed, r.hung)}`);
    console.log(
      `      ${r.cases} cases (${r.corpus} corpus files, then mutants) in ${(r.ms / 1000).toFixed(1)} s: ${JSON.stringify(r.tally)}; slowest #${r.slowest.i} ${r.slowest.ms.toFixed(0)} ms`,
    );
    for (const [note, n] of r.notes) console.log(`      note (${n}×): ${note}`);
    assert.deepEqual(
      r.failures.slice(0, 5).map((f) => describeFailure('yaml', seed, f)),
      [],
      `${r.failures.length} of ${r.cases} cases failed`,
    );
    assert.ok(r.cases >= MIN_CASES, `only ${r.cases} cases ran in ${BUDGET_MS} ms`);
    assert.ok(
      (r.tally['valid'] ?? 0) > 0 && (r.tally['invalid'] ?? 0) > 0,
      `both valid and invalid files were produced: ${JSON.stringify(r.tally)}`,
    );
    // the sync checks had something to check: plans that delete, and plans that refuse to delete a held resource
    assert.ok(
      (r.tally['syncDeletes'] ?? 0) > 0 && (r.tally['syncHeld'] ?? 0) > 0,
      `sync plans with deletes and with held resources: ${JSON.stringify(r.tally)}`,
    );
  });

  // Bugs this fuzzer found (fixed in 4a747cc), kept as plain cases.
  describe('found by fuzzing', () => {
    for (const text of ['a: &a [*a]\n', 'dcr_providers: &p\n  - *p\n', '_defaults: &d\n  kongctl: *d\n']) {
      it(`a recursive alias (${JSON.stringify(text)}) is a located error, not a stack overflow`, () => {
        const a = analyzeConfig(text, { fileName: 'x.kongctl.yaml' });
        assert.ok(a.errorCount > 0 && a.model === undefined);
      });
    }
    it('a strategy whose DCR provider has an unknown provider_type (here an alias of its ref) is linted without a crash', () => {
      // case #962 of seed 20261123: the lint pack looked the type up in the provider-type table and threw
      const text = [
        'dcr_providers:',
        '  - ref: &a payments-kong-identity',
        '    name: Payments (Kong Identity)',
        '    provider_type: *a',
        '    issuer: https://idp.example.com',
        'application_auth_strategies:',
        '  - ref: payments-oidc',
        '    name: Payments OIDC',
        '    display_name: Payments',
        '    strategy_type: openid_connect',
        '    dcr_provider_id: !ref payments-kong-identity',
        '    configs:',
        '      openid_connect:',
        '        issuer: https://idp.example.com',
        '        credential_claim: [sub]',
        '        scopes: [openid]',
        '        auth_methods: [client_credentials, bearer]',
        '',
      ].join('\n');
      const a = analyzeConfig(text, { fileName: 'x.kongctl.yaml' });
      // the schema's error, where the value is written: the anchored ref (line 1) that provider_type (line 3) aliases
      const onType = a.diagnostics.filter(
        (d) => d.severity === 'error' && /Unknown provider_type/.test(d.message) && [1, 3].includes(d.range.start.line),
      );
      assert.equal(onType.length, 1, JSON.stringify(a.diagnostics.map((d) => [d.range.start.line, d.message])));
    });
    it("an alias bomb (9^7 nodes) is refused within a second, as the YAML library's own maxAliasCount would", () => {
      const bomb = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i < 7; i++)
        bomb.push(`x${i}: &x${i} [${Array.from({ length: 9 }, () => `*x${i - 1}`).join(', ')}]`);
      const t0 = performance.now();
      const a = analyzeConfig(`${bomb.join('\n')}\n`, { fileName: 'x.kongctl.yaml' });
      assert.ok(performance.now() - t0 < 1_000, `took ${(performance.now() - t0).toFixed(0)} ms`);
      assert.ok(a.errorCount > 0);
    });
    it('a diagnostic after a YAML error that spans a line break is on its own line', () => {
      const text = 'x:\n  "k": "v",\n    y: 1\nbad: : :\n';
      const a = analyzeConfig(text);
      const bad = a.doc.doc.errors.filter((e) => e.pos[0] >= text.indexOf('bad'));
      assert.ok(bad.length > 0, 'the YAML parser finds the problem on the last line');
      for (const e of bad)
        assert.equal(a.doc.position(e.pos[0]).line, 3, `offset ${e.pos[0]} is on line 3 ("bad: : :")`);
    });
    for (const text of ['', '# only comments\n', '---\n']) {
      it(`an empty file (${JSON.stringify(text)}) plans as "nothing to do" or says why not`, async () => {
        const a = analyzeConfig(text, { fileName: 'x.kongctl.yaml' });
        // (it had no model and no error: the Plan command said "has 0 problems to fix first")
        assert.ok(a.model, 'plannable');
        assert.equal(a.errorCount, 0);
        const transport = new CountingTransport();
        const plan = await computePlan(
          createKonnectClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN, userAgent: 'kdcr-fuzz/1', transport }),
          a.model,
        );
        assert.equal(plan.steps.length, 0);
      });
    }
  });
});
