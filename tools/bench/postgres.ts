import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway database `eenplan_bench_<random>_<label>` on the server; `drop()` removes it. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

const onServer = async <T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'eenplan-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

export const runId = randomBytes(4).toString('hex');

export async function createBenchDatabase(
  serverUrl: string,
  label: string,
  keep: boolean,
): Promise<BenchDatabase> {
  const name = `eenplan_bench_${runId}_${label}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped || keep) return;
      dropped = true;
      await onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export interface ServerFacts {
  readonly version: string;
  readonly settings: Record<string, string>;
}

export async function serverFacts(serverUrl: string): Promise<ServerFacts> {
  return onServer(serverUrl, async (c) => {
    const version = (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
    const names = [
      'shared_buffers',
      'synchronous_commit',
      'fsync',
      'wal_sync_method',
      'commit_delay',
      'max_connections',
      'work_mem',
      'max_wal_size',
    ];
    const { rows } = await c.query<{ name: string; setting: string; unit: string | null }>(
      'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
      [names],
    );
    return {
      version,
      settings: Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting])),
    };
  });
}

/** Server-wide and per-database counters whose deltas say what a phase cost the server. */
export interface ServerCounters {
  readonly commits: number;
  readonly rollbacks: number;
  readonly walSyncs: number;
  readonly walRecords: number;
  readonly walBytes: number;
}

export async function serverCounters(client: pg.Client, database: string): Promise<ServerCounters> {
  const { rows } = await client.query<{
    commits: string;
    rollbacks: string;
    wal_sync: string;
    wal_records: string;
    wal_bytes: string;
  }>(
    `SELECT d.xact_commit AS commits, d.xact_rollback AS rollbacks, w.wal_sync, w.wal_records, w.wal_bytes
       FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = $1`,
    [database],
  );
  const r = rows[0]!;
  return {
    commits: Number(r.commits),
    rollbacks: Number(r.rollbacks),
    walSyncs: Number(r.wal_sync),
    walRecords: Number(r.wal_records),
    walBytes: Number(r.wal_bytes),
  };
}

export const counterDelta = (a: ServerCounters, b: ServerCounters): ServerCounters => ({
  commits: b.commits - a.commits,
  rollbacks: b.rollbacks - a.rollbacks,
  walSyncs: b.walSyncs - a.walSyncs,
  walRecords: b.walRecords - a.walRecords,
  walBytes: b.walBytes - a.walBytes,
});

/** pg_stat_database is updated by backends at most every 500 ms (and at their idle moments). */
export async function flushedCounters(client: pg.Client, database: string): Promise<ServerCounters> {
  await new Promise((r) => setTimeout(r, 700));
  await client.query('SELECT pg_stat_clear_snapshot()');
  return serverCounters(client, database);
}

export { onServer };
