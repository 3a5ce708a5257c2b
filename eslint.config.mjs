import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'out/',
      'dist/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      '.electron-native/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src-renderer/**', 'src-main/hosts/web/bridge-client.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The renderer sees only the API contract, and only its types.
    files: ['src-renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@api/*', '!@api/contract'],
              message: 'The renderer may import only the API contract.',
            },
            { group: ['@api/contract'], allowTypeImports: true, message: 'Types only.' },
            { group: ['**/src-main/**'], message: 'Use @api/contract (types only).' },
          ],
        },
      ],
    },
  },
  {
    // One gateway to the database: only src-main/store opens it.
    files: ['**/*.ts'],
    ignores: ['src-main/store/**', 'tests/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'better-sqlite3', message: 'Only src-main/store/ opens the database.' }],
        },
      ],
    },
  },
  {
    // The simulated kernel is pure and deterministic: no Node, no Electron, no wall clock, no randomness.
    files: ['src-main/kernel/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'electron', 'fs', 'path', 'os', 'better-sqlite3'] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the virtual clock.' },
        { object: 'Math', property: 'random', message: 'Use the seeded PRNG.' },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
)
