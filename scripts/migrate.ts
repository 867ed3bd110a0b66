/**
 * Applies the schema migrations (the API and worker also do this at start):
 *   npm run migrate                       # the embedded database in DATA_DIR, or the server at DATABASE_URL
 * Exit code 0 when the schema is up to date, 1 when a migration failed, 2 on a wrong argument or
 * setting, or when a migration that already ran was edited since (its checksum differs).
 */
import { createSql } from '@eenplan/event-store';
import { ConfigError, loadConfig, storeSqlConfig, migrateApp } from '@eenplan/runtime';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';
import { commandLine } from './cli';

const usage = `usage: npm run migrate
  applies the schema migrations to the embedded database in DATA_DIR (default ./data; its
  PostgreSQL cluster, or PGlite with EMBEDDED_DB=pglite), or to DATABASE_URL`;

const main = async () => {
  commandLine('migrate', usage, { options: { help: { type: 'boolean', short: 'h', default: false } } });
  // What an eenplan process writes (PGlite's files, keys, the local secret) is its user's only.
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  const sql = await createSql(storeSqlConfig(config));
  try {
    const applied = await migrateApp(sql);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  } finally {
    await sql.close();
  }
};

main().catch((e) => {
  process.stderr.write(
    `migrate ${e instanceof ConfigError ? 'refused: configuration error' : 'failed'}: ${(e as Error).message}\n`,
  );
  process.exit(e instanceof ConfigError ? 2 : 1);
});
