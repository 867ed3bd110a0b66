/**
 * Applies the schema migrations (the API and worker also do this at start):
 *   npm run migrate                       # PGlite in DATA_DIR, or the server at DATABASE_URL
 */
import { createSql, migrate } from '@eenplan/event-store';
import { loadConfig, allMigrations } from '@eenplan/runtime';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';

const main = async () => {
  // What an eenplan process writes (PGlite's files, keys, the local secret) is its user's only.
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  const sql = await createSql(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { dataDir: config.pgliteDir === 'memory' ? undefined : config.pgliteDir },
  );
  try {
    const applied = await migrate(sql, allMigrations());
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  } finally {
    await sql.close();
  }
};

main().catch((e) => {
  process.stderr.write(`migrate failed: ${(e as Error).message}\n`);
  process.exit(1);
});
