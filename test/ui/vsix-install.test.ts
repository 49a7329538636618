// The packaged VSIX, not the repository folder: packed the way `npm run package` packs it, installed into a fresh
// code-server with `code-server --install-extension`, it activates there in production mode (no development path,
// so no test hooks and no eager main) and its first command loads the lazily loaded main bundle from the VSIX.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  openContainer,
  repoRoot,
  runCommand,
  screenshot,
  viewBody,
  waitForOutputChannel,
  type Page,
} from './workbench';

interface Browser {
  page: Page & { goto(url: string): Promise<unknown> };
  close(): Promise<void>;
}
interface Runtime {
  node: string;
  entry: string;
  playwrightSearch: string[];
}
const req = createRequire(__filename);
const pw = req(path.join(repoRoot, 'test', 'harness', 'vscode-pw.js')) as {
  launch(opts?: object): Promise<Browser>;
  waitForWorkbench(page: Page, timeout?: number): Promise<void>;
};
const R = req(path.join(repoRoot, 'test', 'harness', 'vscr-runtime.js')) as {
  resolveRuntime(opts: { codeServerVersion?: string | undefined; searchPaths?: string[] }): Runtime;
  loadPlaywright(searchPaths: string[]): unknown;
  startServer(rt: Runtime, opts: { tmp: string }): Promise<{ port: number; stop(): Promise<void> }>;
  workbenchUrl(port: number, ws: string): string;
};

describe('the packaged VSIX installs into a fresh code-server and activates (UI)', function () {
  this.timeout(240_000);
  let tmp: string;
  let server: { port: number; stop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let installed: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp', 'kdcr-vsix-'));
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      version: string;
    };
    const vsix = path.join(tmp, 'konnect-dcr.vsix');
    // `npm run package`'s command line with another --out (its prepublish build is what test/run-all.mjs just did).
    const args = pkg.scripts['package']!.split(/\s+/)
      .slice(1)
      .map((a, i, all) => (all[i - 1] === '--out' ? vsix : a));
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), ...args], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
    assert.ok(fs.statSync(vsix).size > 100_000, 'VSIX written');

    const rt = R.resolveRuntime({
      codeServerVersion: process.env['VSCR_CODE_SERVER_VERSION'],
      searchPaths: [repoRoot],
    });
    const ext = path.join(tmp, 'ext'),
      ud = path.join(tmp, 'ud');
    const out = execFileSync(
      rt.node,
      [rt.entry, '--extensions-dir', ext, '--user-data-dir', ud, '--install-extension', vsix],
      { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' } },
    );
    assert.match(out, /was successfully installed/, out);
    installed = path.join(ext, `konnect-dcr.konnect-dcr-${pkg.version}`);
    assert.ok(
      fs.existsSync(path.join(installed, 'package.json')),
      `installed at ${installed}: ${fs.readdirSync(ext).join(', ')}`,
    );

    server = await R.startServer(rt, { tmp }); // the same --extensions-dir (tmp/ext): the installed copy, no symlink
    browser = await pw.launch({ playwright: R.loadPlaywright(rt.playwrightSearch) });
    const ws = path.join(tmp, 'workspace');
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
    await browser.page.goto(R.workbenchUrl(server.port, ws));
    await pw.waitForWorkbench(browser.page, 90_000);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('installs only what the allow-list ships (no node_modules, no sources)', () => {
    const names = fs.readdirSync(installed).sort();
    assert.ok(!names.includes('node_modules') && !names.includes('src') && !names.includes('test'), names.join(', '));
    assert.ok(
      fs.existsSync(path.join(installed, 'dist', 'extension.js')) &&
        fs.existsSync(path.join(installed, 'dist', 'main.js')),
    );
    assert.ok(fs.existsSync(path.join(installed, 'media', 'icon.png')));
    // undici's HTTP parser, read on the first request (scripts/undici.mjs): without it no request could be sent
    const wasm = fs.readdirSync(path.join(installed, 'dist')).filter((n) => /^llhttp-wasm-\w+\.br$/.test(n));
    assert.equal(wasm.length, 1, fs.readdirSync(path.join(installed, 'dist')).join(', '));
    // the Marketplace README (README.marketplace.md) is what the Extensions view shows, not the developers' one
    const readmeName = fs.readdirSync(installed).find((n) => n.toLowerCase() === 'readme.md'); // vsce writes readme.md
    assert.ok(readmeName, fs.readdirSync(installed).join(', '));
    const readme = fs.readFileSync(path.join(installed, readmeName), 'utf8');
    assert.match(readme, /^# Konnect DCR/);
    assert.doesNotMatch(readme, /## Test it|## How to add a provider type|## Config files/);
  });

  it('its container, welcome and first command work: the extension activated from the VSIX', async () => {
    const page = browser!.page;
    await openContainer(page, 'Konnect DCR');
    await viewBody(page, 'DCR Providers')
      .locator('p:has-text("Konnect DCR is not connected to Konnect yet.")')
      .waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'Konnect DCR: Show Log');
    await waitForOutputChannel(page, 'Konnect DCR', '[ext] activated (VS Code ', 60_000);
    await screenshot(page, 'vsix-installed');
  });
});
