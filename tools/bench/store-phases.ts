import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import {
  createNodePostgresSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@eenplan/event-store';
import { CountingSql } from './counting-sql';
import { cpuWindow, type CpuShares } from './cpu';
import { readWholeFeed, type FeedReadResult } from './feed';
import { closedLoop, type LoopResult } from './load-loop';
import { counterDelta, flushedCounters, type ServerCounters } from './postgres';
import { distribution, type Distribution } from './stats';

/**
 * The raw limit and the event store's append on the same server, same payload, same table shape:
 * - raw: one INSERT per transaction (autocommit: one round trip, one commit), a dedicated
 *   node-postgres connection per concurrent writer, into `raw_events` (the events table's columns,
 *   constraints and indexes).
 * - store: PostgresEventStore.append of one event, over a node-postgres pool as large as the
 *   concurrency, in three shapes: a new stream per append (expected version 0), each writer
 *   appending to its own stream (expected version = its length), and all writers on one hot
 *   stream (expected version 'any', so they queue on the stream's row lock).
 */

const RAW_TABLE = `
  CREATE TABLE raw_events (
    sequence bigserial PRIMARY KEY,
    tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id text NOT NULL UNIQUE,
    stream_id text NOT NULL,
    stream_version integer NOT NULL CHECK (stream_version > 0),
    type text NOT NULL,
    data jsonb NOT NULL,
    personal jsonb,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    UNIQUE (stream_id, stream_version)
  );
  CREATE INDEX raw_events_feed ON raw_events (tx, sequence);`;

const RAW_INSERT = `INSERT INTO raw_events (event_id, stream_id, stream_version, type, data, personal, metadata, recorded_at)
  VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7::text::jsonb, $8::timestamptz)`;

/** A plan-change event of the size the app writes (about 400 bytes of JSON). */
export const sampleEvent = (n: number): NewEvent => {
  const at = new Date().toISOString();
  return {
    eventId: randomUUID(),
    type: 'GoalAdded',
    data: { goalId: `g-${n}`, lifeDomain: 'finances', planRevision: 1 },
    personal: { description: 'Schulden onder controle' },
    metadata: {
      schemaVersion: 1,
      actor: { kind: 'worker', id: 'w-1', roles: ['worker'] },
      recordedAt: at,
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
};

export type AppendShape = 'distinct' | 'own-stream' | 'hot-stream';

/**
 * Diagnostics: the statements PostgresEventStore.append sends for a new stream (BEGIN, claim the
 * version, insert, COMMIT), written out by hand on a dedicated connection, and the same with a
 * `SELECT pg_notify(...)` inside the transaction (what the store did before it moved NOTIFY out of
 * the commit: a notifying commit takes a cluster-wide lock, so such commits cannot share a WAL
 * flush). Against raw it shows what the transaction's shape costs; against the store, the pool
 * and the JS around it. Three more say what would close the gap: the same statements prepared once
 * per connection (named statements: no parse and plan per call); the version claim and the insert
 * as one statement (a data-modifying CTE) in autocommit, one round trip like raw; and that one
 * statement prepared.
 */
export type Handwritten =
  | 'append-sql'
  | 'append-sql-notify-in-tx'
  | 'append-sql-prepared'
  | 'one-statement'
  | 'one-statement-prepared';

const CLAIM_NEW_STREAM = `INSERT INTO event_streams (stream_id, version) VALUES ($1, $2)
  ON CONFLICT (stream_id) DO NOTHING RETURNING version`;
const INSERT_BATCH = `INSERT INTO events (event_id, stream_id, stream_version, type, data, personal, metadata, recorded_at)
  SELECT e->>'eventId', $1, $2::int + n::int, e->>'type', e->'data', e->'personal', e->'metadata',
         (e->'metadata'->>'recordedAt')::timestamptz
    FROM jsonb_array_elements($3::text::jsonb) WITH ORDINALITY AS batch(e, n)
   ORDER BY n
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id, tx::text || ':' || sequence::text AS position`;
const ONE_STATEMENT = `WITH claim AS (
    INSERT INTO event_streams (stream_id, version) VALUES ($1, $2) ON CONFLICT (stream_id) DO NOTHING RETURNING version
  )
  INSERT INTO events (event_id, stream_id, stream_version, type, data, personal, metadata, recorded_at)
  SELECT e->>'eventId', $1, claim.version - $2 + n::int, e->>'type', e->'data', e->'personal', e->'metadata',
         (e->'metadata'->>'recordedAt')::timestamptz
    FROM claim, jsonb_array_elements($3::text::jsonb) WITH ORDINALITY AS batch(e, n)
   ORDER BY n
  RETURNING event_id, tx::text || ':' || sequence::text AS position`;

export interface ThroughputFigure {
  readonly concurrency: number;
  readonly perSecond: number;
  readonly ops: number;
  readonly latency: Distribution;
  readonly errors: number;
  readonly firstError?: string;
  /** Client round trips per event (store only: statements + BEGIN + COMMIT). */
  readonly roundTripsPerEvent?: number;
  /** Server-side per event: commits and WAL flushes (group commit shows as < 1). */
  readonly commitsPerEvent?: number;
  readonly walSyncsPerEvent?: number;
  readonly walBytesPerEvent?: number;
  /** CPU per event (warm-up included), microseconds: all postgres processes, and this node process. */
  readonly postgresCpuUsPerEvent?: number;
  readonly clientCpuUsPerEvent?: number;
  readonly machineBusyPct?: number;
}

/**
 * Raw INSERT and store.append (`distinct` shape) measured alternately `rounds` times at one
 * concurrency in the same run: one pair alone swings with whatever else the machine does, the
 * median of the pairs' ratios does not.
 */
export interface AlternatingRatio {
  readonly concurrency: number;
  readonly rawPerSecond: number[];
  readonly storePerSecond: number[];
  /** store / raw of each pair, in the order measured. */
  readonly ratios: number[];
  readonly median: number;
  readonly errors: number;
  readonly firstError?: string;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface StorePhaseResult {
  /** The median-of-N ratios (the targets are judged on these). */
  readonly alternating: Record<number, AlternatingRatio>;
  readonly raw: Record<number, ThroughputFigure>;
  readonly store: Record<AppendShape, Record<number, ThroughputFigure>>;
  readonly handwritten: Record<Handwritten, Record<number, ThroughputFigure>>;
  readonly feedCheck: FeedReadResult;
}

const figure = (
  concurrency: number,
  loop: LoopResult,
  counters: ServerCounters,
  roundTrips: number | undefined,
  cpu: CpuShares,
): ThroughputFigure => ({
  concurrency,
  perSecond: loop.perSecond,
  ops: loop.ops,
  latency: distribution(loop.latencies),
  errors: loop.errors,
  firstError: loop.firstError,
  roundTripsPerEvent: roundTrips,
  commitsPerEvent: counters.commits / Math.max(1, loop.total),
  walSyncsPerEvent: counters.walSyncs / Math.max(1, loop.total),
  walBytesPerEvent: counters.walBytes / Math.max(1, loop.total),
  postgresCpuUsPerEvent: ((cpu.postgresPct / 100) * cpu.seconds * 1e6) / Math.max(1, loop.total),
  clientCpuUsPerEvent: ((cpu.benchPct / 100) * cpu.seconds * 1e6) / Math.max(1, loop.total),
  machineBusyPct: cpu.machineBusyPct,
});

export async function runStorePhases(
  url: string,
  database: string,
  concurrencies: readonly number[],
  warmupMs: number,
  measureMs: number,
  log: (line: string) => void,
  rounds = 5,
): Promise<StorePhaseResult> {
  const maxConcurrency = Math.max(...concurrencies);
  const inner = createNodePostgresSql({
    connectionString: url,
    max: maxConcurrency,
    applicationName: 'eenplan-bench-store',
  });
  const sql = new CountingSql(inner);
  await migrate(inner, eventStoreMigrations);
  await inner.query(RAW_TABLE);
  const store = new PostgresEventStore(sql);
  const observer = new pg.Client({ connectionString: url, application_name: 'eenplan-bench-observer' });
  await observer.connect();
  const rawClients = await Promise.all(
    Array.from({ length: maxConcurrency }, async () => {
      const c = new pg.Client({ connectionString: url, application_name: 'eenplan-bench-raw' });
      await c.connect();
      return c;
    }),
  );
  const acked = new Set<string>();
  const raw: Record<number, ThroughputFigure> = {};
  const shapes: Record<AppendShape, Record<number, ThroughputFigure>> = {
    distinct: {},
    'own-stream': {},
    'hot-stream': {},
  };
  const handwritten: Record<Handwritten, Record<number, ThroughputFigure>> = {
    'append-sql': {},
    'append-sql-notify-in-tx': {},
    'append-sql-prepared': {},
    'one-statement': {},
    'one-statement-prepared': {},
  };
  let rawStream = 0;
  const alternating: Record<number, AlternatingRatio> = {};

  const rawInsert = (c: number) => async (w: number, n: number) => {
    const e = sampleEvent(n);
    await rawClients[w]!.query(RAW_INSERT, [
      e.eventId,
      `raw-${c}-${w}-${rawStream++}`,
      1,
      e.type,
      JSON.stringify(e.data),
      JSON.stringify(e.personal),
      JSON.stringify(e.metadata),
      e.metadata.recordedAt,
    ]);
  };

  // Each measurement in a window of its own, including the server counters' deltas.
  const measure = async (work: () => Promise<LoopResult>) => {
    const before = await flushedCounters(observer, database);
    sql.reset();
    const endCpu = cpuWindow(undefined, cpus().length);
    const loop = await work();
    const cpu = endCpu();
    const after = await flushedCounters(observer, database);
    return {
      loop,
      cpu,
      counters: counterDelta(before, after),
      roundTrips: sql.roundTrips,
      transactions: sql.transactions,
    };
  };

  try {
    for (const c of concurrencies) {
      // Interleaved per concurrency, so drift on a shared machine hits raw and store alike.
      // The median of `rounds` alternating pairs first: raw, store, raw, store... same settings.
      const pairs = {
        raw: [] as number[],
        store: [] as number[],
        errors: 0,
        firstError: undefined as string | undefined,
      };
      for (let round = 0; round < rounds; round++) {
        const r = await closedLoop(c, warmupMs, measureMs, rawInsert(c));
        const a = await closedLoop(c, warmupMs, measureMs, async (w, n) => {
          const e = sampleEvent(n);
          await store.append(`bench-alt-${c}-${round}-${w}-${n}`, [e], 0);
          acked.add(e.eventId);
        });
        pairs.raw.push(r.perSecond);
        pairs.store.push(a.perSecond);
        pairs.errors += r.errors + a.errors;
        pairs.firstError ??= r.firstError ?? a.firstError;
      }
      const ratios = pairs.store.map((v, i) => v / pairs.raw[i]!);
      alternating[c] = {
        concurrency: c,
        rawPerSecond: pairs.raw,
        storePerSecond: pairs.store,
        ratios,
        median: median(ratios),
        errors: pairs.errors,
        firstError: pairs.firstError,
      };
      log(
        `  median of ${rounds} alternating raw/append pairs c=${String(c).padStart(2)}: ${median(ratios).toFixed(2)}x raw ` +
          `(${ratios.map((x) => x.toFixed(2)).join(', ')})`,
      );

      const rawRun = await measure(() => closedLoop(c, warmupMs, measureMs, rawInsert(c)));
      raw[c] = figure(c, rawRun.loop, rawRun.counters, 1, rawRun.cpu);
      log(`  raw INSERT        c=${String(c).padStart(2)}: ${Math.round(rawRun.loop.perSecond)} events/s`);

      const ownVersions = new Array<number>(c).fill(0);
      const streamFor: Record<AppendShape, (w: number, n: number) => [string, ExpectedVersion]> = {
        distinct: (w, n) => [`bench-d-${c}-${w}-${n}`, 0],
        'own-stream': (w) => [`bench-own-${c}-${w}`, ownVersions[w]!],
        'hot-stream': () => [`bench-hot-${c}`, 'any'],
      };
      for (const shape of ['distinct', 'own-stream', 'hot-stream'] as const) {
        let appends = 0;
        const run = await measure(() =>
          closedLoop(c, warmupMs, measureMs, async (w, n) => {
            const [stream, expected] = streamFor[shape](w, n);
            const e = sampleEvent(n);
            appends++;
            await store.append(stream, [e], expected);
            acked.add(e.eventId);
            if (shape === 'own-stream') ownVersions[w]!++;
          }),
        );
        // Round trips per append over the whole loop (warm-up included): every append costs the same.
        shapes[shape][c] = figure(
          c,
          run.loop,
          run.counters,
          // Appends are no longer one transaction each (autocommit), so count the appends themselves.
          run.roundTrips / Math.max(1, appends),
          run.cpu,
        );
        log(
          `  store.append ${shape.padEnd(10)} c=${String(c).padStart(2)}: ${Math.round(run.loop.perSecond)} events/s ` +
            `(${(run.loop.perSecond / raw[c]!.perSecond).toFixed(2)}x raw)`,
        );
      }

      for (const variant of [
        'append-sql',
        'append-sql-notify-in-tx',
        'append-sql-prepared',
        'one-statement',
        'one-statement-prepared',
      ] as const) {
        const run = await measure(() =>
          closedLoop(c, warmupMs, measureMs, async (w, n) => {
            const client = rawClients[w]!;
            const stream = `bench-${variant}-${c}-${w}-${n}`;
            const batch = JSON.stringify([sampleEvent(n)]);
            if (variant === 'one-statement' || variant === 'one-statement-prepared') {
              const values = [stream, 1, batch];
              const { rowCount } = await client.query(
                variant === 'one-statement'
                  ? { text: ONE_STATEMENT, values }
                  : { name: 'bench-one', text: ONE_STATEMENT, values },
              );
              if (rowCount !== 1) throw new Error(`one-statement append wrote ${rowCount} rows`);
              return;
            }
            const prepared = variant === 'append-sql-prepared';
            await client.query('BEGIN');
            try {
              await client.query(
                prepared
                  ? { name: 'bench-claim', text: CLAIM_NEW_STREAM, values: [stream, 1] }
                  : { text: CLAIM_NEW_STREAM, values: [stream, 1] },
              );
              await client.query(
                prepared
                  ? { name: 'bench-insert', text: INSERT_BATCH, values: [stream, 0, batch] }
                  : { text: INSERT_BATCH, values: [stream, 0, batch] },
              );
              if (variant === 'append-sql-notify-in-tx')
                await client.query('SELECT pg_notify($1, $2)', ['eenplan_events', '']);
              await client.query('COMMIT');
            } catch (error) {
              await client.query('ROLLBACK');
              throw error;
            }
          }),
        );
        const roundTrips = {
          'append-sql': 4,
          'append-sql-notify-in-tx': 5,
          'append-sql-prepared': 4,
          'one-statement': 1,
          'one-statement-prepared': 1,
        }[variant];
        handwritten[variant][c] = figure(c, run.loop, run.counters, roundTrips, run.cpu);
        log(
          `  ${variant.padEnd(23)}   c=${String(c).padStart(2)}: ${Math.round(run.loop.perSecond)} events/s ` +
            `(${(run.loop.perSecond / raw[c]!.perSecond).toFixed(2)}x raw)`,
        );
      }
    }
    const { rows } = await inner.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    const feedCheck = await readWholeFeed(store, 5000, { count: rows[0]!.n, ackedIds: acked });
    log(
      `  feed check over the appended events: ${feedCheck.events} events, ${feedCheck.problems.length ? feedCheck.problems.join('; ') : 'complete and in order'}`,
    );
    return { alternating, raw, store: shapes, handwritten, feedCheck };
  } finally {
    await store.close();
    await Promise.all(rawClients.map((c) => c.end()));
    await observer.end();
    await sql.close();
  }
}
