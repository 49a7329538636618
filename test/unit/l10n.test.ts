/**
 * Runtime strings are localizable: the VS Code layer (src/extension.ts, src/main.ts, src/ui/**) shows its texts
 * through `vscode.l10n.t(...)`, and l10n/bundle.l10n.json (what `npm run l10n:export`, scripts/l10n-export.mjs,
 * writes) holds each message once. Read from the sources with the TypeScript compiler, so nothing runs:
 *
 * - every message is a literal (a variable could not be exported, nor translated);
 * - the checked-in bundle is exactly what the export writes: every message is a key, every key is used;
 * - `{0}` / `{name}` placeholders match the arguments given (VS Code leaves an unfilled one as typed);
 * - no message, confirmation, button, or quick pick / input box text of src/ui is a bare literal any more.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from 'typescript';
import { repoRoot } from '../support/fixtures';

interface Call {
  file: string;
  line: number;
  message: string | undefined;
  comment: string[] | null | undefined;
  args: { kind: 'positional'; count: number } | { kind: 'named'; names: string[] } | { kind: 'unknown' };
  text: string;
}

interface Exporter {
  SOURCES: string[];
  BUNDLE: string;
  sourceFiles(root: string): string[];
  parse(root: string, file: string): ts.SourceFile;
  isL10nCall(node: ts.Node): boolean;
  placeholders(message: string): string[];
  l10nCalls(root: string): Call[];
  bundleOf(calls: Call[]): Record<string, unknown>;
  bundleText(root: string): string;
}

const root = repoRoot();
const load = async (): Promise<Exporter> =>
  (await import(pathToFileURL(join(root, 'scripts', 'l10n-export.mjs')).href)) as Exporter;
const at = (c: { file: string; line: number }): string => `${c.file}:${c.line}`;

/** The calls whose text arguments a user reads: toasts and modals (VS Code's and ours, Prompts) and their buttons. */
const MESSAGE_CALLS: Record<string, number> = {
  showInformationMessage: 0,
  showWarningMessage: 0,
  showErrorMessage: 0,
  // Prompts.notify(severity, text, items) and Prompts.confirm(id, message, detail, action): from the second argument
  notify: 1,
  confirm: 1,
  setStatusBarMessage: 0,
  // the Testing view's items: createTestItem(id, label)
  createTestItem: 1,
};
/** Texts set on tree items, status bar items, test items and the like, by assignment (`item.tooltip = '…'`). */
const ASSIGNED_TEXTS = new Set(['text', 'tooltip', 'description']);
/** Calls taking options whose `title` / `placeHolder` / `prompt` / `detail` a user reads. */
const OPTION_CALLS = new Set(['showQuickPick', 'showInputBox', 'pick', 'pickMany', 'input', 'withProgress']);
const OPTION_TEXTS = new Set(['title', 'placeHolder', 'prompt', 'detail']);

/** A text with words in it: an id such as `'info'`, a bare `'$(cloud)'` or a URL is not a sentence to translate. */
const hasWords = (s: string): boolean =>
  /[A-Za-z]{2}/.test(s.replace(/\$\([\w~-]+\)/g, '').replace(/\b[a-z][\w+.-]*:\/\/\S*/g, ''));

/**
 * The bare string and template literals an expression evaluates to (through `?:`, `??`, `||`, `+`, parentheses and
 * array literals). A call is not entered: `l10n.t('…')` is what it should be, and another call's result is a name or
 * a text made elsewhere.
 */
function bareTexts(node: ts.Expression, out: ts.Node[] = []): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    if (hasWords(node.text)) out.push(node);
  } else if (ts.isTemplateExpression(node)) {
    if (hasWords([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' '))) out.push(node);
  } else if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) bareTexts(node.expression, out);
  else if (ts.isConditionalExpression(node)) {
    bareTexts(node.whenTrue, out);
    bareTexts(node.whenFalse, out);
  } else if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (
      op === ts.SyntaxKind.PlusToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.BarBarToken
    ) {
      bareTexts(node.left, out);
      bareTexts(node.right, out);
    }
  } else if (ts.isArrayLiteralExpression(node)) for (const e of node.elements) bareTexts(e, out);
  return out;
}

const calleeName = (call: ts.CallExpression): string | undefined => {
  const c = call.expression;
  return ts.isPropertyAccessExpression(c) ? c.name.text : ts.isIdentifier(c) ? c.text : undefined;
};

