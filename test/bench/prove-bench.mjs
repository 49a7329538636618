// Prove DCR's wall time, for `npm run bench` (imported by run-bench.mjs) or on its own:
//   node test/bench/prove-bench.mjs        (needs `node esbuild.mjs --only=tests` first: it uses out/)
//
// Against the local sandbox (Kong Identity flavour: provider → strategy → API published with a Gateway Service), the
// same end-to-end proof is made two ways, `RUNS` times each after a warm-up, interleaved, alternating which goes first:
//   prove   Prove DCR's core (proveDcr: the seven steps with their checks, explanations, redaction and retry loops),
//           through the extension's Konnect client, Portal API client and request executor
//   floor   the same HTTP calls in the same order by a plain script (Node's fetch), each answer read and nothing
//           checked beyond the status: verify the provider, read the publication, sign in to the portal, create the
//           application, register it for the API, discovery, token, gateway call, sign in again, delete the
//           application, the old credentials refused at the token endpoint
// The deliberate propagation retries (Prove waits and asks again while an IdP or gateway says "not yet", and after
// the deletion until the IdP refuses the old credentials) are counted by the injected clock: their sleeps are
// reported on their own line and taken out of Prove's time before the ratio (the floor never waits).
// Figures: the medians, and prove / floor (target ≤ 1.3).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { URLSearchParams, fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const RUNS = Number(process.env.KDCR_PROVE_BENCH_RUNS ?? 21);
const { fetch } = globalThis; // Node's, built on undici

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

/** A clock that counts what it is asked to sleep: Prove's only waits are its propagation retries. */
function countingClock(systemClock) {
  const c = {
    sleeps: 0,
    sleptMs: 0,
    now: () => systemClock.now(),
    sleep: (ms, signal) => {
      c.sleeps++;
      c.sleptMs += ms;
      return systemClock.sleep(ms, signal);
    },
  };
  return c;
}

