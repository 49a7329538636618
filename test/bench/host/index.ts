// Runs inside the extension host (test/harness/run-ext-tests.js --tests out/test/bench/host/index), loaded with two
// development extensions: Konnect DCR and test/bench/baseline-ext. Times `await ext.activate()` for each and prints
// one marked JSON line that test/bench/run-bench.mjs parses from the forwarded console.
//
// The workbench opens an empty folder and shows no Konnect DCR view, so neither extension can have been activated
// before: if one was, the measurement is meaningless and run() rejects instead of reporting it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const RESULT_MARK = 'KDCR_BENCH_RESULT';
const EXTENSIONS = { ours: 'konnect-dcr.konnect-dcr', baseline: 'konnect-dcr.konnect-dcr-bench-baseline' } as const;
type Which = keyof typeof EXTENSIONS;

/**
 * Resolve once the extension host's event loop has been idle (every 10 ms timer fired within `lagMs` of its time)
 * for `quietMs` in a row. Right after start-up the host is busy activating built-in extensions and answering the
 * workbench; timing an activation then measures that queue, not the extension (the empty baseline took 50-250 ms).
 * Polls a condition; gives up after `maxMs` and says so in the result.
 */
async function waitForIdle(lagMs = 4, quietMs = 1000, maxMs = 30_000): Promise<{ idle: boolean; waitedMs: number }> {
  const start = performance.now();
  let quietSince = start;
  for (;;) {
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 10));
    const now = performance.now();
    if (now - t - 10 > lagMs) quietSince = now;
    if (now - quietSince >= quietMs) return { idle: true, waitedMs: Math.round(now - start) };
    if (now - start >= maxMs) return { idle: false, waitedMs: Math.round(now - start) };
  }
}

export async function run(): Promise<void> {
  // Alternating the order between hosts (run-bench.mjs sets it) keeps "first activation in this host" costs fair.
  const order: Which[] =
    process.env['KDCR_BENCH_ORDER'] === 'baseline-first' ? ['baseline', 'ours'] : ['ours', 'baseline'];
  const ms: Partial<Record<Which, number>> = {};
  const idle: Partial<Record<Which, { idle: boolean; waitedMs: number }>> = {};
  for (const which of order) {
    const id = EXTENSIONS[which];
    const ext = vscode.extensions.getExtension(id);
    if (!ext) throw new Error(`${id} is not loaded in this extension host`);
    if (ext.isActive)
      throw new Error(
        `${id} was already active before the bench activated it: the workbench activated it (an open view? a matching workspace?)`,
      );
    idle[which] = await waitForIdle();
    const t0 = performance.now();
    await ext.activate();
    ms[which] = performance.now() - t0;
  }
  // Activation only loads the shell (dist/extension.js); the first real use loads dist/main.js. Time that too, with
  // the cheapest command there is, so the deferred cost is reported rather than hidden. Node's module cache says
  // whether main was loaded: not by activation, by that first command.
  const main = fs.realpathSync(
    path.join(vscode.extensions.getExtension(EXTENSIONS.ours)!.extensionPath, 'dist', 'main.js'),
  );
  const mainLoaded = (): boolean => Object.prototype.hasOwnProperty.call(require.cache, main);
  if (mainLoaded()) throw new Error(`${main} was loaded by activation: the shell must load it on first use only`);
  await waitForIdle();
  const f0 = performance.now();
  await vscode.commands.executeCommand('konnectDcr.showLog');
  const firstUseMs = performance.now() - f0;
  if (!mainLoaded())
    throw new Error(`${main} is not in require.cache after the first command: the first-use figure would not time it`);
  console.log(`${RESULT_MARK} ${JSON.stringify({ vscode: vscode.version, order, ms, idle, firstUseMs })}`);
}
