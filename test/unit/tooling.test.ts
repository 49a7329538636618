/**
 * The checks the static tier relies on are really on, for every file they are meant for:
 *
 * - typed lint: each TypeScript file under src/ and test/ is in the project of its nearest tsconfig.json (where
 *   typescript-eslint's project service and editors look for it; the webview pages have their own, DOM and no Node),
 *   and the promise rules are errors there; in src/ even a `void` promise needs a rejection handler;
 * - layering: src/core imports nothing from src/shared (nor vscode, ui, webview);
 * - scripts: each tier `npm test` runs has its `npm run test:<tier>`, which is test/run-all.mjs with that tier only;
 * - import cycles: eslint-rules/no-import-cycle.mjs finds a cycle through any kind of import (type-only, lazy
 *   `require()`, `typeof import()`), names its chain, and leaves acyclic imports alone.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from 'typescript';
import { repoRoot } from '../support/fixtures';

const root = repoRoot();
const rel = (p: string): string => relative(root, p).split(sep).join('/');

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir))) {
    const p = join(dir, name);
    if (name === 'node_modules' || p === join('test', 'harness')) continue;
    if (statSync(join(root, p)).isDirectory()) tsFiles(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(join(root, p));
  }
  return out;
}

interface LintConfig {
  readonly rules?: Record<string, unknown>;
  readonly languageOptions?: { readonly parserOptions?: { readonly projectService?: unknown } };
}

async function lintConfigOf(file: string): Promise<LintConfig> {
  // eslint has no type declarations of its own here; the one method this test needs is typed by hand
  const { ESLint } = (await import('eslint')) as unknown as {
    ESLint: new (o: { cwd: string }) => { calculateConfigForFile(f: string): Promise<LintConfig> };
  };
  return new ESLint({ cwd: root }).calculateConfigForFile(join(root, file));
}

const severity = (rule: unknown): unknown => (Array.isArray(rule) ? rule[0] : rule);

describe('tooling: what the static tier checks covers every file', () => {
  it('every TypeScript file is in the project of its nearest tsconfig.json (typed lint, editors)', function () {
    this.timeout(60_000);
    const projects = new Map<string, Set<string>>();
    const missing: string[] = [];
    for (const file of [...tsFiles('src'), ...tsFiles('test')]) {
      const config = ts.findConfigFile(dirname(file), ts.sys.fileExists);
      assert.ok(config, `no tsconfig.json above ${rel(file)}`);
      let files = projects.get(config);
      if (!files) {
        const parsed = ts.getParsedCommandLineOfConfigFile(
          config,
          {},
          {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (d) =>
              assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
          },
        );
        assert.ok(parsed, `cannot read ${rel(config)}`);
        files = new Set(parsed.fileNames.map((f) => rel(f)));
        projects.set(config, files);
      }
      if (!files.has(rel(file))) missing.push(`${rel(file)} (nearest: ${rel(config)})`);
    }
    assert.deepEqual(missing, [], 'files outside the project their nearest tsconfig.json defines');
    // the webview pages are checked as browser code, not as part of the Node project
    const webview = ts.findConfigFile(join(root, 'src', 'webview'), ts.sys.fileExists)!;
    const options = ts.getParsedCommandLineOfConfigFile(
      webview,
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    )!.options;
    assert.ok(
      options.lib?.some((l) => /dom/i.test(l)),
      `${rel(webview)} does not have the DOM library`,
    );
  });

  for (const file of [
    'src/core/config/lint.ts',
    'src/ui/tree/trees.ts',
    'src/webview/forms.ts',
    'src/extension.ts',
    'test/unit/tooling.test.ts',
    'sandbox/index.ts',
  ]) {
    it(`the promise rules are type-aware errors for ${file}`, async function () {
      this.timeout(60_000);
      const config = await lintConfigOf(file);
      assert.ok(
        config.languageOptions?.parserOptions?.projectService,
        'no projectService: the rules would have no types',
      );
      const floating = config.rules?.['@typescript-eslint/no-floating-promises'];
      assert.equal(severity(floating), 2, 'no-floating-promises is not an error');
      assert.equal(
        severity(config.rules?.['@typescript-eslint/no-misused-promises']),
        2,
        'no-misused-promises is not an error',
      );
      const ignoreVoid = Array.isArray(floating)
        ? (floating[1] as { ignoreVoid?: boolean } | undefined)?.ignoreVoid
        : undefined;
      if (file.startsWith('src/'))
        assert.equal(ignoreVoid, false, 'in src/ a voided promise must still handle its rejection');
    });
  }

  it('src/core may not import src/shared (nor vscode, ui, webview)', async function () {
    this.timeout(60_000);
    const { Linter } = (await import('eslint')) as unknown as {
      Linter: new () => { verify(code: string, config: unknown, file: string): { ruleId: string | null }[] };
    };
    const tseslint = (await import('typescript-eslint')) as unknown as { parser: unknown };
    for (const file of ['src/core/prove/types.ts', 'src/core/config/lint.ts', 'src/core/model/providerTypes.ts']) {
      // the rule as configured for this file, run on imports it must refuse and one it must allow
      const rule = (await lintConfigOf(file)).rules?.['no-restricted-imports'];
      const config = [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-imports': rule } },
      ];
      const refused = (code: string): boolean =>
        new Linter().verify(code, config, join(root, file)).some((m) => m.ruleId === 'no-restricted-imports');
      for (const spec of [
        '../../shared/prove/protocol',
        '../../shared/protocol',
        'vscode',
        '../../ui/prove/view',
        '../../webview/forms',
      ]) {
        assert.ok(refused(`import type { X } from '${spec}';\n`), `${file} may import ${spec}`);
      }
      assert.ok(
        !refused("import { providerType } from '../model/providerTypes';\n"),
        `${file} may not import the provider-type table`,
      );
    }
  });
});

describe('tooling: one webview host', () => {
  const uses = (needle: RegExp): string[] =>
    tsFiles('src')
      .filter((f) => needle.test(readFileSync(f, 'utf8')))
      .map(rel)
      .sort();

  it('only src/ui/webviews/html.ts writes a Content-Security-Policy (one CSP builder for every page)', () => {
    assert.deepEqual(uses(/Content-Security-Policy|default-src/), ['src/ui/webviews/html.ts']);
  });

  it('only the two panel hosts (forms, view-model pages) create webview panels', () => {
    assert.deepEqual(uses(/createWebviewPanel\(/), ['src/ui/webviews/formPanel.ts', 'src/ui/webviews/modelPanel.ts']);
  });
});

describe('tooling: one script per test tier', () => {
  it('npm run test:<tier> runs test/run-all.mjs with that tier, for every tier npm test runs', () => {
    const runAll = readFileSync(join(root, 'test', 'run-all.mjs'), 'utf8');
    const defaults = /process\.env\.KDCR_TIERS \|\|\s*'([a-z,]+)'/.exec(runAll);
    assert.ok(defaults, "test/run-all.mjs: the default tier list (KDCR_TIERS || '…') not found");
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const tier of defaults[1]!.split(',')) {
      assert.equal(scripts[`test:${tier}`], `node test/run-all.mjs ${tier}`, `package.json script test:${tier}`);
    }
    assert.equal(scripts['test'], 'node test/run-all.mjs');
    assert.equal(scripts['test:unit:watch'], 'node test/unit-watch.mjs');
  });
});

describe('tooling: the import-cycle rule', () => {
  interface Message {
    readonly ruleId: string | null;
    readonly message: string;
    readonly line: number;
  }
  type LintFile = (file: string) => Message[];
  let dir: string;
  let lintFile: LintFile;

  before(async function () {
    this.timeout(60_000);
    dir = mkdtempSync(join(tmpdir(), 'kdcr-cycles-'));
    const files: Record<string, string> = {
      // a type-only cycle: erased at run time, still a cycle
      'a.ts': "import type { B } from './b';\nexport const a = (b: B): number => b.n;\n",
      'b.ts': "import { a } from './a';\nexport interface B { n: number }\nexport const useA = a;\n",
      // a cycle through a lazy require() three modules long
      'c.ts': "export function load(): unknown {\n  return require('./d');\n}\n",
      'd.ts': "export * from './e';\n",
      'e.ts': "import { load } from './c.js';\nexport const e = load;\n",
      // a cycle through `typeof import()`
      'f.ts': "export type G = typeof import('./g');\n",
      'g.ts': "import type { G } from './f';\nexport const g: G | undefined = undefined;\n",
      // no cycle: h → i, i imports nothing back; a package import is ignored
      'h.ts': "import { i } from './i';\nimport * as path from 'node:path';\nexport const h = i + path.sep;\n",
      'i.ts': "export const i = 'i';\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const plugin = (await import(pathToFileURL(join(root, 'eslint-rules', 'no-import-cycle.mjs')).href)) as {
      default: unknown;
    };
    const { Linter } = (await import('eslint')) as unknown as {
      Linter: new (o: { cwd: string }) => { verify(code: string, config: unknown, file: string): Message[] };
    };
    const tseslint = (await import('typescript-eslint')) as unknown as { parser: unknown };
    const linter = new Linter({ cwd: dir });
    const config = [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { local: plugin.default },
        rules: { 'local/no-import-cycle': 'error' },
      },
    ];
    lintFile = (name) => linter.verify(files[name]!, config, join(dir, name));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const cycles = (name: string): string[] =>
    lintFile(name).map((m) => {
      assert.equal(m.ruleId, 'local/no-import-cycle', m.message);
      return `${m.line}: ${m.message.replace(/\. Move what.*$/, '')}`;
    });

  it('reports a type-only cycle on the import that closes it, from both ends', () => {
    assert.deepEqual(cycles('a.ts'), ['1: Import cycle: a.ts → b.ts → a.ts']);
    assert.deepEqual(cycles('b.ts'), ['1: Import cycle: b.ts → a.ts → b.ts']);
  });

  it('follows a lazy require(), re-exports and a .js specifier', () => {
    assert.deepEqual(cycles('c.ts'), ['2: Import cycle: c.ts → d.ts → e.ts → c.ts']);
    assert.deepEqual(cycles('e.ts'), ['1: Import cycle: e.ts → c.ts → d.ts → e.ts']);
  });

  it('follows typeof import()', () => {
    assert.deepEqual(cycles('f.ts'), ['1: Import cycle: f.ts → g.ts → f.ts']);
  });

  it('leaves imports without a way back alone', () => {
    assert.deepEqual(cycles('h.ts'), []);
    assert.deepEqual(cycles('i.ts'), []);
  });
});
