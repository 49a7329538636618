// `npm start` as a user runs it: the sandbox and a real VS Code come up, the browser shows the Konnect DCR trees
// already connected to the sandbox (one provider of each type), and Ctrl-C stops everything: no process of the run
// is left, its temp folder is gone and the sandbox's ports are closed.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { openContainer, parkMouse, repoRoot, screenshot, treeRow, viewHeader, type Page } from './workbench';

interface Browser {
  page: Page & { goto(url: string): Promise<unknown> };
  close(): Promise<void>;
}
const pw = createRequire(__filename)(path.join(repoRoot, 'test', 'harness', 'vscode-pw.js')) as {
  launch(opts?: object): Promise<Browser>;
  waitForWorkbench(page: Page, timeout?: number): Promise<void>;
};
const R = createRequire(__filename)(path.join(repoRoot, 'test', 'harness', 'vscr-runtime.js')) as {
  freePort(): Promise<number>;
  resolveRuntime(opts: { codeServerVersion?: string; searchPaths?: string[] }): { playwrightSearch: string[] };
  loadPlaywright(searchPaths: string[]): unknown;
};

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function canConnect(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** Live (non-zombie) processes whose command line mentions `needle`. */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) pids.push(Number(d));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

describe('npm start', function () {
  this.timeout(240_000);
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;

  let runDir: string | undefined;

  after(async () => {
    await browser?.close();
    // A failed run must not leave VS Code behind: stop it the way a user does (SIGINT: start.js stops code-server's
    // own process group), and only then kill whatever of the run is still alive.
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        /* gone */
      }
      await waitFor(
        'npm start to stop',
        () => (child!.exitCode !== null || child!.signalCode !== null ? true : undefined),
        20_000,
      ).catch(() => undefined);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (runDir)
      for (const pid of processesMentioning(runDir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
  });

  it('brings up VS Code connected to the sandbox, and Ctrl-C leaves nothing behind', async () => {
    const port = await R.freePort();
    // what `npm start` runs after its build (the UI tier has built already)
    child = spawn(process.execPath, [path.join(repoRoot, 'out', 'sandbox', 'start.js')], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KDCR_PORT: String(port) },
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const url = await waitFor(
      'the printed VS Code address',
      () =>
        /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(out)?.[1] ??
        (child!.exitCode !== null
          ? (() => {
              throw new Error(`npm start exited ${child!.exitCode}:\n${out}`);
            })()
          : undefined),
      180_000,
    );
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), `VS Code on the port asked for: ${url}`);
    const konnectUrl = /Konnect API (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(konnectUrl, `the sandbox's Konnect URL is printed:\n${out}`);
    const workspace = /^workspace: (\S+)/m.exec(out)?.[1];
    assert.ok(workspace && fs.existsSync(workspace), 'the scratch workspace exists while it runs');
    runDir = path.dirname(workspace);

    const rt = R.resolveRuntime({
      searchPaths: [repoRoot],
      ...(process.env['VSCR_CODE_SERVER_VERSION']
        ? { codeServerVersion: process.env['VSCR_CODE_SERVER_VERSION'] }
        : {}),
    });
    browser = await pw.launch({ playwright: R.loadPlaywright(rt.playwrightSearch) });
    await browser.page.goto(url);
    await pw.waitForWorkbench(browser.page, 90_000);
    await openContainer(browser.page, 'Konnect DCR');
    // connected to the sandbox with its sample data: one provider per type
    await browser.page
      .locator('.pane-header:has-text("DCR Providers") .description:has-text("6 providers")')
      .waitFor({ timeout: 60_000 });
    for (const group of ['Kong Identity', 'Auth0', 'Azure AD', 'Curity', 'Okta', 'HTTP']) {
      await treeRow(browser.page, 'DCR Providers', group).first().waitFor({ timeout: 30_000 });
    }
    await viewHeader(browser.page, 'DCR Providers').waitFor();
    await parkMouse(browser.page);
    await screenshot(browser.page, 'npm-start');
    await browser.close();
    browser = undefined;

    const dir = runDir;
    assert.ok(processesMentioning(dir).length > 0, 'code-server runs from the run folder while it is up');
    process.kill(-child.pid!, 'SIGINT'); // what Ctrl-C in the terminal does: the whole foreground group
    await waitFor(
      'npm start to exit',
      () => (child!.exitCode !== null || child!.signalCode !== null ? true : undefined),
      30_000,
    );
    assert.match(out, /stopped/);
    await waitFor(
      'no process of the run left',
      () => (processesMentioning(dir).length === 0 ? true : undefined),
      10_000,
    );
    assert.equal(fs.existsSync(dir), false, 'the run folder (workspace copy, profile, sandbox state) is deleted');
    assert.equal(await canConnect(konnectUrl), false, 'the sandbox stopped listening');
    assert.equal(await canConnect(`http://127.0.0.1:${port}`), false, 'VS Code stopped listening');
  });
});
