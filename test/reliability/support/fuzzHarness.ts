/** Runs a fuzz worker (fuzzWorker.ts) with a watchdog; collects failures; regenerates the input of a hung case. */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RemoteState } from '../../../src/core/config/index';
import { httpCorpus, makeCase, yamlCorpus, type FuzzKind } from './fuzzCases';

export interface FuzzFailure {
  i: number;
  problems: string[];
  applied: string[];
  text: string;
}

export interface FuzzRun {
  seed: number;
  cases: number;
  corpus: number;
  ms: number;
  failures: FuzzFailure[];
  tally: Record<string, number>;
  notes: [string, number][];
  slowest: { i: number; ms: number };
  /** A case that did not finish within `hangMs`: the worker was stopped. */
  hung?: { i: number; text: string; applied: readonly string[] } | undefined;
}

export function runFuzz(
  kind: FuzzKind,
  opts: {
    seed: number;
    budgetMs: number;
    maxCases: number;
    minCases: number;
    hangMs: number;
    remote?: RemoteState | undefined;
  },
): Promise<FuzzRun> {
  const file = path.join(__dirname, 'fuzzWorker.js');
  const worker = new Worker(file, {
    workerData: {
      kind,
      seed: opts.seed,
      budgetMs: opts.budgetMs,
      maxCases: opts.maxCases,
      minCases: opts.minCases,
      remote: opts.remote,
    },
  });
  const failures: FuzzFailure[] = [];
  let current = -1;
  let watchdog: NodeJS.Timeout | undefined;
  return new Promise<FuzzRun>((resolve, reject) => {
    const arm = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void worker.terminate();
        const c = makeCase(kind, kind === 'yaml' ? yamlCorpus() : httpCorpus(), opts.seed, current);
        resolve({
          seed: opts.seed,
          cases: current + 1,
          corpus: 0,
          ms: 0,
          failures,
          tally: {},
          notes: [],
          slowest: { i: current, ms: opts.hangMs },
          hung: { i: current, text: c.text, applied: c.applied },
        });
      }, opts.hangMs);
    };
    arm();
    worker.on('message', (m: { t: string } & Record<string, unknown>) => {
      if (m.t === 'case') {
        current = m['i'] as number;
        arm();
      } else if (m.t === 'fail') failures.push(m as unknown as FuzzFailure);
      else if (m.t === 'crash') {
        clearTimeout(watchdog);
        void worker.terminate();
        reject(new Error(`the fuzz worker crashed at case ${current}: ${String(m['error'])}`));
      } else if (m.t === 'done') {
        clearTimeout(watchdog);
        void worker.terminate();
        resolve({ seed: opts.seed, failures, ...(m as unknown as Omit<FuzzRun, 'seed' | 'failures'>) });
      }
    });
    worker.on('error', (err) => {
      clearTimeout(watchdog);
      reject(err);
    });
  });
}

/** A failure, printable: the seed and index to reproduce it, the mutations, the problems and the input. */
export function describeFailure(
  kind: FuzzKind,
  seed: number,
  f: { i: number; applied: readonly string[]; text: string; problems?: readonly string[] },
): string {
  const shown = f.text.length > 3000 ? `${f.text.slice(0, 3000)}\n… (${f.text.length} chars)` : f.text;
  return [
    `${kind} case #${f.i} (KDCR_SEED=${seed}; mutations: ${f.applied.join(', ') || 'none, a corpus file'})`,
    ...(f.problems ?? []).map((p) => `  - ${p}`),
    '  input (JSON-quoted):',
    `  ${JSON.stringify(shown)}`,
  ].join('\n');
}
