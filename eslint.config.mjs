// Lint rules: typescript-eslint's type-aware recommended set, plus the determinism rules Temporal
// needs in workflow code (no Node built-ins, no I/O) and no `any` leaking through public signatures.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import patterns that would let code do I/O: forbidden in workflow code and the pure layers. */
const NO_IO = [
  { group: ['node:*', 'fs', 'http', 'https', 'net', 'child_process', 'os', 'crypto'], message: 'Workflow and pure rollout code must not do I/O.' },
  {
    group: ['@kubernetes/*', '@temporalio/activity', '@temporalio/client', '@temporalio/worker', 'prom-client'],
    message: 'Workflow and pure rollout code must not do I/O.',
  },
];

/** A pure layer: no I/O, nothing of Temporal, and only the imports `outside` allows. */
function pureLayer(dir, outside) {
  const temporal = { group: ['@temporalio/*'], message: 'The pure layers need nothing of Temporal.' };
  return { files: [`${dir}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns: [...NO_IO, temporal, outside] }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', '.stack/**', 'eslint.config.mjs', 'scripts/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself tracks.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/rollout/**/*.ts', 'src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...NO_IO],
        },
      ],
    },
  },
  // The pure layers' direction: src/rollout stands alone; src/api builds on it and nothing else.
  pureLayer('src/rollout', { group: ['../*'], message: 'src/rollout imports nothing outside itself (docs/architecture.md, Layers).' }),
  pureLayer('src/api', { group: ['../*', '!../rollout'], message: 'src/api imports only src/rollout (docs/architecture.md, Layers).' }),
);
