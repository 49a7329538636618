// One build script, four outputs:
//   dist/extension.js   the activation shell (node, cjs, `vscode` external): command/view proxies, connections
//   dist/main.js        the rest of the extension, required on first real use (and runner.js / config.js below it)
//   dist/undici.js      the HTTP stack, required lazily on the first network call so activation does not pay for it
//   dist/webview/*.js   the browser bundle for webviews (iife)
//   out/**              src/ and test/ transpiled file by file (cjs) for the unit, integration and UI tests
// Usage: node esbuild.mjs [--production] [--watch] [--only extension,undici,webview,tests]
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const want = (name) => !only || only.has(name);

/** Prints esbuild's problems in the `$esbuild-watch` problem-matcher format VS Code understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/** In the extension bundle `undici` is not inlined: it resolves to the sibling lazily-required dist/undici.js. */
const undiciAsSibling = {
  name: 'undici-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

/**
 * The request runner's controller (executor, JWT checks, Explain, response view) is dist/runner.js, required on the
 * first runner command: the activation bundle keeps only its CodeLens provider and parser.
 */
const runnerAsSibling = {
  name: 'runner-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^\.\/controller$/ }, (args) =>
      (args.importer.endsWith(join('src', 'ui', 'runner', 'index.ts')) ? { path: './runner.js', external: true } : undefined));
  },
};

/**
 * The workspace config's heavy half (analyzer, plan/apply/pull, their commands) is dist/config.js, required on the
 * first config file or command: the activation bundle keeps only its registration (diagnostics wiring, code
 * actions, command handlers).
 */
const configAsSibling = {
  name: 'config-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^\.\/lazy(\.js)?$/ }, (args) =>
      (args.importer.includes(join('src', 'ui', 'config')) ? { path: './config.js', external: true } : undefined));
  },
};

/**
 * The activation shell (src/extension.ts) requires './main' only on first real use: in dist/ that is the sibling
 * dist/main.js (everything else: zod, yaml, the Konnect client, trees, forms, Prove DCR…), so activation loads ~10 KB.
 */
const mainAsSibling = {
  name: 'main-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^\.\/main$/ }, (args) =>
      (args.importer.endsWith(join('src', 'extension.ts')) ? { path: './main.js', external: true } : undefined));
  },
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'node_modules' && name !== 'harness') walk(p, out); }
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const common = { logLevel: 'silent', plugins: [problemMatcher], sourcemap: !production, minify: production };
const builds = [];
if (want('extension')) builds.push({
  ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', external: ['vscode'], plugins: [problemMatcher, mainAsSibling],
  sourcemap: production ? false : 'linked', minify: true, metafile: true,
});
if (want('extension')) builds.push({
  ...common, entryPoints: ['src/main.ts'], outfile: 'dist/main.js', bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', external: ['vscode'], plugins: [problemMatcher, undiciAsSibling, runnerAsSibling, configAsSibling],
  sourcemap: production ? false : 'linked', minify: true,
});
if (want('extension')) builds.push({
  ...common, entryPoints: ['src/ui/runner/controller.ts'], outfile: 'dist/runner.js', bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', external: ['vscode'], plugins: [problemMatcher, undiciAsSibling],
  sourcemap: production ? false : 'linked', minify: true,
});
if (want('extension')) builds.push({
  ...common, entryPoints: ['src/ui/config/lazy.ts'], outfile: 'dist/config.js', bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', external: ['vscode'], plugins: [problemMatcher, undiciAsSibling],
  sourcemap: production ? false : 'linked', minify: true,
});
if (want('undici')) builds.push({
  ...common, entryPoints: ['src/vendor/undici.cjs'], outfile: 'dist/undici.js', bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', minify: true, sourcemap: false,
});
if (want('webview')) builds.push({
  // every top-level src/webview/*.ts is one page's entry (main.ts, forms.ts, …); shared code lives in subfolders
  ...common, entryPoints: readdirSync('src/webview').filter((n) => n.endsWith('.ts')).map((n) => join('src/webview', n)),
  outdir: 'dist/webview', bundle: true, platform: 'browser',
  format: 'iife', target: 'es2022', minify: true, sourcemap: production ? false : 'linked',
});
if (want('tests')) {
  builds.push({
    ...common, entryPoints: [...walk('src').filter((p) => !p.startsWith(join('src', 'webview'))), ...walk('test')],
    outbase: '.', outdir: 'out', bundle: false, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', minify: false,
  });
}

if (watch) {
  const ctxs = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(ctxs.map((c) => c.watch()));
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  if (results.some((r) => r.errors.length)) process.exit(1);
  if (want('tests')) pruneStale('out');
}

/**
 * Deletes out/**\/*.js whose .ts source is gone (a deleted test must not keep running). Done file by file instead of
 * wiping out/ first, so that a build never pulls files from under a test run that is using them.
 */
function pruneStale(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { pruneStale(p); continue; }
    if (!p.endsWith('.js')) continue;
    const src = p.slice('out/'.length).replace(/\.js$/, '.ts');
    if (!existsSync(src)) rmSync(p, { force: true });
  }
}
