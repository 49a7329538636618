// The request runner's round trip, for `npm run bench` (imported by run-bench.mjs) or on its own:
//   node test/bench/runner-bench.mjs            (needs `node esbuild.mjs --only=tests` first: it uses out/)
//
// Against the local sandbox (Kong Identity flavour: provider → strategy → API published → developer app), the SAME
// .http file — a client_credentials token request and the gateway call with that token — is run three ways:
//   runner   the runner's core in-process: resolve variables, send both requests through the executor (a fresh
//            connection per request), decode the token — what a "Send all" does minus the UI. The file is parsed once
//            and that parse reused, as Send does: the editor holds the document and src/ui/runner/codelens.ts caches
//            its parse per document version, so a Send of an unchanged file parses nothing
//   floor    the same two requests by a plain in-process undici script (the HTTP stack the runner uses), each on a
//            fresh connection (its own Agent, closed after): the token POST, the token read from its JSON answer,
//            the gateway GET; no parsing, no variables, no timing split: the least any runner has to do
//   httpyac  the httpyac CLI (npm package httpyac, a devDependency for this): `httpyac send <file> --all`
// Each way runs `ITERATIONS` times after a warm-up, runner and floor interleaved; figures are medians, as ratios:
//   runner / floor    target ≤ 1.15
//   runner / httpyac  target < 1 (faster)
// Every runner run must carry its timing split (connect, first byte, transfer, total) for both requests.
// Every run is checked: token 200 and gateway 200, else the figure fails (no timing of broken runs).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const ITERATIONS = Number(process.env.KDCR_RUNNER_BENCH_RUNS ?? 101);
const HTTPYAC_ITERATIONS = Number(process.env.KDCR_RUNNER_BENCH_HTTPYAC_RUNS ?? 7);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function out(rel) {
  const p = join(root, 'out', rel);
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`node esbuild.mjs --only=tests\` first`);
  return require(p);
}

/** The shared request file: REST Client / httpYac syntax both understand (httpYac's `{{token.access_token}}` chain). */
function requestFile({ tokenUrl, gatewayUrl, clientId, clientSecret, scope }) {
  return [
    `@tokenUrl = ${tokenUrl}`,
    `@gatewayUrl = ${gatewayUrl}`,
    `@clientId = ${clientId}`,
    `@clientSecret = ${clientSecret}`,
    '',
    '### token',
    '# @name token',
    'POST {{tokenUrl}}',
    'Content-Type: application/x-www-form-urlencoded',
    'Accept: application/json',
    '',
    `grant_type=client_credentials&client_id={{clientId}}&client_secret={{clientSecret}}&scope=${scope}`,
    '',
    '### gateway',
    'GET {{gatewayUrl}}',
    'Authorization: Bearer {{token.access_token}}',
    'Accept: application/json',
    '',
  ].join('\n');
}

