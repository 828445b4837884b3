import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/out/**', 'examples/*/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['broker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../../runtime/*', '../../api/*', '../../connectors/*', '../runtime/*', '../api/*', '../connectors/*'] }],
    },
  },
  {
    // The web console runs in the browser and reaches the worker only through the REST API.
    files: ['console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '**/runtime/*', '**/api/routes/*', '**/api/plugins/*', '**/broker/*', '**/cli/*', '**/connectors/*', '**/registry/*'] }],
    },
  },
  {
    files: ['console/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // Connectors see only the SDK: the runtime is an implementation detail they must not reach into.
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/runtime/*', '**/api/*', '**/broker/*', '**/cli/*'] }],
    },
  },
);
