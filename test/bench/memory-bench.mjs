// The extension-host memory figures for `npm run bench` (imported by run-bench.mjs), or on its own:
//   node test/bench/memory-bench.mjs      (needs `node esbuild.mjs --production` first: it uses dist/ and out/)
//
// The sandbox runs HERE (its work is not in the extension host's heap); a Kong Identity strategy is published on an
// API with a developer application, and a .http file with that application's credentials (a token request and the
// gateway call with the token) is written into the workspace. test/integration/memory-bench.test.ts then runs in a
// real extension host (code-server, stable VS Code) through the extension's commands: the runner (20 warm-up sends,
// then SENDS sends, the two requests in turn), then Prove DCR (five warm-up runs, then PROVES runs), reading the heap
// after a full GC every 50 sends and after each Prove run, with and without V8's compiled code.
// Figures: the drift without compiled code over the sends and over the Prove runs (last − first reading after the
// warm-up; bound 1 MB each); the tree's drift over 10 reloads is the tree bench's (tree-bench.mjs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { out, runHost } from './tree-bench.mjs';

const MARK = 'KDCR_MEMORY_BENCH_RESULT';
const PROVES = Number(process.env.KDCR_MEMORY_BENCH_PROVES ?? 10);
const SENDS = Number(process.env.KDCR_MEMORY_BENCH_SENDS ?? 500);
const BOUND_MB = 1;

export async function memoryFigures() {
  const { startSandbox } = out('sandbox/index.js');
  const { konnectClientFor, setUpFlavour, publish, createApp, discoverTokenEndpoint } = out('sandbox/scenarios.js');
  const sb = await startSandbox();
  const konnect = konnectClientFor(sb);
  const tmp = mkdtempSync(join(tmpdir().length <= 40 ? tmpdir() : '/tmp', 'kdcr-memory-bench-'));
  try {
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'memory');
    const pub = await publish(sb, konnect, setup.strategy.id, 'memory-bench');
    const app = await createApp(sb, pub.portalApiUrl, setup.strategy.id, 'memory-bench-app', pub.apiId);
    const tokenUrl = await discoverTokenEndpoint(setup.strategy.configs['openid-connect'].issuer);
    const ws = join(tmp, 'ws');
    mkdirSync(ws);
    const lines = [
      '### token',
      '# @name token',
      `POST ${tokenUrl}`,
      'Content-Type: application/x-www-form-urlencoded',
      'Accept: application/json',
      '',
      `grant_type=client_credentials&client_id=${encodeURIComponent(app.clientId)}&client_secret=${encodeURIComponent(app.clientSecret)}&scope=${setup.requestScopes.join('%20')}`,
      '',
      '### gateway',
      `GET ${sb.state.gatewayUrl}/${pub.slug}/anything`,
      'Authorization: Bearer {{token.access_token}}',
      'Accept: application/json',
      '',
    ];
    const httpFile = join(ws, 'memory.http');
    writeFileSync(httpFile, lines.join('\n'));
    const setupFile = join(tmp, 'setup.json');
    writeFileSync(
      setupFile,
      JSON.stringify({
        strategy: setup.strategy.name,
        gatewayUrl: sb.state.gatewayUrl,
        httpFile,
        tokenLine: lines.findIndex((l) => l.startsWith('POST ')),
        gatewayLine: lines.findIndex((l) => l.startsWith('GET ')),
      }),
    );
    const state = join(tmp, 'sandbox.json');
    writeFileSync(state, JSON.stringify(sb.state));
    const r = await runHost(
      {
        KONNECT_DCR_SANDBOX_STATE: state,
        KDCR_MEMORY_BENCH: '1',
        KDCR_MEMORY_BENCH_SETUP: setupFile,
        KDCR_MEMORY_BENCH_PROVES: String(PROVES),
        KDCR_MEMORY_BENCH_SENDS: String(SENDS),
        KDCR_GREP: 'memory drift',
        WS: ws,
      },
      { mark: MARK, timeoutMs: 900_000 },
    );
    const drift = (xs, k) => Math.round((xs.at(-1)[k] - xs[0][k]) * 100) / 100;
    const list = (xs, k) => xs.map((x) => x[k]).join(' / ');
    return [
      {
        name: `memory: extension-host heap drift over ${PROVES} full Prove DCR runs (VS Code ${r.vscode}, after a full GC, compiled code left out)`,
        value: drift(r.proveHeap, 'data'),
        unit: 'MB',
        target: BOUND_MB,
        baseline: null,
        note: `heap without compiled code after ${r.proveWarmup} warm-up runs and after each of the ${PROVES} runs ${list(r.proveHeap, 'data')} MB: the last minus the first (${Math.round((drift(r.proveHeap, 'data') * 1024) / PROVES)} KB per run); the whole heap (${r.heapStartMB} MB before the first runner send, which runs first) ${list(r.proveHeap, 'total')} MB, drift ${drift(r.proveHeap, 'total')} MB: the rest is V8's code for functions optimised as they got hot; each run all seven steps passed (${r.proveMs.join('/')} ms through the command, report panel included); bound ${BOUND_MB} MB`,
      },
      {
        name: `memory: extension-host heap drift over ${SENDS} runner sends (token request and gateway call in turn, after a full GC, compiled code left out)`,
        value: drift(r.sendHeap, 'data'),
        unit: 'MB',
        target: BOUND_MB,
        baseline: null,
        note: `heap without compiled code after 20 warm-up sends and every 50 sends ${list(r.sendHeap, 'data')} MB: the last minus the first; the whole heap ${list(r.sendHeap, 'total')} MB, drift ${drift(r.sendHeap, 'total')} MB; every answer 200; ${SENDS} sends through konnectDcr.runner.send in ${r.sendMs} ms (response view and bounded history included); bound ${BOUND_MB} MB`,
      },
    ];
  } finally {
    await konnect.close();
    await sb.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await memoryFigures();
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
