// The esbuild plugin that bundles yaml's ES module build into dist/main.js (imported by esbuild.mjs and by
// test/unit/bundles.test.ts, which parses and renders the same documents through both builds and compares).
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/**
 * yaml publishes the same library twice: CommonJS for Node (`exports["."].node`, dist/) and ES modules for everyone
 * else (`default`, browser/). esbuild cannot drop unused parts of a CommonJS module, so with the Node build every
 * schema, tag, the CLI helpers and the stringifiers we never call stay in dist/main.js; the ES module build lets it
 * keep only what src imports (about 17 KB less, 5.6 KB of the packed VSIX). The two builds differ where they
 * touch the platform: warnings go to `console.warn` instead of `process.emitWarning`, and YAML 1.1 `!!binary` uses
 * `atob`/`btoa` (Node 20 has both). Neither is on a path the extension takes: it parses with the core schema and
 * reports warnings itself.
 */
const requireHere = createRequire(import.meta.url);
const ESM_ENTRY = join(dirname(requireHere.resolve('yaml/package.json')), 'browser', 'index.js');

export const yamlAsEsm = {
  name: 'yaml-as-esm',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: ESM_ENTRY }));
  },
};
