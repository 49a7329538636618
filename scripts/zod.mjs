// The esbuild plugin that leaves zod's JSON Schema generator out of dist/main.js (imported by esbuild.mjs and by
// test/unit/bundles.test.ts, which bundles zod with it and parses through the result).
import { readFileSync } from 'node:fs';

/**
 * zod's classic schemas carry `.toJSONSchema()` and the Standard Schema `jsonSchema` methods, so every schema links
 * in zod's JSON Schema generator (v4/core/to-json-schema.js and json-schema-processors.js, 21 KB of dist/main.js).
 * The extension never generates JSON Schema at run time: media/schemas/konnect-dcr.schema.json is generated at build
 * time by `npm run generate-schema`, which runs zod unbundled. In dist/main.js both files become stubs with the same
 * exports: the factories (`create…Method`) still return a function, and every function throws a plain error when
 * called. Parsing never calls them; a test bundles zod with this plugin and parses, valid and invalid, through it.
 */
const MESSAGE = 'JSON Schema generation is not bundled in Konnect DCR (npm run generate-schema runs zod unbundled)';
const FILES = /[\\/]zod[\\/]v4[\\/]core[\\/](to-json-schema|json-schema-processors)\.js$/;

/** The stub of one of zod's modules: its export names, read from the module, each bound to a throwing function. */
export function stubOf(source) {
  const names = new Set();
  for (const m of source.matchAll(/^export (?:function|const|let|class) (\w+)/gm)) names.add(m[1]);
  const aliases = [...source.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) =>
    m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => s.split(/\s+as\s+/)),
  );
  if (/^export (?:\*|default)/m.test(source)) throw new Error('zod stub: a re-export or default export to handle');
  const lines = [`const fail = () => { throw new Error(${JSON.stringify(MESSAGE)}); };`];
  for (const n of names)
    lines.push(/^create\w*Method$/.test(n) ? `export const ${n} = () => fail;` : `export const ${n} = fail;`);
  for (const [from, to] of aliases) lines.push(`export { ${from} as ${to ?? from} };`);
  return lines.join('\n') + '\n';
}

export const zodJsonSchemaLeftOut = {
  name: 'zod-json-schema-left-out',
  setup(build) {
    build.onLoad({ filter: FILES }, (args) => ({ contents: stubOf(readFileSync(args.path, 'utf8')), loader: 'js' }));
  },
};
