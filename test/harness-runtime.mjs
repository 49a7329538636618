// The one place that installs the VS Code runtimes the tests, the bench and `npm start` run on.
// test/harness/install-runtime.sh does the work (apt: chromium + libkrb5-dev when root or via sudo; npm: Node for
// code-server, code-server, playwright-core into ~/.cache/vscode-harness/code-server-<v>); on a fresh machine that
// takes about 9 min (measured cold, 2 cores), afterwards it is a 0.2 s no-op.
//   KDCR_NO_INSTALL=1  do not install: only check that the runtimes are there.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const harness = join(root, 'test', 'harness');
const { CACHE_ROOT } = createRequire(import.meta.url)(join(harness, 'vscr-runtime.js'));

/** code-server 4.100.3 = VS Code 1.100.3 = engines.vscode ^1.100.0: the oldest VS Code we support and test on. */
export const VSCODE_MIN = '4.100.3';
/** The current stable VS Code (test/harness/versions.json). */
export const VSCODE_STABLE = JSON.parse(readFileSync(join(harness, 'versions.json'), 'utf8')).codeServer;

/** Where install-runtime.sh puts code-server `version`. */
export const runtimeDir = (version) => join(CACHE_ROOT, `code-server-${version}`);

/**
 * Make sure each code-server version (and chromium) is installed. Returns true when all are there; prints what
 * to do and returns false otherwise.
 */
export function ensureRuntimes(versions, { log = (m) => console.log(m) } = {}) {
  for (const v of new Set(versions)) {
    if (process.env.KDCR_NO_INSTALL) {
      if (existsSync(join(runtimeDir(v), '.complete'))) continue;
      console.error(
        `VS Code runtime ${v} is missing and KDCR_NO_INSTALL is set: run  CODE_SERVER_VERSION=${v} bash test/harness/install-runtime.sh`,
      );
      return false;
    }
    log(`VS Code runtime: code-server ${v} (installs on first use: ~2 min, then a no-op)`);
    const r = spawnSync('bash', [join(harness, 'install-runtime.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CODE_SERVER_VERSION: v },
    });
    if (r.status !== 0) {
      console.error(
        `Could not install the VS Code runtime ${v} (install-runtime.sh exit ${r.status}). ` +
          'Without root or sudo, install the Debian packages by hand (apt-get install chromium libkrb5-dev), then re-run.',
      );
      return false;
    }
  }
  return true;
}