/** Run a program to its end without blocking the event loop; collects stdout and stderr. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '',
      stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function runnerFigures() {
  const { startSandbox } = out('sandbox/index.js');
  const { konnectClientFor, setUpFlavour, publish, createApp, discoverTokenEndpoint } = out('sandbox/scenarios.js');
  const { parseRequestFile } = out('src/core/requests/parser.js');
  const { RequestRunner, RunSession } = out('src/core/requests/runner.js');
  const { createRequestExecutor } = out('src/core/requests/executor.js');
  const { Redactor } = out('src/core/util/redact.js');
  const { nullLogger } = out('src/core/util/logger.js');

  const sb = await startSandbox();
  const konnect = konnectClientFor(sb);
  const dir = mkdtempSync(join(tmpdir(), 'kdcr-runner-bench-'));
  try {
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'bench');
    const pub = await publish(sb, konnect, setup.strategy.id, 'bench-orders');
    const app = await createApp(sb, pub.portalApiUrl, setup.strategy.id, 'bench-app', pub.apiId);
    const tokenUrl = await discoverTokenEndpoint(setup.strategy.configs['openid-connect'].issuer);
    const gatewayUrl = `${sb.state.gatewayUrl}/${pub.slug}/anything`;
    const file = join(dir, 'bench.http');
    writeFileSync(
      file,
      requestFile({
        tokenUrl,
        gatewayUrl,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        scope: setup.requestScopes.join('%20'),
      }),
    );

    // --- runner: the core, in-process
    const executor = createRequestExecutor({ timeoutMs: 15_000 });
    const runner = new RequestRunner({ executor, now: () => Date.now(), redactor: new Redactor(), logger: nullLogger });
    // the document as the editor holds it (read once), and its parse cached per version like the product's ParseCache
    const doc = { version: 1, text: readFileSync(file, 'utf8') };
    let parseCache;
    const parsedDoc = () => {
      if (parseCache?.version !== doc.version) parseCache = { version: doc.version, file: parseRequestFile(doc.text) };
      return parseCache.file;
    };
    const viaRunner = async () => {
      const session = new RunSession(parsedDoc(), {
        environment: {},
        dotenv: {},
        processEnv: () => undefined,
        secret: async () => undefined,
        now: () => Date.now(),
      });
      const signal = new AbortController().signal;
      const tok = await runner.run(session, 0, signal);
      const gw = await runner.run(session, 1, signal);
      if (tok.response?.status !== 200 || gw.response?.status !== 200)
        throw new Error(
          `runner: token ${tok.response?.status ?? tok.error?.message}, gateway ${gw.response?.status ?? gw.error?.message}`,
        );
      for (const r of [tok, gw]) {
        const t = r.response.timings;
        if (![t.connectMs, t.firstByteMs, t.transferMs, t.totalMs].every((v) => typeof v === 'number' && v >= 0))
          throw new Error(`runner: the timing split is incomplete: ${JSON.stringify(t)}`);
      }
      lastSplit = gw.response.timings;
    };
    let lastSplit;

    // --- floor: a plain undici script, a fresh connection per request
    const undici = require('undici');
    const form = `grant_type=client_credentials&client_id=${encodeURIComponent(app.clientId)}&client_secret=${encodeURIComponent(app.clientSecret)}&scope=${setup.requestScopes.join('%20')}`;
    const plain = async (url, opts) => {
      const dispatcher = new undici.Agent({ connections: 1 });
      try {
        const res = await undici.request(url, { ...opts, dispatcher });
        return { status: res.statusCode, body: await res.body.text() };
      } finally {
        await dispatcher.close();
      }
    };
    const viaFloor = async () => {
      const t = await plain(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
      });
      const token = JSON.parse(t.body).access_token;
      const g = await plain(gatewayUrl, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      if (t.status !== 200 || g.status !== 200) throw new Error(`floor: token ${t.status}, gateway ${g.status}`);
    };

    // --- httpyac CLI on the same file
    const httpyacBin = join(root, 'node_modules', 'httpyac', 'bin', 'httpyac.js');
    const haveHttpyac = existsSync(httpyacBin);
    const viaHttpyac = async () => {
      const r = await run(process.execPath, [httpyacBin, 'send', file, '--all', '--json', '--no-color'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
      const start = r.stdout.indexOf('{');
      const json = start >= 0 ? JSON.parse(r.stdout.slice(start)) : undefined;
      const statuses = (json?.requests ?? []).map((x) => x.response?.statusCode);
      if (r.status !== 0 || statuses.length !== 2 || statuses.some((s) => s !== 200))
        throw new Error(
          `httpyac: exit ${r.status}, statuses ${statuses.join(',')}\n${(r.stdout + r.stderr).slice(-1500)}`,
        );
    };

    const debug = process.env.KDCR_BENCH_DEBUG ? (m) => console.error(`[runner-bench] ${m}`) : () => undefined;
    const samples = { runner: [], floor: [], httpyac: [] };
    debug('warm-up: runner, floor');
    for (let i = 0; i < 5; i++) {
      await viaRunner();
      await viaFloor();
    }
    debug('warm-up: httpyac');
    if (haveHttpyac) await viaHttpyac(); // warm-up (and a correctness check)
    debug('measuring');
    for (let i = 0; i < ITERATIONS; i++) {
      // interleaved, so that a busy moment of the machine hits both ways alike
      // the order alternates too: the second of a pair finds the servers' caches a little warmer
      if (i % 2) {
        samples.floor.push(await time(viaFloor));
        samples.runner.push(await time(viaRunner));
      } else {
        samples.runner.push(await time(viaRunner));
        samples.floor.push(await time(viaFloor));
      }
      if (haveHttpyac && i < HTTPYAC_ITERATIONS) samples.httpyac.push(await time(viaHttpyac));
    }
    const r = median(samples.runner),
      c = median(samples.floor),
      h = haveHttpyac && samples.httpyac.length ? median(samples.httpyac) : undefined;
    const figures = [
      {
        name: 'runner round trip: token + gateway call through the core executor (median)',
        value: round(r),
        unit: 'ms',
        target: null,
        baseline: null,
        note: `${ITERATIONS} runs against the sandbox (Kong Identity), the file's parse cached as Send caches it; variables + two requests on fresh connections + token decode + the timing split of each (last gateway call: connect ${lastSplit.connectMs} ms, first byte ${lastSplit.firstByteMs} ms, transfer ${lastSplit.transferMs} ms, total ${lastSplit.totalMs} ms); min/max ${round(Math.min(...samples.runner))}/${round(Math.max(...samples.runner))} ms`,
      },
      {
        name: 'runner / floor: the same two requests by a plain undici script, fresh connections (median time ratio)',
        value: round(r / c),
        unit: '×',
        target: 1.15,
        baseline: null,
        note: `floor: ${round(c)} ms median (min/max ${round(Math.min(...samples.floor))}/${round(Math.max(...samples.floor))} ms) for the token POST and the gateway GET by undici.request, each on its own Agent, vs ${round(r)} ms for the runner; interleaved runs, alternating which goes first`,
      },
    ];
    if (h !== undefined) {
      figures.push({
        name: 'runner / httpyac CLI, same .http file (median time ratio)',
        value: round(r / h, 3),
        unit: '×',
        target: 1,
        baseline: null,
        note: `httpyac ${readHttpyacVersion()}: ${round(h)} ms median for \`httpyac send --all\` (${HTTPYAC_ITERATIONS} runs; includes its Node start-up, as a user running it pays) vs ${round(r)} ms for the runner`,
      });
    }
    return figures;
  } finally {
    await konnect.close();
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function readHttpyacVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'httpyac', 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await runnerFigures();
  console.table(
    figures.map(({ name, value, unit, target }) => ({
      name,
      value: `${value} ${unit}`,
      target: target === null ? '—' : `≤ ${target} ${unit}`,
    })),
  );
  for (const f of figures) console.log(`* ${f.name}: ${f.note}`);
  process.exit(figures.some((f) => f.target !== null && f.value > f.target) ? 1 : 0);
}
