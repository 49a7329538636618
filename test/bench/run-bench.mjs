#!/usr/bin/env node
// `npm run bench`: builds the production bundles, measures each figure next to its target and against a baseline
// measured in the same run, prints a table, and writes test/bench/results.json + test/bench/RESULTS.md.
//
//   usage: node test/bench/run-bench.mjs [--runs N] [--only name,name]
//     --runs N    fresh extension hosts for the activation time (default 5; the median is reported)
//     --only ...  measure only these figures (by id, see FIGURES); the others keep their values from results.json
//   exit: 0 every figure within its target, 1 a figure over its target, 2 a measurement failed.
//
// Adding a figure: write `async function myFigure(ctx)` returning one or more
//   { name, value, unit, target, baseline, note, points? }   (target/baseline: number or null; same unit as value)
// and list it in FIGURES. results.json is a list of { id, name, value, unit, target, baseline, ratio, note, load,
// points? }: `load` is the machine's 1-minute load average when that figure's group started and ended (2 shared
// cores: read a figure with it; the ratios against a floor measured in the same run are what load cancels).
// `points` ({ chart, series, x, y, dashed? } or a list of them) put a figure on a curve: each chart of CHARTS is
// drawn as test/bench/curve-<chart>.svg (test/bench/svg-plot.mjs) and tabulated in RESULTS.md.
//
// Baselines: sizes are compared with test/bench/baseline-ext (an empty extension with our activation shape)
// built and packed the same way; activation time with that same empty extension activated in the same host.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyFigures } from './apply-bench.mjs';
import { memoryFigures } from './memory-bench.mjs';
import { proveFigures } from './prove-bench.mjs';
import { runnerFigures } from './runner-bench.mjs';
import { lineChart } from './svg-plot.mjs';
import { treeFigures } from './tree-bench.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);
const require = createRequire(import.meta.url);
const BENCH = join(root, 'test', 'bench');
const LAST_RUN = join(BENCH, 'last-run'); // gitignored: baseline.vsix, raw activation samples
const BASELINE_EXT = join(BENCH, 'baseline-ext');
const DRIVER_EXT = join(BENCH, 'driver-ext');
const HOST_MODULE = join(root, 'out', 'test', 'bench', 'host', 'index.js');
const RESULT_MARK = 'KDCR_BENCH_RESULT'; // printed by test/bench/host/index.ts
const VERSIONS = JSON.parse(fs.readFileSync(join(root, 'test', 'harness', 'versions.json'), 'utf8'));
const KB = 1024;

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(argValue('--runs') ?? process.env.KDCR_BENCH_RUNS ?? 5);
const only = argValue('--only')?.split(',');
const t0 = Date.now();
const say = (msg) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`);

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0)
    throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout;
}
const size = (f) => fs.statSync(f).size;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------------------------------------------------------
// Figures: one function each.

/** dist/extension.js: what the extension host loads at activation. */
async function extensionBundle() {
  return {
    name: 'activation bundle (dist/extension.js, minified)',
    value: round(size('dist/extension.js') / KB, 2),
    unit: 'KB',
    target: 400,
    baseline: round(size(join(BASELINE_EXT, 'extension.js')) / KB, 2),
    note: "baseline: the empty extension's main file",
  };
}

/** Every host bundle but the shell: required lazily after activation (today only dist/main.js). Reported, no target. */
async function lazyBundles() {
  const lazy = fs
    .readdirSync('dist')
    .filter((f) => f.endsWith('.js') && f !== 'extension.js')
    .sort();
  if (!lazy.length) throw new Error('no lazy bundle in dist/');
  const when = {
    'main.js':
      'everything but the shell (zod, yaml, undici, the Konnect client, trees, forms, runner, config, Prove DCR), on first real use',
  };
  return lazy.map((file) => ({
    name: `lazy bundle (dist/${file}, minified)`,
    value: round(size(join('dist', file)) / KB, 2),
    unit: 'KB',
    target: null,
    baseline: null,
    note: `loaded after activation: ${when[file] ?? 'on first use'}`,
  }));
}

/** The .vsix `npm run package` produces, against the empty extension packed by the same vsce. */
async function vsix() {
  fs.rmSync('konnect-dcr.vsix', { force: true });
  sh('npm', ['run', '--silent', 'package']);
  const baseline = join(LAST_RUN, 'baseline.vsix');
  fs.rmSync(baseline, { force: true });
  sh(
    process.execPath,
    [
      join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--skip-license',
      '--allow-missing-repository',
      '--out',
      baseline,
    ],
    { cwd: BASELINE_EXT },
  );
  return {
    name: 'VSIX (konnect-dcr.vsix)',
    value: round(size('konnect-dcr.vsix') / KB, 2),
    unit: 'KB',
    target: 350,
    baseline: round(size(baseline) / KB, 2),
    note: 'baseline: the empty extension packed by the same vsce',
  };
}

/**
 * `await ext.activate()` timed inside the real extension host (code-server, stable VS Code), ours and the empty
 * baseline extension in the same fresh host, `runs` hosts in a row (activation order alternating); medians.
 */
async function activation() {
  const R = require(join(root, 'test', 'harness', 'vscr-runtime.js'));
  const rt = R.resolveRuntime({ codeServerVersion: VERSIONS.codeServer });
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? 'baseline-first' : 'ours-first';
    const r = await activationInFreshHost(R, rt, order);
    say(`  host ${i + 1}/${runs} (${order}): ours ${r.ms.ours.toFixed(2)} ms, baseline ${r.ms.baseline.toFixed(2)} ms`);
    samples.push(r);
  }
  fs.writeFileSync(join(LAST_RUN, 'activation.json'), JSON.stringify(samples, null, 1) + '\n');
  const ours = samples.map((s) => s.ms.ours),
    base = samples.map((s) => s.ms.baseline);
  const notIdle = samples.filter((s) => !s.idle.ours.idle || !s.idle.baseline.idle).length;
  const firstUse = samples.map((s) => s.firstUseMs).filter((v) => typeof v === 'number');
  const firstUseFigure = {
    name: `first use after activation (first command loads dist/main.js, VS Code ${samples[0].vscode}, median of ${runs} hosts)`,
    value: round(median(firstUse), 2),
    unit: 'ms',
    target: null,
    baseline: round(median(ours), 2),
    note: 'the cost activation defers: "Konnect DCR: Show Log" right after activation, which requires the main part; baseline: our activation time',
  };
  return [
    {
      name: `activation time (await ext.activate(), VS Code ${samples[0].vscode}, median of ${runs} fresh hosts)`,
      value: round(median(ours), 2),
      unit: 'ms',
      target: 30,
      baseline: round(median(base), 2),
      note:
        `baseline: the empty extension in the same hosts; ours min/max ${round(Math.min(...ours), 2)}/${round(Math.max(...ours), 2)} ms, ` +
        `median of (ours - baseline) per host ${round(median(samples.map((s) => s.ms.ours - s.ms.baseline)), 2)} ms` +
        (notIdle
          ? `; WARNING: in ${notIdle} host(s) the extension host never went idle, those samples include its start-up queue`
          : ''),
    },
    firstUseFigure,
  ];
}

/** The curves: what each chart's axes are. A figure's `points` name the chart. */
const CHARTS = {
  tree: {
    title: 'Tree load: time against the number of items',
    xLabel: 'items loaded: DCR providers + auth strategies, or the applications of one portal',
    yLabel: 'ms (median of 3)',
    targets: [{ y: 1000, label: 'target for 40,000 items: 1,000 ms' }],
  },
  heap: {
    title: 'Tree load: extension-host heap retained',
    xLabel: 'items loaded: DCR providers + auth strategies, or the applications of one portal',
    yLabel: 'MB (after a full GC)',
  },
  apply: {
    title: 'Config apply: time against the number of resources',
    xLabel: 'resources in the file (providers + strategies)',
    yLabel: 'ms (median)',
  },
};

const FIGURES = {
  extension: extensionBundle,
  lazy: lazyBundles,
  vsix,
  activation,
  runner: runnerFigures,
  prove: proveFigures,
  apply: applyFigures,
  tree: treeFigures,
  memory: memoryFigures,
};

// ---------------------------------------------------------------------------------------------------------------
// The in-host part. test/harness/run-ext-tests.js loads only ONE development extension on the web workbench
// (VS Code keeps the URL payload in a Map, so a second --ext replaces the first), so this uses the harness's own
// plumbing instead: both measured extensions INSTALLED side by side (as a user has them), the code-free
// driver-ext as the development extension that lets VS Code run out/test/bench/host/index.js.

const cleanups = new Set();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    for (const c of cleanups) await c();
    process.exit(128 + os.constants.signals[sig]);
  });
}

async function activationInFreshHost(R, rt, order, timeoutMs = 180_000) {
  const { launch } = require(join(root, 'test', 'harness', 'vscode-pw.js'));
  const tmp = R.makeTempRoot('kdcr-bench-');
  const ws = join(tmp, 'ws');
  fs.mkdirSync(ws); // an empty folder: nothing matches workspaceContains:**/*.kongctl.yaml
  let server, browser, timer;
  const cleanup = async () => {
    clearTimeout(timer);
    await Promise.all([browser?.close(), server?.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  cleanups.add(cleanup);
  try {
    // newer VS Code honours extensionTestsPath from the URL only with the smoke-test driver on (harness README)
    const smoke = rt.supportsVscodeOption && R.payloadNeedsSmokeDriver(rt) !== false;
    server = await R.startServer(rt, { tmp, smoke, ext: [root, BASELINE_EXT], env: { KDCR_BENCH_ORDER: order } });
    browser = await launch({ playwright: R.loadPlaywright(rt.playwrightSearch) });
    const lines = [];
    const done = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs / 1000}s`)), timeoutMs);
      browser.page.exposeFunction('codeAutomationLog', (_type, a) => {
        lines.push(...(Array.isArray(a) ? a : [a]).map(String));
      });
      browser.page.exposeFunction('codeAutomationExit', (code) => {
        const line = lines
          .join('\n')
          .split('\n')
          .find((l) => l.startsWith(RESULT_MARK + ' '));
        if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_MARK.length + 1)));
        else
          reject(
            new Error(
              `bench host exited ${code}${line ? '' : ' without a result line'}:\n${lines.join('\n').slice(-3000)}`,
            ),
          );
      });
    });
    await browser.page.goto(
      R.workbenchUrl(server.port, ws, [
        ['extensionDevelopmentPath', R.remoteUri(server.port, DRIVER_EXT)],
        ['extensionTestsPath', R.remoteUri(server.port, HOST_MODULE)],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ]),
    );
    return await done;
  } finally {
    await cleanup();
    cleanups.delete(cleanup);
  }
}

