// Tiers by file name (STYLE.md): *.unit.spec.ts are pure, *.int.spec.ts need a database,
// *.e2e.spec.ts drive the HTTP app. One project per tier so `--selectProjects` picks a tier.
// Transpile only (no type check per file: `npm run typecheck` does that once); ts-jest has no native
// binaries, so `npm ci` works where only this platform's packages can be fetched.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];
const moduleNameMapper = {
  '^@eenplan/(domain|event-store|projections|security|messaging)$': '<rootDir>/libs/$1/src',
  '^@eenplan/(domain|event-store|projections|security|messaging)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const tier = (displayName, pattern, extra = {}) => ({
  displayName,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper,
  testMatch: [`<rootDir>/{apps,libs,test}/**/*.${pattern}.spec.ts`],
  ...extra,
});
module.exports = {
  // Per project this option is ignored by jest 29; real-server and app tests need more than 5 s.
  testTimeout: 60_000,
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int'),
    tier('e2e', 'e2e'),
  ],
};
