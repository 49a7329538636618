/**
 * The interop tier's server processes: started in their own process group, each one's output kept in memory (shown
 * only when something fails), and always stopped: by `stop()`, at the latest when this process exits, and on
 * SIGINT / SIGTERM / SIGHUP (the handlers stop every group, then exit 128+n as the default action would). Their
 * temp dirs (configs, databases, keys) go at the same moments.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** Everything it printed so far (the last 64 KB). */
  output(): string;
  /** Resolves when it has exited (immediately if it has). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();

/** A new private temp dir, removed by `removeTempDir` or at the latest when this process exits. */
export function tempDir(prefix: string): string {
  installHandlers();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

function cleanUpNow(): void {
  for (const c of live) killGroup(c, 'SIGKILL');
  for (const d of dirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
}

/** SIGKILL to a whole group (the server and whatever it forked, e.g. Apache's workers). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' handlers cannot wait: the groups get SIGKILL (a graceful stop has had its chance in the tests' after()).
  process.on('exit', cleanUpNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      cleanUpNow();
      process.exit(128 + constants.signals[sig]);
    });
  }
}

/** Starts `cmd` (never through a shell) in a new process group. */
export function startProcess(
  name: string,
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ServerProcess {
  installHandlers();
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  live.add(child);
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString('utf8')).slice(-65_536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      keep(Buffer.from(`\n${String(err)}\n`));
      live.delete(child);
      resolve({ code: -1, signal: null });
    });
  });
  const pid = child.pid;
  return {
    name,
    pid,
    exited,
    output: () => out,
    async stop(graceMs = 5_000) {
      if (!live.has(child)) {
        await exited;
        return;
      }
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // what it forked may still be running (a worker that ignores TERM): the group goes too
      killGroup(child, 'SIGKILL');
    },
  };
}

/** A port that was free a moment ago on 127.0.0.1 (the servers take their port from a config file). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Waits until `proc` accepts TCP connections on `port`; fails with its output if it exits or `timeoutMs` passes. */
export async function waitForPort(proc: ServerProcess, port: number, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  let gone: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void proc.exited.then((e) => {
    gone = e;
  });
  for (;;) {
    if (gone)
      throw new Error(
        `${proc.name} exited (code ${gone.code}, signal ${gone.signal}) before listening on ${port}:\n${proc.output().slice(-4000)}`,
      );
    if (await tcpOpen(port)) return;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`${proc.name} did not listen on ${port} within ${timeoutMs} ms:\n${proc.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Is a process with this pid still running? (A zombie, dead but not reaped yet, is not.) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: kill(0) said it exists
  }
}