export async function proveFigures() {
  const { startSandbox } = out('sandbox/index.js');
  const { konnectClientFor, setUpFlavour, publish, USER_AGENT } = out('sandbox/scenarios.js');
  const { createPortalClient } = out('src/core/api/index.js');
  const { proveDcr } = out('src/core/prove/runner.js');
  const { createRequestExecutor } = out('src/core/requests/executor.js');
  const { tokenParams } = out('src/core/requests/generate.js');
  const { strategyView } = out('src/core/requests/jwt.js');
  const { systemClock } = out('src/core/util/clock.js');
  const { Redactor } = out('src/core/util/redact.js');

  const sb = await startSandbox();
  const konnect = konnectClientFor(sb);
  try {
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'prove-bench');
    const pub = await publish(sb, konnect, setup.strategy.id, 'prove-bench');
    const target = {
      strategy: setup.strategy,
      publication: {
        apiId: pub.apiId,
        apiName: 'prove-bench',
        apiSlug: pub.slug,
        portalId: pub.portalId,
        portalName: 'portal-prove-bench',
        portalUrl: pub.portalApiUrl,
      },
      gatewayUrl: `${sb.state.gatewayUrl}/${pub.slug}/anything`,
      developer: { username: sb.state.developer.email, password: sb.state.developer.password },
      keepApp: false,
    };
    let seq = 0;
    const retries = { sleeps: [], sleptMs: [] };

    const viaProve = async () => {
      const clock = countingClock(systemClock);
      const t0 = performance.now();
      const report = await proveDcr(
        { ...target, appName: `kdcr-prove-bench-${++seq}` },
        {
          konnect,
          portal: (url) => createPortalClient({ portalUrl: url, userAgent: USER_AGENT, timeoutMs: 10_000 }),
          executor: createRequestExecutor({ timeoutMs: 10_000 }),
          clock,
          redactor: new Redactor(),
        },
        new AbortController().signal,
      );
      const ms = performance.now() - t0;
      const bad = report.steps.filter((s) => s.status !== 'pass');
      if (report.verdict !== 'pass' || bad.length)
        throw new Error(`prove: ${bad.map((s) => `${s.id} ${s.status}: ${s.detail}`).join('; ')}`);
      retries.sleeps.push(clock.sleeps);
      retries.sleptMs.push(clock.sleptMs);
      return { ms, net: ms - clock.sleptMs };
    };

    const view = strategyView(setup.strategy);
    const konnectHeaders = {
      authorization: `Bearer ${sb.state.token}`,
      accept: 'application/json',
      'content-type': 'application/json',
    };
    const expect = async (what, res, status) => {
      const body = await res.text();
      if (res.status !== status) throw new Error(`floor: ${what} answered ${res.status}: ${body.slice(0, 300)}`);
      return body;
    };
    const viaFloor = async () => {
      const t0 = performance.now();
      const k = sb.state.konnectUrl;
      await expect(
        'verify',
        await fetch(`${k}/v2/dcr-providers/${setup.provider.id}/verify`, { method: 'POST', headers: konnectHeaders }),
        200,
      );
      await expect(
        'publication',
        await fetch(`${k}/v3/apis/${pub.apiId}/publications/${pub.portalId}`, { headers: konnectHeaders }),
        200,
      );
      const signIn = async () => {
        const res = await fetch(`${pub.portalApiUrl}/api/v3/developer/authenticate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ username: target.developer.username, password: target.developer.password }),
        });
        await res.arrayBuffer();
        const cookie = res.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .find((c) => c.startsWith('portalaccesstoken='));
        if (res.status >= 300 || !cookie) throw new Error(`floor: sign-in answered ${res.status}`);
        return { cookie, accept: 'application/json', 'content-type': 'application/json' };
      };
      let portal = await signIn();
      const app = JSON.parse(
        await expect(
          'create application',
          await fetch(`${pub.portalApiUrl}/api/v3/applications`, {
            method: 'POST',
            headers: portal,
            body: JSON.stringify({ name: `kdcr-prove-floor-${++seq}`, auth_strategy_id: setup.strategy.id }),
          }),
          201,
        ),
      );
      await expect(
        'registration',
        await fetch(`${pub.portalApiUrl}/api/v3/applications/${app.id}/registrations`, {
          method: 'POST',
          headers: portal,
          body: JSON.stringify({ api_id: pub.apiId }),
        }),
        201,
      );
      const issuer = view.issuer.replace(/\/$/, '');
      const discovery = JSON.parse(
        await expect('discovery', await fetch(`${issuer}/.well-known/openid-configuration`), 200),
      );
      const form = new URLSearchParams([
        ...tokenParams(view, discovery.token_endpoint),
        ['client_id', app.client_id],
        ['client_secret', app.client_secret],
      ]).toString();
      const tokenHeaders = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      const token = JSON.parse(
        await expect(
          'token',
          await fetch(discovery.token_endpoint, { method: 'POST', headers: tokenHeaders, body: form }),
          200,
        ),
      ).access_token;
      await expect(
        'gateway',
        await fetch(target.gatewayUrl, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }),
        200,
      );
      portal = await signIn();
      await expect(
        'delete application',
        await fetch(`${pub.portalApiUrl}/api/v3/applications/${app.id}`, { method: 'DELETE', headers: portal }),
        204,
      );
      const after = await fetch(discovery.token_endpoint, { method: 'POST', headers: tokenHeaders, body: form });
      await after.arrayBuffer();
      if (after.status < 400 || after.status >= 500)
        throw new Error(`floor: the old credentials still answered ${after.status}`);
      return performance.now() - t0;
    };

    for (let i = 0; i < 3; i++) {
      await viaProve();
      await viaFloor();
    }
    retries.sleeps.length = 0;
    retries.sleptMs.length = 0;
    const prove = [],
      net = [],
      floor = [];
    for (let i = 0; i < RUNS; i++) {
      const pair = i % 2 ? ['floor', 'prove'] : ['prove', 'floor'];
      for (const way of pair) {
        if (way === 'floor') floor.push(await viaFloor());
        else {
          const r = await viaProve();
          prove.push(r.ms);
          net.push(r.net);
        }
      }
    }
    const p = median(prove),
      n = median(net),
      f = median(floor);
    const totalSleeps = retries.sleeps.reduce((a, b) => a + b, 0);
    const totalSlept = retries.sleptMs.reduce((a, b) => a + b, 0);
    const figures = [
      {
        name: `Prove DCR: the seven steps against the sandbox (Kong Identity), wall time (median of ${RUNS})`,
        value: round(p),
        unit: 'ms',
        target: null,
        baseline: round(f),
        note: `proveDcr through the extension's Konnect client, Portal API client and request executor; runs min/max ${round(Math.min(...prove))}/${round(Math.max(...prove))} ms; baseline: the floor below`,
      },
      {
        name: 'Prove DCR / floor: the same calls in the same order by a plain fetch script, propagation retries excluded (median time ratio)',
        value: round(n / f),
        unit: '×',
        target: 1.3,
        baseline: null,
        ratio: null,
        note: `floor ${round(f)} ms median (min/max ${round(Math.min(...floor))}/${round(Math.max(...floor))} ms: verify, publication, sign-in, application, registration, discovery, token, gateway, sign-in, delete, old credentials refused; 11 requests) vs ${round(n)} ms for Prove without its retry sleeps; interleaved runs, alternating which goes first`,
      },
      {
        name: `Prove DCR: deliberate propagation retries over ${RUNS} runs (reported apart, not in the ratio)`,
        value: totalSleeps,
        unit: 'retries',
        target: null,
        baseline: null,
        note: `${round(totalSlept, 0)} ms slept in all (${retries.sleeps.join('/')} per run): Prove asks again, 1 s apart, while the IdP or the gateway says "not yet" and until the IdP refuses a deleted client's credentials; the sandbox propagates at once, so a retry here would mean a step had to wait`,
      },
    ];
    return figures;
  } finally {
    await konnect.close();
    await sb.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await proveFigures();
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