// ---------------------------------------------------------------------------------------------------------------

function table(results) {
  const fmt = (v, unit) => (v === null || v === undefined ? '—' : `${v} ${unit}`);
  return results.map((r) => ({
    figure: r.name,
    value: fmt(r.value, r.unit),
    target: r.target === null ? 'no target' : `≤ ${r.target} ${r.unit}`,
    status:
      r.target === null
        ? ''
        : r.value <= r.target
          ? `PASS (${Math.round((100 * r.value) / r.target)}% of target)`
          : `OVER (${Math.round((100 * r.value) / r.target)}% of target)`,
    load: r.load ? `${r.load[0]} → ${r.load[1]}` : '—',
    baseline: fmt(r.baseline, r.unit),
    ratio: r.ratio === null ? '—' : `${r.ratio}×`,
  }));
}

/** Each chart's series as sorted [x, y] lists, from the figures' `points`. */
function curves(results) {
  const charts = new Map();
  for (const r of results)
    for (const p of [r.points ?? []].flat()) {
      if (!CHARTS[p.chart]) throw new Error(`figure "${r.name}" puts a point on an unknown chart ${p.chart}`);
      const chart = charts.get(p.chart) ?? new Map();
      charts.set(p.chart, chart);
      const s = chart.get(p.series) ?? { name: p.series, dashed: !!p.dashed, points: [] };
      chart.set(p.series, s);
      s.points.push([p.x, p.y]);
    }
  return [...charts].map(([id, series]) => ({
    id,
    ...CHARTS[id],
    series: [...series.values()].map((s) => ({ ...s, points: s.points.sort((a, b) => a[0] - b[0]) })),
  }));
}

