// Fuzzing the request runner: thousands of mutated .http files (from the request fixtures, generated validation
// requests and files using every runner feature: separators, variables and system variables, headers, bodies, chained
// and cyclic requests, metadata, request lines, file variables that refer to themselves, CRLF, BOM) through the parser
// and the runner, with an executor that counts and never touches the network, in a worker with a watchdog. What each
// case must hold is in support/fuzzCases.ts. Seeded: KDCR_SEED=<n> reproduces a run; KDCR_FUZZ_MS (default 10 000)
// bounds the time, KDCR_FUZZ_CASES (default 20 000) the count.
import * as assert from 'node:assert/strict';
import { createRequestExecutor } from '../../src/core/requests/executor';
import { parseRequestFile } from '../../src/core/requests/parser';
import { RequestRunner, RunSession } from '../../src/core/requests/runner';
import { nullLogger } from '../../src/core/util/logger';
import { Redactor } from '../../src/core/util/redact';
import { describeFailure, runFuzz } from './support/fuzzHarness';
import { suiteSeed } from './support/random';

const BUDGET_MS = Number(process.env['KDCR_FUZZ_MS'] ?? 10_000);
const MAX_CASES = Number(process.env['KDCR_FUZZ_CASES'] ?? 20_000);
/** See fuzz-config.test.ts. */
const MIN_CASES = process.env['KDCR_FUZZ_MS'] ? 1 : 500;

describe('reliability: fuzzing .http files (parser + runner)', function () {
  this.timeout(BUDGET_MS + 30_000);
  const seed = suiteSeed();

  it(`mutated request files for ${BUDGET_MS / 1000} s: no crash, no hang, located diagnostics, nothing sent that has an error, no secret shown`, async () => {
    console.log(`      seed ${seed} (KDCR_SEED=${seed} reproduces this run)`);
    const r = await runFuzz('http', {
      seed,
      budgetMs: BUDGET_MS,
      maxCases: MAX_CASES,
      minCases: MIN_CASES,
      hangMs: 5_000,
    });
    if (r.hung) assert.fail(`a case did not finish within 5 s (a hang):\n${describeFailure('http', seed, r.hung)}`);
    console.log(
      `      ${r.cases} cases (${r.corpus} corpus files, then mutants) in ${(r.ms / 1000).toFixed(1)} s; requests: ${JSON.stringify(r.tally)}; slowest #${r.slowest.i} ${r.slowest.ms.toFixed(0)} ms`,
    );
    assert.deepEqual(
      r.failures.slice(0, 5).map((f) => describeFailure('http', seed, f)),
      [],
      `${r.failures.length} of ${r.cases} cases failed`,
    );
    assert.ok(r.cases >= MIN_CASES, `only ${r.cases} cases ran in ${BUDGET_MS} ms`);
    assert.ok(
      (r.tally['sent'] ?? 0) > 0 &&
        (r.tally['refused (diagnostics)'] ?? 0) > 0 &&
        (r.tally['refused (variables)'] ?? 0) > 0,
      `every outcome was produced: ${JSON.stringify(r.tally)}`,
    );
  });

  // Found by this fuzzer (fixed in d2ef413), kept as a plain case.
  describe('found by fuzzing', () => {
    it('a request line whose URL cannot be parsed is refused in words that name it', async () => {
      const file = parseRequestFile('GET http://[::1/orders\n');
      const runner = new RequestRunner({
        executor: createRequestExecutor(),
        now: () => 0,
        redactor: new Redactor(),
        logger: nullLogger,
      });
      const r = await runner.run(
        new RunSession(file, {
          environment: {},
          dotenv: {},
          processEnv: () => undefined,
          secret: () => Promise.resolve(undefined),
          now: () => 0,
        }),
        0,
        new AbortController().signal,
      );
      // it was { kind: 'network', message: 'Invalid URL' }, from the executor's `new URL()`
      assert.ok(r.error, 'refused');
      assert.match(r.error.message, /http:\/\/\[::1\/orders/, `the message names the URL: "${r.error.message}"`);
      assert.notEqual(r.error.kind, 'network', 'nothing went to the network');
    });
  });
});
