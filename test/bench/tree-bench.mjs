// The tree figure for `npm run bench` (import `treeFigures` in run-bench.mjs and list it in FIGURES), or on its own:
//   node test/bench/tree-bench.mjs        (needs `node esbuild.mjs --production` first: it uses dist/ and out/)
//
// 2,000 DCR providers + 2,000 auth strategies, loaded from the local sandbox into the Konnect DCR trees inside a real
// extension host (code-server, stable VS Code):
//   - the sandbox runs HERE, in this Node process (its spec self-checks do not run on the extension host's thread);
//   - it is handed to the extension through $KONNECT_DCR_SANDBOX_STATE (the extension makes its "sandbox"
//     connection from it at activation, without network);
//   - test/integration/tree-bench.test.ts (KDCR_TREE_BENCH=1) calls `api.testing.measureTreeLoad()` three times:
//     refresh of the catalog (every page, bounded concurrency, zod parsing, indexing) + building every provider and
//     strategy node and its TreeItem, and reads the heap after a full GC before and after each load.
// Figures, for each size of KDCR_TREE_BENCH_SIZES (default 2,000 / 10,000 / 20,000 of each): the median load time
// (target at 20k + 20k ≤ 1000 ms), its ratio to the floor measured next to it in the same host (the same pages by
// plain fetch + JSON.parse), the time to the first screen (target ≤ 150 ms at 20k + 20k), the heap retained; the
// slope of the heap over the sizes (bytes per item, target ≤ 1.5 KB) and how far from a straight line it is; the
// heap drift over KDCR_TREE_BENCH_RELOADS reloads (target ≤ 1 MB). Each size is a point on the "tree" and "heap"
// curves of RESULTS.md.
// Applications, for each size of KDCR_TREE_BENCH_APP_SIZES (default 5,000 / 50,000; empty: none): one portal each,
// filled straight in the emulator's store, its Applications group in the Portals view loaded three times by the same
// in-host suite (the second test of test/integration/tree-bench.test.ts): the first screen (target ≤ 150 ms), the
// whole list with its "Load more…" clicks (target ≤ 2 × the same pages by plain fetch), the heap retained per
// application and whether it stays flat from the smallest size to the largest (target ≤ 10% apart).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const MARK = 'KDCR_TREE_BENCH_RESULT';
const APPS_MARK = 'KDCR_TREE_BENCH_APPS_RESULT';
const N = 2000;
const VERSIONS = JSON.parse(readFileSync(join(root, 'test', 'harness', 'versions.json'), 'utf8'));

export function out(rel) {
  const p = join(root, 'out', rel);
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`node esbuild.mjs --production\` first`);
  return require(p);
}

/**
 * Runs the in-host integration suite narrowed by env.KDCR_GREP in a fresh extension host (test/harness) on env.WS,
 * and resolves with the JSON of its line marked `mark`.
 */
export function runHost(env, { mark = MARK, timeoutMs = 300_000, also = [] } = {}) {
  return new Promise((resolve, reject) => {
    const args = [
      join(root, 'test', 'harness', 'run-ext-tests.js'),
      '--ext',
      root,
      '--tests',
      join(root, 'out', 'test', 'integration', 'index'),
      '--ws',
      env.WS,
      '--timeout',
      String(Math.round(timeoutMs / 1000)),
      '--code-server-version',
      VERSIONS.codeServer,
    ];
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
    });
    child.stderr.on('data', (d) => {
      text += d;
    });
    child.on('close', (code) => {
      const marked = (m) => {
        const line = text.split('\n').find((l) => l.includes(`${m} `));
        return line && JSON.parse(line.slice(line.indexOf(`${m} `) + m.length + 1));
      };
      const result = marked(mark);
      const more = Object.fromEntries(also.map((m) => [m, marked(m)]));
      if (code === 0 && result && also.every((m) => more[m])) resolve(also.length ? { ...result, also: more } : result);
      else
        reject(
          new Error(
            `the in-host bench (${env.KDCR_GREP}) exited ${code}${result ? '' : ' without a result line'}:\n${text.slice(-3000)}`,
          ),
        );
    });
  });
}

const SIZES = (process.env.KDCR_TREE_BENCH_SIZES ?? '2000,10000,20000').split(',').map(Number);
const RELOADS = Number(process.env.KDCR_TREE_BENCH_RELOADS ?? 10);
const APP_SIZES = (process.env.KDCR_TREE_BENCH_APP_SIZES ?? '5000,50000').split(',').filter(Boolean).map(Number);
const fmt = (n) => n.toLocaleString('en');
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Least squares y = a + b x; with the largest relative distance of a point from the line. */
export function linearFit(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const b = sxy / sxx;
  const a = my - b * mx;
  const worst = Math.max(...points.map(([x, y]) => Math.abs(y - (a + b * x)) / Math.max(Math.abs(y), 1e-9)));
  return { a, b, worst };
}

