// Tiers by file name (STYLE.md): *.unit.spec.ts are pure, *.int.spec.ts need a database,
// *.e2e.spec.ts drive the HTTP app. One project per tier so `--selectProjects` picks a tier.
// Transpile only (no type check per file: `npm run typecheck` does that once); ts-jest has no native
// binaries, so `npm ci` works where only this platform's packages can be fetched.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];
const moduleNameMapper = {
  '^@eenplan/(domain|event-store|projections|security|messaging|runtime)$': '<rootDir>/libs/$1/src',
  '^@eenplan/(domain|event-store|projections|security|messaging|runtime)/(.*)$': '<rootDir>/libs/$1/src/$2',
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
/**
 * The e2e files run a second time against the PostgreSQL server (DATABASE_URL, or the local
 * default) when it answers. When it does not: with REQUIRE_INFRA=1 the run fails here, naming the
 * server; otherwise that project is left out with the reason printed.
 */
const e2eOnPostgres = () => {
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const probe = require('node:child_process').spawnSync(
    process.execPath,
    [
      '-e',
      `const c = new (require('pg').Client)({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
            c.connect().then(() => c.end()).then(() => process.exit(0), (e) => { console.log(e.message || e.code); process.exit(1); });`,
      url,
    ],
    { encoding: 'utf8', timeout: 8000, cwd: __dirname },
  );
  if (probe.status === 0)
    return [tier('e2e-postgres', 'e2e', { setupFiles: ['<rootDir>/test/support/e2e-postgres.setup.ts'] })];
  const message = `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} is unavailable (${(probe.stdout || probe.error?.message || '').trim()}); start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start`;
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`e2e on PostgreSQL: ${message}`);
  console.warn(`SKIPPED e2e on PostgreSQL: ${message} (set REQUIRE_INFRA=1 to fail instead)`);
  return [];
};

/**
 * And a third time with the events on KurrentDB (the read models on the PostgreSQL server) whenever
 * KURRENTDB_URL is set. CI has no KurrentDB server: without the variable the project is left out with
 * a notice, REQUIRE_INFRA=1 included; set but unreachable, REQUIRE_INFRA=1 fails the run.
 */
const e2eOnKurrentDb = () => {
  const url = process.env.KURRENTDB_URL;
  const howToStart =
    'docker compose -f infra/compose.yaml up -d --wait kurrentdb, then KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false';
  if (!url) {
    console.warn(
      `SKIPPED e2e on KurrentDB: KURRENTDB_URL is not set, so the KurrentDB suite was skipped. To run it: ${howToStart}`,
    );
    return [];
  }
  const probe = require('node:child_process').spawnSync(
    process.execPath,
    [
      '-e',
      `const { KurrentDBClient } = require('@kurrent/kurrentdb-client');
            const client = KurrentDBClient.connectionString(process.argv[1]);
            (async () => { for await (const _ of client.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 })) break; })()
              .then(() => client.dispose()).then(() => process.exit(0), (e) => { console.log(e.message || e.type || String(e)); process.exit(1); });`,
      url,
    ],
    { encoding: 'utf8', timeout: 15000, cwd: __dirname },
  );
  if (probe.status === 0)
    return [tier('e2e-kurrentdb', 'e2e', { setupFiles: ['<rootDir>/test/support/e2e-kurrentdb.setup.ts'] })];
  const message = `KurrentDB at ${url.replace(/:[^:@/]*@/, ':***@')} is unavailable (${(probe.stdout || probe.error?.message || '').trim()}); start it with: ${howToStart}`;
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`e2e on KurrentDB: ${message}`);
  console.warn(`SKIPPED e2e on KurrentDB: ${message} (set REQUIRE_INFRA=1 to fail instead)`);
  return [];
};

module.exports = {
  // Jest's default (cores - 1) is one worker on a 2-core machine, and most suites here wait on
  // servers and child processes rather than compute: two workers took CI's test step from 13.5 min.
  maxWorkers: Math.max(2, require('node:os').cpus().length - 1),
  // Per project this option is ignored by jest 29; real-server and app tests need more than 5 s.
  testTimeout: 60_000,
  reporters: ['default', ['<rootDir>/test/support/slowest-reporter.cjs', { top: 20 }]],
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int'),
    tier('e2e', 'e2e'),
    ...e2eOnPostgres(),
    ...e2eOnKurrentDb(),
  ],
};