function curveTable(c) {
  const xs = [...new Set(c.series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
  const at = (s, x) => s.points.find(([px]) => px === x)?.[1];
  return [
    `| ${c.xLabel} | ${c.series.map((s) => s.name).join(' | ')} |`,
    `|---:|${c.series.map(() => '---:').join('|')}|`,
    ...xs.map((x) => `| ${x.toLocaleString('en')} | ${c.series.map((s) => at(s, x) ?? '—').join(' | ')} |`),
  ];
}

function markdown(results, meta, charts) {
  const rows = table(results);
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (test/bench/run-bench.mjs) on ${meta.date}, commit \`${meta.commit}\`, ${meta.machine}.`,
    `Load average (1 / 5 / 15 min) at the start ${meta.loadStart.join(' / ')}, at the end ${meta.loadEnd.join(' / ')};`,
    'the "load" column is the 1-minute load average when the figure\'s group started → ended. The machine has 2 cores',
    'shared with other work: read absolute times with that load, and the ratios against a floor measured in the same',
    'run (same load) as the comparison that load cancels. Reproduce: `npm run bench` (it builds first).',
    '',
    'Each figure is shown next to its target (PASS / OVER) and, where it has one, as a ratio against a baseline',
    'measured in the same run: for the sizes, test/bench/baseline-ext, an empty extension with the same activation',
    'shape, built, packed and activated the same way; for the others the floor named in its note.',
    '',
    '| figure | value | target | | baseline | ratio (ours / baseline) | load |',
    '|---|---:|---:|---|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.figure} | ${r.value} | ${r.target} | ${r.status} | ${r.baseline} | ${r.ratio} | ${r.load} |`,
    ),
    '',
    ...(charts.length ? ['## Curves', ''] : []),
    ...charts.flatMap((c) => [`### ${c.title}`, '', `![${c.title}](curve-${c.id}.svg)`, '', ...curveTable(c), '']),
    '## Notes',
    '',
    ...results.filter((r) => r.note).map((r) => `* ${r.name}: ${r.note}.`),
    '',
    'KB = 1024 bytes. Activation time is `await ext.activate()` (loading the bundle, the extension context, our',
    '`activate()`) measured with `performance.now()` by test/bench/host/index.ts inside the real extension host',
    '(code-server, Node), in a fresh workbench on an empty folder, both extensions installed side by side, the',
    "activation order alternating between hosts. Each activation starts once the host's event loop has been idle",
    'for 1 s: during start-up the host is busy with built-in extensions and every activation, the empty one',
    'included, waits 50–250 ms in that queue, which says nothing about the extension. Raw samples:',
    'test/bench/last-run/activation.json (not committed).',
    '',
  ].join('\n');
}

