#!/usr/bin/env node
// `npm run test:unit:watch`: the unit tier, run again on every save. One full build first (dist/ and out/meta/ for
// the bundle checks, out/ for the tests), then esbuild rebuilds out/ from src/ and test/ as files change and
// mocha --watch runs the unit tests again whenever out/ changes. Ctrl-C stops both.
//
//   npm run test:unit:watch                                   every unit test
//   npm run test:unit:watch -- out/test/unit/config           only these (files or folders under out/test/unit)
//   npm run test:unit:watch -- --grep 'Azure'                 any other mocha option passes through
//
// A new .ts file is picked up on the next start (esbuild's watch keeps the entry points it started with).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const args = process.argv.slice(2);
const specs = args.filter((a, i) => a.startsWith('out/') && !args[i - 1]?.startsWith('-'));
const options = args.filter((a) => !specs.includes(a));

const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [];
const stop = (code) => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(code);
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(0));

const esbuild = spawn(process.execPath, ['esbuild.mjs', '--watch', '--only=tests'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(esbuild);
esbuild.on('exit', (code) => stop(code ?? 1));

let mocha;
esbuild.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  // the watch's own first build rewrites out/: start mocha after it, or its first run would be cut short
  if (!mocha && String(chunk).includes('[watch] build finished')) {
    mocha = spawn(
      process.execPath,
      [
        join('node_modules', 'mocha', 'bin', 'mocha.js'),
        '--watch',
        '--watch-files',
        'out/src',
        '--watch-files',
        'out/test/unit',
        '--watch-files',
        'out/test/support',
        '--reporter',
        'spec',
        '--timeout',
        '20000',
        '--recursive',
        '--extension',
        'test.js',
        ...options,
        ...(specs.length ? specs : ['out/test/unit']),
      ],
      { stdio: 'inherit' },
    );
    children.push(mocha);
    mocha.on('exit', (code) => stop(code ?? 1));
  }
});