/** `file:line text` for each user-facing text of `files` that is not given through l10n.t. */
export function unwrappedTexts(ex: Exporter, files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const sf = ex.parse(root, file);
    const report = (n: ts.Node, why: string): void => {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      found.push(`${file}:${line} ${why}: ${n.getText(sf).replace(/\s+/g, ' ').slice(0, 100)}`);
    };
    const options = (arg: ts.Expression, why: string): void => {
      if (!ts.isObjectLiteralExpression(arg)) return;
      for (const p of arg.properties)
        if (ts.isPropertyAssignment(p) && OPTION_TEXTS.has(p.name.getText(sf)))
          for (const t of bareTexts(p.initializer)) report(t, `${why} ${p.name.getText(sf)}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && !ex.isL10nCall(node)) {
        const name = calleeName(node);
        if (name !== undefined && Object.hasOwn(MESSAGE_CALLS, name))
          for (const arg of node.arguments.slice(MESSAGE_CALLS[name])) {
            for (const t of bareTexts(arg)) report(t, name);
            options(arg, name);
          }
        if (name !== undefined && OPTION_CALLS.has(name)) for (const arg of node.arguments) options(arg, name);
      }
      // new vscode.TreeItem(label, …)
      if (ts.isNewExpression(node) && /(^|\.)TreeItem$/.test(node.expression.getText(sf)) && node.arguments?.[0])
        for (const t of bareTexts(node.arguments[0])) report(t, 'TreeItem');
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        ASSIGNED_TEXTS.has(node.left.name.text)
      )
        for (const t of bareTexts(node.right)) report(t, `.${node.left.name.text} =`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('runtime localization (vscode.l10n, l10n/bundle.l10n.json)', function () {
  this.timeout(60_000); // parses the whole VS Code layer, on shared cores
  let ex: Exporter;
  let calls: Call[];
  before(async () => {
    ex = await load();
    calls = ex.l10nCalls(root);
  });

  it('reads the VS Code layer and finds its l10n.t calls (none in src/core)', () => {
    assert.deepEqual(ex.SOURCES, ['src/extension.ts', 'src/main.ts', 'src/ui']);
    const files = ex.sourceFiles(root);
    assert.ok(files.includes('src/extension.ts') && files.includes('src/ui/platform/prompts.ts'), files.join(', '));
    assert.ok(!files.some((f) => f.startsWith('src/core/')));
    assert.ok(calls.length >= 50, `${calls.length} l10n.t calls`);
  });

  it('every l10n.t message is a literal: no variable, no template with substitutions', () => {
    assert.deepEqual(
      calls.filter((c) => c.message === undefined || c.comment === null).map((c) => `${at(c)} ${c.text}`),
      [],
    );
  });

  it('l10n.t is only ever called directly: no alias (`const t = vscode.l10n.t`, `{ t } = l10n`) hides a message', () => {
    const aliased: string[] = [];
    for (const file of ex.sourceFiles(root)) {
      const sf = ex.parse(root, file);
      const at = (n: ts.Node): string =>
        `${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} ${n.parent.getText(sf).slice(0, 80)}`;
      const visit = (n: ts.Node): void => {
        const isT =
          ts.isPropertyAccessExpression(n) &&
          n.name.text === 't' &&
          /(^|\.)l10n$/.test(n.expression.getText(sf).replace(/\s/g, ''));
        if (isT && !(ts.isCallExpression(n.parent) && n.parent.expression === n)) aliased.push(at(n));
        // `const { t } = vscode.l10n` / `import { l10n as x }`
        if (
          ts.isVariableDeclaration(n) &&
          ts.isObjectBindingPattern(n.name) &&
          n.initializer?.getText(sf).endsWith('l10n')
        )
          aliased.push(at(n.name));
        if (ts.isImportSpecifier(n) && (n.propertyName ?? n.name).text === 'l10n' && n.name.text !== 'l10n')
          aliased.push(at(n));
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    assert.deepEqual(aliased, []);
  });

  it('l10n/bundle.l10n.json is exactly what `npm run l10n:export` writes from the sources', () => {
    const bundle = JSON.parse(readFileSync(join(root, ex.BUNDLE), 'utf8')) as Record<string, unknown>;
    const wanted = ex.bundleOf(calls);
    const missing = Object.keys(wanted).filter((k) => !(k in bundle));
    const unused = Object.keys(bundle).filter((k) => !(k in wanted));
    assert.deepEqual(missing, [], 'messages missing from the bundle: run `npm run l10n:export`');
    assert.deepEqual(unused, [], 'bundle keys no l10n.t call uses: run `npm run l10n:export`');
    for (const [k, v] of Object.entries(bundle)) assert.deepEqual(v, wanted[k], `the bundle's value of ${k}`);
    assert.equal(readFileSync(join(root, ex.BUNDLE), 'utf8'), ex.bundleText(root), 'byte for byte (order, format)');
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    assert.equal(scripts['l10n:export'], 'node scripts/l10n-export.mjs');
  });

  it("package.json's l10n points at the bundle's folder", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(pkg.l10n, './l10n');
    assert.equal(join(root, pkg.l10n, 'bundle.l10n.json'), join(root, ex.BUNDLE));
  });

  it('the {n} / {name} placeholders of each message match the arguments given', () => {
    const wrong: string[] = [];
    for (const c of calls) {
      if (c.message === undefined) continue;
      const keys = ex.placeholders(c.message);
      const indices = keys.filter((k) => /^\d+$/.test(k)).map(Number);
      const names = keys.filter((k) => !/^\d+$/.test(k));
      if (c.args.kind === 'unknown') wrong.push(`${at(c)} arguments that cannot be checked: ${c.text}`);
      else if (c.args.kind === 'positional') {
        const expected = Array.from({ length: c.args.count }, (_, i) => i);
        if (names.length || JSON.stringify([...indices].sort((a, b) => a - b)) !== JSON.stringify(expected))
          wrong.push(`${at(c)} {${keys.join('},{')}} for ${c.args.count} argument(s): ${c.text}`);
      } else if (indices.length || JSON.stringify([...names].sort()) !== JSON.stringify([...c.args.names].sort()))
        wrong.push(`${at(c)} {${keys.join('},{')}} for {${c.args.names.join(', ')}}: ${c.text}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('no toast, modal, button or quick pick / input box text of the VS Code layer is a bare literal', () => {
    const files = ex.sourceFiles(root);
    assert.ok(files.length >= 70, `${files.length} files`);
    assert.deepEqual(unwrappedTexts(ex, files), []);
  });

  it('the guard itself: it catches bare texts, templates, buttons and option texts, and lets l10n.t and ids through', () => {
    const sample = 'src/ui/__sample__.ts';
    const text = [
      "notify('info', 'Konnect DCR: signed in.');",
      "notify('error', `Konnect DCR: ${m} failed`, ['Show Log']);",
      "vscode.window.showErrorMessage(ok ? 'Yes it is' : vscode.l10n.t('No'));",
      "confirm('delete.confirm', vscode.l10n.t('Delete {0}?', n), 'It cannot be undone.', vscode.l10n.t('Delete'));",
      "prompts.pick('x', items, { title: 'Pick one', placeHolder: vscode.l10n.t('Type') });",
      "notify('info', vscode.l10n.t('Konnect DCR: {0}', m), [vscode.l10n.t('Show Log')]);",
      "notify('warning', message, items);",
      "vscode.window.showInformationMessage('$(cloud)', { modal: true, detail: 'Some detail' });",
      "prompts.input('u', { placeHolder: 'http://127.0.0.1:4010' });",
      "item.tooltip = `Click to switch ${name}`; item.description = vscode.l10n.t('ok'); item.text = '$(cloud)';",
      "const node = new vscode.TreeItem('DCR provider', C.None); vscode.window.setStatusBarMessage('Copied', 4000);",
    ].join('\n');
    const stub: Exporter = {
      ...ex,
      parse: (r, f) => (f === sample ? ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true) : ex.parse(r, f)),
    };
    assert.deepEqual(
      unwrappedTexts(stub, [sample]).map((l) => l.slice(sample.length + 1)),
      [
        "1 notify: 'Konnect DCR: signed in.'",
        '2 notify: `Konnect DCR: ${m} failed`',
        "2 notify: 'Show Log'",
        "3 showErrorMessage: 'Yes it is'",
        "4 confirm: 'It cannot be undone.'",
        "5 pick title: 'Pick one'",
        "8 showInformationMessage detail: 'Some detail'",
        '10 .tooltip =: `Click to switch ${name}`',
        "11 TreeItem: 'DCR provider'",
        "11 setStatusBarMessage: 'Copied'",
      ],
    );
  });
});
