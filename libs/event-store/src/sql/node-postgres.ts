import type * as Pg from 'pg';
import { assertChannelName, type QueryOptions, type Sql, type SqlExecutor, type SqlResult } from './sql';

export interface NodePostgresSqlOptions {
  readonly connectionString: string;
  /** Pool size (node-postgres default: 10). */
  readonly max?: number;
  readonly applicationName?: string;
  /**
   * How long opening a connection (or waiting for a free one in the pool) may take before the query
   * fails, so a server that does not answer costs a request a bounded wait and a 503, not a hang
   * until the OS gives up on the socket (minutes). Default 5000.
   */
  readonly connectTimeoutMs?: number;
  /** Errors nobody awaits: an idle connection dropped, the listening connection lost. */
  readonly onError?: (error: Error) => void;
}

/**
 * node-postgres is loaded when the first pool is made, not with this library: the embedded default
 * (PGlite) never needs it, and loading it is part of every start's time otherwise.
 */
let loaded: typeof Pg | undefined;
const pg = (): typeof Pg => (loaded ??= require('pg') as typeof Pg);

/** PostgreSQL server through a node-postgres pool. */
export function createNodePostgresSql(options: NodePostgresSqlOptions): Sql {
  return new NodePostgresSql(options);
}

const DATE_OID = 1082;
// Only the date parser differs from node-postgres' defaults (see sql.ts); per pool, so other
// users of pg in the process keep theirs.
const typeParsers = (driver: typeof Pg) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID
      ? (value: string) => value
      : (driver.types.getTypeParser(oid, format) as (
          value: string,
        ) => unknown)) as typeof Pg.types.getTypeParser,
});

class NodePostgresSql implements Sql {
  readonly driver = 'postgres' as const;
  private readonly pool: Pg.Pool;
  private readonly config: Pg.ClientConfig;
  private readonly onError: (error: Error) => void;
  private listener?: NotificationListener;
  private closed = false;

