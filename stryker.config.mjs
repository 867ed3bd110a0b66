// @ts-check
/**
 * Mutation testing of the domain (`npm run test:mutation`): StrykerJS changes libs/domain/src one
 * mutant at a time and runs its unit tests; a mutant no test notices is a mistake the tests let
 * through. The run fails below a mutation score of 90%. Incremental: reports/stryker-incremental.json
 * keeps the previous results, so a second run tests only the mutants of changed code or tests.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  mutate: ['libs/domain/src/**/*.ts'],
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'stryker.jest.config.js', enableFindRelatedTests: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  coverageAnalysis: 'perTest',
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The sandbox copies the project; the domain's tests need only libs/ and the root configs.
  ignorePatterns: [
    '/apps',
    '/test',
    '/scripts',
    '/bench',
    '/docs',
    '/infra',
    '/dist',
    '/reports',
    '/coverage',
    '/data',
  ],
  tempDirName: 'reports/.stryker-tmp',
  cleanTempDir: 'always',
};
