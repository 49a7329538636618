#!/usr/bin/env node
// `npm run l10n:export`: writes l10n/bundle.l10n.json, the English runtime strings, from the sources of the VS Code
// layer (src/extension.ts, src/main.ts, src/ui/**), in the format `vscode-l10n-dev export` writes: one entry per
// `vscode.l10n.t(...)` message, key = the English message, value = the same text; a message given with a comment
// (`l10n.t({ message, comment })`) is keyed `message/comment` (what VS Code looks up) with `{ message, comment }` as
// its value. A translation is a `bundle.l10n.<locale>.json` next to it with the same keys (README "Localization").
//
// The same functions are what test/unit/l10n.test.ts checks the sources and the checked-in bundle with, so the bundle
// in the repository is exactly what this script writes.
//
// Usage: node scripts/l10n-export.mjs [--check]   (--check: write nothing, exit 1 if the bundle is not up to date)
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The VS Code layer: the only code that may call `vscode.l10n` (src/core has no `vscode`). */
export const SOURCES = ['src/extension.ts', 'src/main.ts', 'src/ui'];
export const BUNDLE = join('l10n', 'bundle.l10n.json');

const rel = (root, p) => relative(root, p).split(sep).join('/');

/** The .ts files of SOURCES, sorted, as paths relative to `root` with `/`. */
export function sourceFiles(root) {
  const out = [];
  const walk = (p) => {
    const abs = join(root, p);
    if (statSync(abs).isDirectory()) for (const name of readdirSync(abs)) walk(join(p, name));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(rel(root, abs));
  };
  for (const s of SOURCES) walk(s);
  return out.sort();
}

export function parse(root, file) {
  return ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** `vscode.l10n.t(...)` or `l10n.t(...)` (however `vscode` is imported). */
export function isL10nCall(node) {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const target = callee.expression;
  return (
    (ts.isIdentifier(target) && target.text === 'l10n') ||
    (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n')
  );
}

/** A string literal or a template without substitutions: a text known when the sources are read. */
export const literalText = (node) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/**
 * Placeholders as VS Code fills them (`{0}`, `{name}`): each `{…}` whose inside is an index or an identifier. Anything
 * else in braces (`{{token}}`'s inner `{token`) is left as typed by VS Code, and so ignored here.
 */
export function placeholders(message) {
  const keys = new Set();
  for (const m of message.matchAll(/\{([^}]+)\}/g)) if (/^(\d+|[A-Za-z_$][\w$]*)$/.test(m[1])) keys.add(m[1]);
  return [...keys];
}

/**
 * Every l10n.t call of the sources: where it is, its message (undefined when it is not a literal), its comment, and
 * its arguments: `positional` (how many), `named` (the property names of an object literal), or `unknown` (an object
 * that is not a literal, a spread: nothing can be checked about it).
 */
export function l10nCalls(root) {
  const calls = [];
  for (const file of sourceFiles(root)) {
    const sf = parse(root, file);
    const visit = (node) => {
      if (isL10nCall(node)) {
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
        const [first, ...rest] = node.arguments;
        let message, comment, args;
        if (first && ts.isObjectLiteralExpression(first)) {
          const prop = (name) =>
            first.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(sf) === name)?.initializer;
          message = literalText(prop('message'));
          const c = prop('comment');
          comment =
            c && ts.isArrayLiteralExpression(c) ? c.elements.map(literalText) : c ? [literalText(c)] : undefined;
          if (comment?.some((x) => x === undefined)) comment = null; // not literal
          const a = prop('args');
          args = argsOf(a ? [a] : [], true);
        } else {
          message = literalText(first);
          args = argsOf(rest, false);
        }
        calls.push({ file, line, message, comment, args, text: node.getText(sf) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return calls;
}

function argsOf(nodes, fromOptions) {
  if (nodes.some((n) => ts.isSpreadElement(n))) return { kind: 'unknown' };
  if (nodes.length === 1 && ts.isObjectLiteralExpression(nodes[0])) {
    const o = nodes[0];
    if (o.properties.some((p) => !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))))
      return { kind: 'unknown' };
    return { kind: 'named', names: o.properties.map((p) => p.name.getText()) };
  }
  if (fromOptions && nodes.length === 1 && ts.isArrayLiteralExpression(nodes[0])) {
    const a = nodes[0];
    return a.elements.some((e) => ts.isSpreadElement(e))
      ? { kind: 'unknown' }
      : { kind: 'positional', count: a.elements.length };
  }
  if (fromOptions && nodes.length === 1) return { kind: 'unknown' };
  return { kind: 'positional', count: nodes.length };
}

/** The bundle of these calls: keys in the order they first occur (files sorted), as `vscode-l10n-dev export` does. */
export function bundleOf(calls) {
  const bundle = {};
  for (const c of calls) {
    if (c.message === undefined || c.comment === null) continue;
    if (c.comment?.length) bundle[`${c.message}/${c.comment.join('')}`] = { message: c.message, comment: c.comment };
    else bundle[c.message] = c.message;
  }
  return bundle;
}

export const bundleText = (root) => JSON.stringify(bundleOf(l10nCalls(root)), null, 2) + '\n';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const text = bundleText(root);
  const target = join(root, BUNDLE);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      /* missing: not up to date */
    }
    if (current !== text) {
      console.error(`${BUNDLE} is not what the sources say: run \`npm run l10n:export\``);
      process.exit(1);
    }
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    console.log(`${BUNDLE}: ${Object.keys(JSON.parse(text)).length} messages`);
  }
}
