import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// test/harness/install-runtime.sh: `npm test` runs it as npm -> node -> bash, so the script inherits the outer npm's environment.
// code-server's postinstall reads the Node major from npm_config_user_agent: with the outer npm's value
// ("... node/v20 ...") it refuses to install VS Code 1.139 (which needs Node 24) on a fresh machine. The script must
// start its own npm calls from a clean environment; `--print-env` prints that environment.
const root = [resolve(__dirname, '../../..'), resolve(__dirname, '../..')].find((d) =>
  existsSync(join(d, 'test', 'harness', 'install-runtime.sh')),
)!;
const script = join(root, 'test', 'harness', 'install-runtime.sh');

function envAfterScrub(outer: Record<string, string>): Map<string, string> {
  const r = spawnSync('bash', [script, '--print-env'], { env: outer, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const env = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  return env;
}

describe('harness: install-runtime.sh starts its npm calls from a clean environment', () => {
  // What npm 10 puts into the environment of `npm test` (names from a real run), with the outer Node 20.
  const outer: Record<string, string> = {
    HOME: process.env['HOME'] ?? '/root',
    PATH: [
      `${root}/node_modules/.bin`,
      '/work/node_modules/.bin',
      '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
      '/usr/local/bin',
      '/usr/bin',
      '/bin',
    ].join(':'),
    npm_config_user_agent: 'npm/0.0.0-outer node/v0.0.0-outer linux x64 workspaces/false',
    npm_config_nodedir: '/wrong/node-20-headers',
    npm_config_cache: '/root/.npm',
    npm_config_global_prefix: '/usr',
    npm_config_prefix: '/usr',
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    NPM_CONFIG_ENGINE_STRICT: 'true',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node test/run-all.mjs',
    npm_package_name: 'konnect-dcr',
    npm_package_version: '0.1.0',
    npm_package_json: `${root}/package.json`,
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    npm_command: 'test',
    NODE: '/usr/bin/node',
    INIT_CWD: root,
    COLOR: '0',
    KEEP_ME: 'yes',
  };

  it('drops every npm_*/NPM_* variable, NODE and INIT_CWD of the caller', () => {
    const env = envAfterScrub(outer);
    const leaked = [...env.keys()].filter((k) => /^npm_/i.test(k) || ['NODE', 'INIT_CWD', 'COLOR'].includes(k));
    assert.deepEqual(leaked, []);
    assert.equal(env.get('KEEP_ME'), 'yes', 'an unrelated variable is kept');
    assert.equal(env.get('HOME'), outer['HOME']);
  });

  it("takes the caller's node_modules/.bin and npm's node-gyp-bin off PATH and keeps the rest in order", () => {
    const env = envAfterScrub(outer);
    assert.equal(env.get('PATH'), '/usr/local/bin:/usr/bin:/bin');
  });

  it("a lifecycle script run by an inner npm (as code-server's postinstall is) sees the Node it runs on", function () {
    this.timeout(30000);
    if (spawnSync('npm', ['--version']).status !== 0) this.skip();
    const env = Object.fromEntries(envAfterScrub(outer));
    const dir = mkdtempSync(join(tmpdir(), 'kdcr-ua-'));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'ua',
          private: true,
          scripts: { ua: 'node -e "console.log(process.env.npm_config_user_agent)"' },
        }),
      );
      const r = spawnSync('npm', ['run', '--silent', 'ua'], { cwd: dir, env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const node = spawnSync('node', ['-v'], { env, encoding: 'utf8' }).stdout.trim();
      assert.doesNotMatch(r.stdout, /outer/, 'the outer user agent leaked');
      assert.match(r.stdout, new RegExp(`node/${node.replace(/\./g, '\\.')} `), `inner user agent: ${r.stdout.trim()}`);
      // And without the scrub the same call shows the bug: the outer value wins.
      const bad = spawnSync('npm', ['run', '--silent', 'ua'], { cwd: dir, env: outer, encoding: 'utf8' });
      assert.match(bad.stdout, /outer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