async function main() {
  fs.mkdirSync(LAST_RUN, { recursive: true });
  const chosen = only ?? Object.keys(FIGURES);
  for (const id of chosen)
    if (!FIGURES[id]) {
      console.error(`unknown figure ${id}; known: ${Object.keys(FIGURES).join(', ')}`);
      process.exit(2);
    }

  // from an empty dist/: esbuild never deletes, so a dev build would leave e.g. dist/webview/*.map to be packed
  say('build: rm -rf dist && node esbuild.mjs --production');
  fs.rmSync('dist', { recursive: true, force: true });
  sh(process.execPath, ['esbuild.mjs', '--production']);
  if (chosen.includes('activation')) {
    say(`VS Code runtime: code-server ${VERSIONS.codeServer} (installs on first use)`);
    const { ensureRuntimes } = await import('../harness-runtime.mjs');
    if (!ensureRuntimes([VERSIONS.codeServer])) process.exit(2);
  }

  const previous = fs.existsSync(join(BENCH, 'results.json'))
    ? JSON.parse(fs.readFileSync(join(BENCH, 'results.json'), 'utf8'))
    : [];
  const fresh = new Map();
  const load1 = () => round(os.loadavg()[0], 2);
  const loadStart = os.loadavg().map((x) => round(x, 2));
  for (const id of chosen) {
    const before = load1();
    say(`measuring ${id} (load average ${before})`);
    try {
      const out = [await FIGURES[id]()].flat();
      const load = [before, load1()];
      fresh.set(
        id,
        out.map((f) => ({
          ...f,
          ratio: f.ratio !== undefined ? f.ratio : f.baseline ? round(f.value / f.baseline, 2) : null,
          load,
        })),
      );
    } catch (e) {
      console.error(`[bench] ${id} failed: ${e.stack || e}`);
      process.exit(2);
    }
  }
  // keep the order of FIGURES; figures not measured this time keep their previous entries
  const results = [];
  for (const id of Object.keys(FIGURES)) {
    if (fresh.has(id)) results.push(...fresh.get(id));
    else results.push(...previous.filter((p) => p.id === id));
  }
  for (const r of results) r.id ??= [...fresh.entries()].find(([, v]) => v.includes(r))?.[0];

  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'unknown';
  const machine = `${os.cpus().length}× ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.type()} ${os.release()}, Node ${process.version}`;
  const ordered = results.map(({ id, name, value, unit, target, baseline, ratio, note, load, points }) => ({
    id,
    name,
    value,
    unit,
    target,
    baseline,
    ratio,
    note,
    load: load ?? null,
    ...(points ? { points } : {}),
  }));
  fs.writeFileSync(join(BENCH, 'results.json'), JSON.stringify(ordered, null, 2) + '\n');
  const charts = curves(ordered);
  for (const c of charts) fs.writeFileSync(join(BENCH, `curve-${c.id}.svg`), lineChart(c));
  const loadEnd = os.loadavg().map((x) => round(x, 2));
  fs.writeFileSync(
    join(BENCH, 'RESULTS.md'),
    markdown(
      ordered,
      { date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', commit, machine, loadStart, loadEnd },
      charts,
    ),
  );

  console.log('');
  console.table(table(ordered));
  console.log(
    `written: test/bench/results.json, test/bench/RESULTS.md${charts.map((c) => `, test/bench/curve-${c.id}.svg`).join('')}`,
  );
  console.log(`load average at the start ${loadStart.join(' / ')}, at the end ${loadEnd.join(' / ')}`);
  const over = ordered.filter((r) => r.target !== null && r.value > r.target);
  if (over.length) {
    console.error(`over target: ${over.map((r) => r.name).join('; ')}`);
    process.exit(1);
  }
}

await main();
