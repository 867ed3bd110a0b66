// Tiers by file name (STYLE.md): *.unit.spec.ts are pure, *.int.spec.ts need a database,
// *.e2e.spec.ts drive the HTTP app. One project per tier so `--selectProjects` picks a tier.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } }];
const moduleNameMapper = {
  '^@eenplan/(domain|event-store|projections|security|messaging)$': '<rootDir>/libs/$1/src',
  '^@eenplan/(domain|event-store|projections|security|messaging)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const tier = (displayName, pattern, extra = {}) => ({
  displayName,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testMatch: [`<rootDir>/{apps,libs,test}/**/*.${pattern}.spec.ts`],
  ...extra,
});
module.exports = {
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int', { testTimeout: 60_000 }),
    tier('e2e', 'e2e', { testTimeout: 60_000 }),
  ],
};
