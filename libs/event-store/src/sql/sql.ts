/**
 * One SQL layer, two drivers: PGlite (embedded, one connection) and node-postgres (a server pool).
 * Everything that talks SQL (the PostgreSQL event store, migrations, projections, idempotency)
 * goes through this, so the same statements run on both. Write SQL that PostgreSQL 15 runs.
 *
 * Both drivers return values the same way, so code never branches on the driver to read a row:
 * - int8/bigint (count(*), sum(int), bigserial) and numeric: decimal strings, never rounded. Cast in
 *   SQL (`count(*)::int`) when a JS number is wanted and the value is known to fit.
 * - int2/int4/float: numbers. bool: booleans. json/jsonb: parsed values. timestamptz: Date.
 * - date: 'YYYY-MM-DD' strings (a Date would shift with the process time zone).
 * - bytea: Uint8Array (a Buffer on node-postgres). Other types (uuid, xid8, ...): strings.
 * Pass JSON parameters as `JSON.stringify(value)` with `$1::text::jsonb`: the drivers serialise
 * objects and arrays differently, text they both pass through unchanged.
 * Errors from the server carry the SQLSTATE in `code` (e.g. '23505') on both drivers.
 */
export interface SqlResult<Row> {
  readonly rows: Row[];
  /** Rows returned, or for INSERT/UPDATE/DELETE without RETURNING the rows affected. */
  readonly rowCount: number;
}

export interface QueryOptions {
  /**
   * Names a statement that runs often with the same text: a server connection parses and plans it
   * once and then only binds the parameters (PGlite, one in-process connection, ignores it). One
   * name, one text, for the life of the process; only for statements with parameters.
   */
  readonly prepare?: string;
  /**
   * Plan this statement at every run, never from a cached plan (WriteBehindExecutor then sends it
   * inlined instead of prepared). For set statements (projections' set-apply.ts): their best plan
   * depends on how large the tables have grown, and a generic plan cached while a rebuild's
   * tables were still empty keeps scanning them whole. Only WriteBehindExecutor reads it; the
   * drivers plan every statement without `prepare` at each run anyway. Not with `prepare`.
   */
  readonly planEachRun?: boolean;
}

export interface SqlExecutor {
  /**
   * With parameters: one statement. Without parameters the text may hold several statements
   * (a migration script); the result is the last statement's.
   */
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<SqlResult<Row>>;
}

export interface Sql extends SqlExecutor {
  /** 'pglite' or 'postgres': for the few places that must know (e.g. LISTEN/NOTIFY, locks). */
  readonly driver: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it
   * throws (and rethrows). An expected error inside (e.g. 23505) must not cost the pool a connection.
   * Inside `work` use only `tx`: on PGlite the outer Sql waits for the transaction to end, so
   * calling it from `work` would wait forever.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (delivered after the notifying transaction
   * commits, from any process on the server) until the returned function is called. It may also be
   * called without a notification, e.g. after a lost listening connection came back, because
   * notifications may have been missed meanwhile. `channel` is a lower-case SQL identifier.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A versioned schema change, applied once, in id order, inside a transaction. */
export interface Migration {
  /** Sortable and unique across the whole app, e.g. `0001_event_store`, `0100_regie_history`. */
  readonly id: string;
  readonly sql: string;
}

/** LISTEN/UNLISTEN take the channel as an identifier, not a parameter: only safe names pass. */
export function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) {
    throw new RangeError(`invalid notification channel name: ${JSON.stringify(channel)}`);
  }
}