/** Returns the figures in run-bench.mjs's shape: { name, value, unit, target, baseline, note, points? }. */
export async function treeFigures() {
  const { startSandbox } = out('sandbox/index.js');
  const sb = await startSandbox();
  const tmp = mkdtempSync(join(tmpdir().length <= 40 ? tmpdir() : '/tmp', 'kdcr-tree-bench-'));
  try {
    sb.konnect.seed({ providers: SIZES[0], strategies: SIZES[0], prefix: 'bench' });
    // Warm the sandbox up (its first answers compile the spec validators), so that the figure is the extension's.
    const { createKonnectClient } = out('src/core/api/index.js');
    const client = createKonnectClient({
      baseUrl: sb.state.konnectUrl,
      token: sb.state.token,
      userAgent: 'konnect-dcr-bench/1',
    });
    await Promise.all([
      client.dcrProviders.listAll({ pageSize: 100 }, { maxItems: N }),
      client.authStrategies.listAll({ pageSize: 100 }, { maxItems: N }),
    ]);
    // The applications: one portal per size, filled straight in the emulator's store (KonnectStore.seedApplications:
    // no request per application), all with one of the seeded strategies, owned by 50 developers.
    const strategyId = sb.konnect.store.strategies.keys().next().value;
    const appSets = [];
    for (const count of APP_SIZES) {
      const portal = await client.portals.create({ name: `Bench portal ${fmt(count)}` });
      const t = performance.now();
      sb.konnect.seedApplications({ portalId: portal.id, strategyId, count, developers: 50, prefix: `bench${count}` });
      appSets.push({ portalId: portal.id, count, seedMs: Math.round(performance.now() - t) });
      await client.portalAdmin.listApplications(portal.id, { pageSize: 100, sort: 'name' }); // warm the validators
    }
    await client.close();
    const state = join(tmp, 'sandbox.json');
    writeFileSync(state, JSON.stringify(sb.state));
    const ws = join(tmp, 'ws');
    require('node:fs').mkdirSync(ws);
    const r = await runHost(
      {
        KONNECT_DCR_SANDBOX_STATE: state,
        KDCR_TREE_BENCH: '1',
        KDCR_TREE_BENCH_SIZES: SIZES.join(','),
        KDCR_TREE_BENCH_RELOADS: String(RELOADS),
        KDCR_TREE_BENCH_APPS: appSets.map((a) => `${a.portalId}:${a.count}`).join(','),
        KDCR_GREP: 'tree load timing',
        WS: join(tmp, 'ws'),
      },
      { timeoutMs: 1_200_000, also: appSets.length ? [APPS_MARK] : [] },
    );
    const rows = r.curve.map((c) => ({
      items: 2 * c.size,
      size: c.size,
      ms: med(c.runs.map((x) => x.ms)),
      firstMs: med(c.runs.map((x) => x.firstScreenMs)),
      modelMs: med(c.runs.map((x) => x.loadMs)),
      retainedMB: med(c.heapAfterMB) - r.heapBeforeMB,
      floorMs: med(c.floorMs),
      floorRuns: c.floorMs,
      runs: c.runs,
      heapAfterMB: c.heapAfterMB,
    }));
    const fit = linearFit(rows.map((x) => [x.items, x.retainedMB * 2 ** 20]));
    const big = rows.at(-1);
    const drift = Math.round((r.reloadHeapMB.at(-1) - r.reloadHeapMB[0]) * 100) / 100;
    const figures = [];
    for (const row of rows) {
      const isBig = row === big;
      figures.push({
        name: `tree: ${fmt(row.size)} DCR providers + ${fmt(row.size)} auth strategies loaded into the trees (VS Code ${r.vscode}, median of 3)`,
        value: row.ms,
        unit: 'ms',
        target: isBig ? 1000 : null,
        baseline: null,
        note: `runs ${row.runs.map((x) => x.ms).join('/')} ms, of which the model (page requests, zod, indexing) ${row.runs.map((x) => x.loadMs).join('/')} ms; ${fmt(row.runs[0].treeItems)} TreeItems built per run; sandbox in the bench process, spec self-checks on`,
        points: [
          { chart: 'tree', series: 'whole list in the trees (ms)', x: row.items, y: row.ms },
          {
            chart: 'tree',
            series: 'of which the model: pages, zod, index (ms)',
            x: row.items,
            y: med(row.runs.map((x) => x.loadMs)),
          },
          { chart: 'tree', series: 'floor: the same pages by plain fetch (ms)', x: row.items, y: row.floorMs },
        ],
      });
      figures.push({
        name: `tree: ${fmt(row.size)} + ${fmt(row.size)} load / floor (the same pages fetched and JSON.parse'd by plain fetch in the same host)`,
        value: Math.round((row.ms / row.floorMs) * 100) / 100,
        unit: '×',
        target: null,
        baseline: null,
        ratio: null,
        note: `floor runs ${row.floorRuns.join('/')} ms (median ${row.floorMs} ms: ${Math.ceil(row.size / 100)} pages of each list, 6 in flight, as the model asks) vs ${row.ms} ms for the whole load into the trees; alternating which goes first`,
      });
      figures.push({
        name: `tree: first screen of ${fmt(row.size)} + ${fmt(row.size)} (the first page of each list shown, the rest still loading; median of 3)`,
        value: row.firstMs,
        unit: 'ms',
        target: isBig ? 150 : null,
        baseline: row.ms,
        note: `runs ${row.runs.map((x) => x.firstScreenMs).join('/')} ms from refresh to both views' roots as TreeItems (${row.runs[0].firstScreenNodes} strategy nodes on it); baseline: the whole list`,
        points: { chart: 'tree', series: 'first screen (ms)', x: row.items, y: row.firstMs },
        ratio: row.ms ? Math.round((row.firstMs / row.ms) * 1000) / 1000 : null,
      });
      figures.push({
        name: `tree: extension-host heap retained with ${fmt(row.size)} + ${fmt(row.size)} loaded (after a full GC)`,
        value: Math.round(row.retainedMB * 10) / 10,
        unit: 'MB',
        target: null,
        baseline: null,
        note: `heap ${r.heapBeforeMB} MB before the first load, ${row.heapAfterMB.join(' / ')} MB after each of 3 loads`,
        points: { chart: 'heap', series: 'retained heap (MB)', x: row.items, y: Math.round(row.retainedMB * 10) / 10 },
      });
    }
    figures.push({
      name: `tree: heap per loaded item (slope of retained heap over ${rows.map((x) => fmt(x.items)).join(' / ')} items)`,
      value: Math.round(fit.b),
      unit: 'B/item',
      target: 1536,
      baseline: null,
      note: `least-squares line ${Math.round(fit.a / 2 ** 10)} KB + ${Math.round(fit.b)} B × items; target: ≤ 1.5 KB per provider or strategy`,
      points: [rows[0], rows.at(-1)].map((row) => ({
        chart: 'heap',
        series: `fitted line: ${Math.round(fit.a / 2 ** 10)} KB + ${Math.round(fit.b)} B × items (MB)`,
        x: row.items,
        y: Math.round(((fit.a + fit.b * row.items) / 2 ** 20) * 10) / 10,
        dashed: true,
      })),
    });
    figures.push({
      name: 'tree: heap growth off a straight line (largest distance of a size from the fitted line)',
      value: Math.round(fit.worst * 1000) / 10,
      unit: '%',
      target: 10,
      baseline: null,
      note: `retained ${rows.map((x) => `${fmt(x.items)} items ${Math.round(x.retainedMB * 10) / 10} MB`).join(', ')}: linear when every size is within 10% of the line`,
    });
    figures.push({
      name: `memory: extension-host heap drift over ${RELOADS} tree reloads of ${fmt(SIZES[0])} + ${fmt(SIZES[0])} (after a full GC)`,
      value: drift,
      unit: 'MB',
      target: 1,
      baseline: null,
      note: `heap after each reload ${r.reloadHeapMB.join(' / ')} MB: the last minus the first; bound 1 MB`,
    });
    if (appSets.length) figures.push(...applicationFigures(r.also[APPS_MARK], appSets));
    return figures;
  } finally {
    await sb.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The applications series: the Portals view's Applications group of one portal per size. Targets: the first screen
 * within 150 ms at every size (as the trees'); the whole list at most 2× its floor (the same pages fetched by plain
 * fetch in the same host: the emulator's own time per page grows with the portal, so the floor carries it); the heap
 * per application stated, and linear: the heap per application at the largest size within 10% of the smallest's.
 */
function applicationFigures(r, appSets) {
  const rows = r.curve.map((c) => {
    const set = appSets.find((a) => a.count === c.count);
    return {
      count: c.count,
      seedMs: set?.seedMs,
      ms: med(c.runs.map((x) => x.ms)),
      firstMs: med(c.runs.map((x) => x.firstScreenMs)),
      floorMs: med(c.floorMs),
      retainedMB: med(c.heapLoadedMB) - med(c.heapDroppedMB),
      shown: c.runs.map((x) => x.shown),
      firstNodes: c.runs[0].firstScreenNodes,
      c,
    };
  });
  const mb = (x) => Math.round(x * 10) / 10;
  const perItem = (row) => Math.round((row.retainedMB * 2 ** 20) / Math.min(...row.shown));
  const figures = [];
  const big = rows.at(-1);
  for (const row of rows) {
    const all = row.shown.every((n) => n === row.count);
    figures.push({
      name: `portals: ${fmt(row.count)} applications of one portal in the Portals view's Applications group (whole list, VS Code ${r.vscode}, median of 3)`,
      value: row.ms,
      unit: 'ms',
      target: Math.round(2 * row.floorMs),
      baseline: row.floorMs,
      note:
        `runs ${row.c.runs.map((x) => x.ms).join('/')} ms from expanding the portal to every application node and its TreeItem` +
        (row.c.runs[0].windowsMs.length
          ? ` (the list stops at its cap of 25,000 with a "Load more…" node, clicked at once: the first 25,000 shown after ${row.c.runs.map((x) => x.windowsMs.join('+')).join('/')} ms, then the pages after them)`
          : '') +
        '; ' +
        `${all ? `all ${fmt(row.count)} shown` : `application nodes shown per run ${row.shown.map(fmt).join('/')} of ${fmt(row.count)}`}; ` +
        `baseline (the floor): the same ${fmt(Math.ceil(row.count / 100))} pages by plain fetch + JSON.parse in the same host, runs ${row.c.floorMs.join('/')} ms; target 2 × the floor; ` +
        `seeded in ${row.seedMs} ms straight into the emulator's store`,
      points: [
        { chart: 'tree', series: 'applications: whole list in the Portals view (ms)', x: row.count, y: row.ms },
        {
          chart: 'tree',
          series: 'applications: floor, the same pages by plain fetch (ms)',
          x: row.count,
          y: row.floorMs,
        },
      ],
    });
    figures.push({
      name: `portals: first screen of ${fmt(row.count)} applications (page 1 shown, the rest still loading; median of 3)`,
      value: row.firstMs,
      unit: 'ms',
      target: 150,
      baseline: row.ms,
      ratio: row.ms ? Math.round((row.firstMs / row.ms) * 1000) / 1000 : null,
      note: `runs ${row.c.runs.map((x) => x.firstScreenMs).join('/')} ms from expanding the portal (its portals list, its groups asking for page 1 of its developers and applications) to the Applications group's children as TreeItems (${row.firstNodes} applications on it); baseline: the whole list`,
      points: { chart: 'tree', series: 'applications: first screen (ms)', x: row.count, y: row.firstMs },
    });
    figures.push({
      name: `portals: extension-host heap retained with ${fmt(row.count)} applications loaded (after a full GC)`,
      value: mb(row.retainedMB),
      unit: 'MB',
      target: null,
      baseline: null,
      note: `${perItem(row)} B per application; heap with the list dropped ${row.c.heapDroppedMB.join(' / ')} MB, loaded ${row.c.heapLoadedMB.join(' / ')} MB (3 loads)`,
      points: { chart: 'heap', series: 'applications: retained heap (MB)', x: row.count, y: mb(row.retainedMB) },
    });
  }
  if (rows.length > 1) {
    const small = rows[0];
    const slope = ((big.retainedMB - small.retainedMB) * 2 ** 20) / (big.count - small.count);
    figures.push({
      name: `portals: heap per application (slope of retained heap from ${fmt(small.count)} to ${fmt(big.count)})`,
      value: Math.round(slope),
      unit: 'B/item',
      target: null,
      baseline: null,
      note: `retained ${rows.map((x) => `${fmt(x.count)}: ${mb(x.retainedMB)} MB (${perItem(x)} B each)`).join(', ')}; an application (zod-parsed, with its strategy, owner, client id and scopes) plus its tree node`,
    });
    figures.push({
      name: `portals: heap growth off a straight line (heap per application at ${fmt(big.count)} against ${fmt(small.count)})`,
      value: Math.round((Math.abs(perItem(big) - perItem(small)) / perItem(small)) * 1000) / 10,
      unit: '%',
      target: 10,
      baseline: null,
      note: `${perItem(small)} B per application at ${fmt(small.count)}, ${perItem(big)} B at ${fmt(big.count)}: linear when within 10% of each other`,
    });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await treeFigures();
  console.table(
    figures.map((f) => ({
      figure: f.name,
      value: `${f.value} ${f.unit}`,
      target: f.target === null ? '—' : `≤ ${f.target} ${f.unit}`,
    })),
  );
  for (const f of figures) console.log(`* ${f.name}: ${f.note}`);
  process.exit(figures.some((f) => f.target !== null && f.value > f.target) ? 1 : 0);
}
