// `npm run test:electron`: the integration suite through @vscode/test-electron's runTests(), the API most extension
// projects already use.
//
// By default `vscodeExecutablePath` points at test/harness/run-ext-tests.js, which accepts test-electron's command
// line and runs the suite in a real VS Code (code-server, stable) without downloading anything from Microsoft, so
// it works offline and in CI. On a machine that can reach update.code.visualstudio.com, KDCR_ELECTRON_DOWNLOAD=1
// makes it plain runTests({ version }): test-electron downloads desktop VS Code (KDCR_ELECTRON_VERSION, default
// 'stable', e.g. '1.100.3' for our minimum engine) into .vscode-test/ and runs the same suite in it (on Linux
// without a display, run it under xvfb-run).
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '..', '..', '..'); // out/test/electron -> repository root

async function main(): Promise<void> {
  const download = process.env['KDCR_ELECTRON_DOWNLOAD'] === '1';
  const where = download
    ? { version: process.env['KDCR_ELECTRON_VERSION'] || 'stable' }
    : { vscodeExecutablePath: path.join(root, 'test', 'harness', 'run-ext-tests.js') };
  if (!download) {
    // the harness runs on an installed runtime: install it on first use, exactly as `npm test` does
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('./test/harness-runtime.mjs'); process.exit(m.ensureRuntimes([m.VSCODE_STABLE]) ? 0 : 1);",
      ],
      { cwd: root, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('the VS Code runtime is not installed');
  }
  await runTests({
    ...where,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index'),
    launchArgs: [path.join(root, 'test', 'fixtures', 'workspace'), '--disable-workspace-trust'],
  });
}

main().catch((e: unknown) => {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
