/**
 * One SQL layer, two drivers: PGlite (embedded, one connection) and node-postgres (a server pool).
 * Everything that talks SQL (the PostgreSQL event store, migrations, projections, idempotency)
 * goes through this, so the same statements run on both. Write SQL that PostgreSQL 15 runs.
 */
export interface SqlResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
}

export interface Sql extends SqlExecutor {
  /** 'pglite' or 'postgres': for the few places that must know (e.g. LISTEN/NOTIFY, locks). */
  readonly driver: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it
   * throws (and rethrows). An expected error inside (e.g. 23505) must not cost the pool a connection.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A versioned schema change, applied once, in id order, inside a transaction. */
export interface Migration {
  /** Sortable and unique across the whole app, e.g. `0001_event_store`, `0100_regie_history`. */
  readonly id: string;
  readonly sql: string;
}
