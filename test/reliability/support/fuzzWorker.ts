/**
 * Runs fuzz cases in a worker thread, so that the test can stop a case that hangs (an endless loop in a parser
 * blocks its own thread, never the watchdog's) and still say which input it was.
 *
 * workerData: { kind, seed, budgetMs, maxCases, minCases, remote? } (the budget ends a run only after minCases). Messages: { t: 'case', i } before each case,
 * { t: 'fail', i, problems, applied, text } for each failing one, { t: 'done', cases, tally, notes, slowest }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RemoteState } from '../../../src/core/config/index';
import { checkHttp, checkYaml, httpCorpus, makeCase, yamlCorpus, type FuzzKind } from './fuzzCases';

interface Input {
  kind: FuzzKind;
  seed: number;
  budgetMs: number;
  maxCases: number;
  minCases: number;
  remote?: RemoteState;
}

async function main(): Promise<void> {
  const { kind, seed, budgetMs, maxCases, minCases, remote } = workerData as Input;
  const post = (m: unknown): void => parentPort!.postMessage(m);
  const corpus = kind === 'yaml' ? yamlCorpus() : httpCorpus();
  const tally: Record<string, number> = {};
  const notes = new Map<string, number>();
  let slowest = { i: -1, ms: 0 };
  const t0 = performance.now();
  let i = 0;
  // The time budget ends a run only once minCases ran: a loaded machine runs fewer cases a second, not fewer cases.
  for (; i < maxCases && (i < minCases || performance.now() - t0 < budgetMs); i++) {
    post({ t: 'case', i });
    const c = makeCase(kind, corpus, seed, i);
    const t1 = performance.now();
    const out = kind === 'yaml' ? await checkYaml(c, remote) : await checkHttp(c);
    const ms = performance.now() - t1;
    if (ms > slowest.ms) slowest = { i, ms };
    for (const [k, v] of Object.entries(out.tally)) tally[k] = (tally[k] ?? 0) + v;
    for (const n of out.notes)
      notes.set(n.replace(/"[^"]*"/g, '"…"'), (notes.get(n.replace(/"[^"]*"/g, '"…"')) ?? 0) + 1);
    if (out.problems.length) post({ t: 'fail', i, problems: out.problems, applied: c.applied, text: c.text });
  }
  post({ t: 'done', cases: i, corpus: corpus.length, tally, notes: [...notes], slowest, ms: performance.now() - t0 });
}

main().catch((err: unknown) => {
  parentPort!.postMessage({ t: 'crash', error: err instanceof Error ? err.stack : String(err) });
});