  constructor(options: NodePostgresSqlOptions) {
    this.onError =
      options.onError ?? ((error) => console.error('[sql] postgres connection error:', error.message));
    this.config = {
      connectionString: options.connectionString,
      application_name: options.applicationName ?? 'eenplan',
      types: typeParsers(pg()),
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // A server that vanished without closing the socket is noticed on an idle connection too.
      keepAlive: true,
      // No JIT compilation: every statement here is a short one, and a plan whose estimate passes
      // jit_above_cost (a caseload page with its per-household counts, once the tables are large)
      // spent more compiling than running (22 ms of 87 at 20,000 households; issue 22's scale
      // phase). A connection string's own `options` take precedence.
      options: '-c jit=off',
    };
    this.pool = new (pg().Pool)({ ...this.config, max: options.max });
    // An idle client whose connection breaks emits 'error' on the pool; unhandled, it kills the
    // process. A checked-out one emits on itself; its query rejects anyway, so that is enough.
    // After close() the pool's connections may still be on their way out; an error then is noise.
    this.pool.on('error', (error) => {
      if (!this.closed) this.onError(error);
    });
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<SqlResult<Row>> {
    // Not pool.query(): it destroys the connection after any error, even a constraint violation.
    const client = await this.pool.connect();
    try {
      const result = await runOn<Row>(client, text, params, options);
      client.release();
      return result;
    } catch (error) {
      client.release(keepsConnection(error) ? undefined : (error as Error));
      throw error;
    }
  }

  /**
   * BEGIN goes with the transaction's first statement: in the same round trip when that statement
   * has no parameters (one simple-protocol script, `BEGIN; <statement>`), otherwise queued on the
   * connection just ahead of it (node-postgres sends a client's queries in the order they were
   * given, one at a time). A projection batch was BEGIN, its checkpoint read, its writes and COMMIT:
   * one round trip in four was BEGIN alone. A transaction that runs no statement sends nothing.
   */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let open = true;
    let begun: Promise<unknown> | undefined;
    // The transaction's statements go to the connection one after the other, in the order given,
    // each once the one before has answered: node-postgres' own queue for a client that is still
    // executing is deprecated (pg 9 drops it), and work may run statements side by side.
    let queue: Promise<unknown> = Promise.resolve();
    // A BEGIN that failed: no statement after it runs, outside a transaction, on its own.
    let beginFailed: { error: unknown } | undefined;
    const enqueue = <R>(step: () => Promise<R>): Promise<R> => {
      const run = queue.then(() => {
        if (beginFailed) throw beginFailed.error;
        return step();
      });
      queue = run.catch(() => undefined);
      return run;
    };
    const tx: SqlExecutor = {
      query: <Row>(text: string, params?: readonly unknown[], options?: QueryOptions) => {
        if (!open) return Promise.reject(new Error('transaction already ended'));
        if (!begun) {
          if ((params === undefined || params.length === 0) && !options?.prepare) {
            const first = enqueue(() => runOn<Row>(client, `BEGIN;\n${text}`, undefined, options));
            begun = first.catch(() => undefined);
            return first;
          }
          // Not awaited here: a failure shows at COMMIT (awaited below), which then rolls back.
          begun = enqueue(async () => {
            try {
              return await client.query('BEGIN');
            } catch (error) {
              beginFailed = { error };
              throw error;
            }
          });
          begun.catch(() => undefined);
        }
        return enqueue(() => runOn<Row>(client, text, params, options));
      },
    };
    try {
      const result = await work(tx);
      if (begun) {
        await begun;
        await queue;
        await client.query('COMMIT');
      }
      open = false;
      client.release();
      return result;
    } catch (error) {
      open = false;
      try {
        // After any statement still running; also after a failed COMMIT: harmless (a warning) when
        // no transaction is left.
        await queue;
        if (begun) await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError) {
        client.release(rollbackError as Error);
      }
      throw error;
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    assertChannelName(channel);
    if (this.closed) throw new Error('sql is closed');
    this.listener ??= new NotificationListener(this.config, this.onError);
    return this.listener.add(channel, onNotify);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.close();
    await this.pool.end();
  }
}

async function runOn<Row>(
  client: Pg.PoolClient | Pg.Client,
  text: string,
  params?: readonly unknown[],
  options?: QueryOptions,
): Promise<SqlResult<Row>> {
  const values = params ? [...params] : undefined;
  // node-postgres prepares a named statement once per connection and reuses it after that.
  const config = options?.prepare && values ? { name: options.prepare, text, values } : { text, values };
  const raw = (await client.query(config)) as unknown as Pg.QueryResult | Pg.QueryResult[];
  // A parameterless multi-statement script yields one result per statement.
  const result = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (!result) return { rows: [], rowCount: 0 };
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
}

/** A server error that leaves the session usable: the statement failed, the connection did not. */
function keepsConnection(error: unknown): boolean {
  return error instanceof pg().DatabaseError && error.severity !== 'FATAL' && error.severity !== 'PANIC';
}

/**
 * One dedicated connection per Sql for LISTEN: a pooled connection would be handed to others and
 * its notifications lost. When the connection drops it reconnects, then calls every handler, since
 * notifications sent meanwhile are gone.
 */
class NotificationListener {
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private client?: Pg.Client;
  /** Channels the current client has LISTENed to. */
  private listening = new Set<string>();
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private missed = false;
  private closed = false;

  constructor(
    private readonly config: Pg.ClientConfig,
    private readonly onError: (error: Error) => void,
    private readonly retryMs = 1000,
  ) {}

  async add(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const handlers = this.handlers.get(channel) ?? new Set();
    this.handlers.set(channel, handlers.add(onNotify));
    await this.connect();
    const client = this.client;
    if (client && !this.listening.has(channel)) {
      this.listening.add(channel);
      await client.query(`LISTEN ${channel}`).catch((error: Error) => this.lost(error, client));
    }
    return async () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(onNotify) || current.size > 0) return;
      this.handlers.delete(channel);
      if (this.listening.delete(channel))
        await this.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
    };
  }

  /** Never rejects: without a connection the waiters still wake on their own polling. */
  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new (pg().Client)(this.config);
      client.on('error', (error) => this.lost(error, client));
      client.on('notification', (message) => {
        for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
      });
      try {
        await client.connect();
        const listening = new Set(this.handlers.keys());
        for (const channel of listening) await client.query(`LISTEN ${channel}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.client = client;
        this.listening = listening;
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        if (this.missed) {
          this.missed = false;
          for (const set of this.handlers.values()) for (const handler of set) handler('');
        }
      } catch (error) {
        client.end().catch(() => undefined);
        this.lost(error as Error);
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private lost(error: Error, client?: Pg.Client): void {
    if (client && client !== this.client) return;
    this.onError(error);
    this.missed = true;
    this.client?.end().catch(() => undefined);
    this.client = undefined;
    this.listening = new Set();
    if (this.closed || this.retryTimer || this.handlers.size === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
