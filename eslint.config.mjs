// ESLint (flat config): typescript-eslint's recommended type-checked rules on the TypeScript, the
// recommended rules on the plain JavaScript (the bench, the test runner, the pages' script), and
// eslint-config-prettier last, so that Prettier alone decides the layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }];

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'var/', 'coverage/', 'test-artifacts/', 'bench/results/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Nest injects by the constructor's parameter types (emitDecoratorMetadata): a class imported
      // only for such a type must stay a value import, so consistent-type-imports stays off. A
      // parameter that a decorator, an interface or Express requires but the code does not read is
      // named with a leading underscore.
      '@typescript-eslint/no-unused-vars': unusedVars,
    },
  },
  {
    // supertest types an answer's `body` as `any`: in the integration tests the no-unsafe-* rules
    // would flag every assertion on an answer without finding anything.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The bench, the test runner and the Babel plugin are CommonJS scripts outside the TypeScript project.
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { 'no-unused-vars': unusedVars },
  },
  {
    // The pages' progressive-enhancement script runs in the browser.
    files: ['templates/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  prettier,
);
