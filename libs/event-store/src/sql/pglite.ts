import { mkdir } from 'node:fs/promises';
import type * as PgliteModule from '@electric-sql/pglite';
import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import { restrictToOwner } from './private-files';
import { assertChannelName, type Sql, type SqlExecutor, type SqlResult } from './sql';

export interface PgliteSqlOptions {
  /** Directory holding the database files; omitted: in memory, gone on close. */
  readonly dataDir?: string;
}

/**
 * Embedded PostgreSQL (WASM). One connection: PGlite itself runs one transaction at a time and
 * makes plain queries wait for it, so transactions are serialized without extra locking here.
 * Starting one costs seconds and hundreds of MB: share one per process (tests: one per file).
 */
export async function createPgliteSql(options: PgliteSqlOptions = {}): Promise<Sql> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const { PGlite, types } = loadPglite();
  const db = await PGlite.create({
    dataDir: options.dataDir,
    parsers: {
      // As node-postgres (see sql.ts): PGlite would give int8 as a number or a bigint depending on
      // its size, and a date as a Date.
      [types.INT8]: asText,
      [types.NUMERIC]: asText,
      [types.DATE]: asText,
      // Parsed by this module so the values belong to this realm (see loadPglite).
      [types.JSON]: parseJson,
      [types.JSONB]: parseJson,
      [types.TIMESTAMP]: parseTimestamp,
      [types.TIMESTAMPTZ]: parseTimestamp,
    },
  });
  // It holds personal data, yet PGlite writes its initial files 0666 (tested in file-modes.e2e.spec.ts).
  if (options.dataDir) await restrictToOwner([options.dataDir]);
  return new PgliteSql(db);
}

/**
 * PGlite loads Node built-ins with dynamic import(), which Jest's module sandbox refuses unless
 * Node runs with --experimental-vm-modules (electric-sql/pglite#224). Node's own require, taken
 * from process.getBuiltinModule, loads it outside any sandbox; in the app it is the plain require.
 * Under Jest PGlite's objects then come from another realm (its Date fails `instanceof Date`, its
 * rows have another Object.prototype), so values are handed over in this realm's objects: see
 * parseJson/parseTimestamp, toParam, toResult and toLocalError.
 */
function loadPglite(): typeof PgliteModule {
  const nodeModule = process.getBuiltinModule?.('node:module');
  const nodeRequire = nodeModule ? nodeModule.createRequire(__filename) : require;
  return nodeRequire('@electric-sql/pglite') as typeof PgliteModule;
}

const asText = (text: string): string => text;
const parseJson = (text: string): unknown => JSON.parse(text);
const parseTimestamp = (text: string): Date | number =>
  text === 'infinity' ? Infinity : text === '-infinity' ? -Infinity : new Date(text);

type PgliteExecutor = Pick<PGlite | Transaction, 'query' | 'exec'>;

class PgliteSql implements Sql {
  readonly driver = 'pglite' as const;

  constructor(private readonly db: PGlite) {}

  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>> {
    return run<Row>(this.db, text, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction((tx) => work({ query: (text, params) => run(tx, text, params) }));
    } catch (error) {
      throw toLocalError(error);
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    assertChannelName(channel);
    const unlisten = await this.db.listen(channel, onNotify);
    return async () => {
      if (!this.db.closed) await unlisten();
    };
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

async function run<Row>(
  db: PgliteExecutor,
  text: string,
  params?: readonly unknown[],
): Promise<SqlResult<Row>> {
  try {
    if (params && params.length > 0) return toResult(await db.query<Row>(text, params.map(toParam)));
    // The extended protocol behind query() takes one statement; exec() takes a whole script.
    const results = await db.exec(text);
    return toResult(results[results.length - 1] as Results<Row> | undefined);
  } catch (error) {
    throw toLocalError(error);
  }
}

/** PGlite's own serializers test `instanceof` against its realm: hand over text instead. */
function toParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value)) {
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  }
  return value;
}

function toResult<Row>(result: Results<Row> | undefined): SqlResult<Row> {
  if (!result) return { rows: [], rowCount: 0 };
  const first = result.rows[0];
  const rows =
    first === undefined || Object.getPrototypeOf(first) === Object.prototype
      ? result.rows
      : Array.from(result.rows, (row) => ({ ...row }));
  // PGlite reports 0 affected rows for a SELECT; node-postgres reports the rows returned.
  const returnsRows = result.fields.length > 0;
  return { rows, rowCount: returnsRows ? rows.length : (result.affectedRows ?? 0) };
}

/** A PGlite error from the other realm becomes an Error of this one, with the same fields (code, ...). */
function toLocalError(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
  const foreign = error as Error;
  return Object.assign(new Error(foreign.message), foreign, { name: foreign.name, stack: foreign.stack });
}
