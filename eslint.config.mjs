// Flat config. The rule that matters most: nothing under src/core or src/shared may import `vscode`
// (or touch the DOM), so the core stays testable in plain Node and reusable outside VS Code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/harness/**', '.vscode-test/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', Buffer: 'readonly', performance: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      // `import { z } from 'zod'` drags every locale into the bundle (+350 KB); the namespace import tree-shakes.
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value=/^zod/] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
        message: "Use `import * as z from 'zod'` (tree-shakes; the `z` export pulls in every locale).",
      }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core and src/shared must not import vscode: put VS Code glue under src/ui.' },
        ],
        patterns: [{ group: ['vscode/*', '**/ui/**', '**/webview/**'], message: 'core/shared may not depend on the VS Code or webview layers.' }],
      }],
      'no-restricted-globals': ['error', { name: 'document', message: 'No DOM in core/shared.' }, { name: 'window', message: 'No DOM in core/shared.' }],
    },
  },
  {
    // The browser-safe part of the core, which the webview bundles: the provider-type table, the provider lint pack and
    // the forms' view-models and warnings. They import nothing but each other (no zod, no yaml, no node), so the page
    // stays small and runs in a browser.
    files: ['src/core/model/providerTypes.ts', 'src/core/model/providerRules.ts', 'src/core/forms/fields.ts', 'src/core/forms/warnings.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!(\\.\\./model/|\\./)(providerTypes|providerRules)$|\\./fields$).*', message: 'The webview bundles this file: import nothing but the provider-type table, the provider lint pack and the forms\' fields.' }],
      }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '/core/(?!model/providerTypes$|model/providerRules$|forms/fields$|forms/warnings$)',
          message: 'The webview may import from src/core only its browser-safe files: core/model/providerTypes, core/model/providerRules, core/forms/fields and core/forms/warnings.',
        }],
      }],
    },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
