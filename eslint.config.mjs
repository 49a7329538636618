// Flat config. The rule that matters most: nothing under src/core or src/shared may import `vscode`
// (or touch the DOM), so the core stays testable in plain Node and reusable outside VS Code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/no-import-cycle.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/harness/**', '.vscode-test/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    plugins: { local },
    rules: {
      // type-only imports and lazy require() included: see eslint-rules/no-import-cycle.mjs for why
      'local/no-import-cycle': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      // `import { z } from 'zod'` drags every locale into the bundle (+350 KB); the namespace import tree-shakes.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value=/^zod/] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: "Use `import * as z from 'zod'` (tree-shakes; the `z` export pulls in every locale).",
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'src/core and src/shared must not import vscode: put VS Code glue under src/ui.',
            },
          ],
          patterns: [
            {
              group: ['vscode/*', '**/ui/**', '**/webview/**'],
              message: 'core/shared may not depend on the VS Code or webview layers.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'document', message: 'No DOM in core/shared.' },
        { name: 'window', message: 'No DOM in core/shared.' },
      ],
    },
  },
  {
    // The core is the bottom layer: src/shared (the webview protocol) builds on it, never the other way round. What
    // the webview needs from the core it imports from the core's browser-safe files (below).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'src/core and src/shared must not import vscode: put VS Code glue under src/ui.',
            },
          ],
          patterns: [
            {
              group: ['vscode/*', '**/ui/**', '**/webview/**'],
              message: 'core/shared may not depend on the VS Code or webview layers.',
            },
            {
              group: ['**/shared/**'],
              message:
                'src/core may not import src/shared: move what both need into src/core, or the code into src/ui.',
            },
          ],
        },
      ],
    },
  },
  {
    // The browser-safe part of the core, which the webview bundles: the provider-type table, the provider lint pack and
    // the forms' view-models and warnings. They import nothing but each other (no zod, no yaml, no node), so the page
    // stays small and runs in a browser.
    files: [
      'src/core/model/providerTypes.ts',
      'src/core/model/providerRules.ts',
      'src/core/forms/fields.ts',
      'src/core/forms/warnings.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(\\.\\./model/|\\./)(providerTypes|providerRules)$|\\./fields$).*',
              message:
                "The webview bundles this file: import nothing but the provider-type table, the provider lint pack and the forms' fields.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/core/(?!model/providerTypes$|model/providerRules$|forms/fields$|forms/warnings$)',
              message:
                'The webview may import from src/core only its browser-safe files: core/model/providerTypes, core/model/providerRules, core/forms/fields and core/forms/warnings.',
            },
          ],
        },
      ],
    },
  },
  {
    // Type-aware rules for every TypeScript file: each file is checked in the project that compiles it (the project
    // service finds the nearest tsconfig.json; src/webview/tsconfig.json is the webview one). A promise nobody awaits
    // loses its rejection (an unhandled rejection in the extension host, an error nobody sees); a promise where a
    // void callback is expected (a VS Code event handler, `forEach`, a condition) runs unobserved the same way.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // In the extension `void` does not excuse a promise either: a rejection nobody handles surfaces in the shared
    // extension host as an anonymous "rejected promise not handled" (or nowhere), so fire-and-forget work ends in a
    // handler that says what its failure means (log it, ignore it on purpose). Test tools may `void`: their Node
    // process dies loudly on an unhandled rejection, which is what a test wants.
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }] },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
