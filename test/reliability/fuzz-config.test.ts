// Fuzzing the config path: thousands of mutated YAML files (from the repository's fixtures, the kongctl examples, the
// bad corpus and every snippet: keys, values, types, indentation, tags, anchors and alias bombs, truncation,
// duplication, CRLF, BOM) through the analyzer (parser with positions, schema, refs, lint) and the planner, in a
// worker with a watchdog. What each case must hold is in support/fuzzCases.ts. Seeded: KDCR_SEED=<n> reproduces a
// run, the seed is printed; KDCR_FUZZ_MS (default 15 000) bounds the time, KDCR_FUZZ_CASES (default 20 000) the count.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createKonnectClient } from '../../src/core/api/index';
import { parse as parseYaml } from 'yaml';
import { analyzeConfig, applyConfig, computePlan, fetchRemote, type RemoteState } from '../../src/core/config/index';
import { TOKEN, startTestKonnect } from '../sandbox/tests/support/fakes';
import { FIXTURES } from '../unit/config/support';
import { generateConfig } from './support/configs';
import { CountingTransport } from './support/fuzzCases';
import { describeFailure, runFuzz, type FuzzFailure } from './support/fuzzHarness';
import { suiteSeed } from './support/random';

const BUDGET_MS = Number(process.env['KDCR_FUZZ_MS'] ?? 15_000);
const MAX_CASES = Number(process.env['KDCR_FUZZ_CASES'] ?? 20_000);
/** Below this many cases in the default budget the run says little: fail rather than pass quietly (a few thousand
 * run on an idle machine; the floor leaves room for a loaded one). */
const MIN_CASES = process.env['KDCR_FUZZ_MS'] ? 1 : 500;
const knownBugs = process.env['KDCR_KNOWN_BUGS'] === '1';

