import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createSql, migrate } from '@eenplan/event-store';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { ALL_PROJECTIONS, checkpointMigrations, ProjectionRunner } from '@eenplan/projections';
import { loadConfig, createEventStore } from '@eenplan/runtime';
import { sleep } from '../bench/stats';

/**
 * Tables that a request may legitimately change whatever its answer, so the "nothing changed" check
 * leaves them out: `access_log` is the audit log (NEN 7513), which records every attempt to read or
 * write a household including the refused ones, by design, and `access_log_head` is the end of its
 * chain, moved with every row; `principal_kinds` records the first verified token of an auditor,
 * integrator or admin id, whatever became of its request (one id, one kind of principal: issue 16);
 * `schema_migrations` changes only at start.
 */
export const NOT_STATE = ['access_log', 'access_log_head', 'principal_kinds', 'schema_migrations'] as const;

/**
 * A cheap fingerprint of everything a request could change: per table its row count and the
 * highest xmin (the id of the transaction that last inserted or updated a row), so any insert,
 * update or delete shows; `events` by its highest sequence only (append-only, and its primary key
 * answers that without a scan). One round trip per fingerprint.
 */
export class StateProbe {
  private constructor(
    private readonly client: pg.Client,
    private readonly query: string,
    readonly tables: readonly string[],
  ) {}

  static async open(databaseUrl: string): Promise<StateProbe> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'eenplan-fuzz-probe' });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const tables = rows.map((r) => r.name).filter((t) => !(NOT_STATE as readonly string[]).includes(t));
    if (!tables.includes('events')) {
      await client.end();
      throw new Error(`no events table in ${redact(databaseUrl)}: is the API running on this database?`);
    }
    const parts = tables.map((t) =>
      t === 'events'
        ? `(SELECT coalesce(max(sequence), 0)::text FROM events) AS "events"`
        : `(SELECT count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text FROM "${t}") AS "${t}"`,
    );
    return new StateProbe(client, `SELECT ${parts.join(', ')}`, tables);
  }

  async fingerprint(): Promise<Record<string, string>> {
    const { rows } = await this.client.query<Record<string, string>>(this.query);
    return rows[0]!;
  }

  /** Until every projection's checkpoint is at the head of the feed (the read models include every event). */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await this.client.query<{ behind: string }>(
        `SELECT count(*)::text AS behind FROM projection_checkpoints
          WHERE position IS DISTINCT FROM
                (SELECT tx::text || ':' || sequence::text FROM events ORDER BY tx DESC, sequence DESC LIMIT 1)
            AND EXISTS (SELECT 1 FROM events)`,
      );
      if (rows[0]!.behind === '0') return;
      if (Date.now() > deadline)
        throw new Error(`the read models did not catch up with the store within ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** The tables whose entries differ between two fingerprints. */
export const changedTables = (a: Record<string, string>, b: Record<string, string>): string[] =>
  Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);

export interface RebuildComparison {
  readonly tables: number;
  readonly rows: number;
  /** `table: n rows only live, m only rebuilt`, per table that differs. */
  readonly differences: string[];
}

/**
 * Whether the read models the API keeps equal a rebuild from scratch: every projection is run from
 * the start of the feed (the same sealed store the API reads) into a scratch database, then both are
 * compared row by row. The API's own tables are not touched.
 */
export async function compareWithRebuild(
  databaseUrl: string,
  keyStoreDir: string,
): Promise<RebuildComparison> {
  const server = new URL(databaseUrl);
  server.pathname = '/postgres';
  const scratchName = `eenplan_fuzz_rebuild_${randomBytes(5).toString('hex')}`;
  const scratchUrl = new URL(databaseUrl);
  scratchUrl.pathname = `/${scratchName}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  let live: Sql | undefined;
  let scratch: Sql | undefined;
  try {
    await admin.query(`CREATE DATABASE ${scratchName}`);
    live = await createSql({ databaseUrl });
    scratch = await createSql({ databaseUrl: scratchUrl.toString() });
    await migrate(scratch, [...checkpointMigrations, ...ALL_PROJECTIONS.flatMap((p) => p.migrations)]);
    // The API's key store: the personal parts and seals are only readable with its keys.
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      JWT_SECRET: 'unused-by-a-rebuild-but-32-bytes-long',
      KEY_STORE_DIR: keyStoreDir,
    });
    const store = await createEventStore(config, live);
    const runner = new ProjectionRunner(store, scratch, ALL_PROJECTIONS, { batchSize: 2000 });
    await runner.init();
    await runner.catchUp();
    const differences: string[] = [];
    let rows = 0;
    const tables = ALL_PROJECTIONS.flatMap((p) => p.tables);
    for (const table of tables) {
      const [a, b] = [await rowsOf(live, table), await rowsOf(scratch, table)];
      rows += a.length;
      const onlyLive = multisetMinus(a, b);
      const onlyRebuilt = multisetMinus(b, a);
      if (onlyLive.length || onlyRebuilt.length)
        differences.push(
          `${table}: ${onlyLive.length} rows only in the API's read model, ${onlyRebuilt.length} only in the rebuild`,
        );
    }
    return { tables: tables.length, rows, differences };
  } finally {
    await live?.close();
    await scratch?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

const rowsOf = async (sql: Sql, table: string): Promise<string[]> =>
  (await sql.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${table} t`)).rows
    .map((r) => r.row)
    .sort();

const multisetMinus = (a: string[], b: string[]): string[] => {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = counts.get(x) ?? 0;
    if (n === 0) return true;
    counts.set(x, n - 1);
    return false;
  });
};

const redact = (url: string) => url.replace(/:[^:@/]*@/, ':***@');
