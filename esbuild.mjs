// One build script, three kinds of output:
//   dist/extension.js   the activation shell (node, cjs, `vscode` external): command/view proxies, connections
//   dist/main.js        everything else (zod, yaml, undici's subset, the Konnect client, trees, forms, runner, config,
//                       Prove DCR): the shell requires it on first real use
//   dist/webview/*.js   the browser bundles of the webview pages (iife)
//   out/**              src/ and test/ transpiled file by file (cjs) for the unit, integration and UI tests
//   out/meta/*.json     esbuild's metafile of each bundle (not shipped): test/unit/bundles.test.ts reads them to check
//                       that no library or src module is in two host bundles
// Lazy loading (README "Bundles"): one idiom everywhere, a plain `require('<literal path>')` inside the function that
// first needs the module. In the shell, './main' is external, so it stays a require of the sibling dist/main.js; inside
// main.js esbuild keeps each such require lazy (the module's code runs on that first call, not when main.js loads).
// Usage: node esbuild.mjs [--production] [--watch] [--only extension,webview,tests]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeMarketplaceReadme } from './scripts/marketplace-readme.mjs';
import { undiciLeftOut } from './scripts/undici.mjs';
import { yamlAsEsm } from './scripts/yaml.mjs';
import { zodJsonSchemaLeftOut } from './scripts/zod.mjs';

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const want = (name) => !only || only.has(name);
const META_DIR = join('out', 'meta');

/**
 * Prints esbuild's problems in the `$esbuild-watch` problem-matcher format VS Code understands, and writes the
 * bundle's metafile to out/meta/<name>.json after each build.
 */
const reporter = (metaName) => ({
  name: 'reporter',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (metaName && result.metafile) {
        mkdirSync(META_DIR, { recursive: true });
        writeFileSync(join(META_DIR, `${metaName}.json`), JSON.stringify(result.metafile, null, 1) + '\n');
      }
      if (watch) console.log('[watch] build finished');
    });
  },
});

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'harness') walk(p, out);
    } else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const common = { logLevel: 'silent', plugins: [reporter()], sourcemap: !production, minify: production };
/** A node bundle for the extension host. */
const hostBundle = (entry, outfile, options = {}) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: true,
  metafile: true,
  plugins: [reporter(basename(outfile, '.js'))],
  ...options,
});
const builds = [];
if (want('extension')) {
  // the shell: its `require('./main')` stays a require of the sibling dist/main.js
  builds.push(hostBundle('src/extension.ts', 'dist/extension.js', { external: ['vscode', './main'] }));
  builds.push(
    hostBundle('src/main.ts', 'dist/main.js', {
      plugins: [reporter('main'), undiciLeftOut, zodJsonSchemaLeftOut, yamlAsEsm],
    }),
  );
}
if (want('webview'))
  builds.push({
    // every top-level src/webview/*.ts is one page's entry (main.ts, forms.ts, …); shared code lives in subfolders
    ...common,
    entryPoints: readdirSync('src/webview')
      .filter((n) => n.endsWith('.ts'))
      .map((n) => join('src/webview', n)),
    outdir: 'dist/webview',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: production ? false : 'linked',
    metafile: true,
    plugins: [reporter('webview')],
  });
if (want('tests')) {
  builds.push({
    ...common,
    entryPoints: [
      ...walk('src').filter((p) => !p.startsWith(join('src', 'webview'))),
      ...walk('test'),
      ...walk('sandbox'),
    ],
    outbase: '.',
    outdir: 'out',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    minify: false,
  });
}

if (watch) {
  const ctxs = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(ctxs.map((c) => c.watch()));
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  if (results.some((r) => r.errors.length)) process.exit(1);
  if (want('tests')) pruneStale('out');
  if (want('extension') && want('webview')) pruneDist(results);
  if (production && want('extension')) writeMarketplaceReadme();
}

/**
 * Deletes what an earlier build left in dist/ and this one did not write (e.g. the bundles of an older bundle
 * layout): the VSIX ships dist/ as it is, and the bundle check reads every .js file there.
 */
function pruneDist(results) {
  const written = new Set(results.flatMap((r) => Object.keys(r.metafile?.outputs ?? {})));
  for (const dir of ['dist', join('dist', 'webview')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isFile() && !written.has(p.split('\\').join('/'))) rmSync(p, { force: true });
    }
  }
}

/**
 * Deletes out/**\/*.js whose .ts source is gone (a deleted test must not keep running). Done file by file instead of
 * wiping out/ first, so that a build never pulls files from under a test run that is using them.
 */
function pruneStale(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      pruneStale(p);
      continue;
    }
    if (!p.endsWith('.js')) continue;
    const src = p.slice('out/'.length).replace(/\.js$/, '.ts');
    if (!existsSync(src)) rmSync(p, { force: true });
  }
}
