import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/out/**'] },
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
    // Connectors see only the SDK: the runtime is an implementation detail they must not reach into.
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/runtime/*', '**/api/*', '**/broker/*', '**/cli/*'] }],
    },
  },
);
