// local/no-import-cycle: no module may reach itself again through its relative imports.
//
// Every edge counts: `import`, `import type`, `export … from`, `import()`, `typeof import()` and the lazy
// `require()` the extension loads bundles with. A type-only cycle costs nothing at run time, but it is the same
// tangle for a reader (two modules that each need the other to make sense) and it turns into a run-time cycle the
// day one of its imports starts carrying a value. eslint-plugin-import-x's no-cycle skips type-only imports and
// `require()`, so it would pass the cycles this rule exists for; this check is the TypeScript scanner the
// toolchain already has, over files it reads once (and again only when they change).
import ts from 'typescript';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];
/** file → { mtimeMs, deps: [{ spec, file }] } */
const cache = new Map();

/** The file a relative specifier names (`./a`, `./a.js` for `a.ts`, `./dir` for `dir/index.ts`), if it exists. */
export function resolveSpecifier(from, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  const base = resolve(dirname(from), spec);
  const candidates = [base, ...EXTS.map((e) => base + e), ...EXTS.map((e) => join(base, 'index' + e))];
  if (/\.(m|c)?js$/.test(base))
    candidates.unshift(base.replace(/\.(m|c)?js$/, '.ts'), base.replace(/\.(m|c)?js$/, '.$1ts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The relative imports of a file, resolved: [{ spec, file }]. `text` is the file's content when known. */
export function importsOf(file, text) {
  let mtimeMs = 0;
  if (text === undefined) {
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return [];
    }
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.deps;
    text = readFileSync(file, 'utf8');
  }
  const info = ts.preProcessFile(text, true, true);
  const deps = [];
  for (const { fileName } of info.importedFiles) {
    const target = resolveSpecifier(file, fileName);
    if (target) deps.push({ spec: fileName, file: target });
  }
  if (mtimeMs) cache.set(file, { mtimeMs, deps });
  return deps;
}

/** The shortest chain from `start` back to `goal` (both included), or undefined when there is none. */
export function pathBack(start, goal, depsOf = (f) => importsOf(f)) {
  const parent = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const f = queue.shift();
    for (const { file } of depsOf(f)) {
      if (file === goal) {
        const chain = [goal];
        for (let at = f; at !== undefined; at = parent.get(at)) chain.unshift(at);
        return chain;
      }
      if (!parent.has(file)) {
        parent.set(file, f);
        queue.push(file);
      }
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles, type-only imports and lazy require() included' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}. Move what both sides need into a module neither imports back.' },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    const name = (f) => relative(root, f).split('\\').join('/');
    return {
      Program(program) {
        const seen = new Set();
        for (const dep of importsOf(file, context.sourceCode.text)) {
          if (seen.has(dep.file)) continue;
          seen.add(dep.file);
          const back = dep.file === file ? [file] : pathBack(dep.file, file);
          if (!back) continue;
          const chain = [file, ...back].map(name).join(' → ');
          context.report({ node: importNode(program, dep.spec) ?? program, messageId: 'cycle', data: { chain } });
        }
      },
    };
  },
};

/** The import declaration, export, import() or require() whose specifier is `spec`, for the report's location. */
function importNode(program, spec) {
  let found;
  const visit = (node) => {
    if (found || !node || typeof node.type !== 'string') return;
    const src = specifierOf(node);
    if (src && src.type === 'Literal' && src.value === spec) {
      found = node;
      return;
    }
    for (const key of Object.keys(node)) {
      if (key === 'parent') continue;
      const v = node[key];
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(program);
  return found;
}

/** The string literal a node imports from, if it is an import of any kind. */
function specifierOf(node) {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportNamedDeclaration':
    case 'ExportAllDeclaration':
    case 'ImportExpression':
      return node.source;
    case 'CallExpression':
      return node.callee.type === 'Identifier' && node.callee.name === 'require' ? node.arguments[0] : undefined;
    case 'TSImportType':
      return node.argument?.literal ?? node.argument;
    default:
      return undefined;
  }
}

export default { rules: { 'no-import-cycle': noImportCycle } };
