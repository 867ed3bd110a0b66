import type { Migration, Sql, SqlExecutor } from './sql';

// Any constant shared by every process migrating this database; spelled out so it is greppable.
const MIGRATION_LOCK_KEY = 4_815_162_342;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in id order, each in its own
 * transaction. Returns the ids it applied. Safe when several processes start at once: each
 * transaction first takes a transaction-scoped advisory lock (held by the transaction, so it works
 * over a pool) and re-checks, so a migration runs once and a late process waits, then skips it.
 */
export async function migrate(sql: Sql, migrations: readonly Migration[]): Promise<string[]> {
  const ordered = inIdOrder(migrations);
  const applied = await sql.transaction(async (tx) => {
    await lock(tx);
    // After the lock: two concurrent CREATE TABLE IF NOT EXISTS can still collide (23505).
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         id text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    return new Set(rows.map((row) => row.id));
  });

  const ran: string[] = [];
  for (const migration of ordered) {
    if (applied.has(migration.id)) continue;
    const didRun = await sql.transaction(async (tx) => {
      await lock(tx);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (done.rowCount > 0) return false;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
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
