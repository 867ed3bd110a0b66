// Type-aware rules catch the mistakes that matter here: floating promises (a lost append),
// misused promises in callbacks, and any-typed leaks across the ports.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'infra/kafka/lib/**',
      '*.js',
      '*.mjs',
      'test/fixtures/**/*.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // A driver only some settings use is required where it is first needed, not imported with
      // its library: the embedded default never loads kafkajs or node-postgres (docs/MEASUREMENTS.md).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^kafkajs$', '^pg$'] }],
    },
  },
  {
    // Plain JavaScript that runs before anything is compiled (scripts/build-if-stale.mjs), or as an
    // ES module beside the CommonJS tests (test/support/oidc-provider.mjs): outside the TypeScript
    // project, so linted without type information.
    files: ['scripts/**/*.mjs', 'test/support/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'module' },
  },
  {
    // jest's own plug-ins (test/support/slowest-reporter.cjs): CommonJS, loaded by jest as they are.
    files: ['test/support/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // An any that slips in (an untyped CommandBus result, JSON.parse, a driver's callback) is caught
    // where it is used. Not in test/: there nearly every use is supertest's `res.body` (478 sites,
    // typed any by supertest), which the expectations check value by value.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
    },
  },
);