const empty = (text: string): boolean => { try { return parseYaml(text) == null; } catch { return false; } };
const aliases = (text: string): boolean => /(^|[\s[{,:])\*\w/m.test(text);
/**
 * Bugs found by this fuzzer and reported (see the "known bugs" tests below, run with KDCR_KNOWN_BUGS=1): a failing
 * case that is only one of these is listed, not failed, so that the run stays able to catch anything new.
 */
const yamlErrors = (text: string): boolean => { try { return analyzeConfig(text).doc.doc.errors.length > 0; } catch { return false; } };
const KNOWN: { id: string; is: (f: Pick<FuzzFailure, 'problems' | 'text'>) => boolean }[] = [
  { id: 'a recursive YAML alias overflows the stack (src/core/config/document.ts toView)', is: (f) => aliases(f.text) && f.problems.every((p) => /Maximum call stack size exceeded/.test(p)) },
  {
    id: 'after a YAML error spanning a line break, positions are a line off (src/core/config/document.ts position(), yaml\'s LineCounter)',
    is: (f) => yamlErrors(f.text) && f.problems.every((p) => /^offset \d+ is mapped to line|^diagnostic .*outside (line|the file)/.test(p)),
  },
  { id: 'YAML aliases are expanded without a limit (src/core/config/document.ts toView)', is: (f) => aliases(f.text) && f.problems.every((p) => /analyzeConfig took/.test(p)) },
  { id: 'an empty or comment-only file has no model and no error (src/core/config/analyze.ts)', is: (f) => empty(f.text) && f.problems.every((p) => /no model and no error/.test(p)) },
];
const knownBug = (f: Pick<FuzzFailure, 'problems' | 'text'>): string | undefined => (knownBugs ? undefined : KNOWN.find((k) => k.is(f))?.id);

describe('reliability: fuzzing config files (analyzer + planner)', function () {
  this.timeout(BUDGET_MS + 60_000);
  const seed = suiteSeed();
  let remote: RemoteState;

  before(async () => {
    // a populated Konnect to plan against: the complete fixture and a generated file, applied to the emulator
    const k = await startTestKonnect();
    const client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'kdcr-fuzz/1' });
    try {
      const complete = analyzeConfig(fs.readFileSync(path.join(FIXTURES, 'complete.konnect-dcr.yaml'), 'utf8'), { fileName: 'konnect-dcr.yaml' }).model!;
      const gen = generateConfig('fz', 6);
      const generated = analyzeConfig(gen.text, { fileName: 'gen.kongctl.yaml' }).model!;
      const secret = (n: string): Promise<string> => Promise.resolve(gen.secrets[n] ?? 'fuzz_secret_value_01');
      assert.ok((await applyConfig(client, complete, { resolveSecret: secret })).ok);
      assert.ok((await applyConfig(client, generated, { resolveSecret: secret })).ok);
      remote = await fetchRemote(client, complete);
    } finally {
      await client.close();
      await k.stop();
    }
  });

  it(`mutated configs for ${BUDGET_MS / 1000} s: no crash, no hang, every invalid file has a located diagnostic and makes no network call`, async () => {
    console.log(`      seed ${seed} (KDCR_SEED=${seed} reproduces this run)`);
    const r = await runFuzz('yaml', { seed, budgetMs: BUDGET_MS, maxCases: MAX_CASES, hangMs: 8_000, remote });
    if (r.hung && !(aliases(r.hung.text) && !knownBugs)) assert.fail(`a case did not finish within 8 s (a hang):\n${describeFailure('yaml', seed, r.hung)}`);
    if (r.hung) console.log(`      known bug: case #${r.hung.i} (an alias bomb) did not finish within 8 s; the run stopped there`);
    console.log(`      ${r.cases} cases (${r.corpus} corpus files, then mutants) in ${(r.ms / 1000).toFixed(1)} s: ${JSON.stringify(r.tally)}; slowest #${r.slowest.i} ${r.slowest.ms.toFixed(0)} ms`);
    for (const [note, n] of r.notes) console.log(`      note (${n}×): ${note}`);
    const known = new Map<string, number[]>();
    for (const f of r.failures) { const id = knownBug(f); if (id) known.set(id, [...(known.get(id) ?? []), f.i]); }
    for (const [id, cases] of known) console.log(`      known bug (${cases.length}×, e.g. case #${cases[0]}): ${id}`);
    const fresh = r.failures.filter((f) => !knownBug(f));
    assert.deepEqual(fresh.slice(0, 5).map((f) => describeFailure('yaml', seed, f)), [], `${fresh.length} of ${r.cases} cases failed`);
    if (r.hung) return;   // a known bug stopped the run early: what ran is checked above
    assert.ok(r.cases >= MIN_CASES, `only ${r.cases} cases ran in ${BUDGET_MS} ms`);
    assert.ok((r.tally['valid'] ?? 0) > 0 && (r.tally['invalid'] ?? 0) > 0, `both valid and invalid files were produced: ${JSON.stringify(r.tally)}`);
  });

  describe('known bugs (run with KDCR_KNOWN_BUGS=1)', () => {
    const run = knownBugs ? it : it.skip;
    for (const text of ['a: &a [*a]\n', 'dcr_providers: &p\n  - *p\n', '_defaults: &d\n  kongctl: *d\n']) {
      run(`a recursive alias (${JSON.stringify(text)}) is a located error, not a stack overflow`, () => {
        const a = analyzeConfig(text, { fileName: 'x.kongctl.yaml' });
        assert.ok(a.errorCount > 0 && a.model === undefined);
      });
    }
    run('an alias bomb (9^7 nodes) is refused within a second, as the YAML library\'s own maxAliasCount would', () => {
      const bomb = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i < 7; i++) bomb.push(`x${i}: &x${i} [${Array.from({ length: 9 }, () => `*x${i - 1}`).join(', ')}]`);
      const t0 = performance.now();
      const a = analyzeConfig(`${bomb.join('\n')}\n`, { fileName: 'x.kongctl.yaml' });
      assert.ok(performance.now() - t0 < 1_000, `took ${(performance.now() - t0).toFixed(0)} ms`);
      assert.ok(a.errorCount > 0);
    });
    run('a diagnostic after a YAML error that spans a line break is on its own line', () => {
      const text = 'x:\n  "k": "v",\n    y: 1\nbad: : :\n';
      const a = analyzeConfig(text);
      const bad = a.doc.doc.errors.filter((e) => e.pos[0] >= text.indexOf('bad'));
      assert.ok(bad.length > 0, 'the YAML parser finds the problem on the last line');
      for (const e of bad) assert.equal(a.doc.position(e.pos[0]).line, 3, `offset ${e.pos[0]} is on line 3 ("bad: : :")`);
    });
    for (const text of ['', '# only comments\n', '---\n']) {
      run(`an empty file (${JSON.stringify(text)}) plans as "nothing to do" or says why not`, async () => {
        const a = analyzeConfig(text, { fileName: 'x.kongctl.yaml' });
        if (a.model) {
          const transport = new CountingTransport();
          const plan = await computePlan(createKonnectClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN, userAgent: 'kdcr-fuzz/1', transport }), a.model);
          assert.equal(plan.steps.length, 0);
        } else assert.ok(a.errorCount > 0, 'the Plan command would say "has 0 problems to fix first"');
      });
    }
  });
});
