import { createHash } from 'node:crypto';
import type { Migration, Sql, SqlExecutor } from './sql';

// Any constant shared by every process migrating this database; spelled out so it is greppable.
const MIGRATION_LOCK_KEY = 4_815_162_342;

/**
 * A migration recorded as applied whose SQL is no longer what ran: the schema the code expects and
 * the one the database has may differ, so the start stops rather than guess. libs/runtime's
 * `migrateApp` turns it into a ConfigError (exit 2, one line).
 */
export class EditedMigrationError extends Error {
  constructor(readonly migrationId: string) {
    super(
      `migration ${migrationId} was edited after it ran on this database (its checksum differs): ` +
        'a migration that ran is never edited; restore its SQL and put the change in a new migration',
    );
  }
}

/**
 * The sha256 (hex) of a migration's SQL, line endings normalised to \n so a checkout with CRLF
 * reads the same; nothing else is normalised (a changed space is a changed migration).
 */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n?/g, '\n'), 'utf8').digest('hex');
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in id order, each in its own
 * transaction. Returns the ids it applied. Safe when several processes start at once: each
 * transaction first takes a transaction-scoped advisory lock (held by the transaction, so it works
 * over a pool) and re-checks, so a migration runs once and a late process waits, then skips it.
 *
 * Each applied migration is recorded with its checksum. Before applying anything, every listed
 * migration already applied is compared with its stored checksum: a difference throws
 * EditedMigrationError; none stored (applied before checksums existed) records today's.
 */
export async function migrate(sql: Sql, migrations: readonly Migration[]): Promise<string[]> {
  const ordered = inIdOrder(migrations);
  const applied = await sql.transaction(async (tx) => {
    await lock(tx);
    // After the lock: two concurrent CREATE TABLE IF NOT EXISTS can still collide (23505).
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         id text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now(),
         checksum text
       )`,
    );
    // A table made before checksums: the column is added once, empty, and filled below. Only then:
    // an ALTER needs the table's owner and its strongest lock, which a role that only writes lacks.
    const { rows: columns } = await tx.query(
      `SELECT 1 FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'`,
    );
    if (columns.length === 0) await tx.query('ALTER TABLE schema_migrations ADD COLUMN checksum text');
    const { rows } = await tx.query<{ id: string; checksum: string | null }>(
      'SELECT id, checksum FROM schema_migrations',
    );
    const stored = new Map(rows.map((row) => [row.id, row.checksum]));
    for (const migration of ordered) {
      if (!stored.has(migration.id)) continue;
      const checksum = migrationChecksum(migration.sql);
      const before = stored.get(migration.id);
      if (before === null) {
        await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE id = $1 AND checksum IS NULL', [
          migration.id,
          checksum,
        ]);
      } else if (before !== checksum) {
        throw new EditedMigrationError(migration.id);
      }
    }
    return new Set(stored.keys());
  });

  const ran: string[] = [];
  for (const migration of ordered) {
    if (applied.has(migration.id)) continue;
    const didRun = await sql.transaction(async (tx) => {
      await lock(tx);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (done.rowCount > 0) return false;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [
        migration.id,
        migrationChecksum(migration.sql),
      ]);
      return true;
    });
    if (didRun) ran.push(migration.id);
  }
  return ran;
}

async function lock(tx: SqlExecutor): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [String(MIGRATION_LOCK_KEY)]);
}

function inIdOrder(migrations: readonly Migration[]): Migration[] {
  const ids = new Set<string>();
  for (const { id } of migrations) {
    if (ids.has(id)) throw new Error(`migration id ${id} is used twice`);
    ids.add(id);
  }
  // Code-unit order, not locale order: the same on every machine.
  return [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
