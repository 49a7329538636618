// `npm start`: the local Konnect sandbox, then a real VS Code (code-server, stable) in your browser with Konnect DCR
// installed and connected to that sandbox, on a scratch copy of test/fixtures/workspace. Prints the address to open;
// Ctrl-C (or SIGTERM/SIGHUP) stops everything it started.
//
//   env: KDCR_PORT=4100     loopback port for VS Code (default 4100; a free port when that one is taken)
//        KDCR_START_EMPTY=1 no sample data in the sandbox
//
// The extension is installed as a symlink to this repository, so after `npm run build` a "Developer: Reload Window"
// in that VS Code picks up your changes. VS Code listens on 127.0.0.1 only, with no password (`--auth none`): from
// another machine, forward the port (ssh -L 4100:127.0.0.1:4100 host) instead of binding it wider.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { SANDBOX_STATE_ENV } from '../src/ui/platform/ids';
import { seedSample } from './cli';
import { startSandbox } from './index';

const root = path.resolve(__dirname, '..', '..'); // out/sandbox -> repository root
const harness = path.join(root, 'test', 'harness');
const DEFAULT_PORT = 4100;

/** What the VS Code side needs from a running sandbox: environment for the extension host, settings, and a stop. */
interface SandboxHookup {
  /** Lines printed under the VS Code address (what runs where). */
  readonly describe: readonly string[];
  /** Environment for code-server and therefore the extension host. */
  readonly env: Readonly<Record<string, string>>;
  /** Written into the workspace's .vscode/settings.json. */
  readonly settings: Readonly<Record<string, unknown>>;
  stop(): Promise<void>;
}

// ==== THE SANDBOX SEAM ===========================================================================================
// The one place where `npm start` starts the local Konnect sandbox (Konnect emulator + identity providers + gateway,
// sandbox/index.ts) before VS Code and hands it over: its state file goes to the extension host as
// $KONNECT_DCR_SANDBOX_STATE, from which the extension creates (once) a "sandbox" connection with the sandbox token.
// KDCR_START_EMPTY=1 skips the sample data (one DCR provider + strategy + published API per provider type).
async function startSandboxForVsCode(tmp: string): Promise<SandboxHookup> {
  const sb = await startSandbox();
  try {
    if (!process.env['KDCR_START_EMPTY']) await seedSample(sb);
    const stateFile = path.join(tmp, 'sandbox-state.json');
    fs.writeFileSync(stateFile, JSON.stringify(sb.state, null, 2) + '\n', { mode: 0o600 });
    const s = sb.state;
    return {
      describe: [
        `sandbox:   Konnect API ${s.konnectUrl} (the "sandbox" connection in the extension; token in ${stateFile})`,
        `           gateway ${s.gatewayUrl}, identity providers ${s.idpUrl}${process.env['KDCR_START_EMPTY'] ? '' : '; sample data seeded'}`,
      ],
      env: { [SANDBOX_STATE_ENV]: stateFile },
      settings: {},
      stop: () => sb.stop(),
    };
  } catch (e) {
    await sb.stop();
    throw e;
  }
}
// ==================================================================================================================

interface Runtime {
  version: string;
  vscodeVersion: string;
}
interface Server {
  port: number;
  pgid: number;
  log: string;
  proc: { on(ev: 'exit', cb: (code: number | null, sig: string | null) => void): void };
  stop(): Promise<void>;
}
interface VscrRuntime {
  resolveRuntime(opts: { codeServerVersion?: string }): Runtime;
  makeTempRoot(prefix: string): string;
  startServer(
    rt: Runtime,
    opts: { tmp: string; port?: number; ext: string[]; env: Record<string, string> },
  ): Promise<Server>;
  workbenchUrl(port: number, ws: string): string;
}
interface HarnessRuntime {
  ensureRuntimes(versions: string[]): boolean;
  VSCODE_STABLE: string;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const R = createRequire(__filename)(path.join(harness, 'vscr-runtime.js')) as VscrRuntime;
  const H = (await import(pathToFileURL(path.join(root, 'test', 'harness-runtime.mjs')).href)) as HarnessRuntime;
  if (!H.ensureRuntimes([H.VSCODE_STABLE])) process.exit(1); // installs VS Code + chromium on first use, as npm test does
  const rt = R.resolveRuntime({ codeServerVersion: H.VSCODE_STABLE });

  const tmp = R.makeTempRoot('kdcr-start-');
  let server: Server | undefined;
  let sandbox: SandboxHookup | undefined;
  let stopping: Promise<never> | undefined;
  // Idempotent: a second signal (npm forwards Ctrl-C, the watchdog below sees npm gone) waits for the first clean-up.
  const stop = (code: number, why?: string): Promise<never> =>
    (stopping ??= (async () => {
      if (why) console.log(`\n${why}: stopping…`);
      const t0 = Date.now();
      await Promise.allSettled([server?.stop(), sandbox?.stop()]);
      fs.rmSync(tmp, { recursive: true, force: true });
      if (why) console.log(`stopped (${((Date.now() - t0) / 1000).toFixed(1)} s).`);
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop(130, 'Ctrl-C'));
  process.on('SIGTERM', () => void stop(143, 'SIGTERM'));
  process.on('SIGHUP', () => void stop(129, 'SIGHUP'));
  // Whoever started us (npm, a terminal) went away without signalling us: stop rather than leave VS Code orphaned.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(129, 'parent process gone');
  }, 1000).unref();
  // last resort if this process dies some other way: code-server runs in its own process group (setsid)
  process.on('exit', () => {
    if (server && stopping === undefined)
      try {
        process.kill(-server.pgid, 'SIGKILL');
      } catch {
        /* gone */
      }
  });

  try {
    const ws = path.join(tmp, 'workspace'); // a scratch copy: your edits there never dirty the repository
    fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
    sandbox = await startSandboxForVsCode(tmp);
    if (Object.keys(sandbox.settings).length) {
      fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(sandbox.settings, null, 2) + '\n');
    }
    const wanted = Number(process.env['KDCR_PORT'] || DEFAULT_PORT);
    const port = (await portFree(wanted)) ? wanted : undefined; // undefined: startServer picks a free one
    server = await R.startServer(rt, { tmp, ...(port ? { port } : {}), ext: [root], env: { ...sandbox.env } });
    server.proc.on('exit', (c, s) => {
      if (stopping === undefined)
        void stop(1, `VS Code (code-server) exited unexpectedly (${c ?? s}); its log: ${server?.log}`);
    });
    const url = R.workbenchUrl(server.port, ws);
    console.log(
      [
        '',
        `Konnect DCR in VS Code ${rt.vscodeVersion} (code-server ${rt.version}) is running. Open:`,
        '',
        `    ${url}`,
        '',
        `workspace: ${ws} (a scratch copy of test/fixtures/workspace, deleted on exit)`,
        ...(port ? [] : [`note:      port ${wanted} was taken, using ${server.port}`]),
        ...sandbox.describe,
        '',
        'Ctrl-C stops everything.',
      ].join('\n'),
    );
  } catch (e) {
    console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
    await stop(1);
  }
}

void main();
