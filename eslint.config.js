// ESLint (flat config): typescript-eslint's type-checked recommended rules for the TypeScript, the hooks rules for
// the Preact components (Preact's hooks follow React's rules; eslint-plugin-react-hooks goes by the `use` names),
// plain recommended rules for the Node scripts. Formatting is Prettier's (`prettier --check .`), not ESLint's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  globalIgnores(['.output/', '.wxt/', 'node_modules/', 'test-results/', 'playwright-report/', '.tmp/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.webextensions },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An `async` function without `await` is how a fake or a handler keeps a Promise-returning signature (and turns
      // a throw into a rejection): allowed.
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The two rules of hooks. The plugin's React Compiler rules are left out: they take a Preact signal's
    // `.value = ...` (how the panel's store is written) for a mutation of a frozen value.
    files: ['**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Node scripts (demo server, bench, test support): no type information, Node's globals.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Tests and benches run in Node (and drive browsers): Node's globals too.
    files: ['tests/**', 'bench/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
]);
