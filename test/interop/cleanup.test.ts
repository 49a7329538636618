/**
 * The tier leaves nothing behind: a process that started the servers (Glewlwyd, Apache and its workers) and is
 * then stopped by SIGTERM (CI's timeout, `npm test` forwarding Ctrl-C), or exits without stopping them (a crash, a
 * forgotten after()), takes every server process and temp dir with it.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from './support/procs';

const WORLD = join(__dirname, 'support', 'world.js');

/** Every pid whose process group is one of `groups` (a server and what it forked). */
function members(groups: readonly number[]): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && groups.includes(Number(pgrp))) out.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

interface Started {
  child: ReturnType<typeof spawn>;
  pids: number[];
  dirs: string[];
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/** What a failed test would leave running: killed in after(), so that a failure cannot hang the tier. */
const started: { child?: ReturnType<typeof spawn>; groups: number[]; dirs: string[] }[] = [];

/** Runs a node process that starts the world, prints the servers' pids and then does `then`. */
async function startInChild(then: 'wait' | 'exit'): Promise<Started> {
  const script = `
    const { startWorld } = require(${JSON.stringify(WORLD)});
    startWorld().then((w) => {
      console.log('PIDS ' + JSON.stringify([w.idp.process.pid, w.gateway.process.pid]));
      // 'exit': on a line from the parent (which first looks at what runs), exit without stopping anything
      ${then === 'exit' ? "process.stdin.once('data', () => process.exit(3));" : 'setInterval(() => {}, 1000);'}
    }, (err) => { console.error(err); process.exit(2); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const mine: (typeof started)[number] = { child, groups: [], dirs: [] };
  started.push(mine);
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let out = '';
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const leaders = await new Promise<number[]>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PIDS (\[[\d,]+\])/.exec(out);
      if (m) resolve(JSON.parse(m[1]!) as number[]);
    });
    void exit.then((e) => reject(new Error(`the child exited (${e.code}) before starting the servers:\n${out}`)));
  });
  mine.groups.push(...leaders);
  const pids = members(leaders);
  const dirs = leaders.map((p) => readlinkSync(`/proc/${p}/cwd`));
  mine.dirs.push(...dirs);
  return { child, pids, dirs, exit };
}

async function gone(pids: readonly number[], dirs: readonly string[], withinMs = 5_000): Promise<void> {
  const t0 = Date.now();
  while (pids.some(alive) || dirs.some((d) => existsSync(d))) {
    if (Date.now() - t0 > withinMs) {
      assert.fail(
        `still there after ${withinMs} ms: pids ${pids.filter(alive).join(', ') || '-'}, dirs ${dirs.filter((d) => existsSync(d)).join(', ') || '-'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('interop: every server the tier starts is stopped with it', function () {
  this.timeout(60_000);
  after(() => {
    for (const s of started) {
      for (const g of s.groups) {
        try {
          process.kill(-g, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      if (s.child?.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      for (const d of s.dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('SIGTERM to the process that started them: Glewlwyd, Apache and its workers are gone, and their temp dirs', async () => {
    const s = await startInChild('wait');
    assert.ok(
      s.pids.length >= 3,
      `Glewlwyd, the Apache master and at least one worker (got pids ${s.pids.join(', ')})`,
    );
    assert.ok(
      s.dirs.every((d) => existsSync(d) && /kdcr-interop-/.test(d)),
      s.dirs.join(', '),
    );
    s.child.kill('SIGTERM');
    const e = await s.exit;
    assert.equal(e.code, 143, 'it exits as a SIGTERM would (128 + 15)');
    await gone(s.pids, s.dirs);
  });

  it('a process that exits without stopping them (a crash, a missing after()) takes them along too', async () => {
    const s = await startInChild('exit');
    assert.ok(s.pids.length >= 3, `pids ${s.pids.join(', ')}`);
    s.child.stdin!.write('exit now\n');
    assert.equal((await s.exit).code, 3);
    await gone(s.pids, s.dirs);
  });
});
