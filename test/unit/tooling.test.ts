/**
 * The checks the static tier relies on are really on, for every file they are meant for:
 *
 * - typed lint: each TypeScript file under src/ and test/ is in the project of its nearest tsconfig.json (where
 *   typescript-eslint's project service and editors look for it; the webview pages have their own, DOM and no Node),
 *   and the promise rules are errors there; in src/ even a `void` promise needs a rejection handler.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
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
    'test/sandbox/index.ts',
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
});
