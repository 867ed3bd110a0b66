import pg from 'pg';
import { createSql, migrate, PostgresEventStore, START } from '@eenplan/event-store';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { createKafka, householdIdOf, topicsFor, type Topics } from '@eenplan/messaging';
import { ALL_PROJECTIONS, ProjectionRunner } from '@eenplan/projections';
import { derivedEventId } from '../../apps/api/src/common/aggregate-executor';
import { loadConfig, createEventStore, allMigrations } from '@eenplan/runtime';
import { readTopic } from './kafka-topic';

/** A command the API acknowledged with 2xx: who sent it, under which key, and the version it answered. */
export interface Acknowledged {
  readonly principal: string;
  readonly key: string;
  readonly streamId: string;
  readonly version: number;
}

/** Every key a client sent (acknowledged or not): an event in the store must derive from one of them. */
export interface Sent {
  readonly principal: string;
  readonly key: string;
  readonly streamId: string;
}

interface StoredEvent {
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_version: number;
}

export interface StoreCheck {
  readonly acknowledged: number;
  /** Acknowledged commands whose event is not at the version they were answered with. */
  readonly lost: string[];
  /** Events in the load's streams that no sent key explains, or a key whose events are split. */
  readonly duplicates: string[];
  /** Streams whose versions are not 1..n. */
  readonly gaps: string[];
  readonly events: number;
}

/** Up to this many events per request are looked up by derived id (the load's commands write one). */
const MAX_EVENTS_PER_REQUEST = 4;

/**
 * Every acknowledged command's event is in the store exactly once (`acknowledged` taken before the
 * call, so each of them must be there): the event at the answered
 * version carries an id derived from the command's key, every event of the load's streams derives
 * from a key some client sent (so nothing was written twice under a fresh id), a key's events sit
 * at consecutive versions, and each stream's versions are 1..n.
 */
export async function checkStore(
  databaseUrl: string,
  /** The load's streams: those whose id starts with one of these. */
  streamPrefixes: readonly string[],
  acknowledged: readonly Acknowledged[],
  sentSoFar: () => readonly Sent[],
): Promise<StoreCheck> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'eenplan-crash-check' });
  await client.connect();
  let rows: StoredEvent[];
  try {
    ({ rows } = await client.query<StoredEvent>(
      `SELECT event_id, stream_id, stream_version FROM events
        WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS p WHERE starts_with(stream_id, p))
        ORDER BY stream_id, stream_version`,
      [streamPrefixes],
    ));
  } finally {
    await client.end();
  }
  // Taken after the read: a key is registered before its first request, so every event read
  // derives from a key in this list (taken before, a command sent meanwhile would look foreign).
  const sent = sentSoFar();
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  const derived = (s: Sent, i: number) => derivedEventId(s.principal, s.key, s.streamId, i);

  const lost: string[] = [];
  for (const a of acknowledged) {
    const mine = new Set(Array.from({ length: MAX_EVENTS_PER_REQUEST }, (_, i) => derived(a, i)));
    const first = byId.get(derived(a, 0));
    const last = rows.find((r) => r.stream_id === a.streamId && r.stream_version === a.version);
    if (!first || first.stream_id !== a.streamId || !last || !mine.has(last.event_id))
      lost.push(`${a.streamId}@${a.version} (key ${a.key})`);
  }

  const duplicates: string[] = [];
  const explained = new Set<string>();
  for (const s of sent) {
    const versions: number[] = [];
    for (let i = 0; i < MAX_EVENTS_PER_REQUEST; i++) {
      const e = byId.get(derived(s, i));
      if (!e) break;
      explained.add(e.event_id);
      if (e.stream_id !== s.streamId) duplicates.push(`key ${s.key}: event in ${e.stream_id}`);
      versions.push(e.stream_version);
    }
    if (versions.some((v, i) => i > 0 && v !== versions[i - 1]! + 1))
      duplicates.push(`key ${s.key}: events at versions ${versions.join(',')}`);
  }
  for (const r of rows)
    if (!explained.has(r.event_id))
      duplicates.push(`${r.stream_id}@${r.stream_version}: event ${r.event_id} derives from no key sent`);

  const gaps: string[] = [];
  let stream = '';
  let expected = 1;
  for (const r of rows) {
    if (r.stream_id !== stream) {
      stream = r.stream_id;
      expected = 1;
    }
    if (r.stream_version !== expected)
      gaps.push(`${r.stream_id}: version ${r.stream_version}, expected ${expected}`);
    expected = r.stream_version + 1;
  }
  return { acknowledged: acknowledged.length, lost, duplicates, gaps, events: rows.length };
}

export interface ProjectionCompare {
  readonly tables: number;
  readonly rows: number;
  readonly rowsByTable: Record<string, number>;
  readonly mismatches: string[];
}

/** Rows of a table as canonical JSON, sorted, so two databases compare as multisets of rows. */
const tableRows = async (client: pg.Client, table: string): Promise<string[]> => {
  const { rows } = await client.query<{ r: string }>(
    `SELECT to_jsonb(t)::text AS r FROM ${table} t ORDER BY 1`,
  );
  return rows.map((row) => row.r);
};

/**
 * Projections equal a rebuild from scratch: the same ProjectionRunner the worker and
 * `npm run projections:rebuild` use (applying each statement at once, the reference mode), reading
 * the feed of `databaseUrl` and writing into a fresh database, then every table of every projection compared row by row, all columns (none of the
 * projection tables has a per-run column: their times come from the events; the only per-run
 * column, projection_checkpoints.updated_at, is bookkeeping and not compared).
 */
export async function compareWithRebuild(
  databaseUrl: string,
  keyStoreDir: string,
): Promise<ProjectionCompare> {
  const url = new URL(databaseUrl);
  const fresh = `${url.pathname.slice(1)}_rebuild`.slice(0, 63);
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${fresh}`);
  } finally {
    await admin.end();
  }
  const freshUrl = new URL(databaseUrl);
  freshUrl.pathname = `/${fresh}`;
  const source = await createSql({ databaseUrl });
  const target = await createSql({ databaseUrl: freshUrl.toString() });
  // The store the worker reads through (sealed: the personal part decrypted with the stream's key).
  const store = await createEventStore(
    loadConfig({ DATABASE_URL: databaseUrl, KEY_STORE_DIR: keyStoreDir }),
    source,
  );
  const live = new pg.Client({ connectionString: databaseUrl });
  const rebuilt = new pg.Client({ connectionString: freshUrl.toString() });
  try {
    await migrate(target, allMigrations());
    // Statement by statement (no write-behind): the reference the worker's batched writes must
    // equal, so a batching fault shows here as well as a crash fault.
    const runner = new ProjectionRunner(store, target, ALL_PROJECTIONS, {
      batchSize: 2000,
      writeBehind: false,
    });
    await runner.init();
    await runner.catchUp();
    await live.connect();
    await rebuilt.connect();
    const mismatches: string[] = [];
    let rows = 0;
    let tables = 0;
    const rowsByTable: Record<string, number> = {};
    for (const p of ALL_PROJECTIONS)
      for (const table of p.tables) {
        tables++;
        const a = await tableRows(live, table);
        const b = await tableRows(rebuilt, table);
        rows += Math.max(a.length, b.length);
        rowsByTable[table] = a.length;
        const inB = new Set(b);
        const inA = new Set(a);
        const onlyLive = a.filter((r) => !inB.has(r));
        const onlyRebuilt = b.filter((r) => !inA.has(r));
        // Row ids and counts only: the rows may hold names.
        if (a.length !== b.length || onlyLive.length || onlyRebuilt.length)
          mismatches.push(
            `${table}: ${a.length} rows live, ${b.length} rebuilt, ${onlyLive.length} only live, ${onlyRebuilt.length} only rebuilt`,
          );
      }
    return { tables, rows, rowsByTable, mismatches };
  } finally {
    await live.end().catch(() => undefined);
    await rebuilt.end().catch(() => undefined);
    await store.close();
    await source.close();
    await target.close();
    const drop = new pg.Client({ connectionString: databaseUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`).finally(() => drop.end());
  }
}

/** Every event of the store, in feed order. */
export async function allEvents(databaseUrl: string): Promise<RecordedEvent[]> {
  const sql = await createSql({ databaseUrl });
  const store = new PostgresEventStore(sql);
  const events: RecordedEvent[] = [];
  try {
    for (let page = await store.readAll(START, { limit: 5000 }); page.length;) {
      events.push(...page);
      page = await store.readAll(page[page.length - 1]!.position, { limit: 5000 });
    }
  } finally {
    await store.close();
    await sql.close();
  }
  return events;
}

export interface KafkaCompare {
  /** Event ids the routing sends to the plan topic. */
  readonly expected: number;
  readonly missing: string[];
  /** Ids on the topic that are not in the store. */
  readonly unknown: number;
  /** Messages beyond the first per id (allowed: at-least-once after a kill). */
  readonly redelivered: number;
}

/** Kafka holds every event id: the plan topic read to its end, deduplicated on the CloudEvent id. */
export async function compareKafka(
  events: readonly RecordedEvent[],
  brokers: readonly string[],
  topics: Topics,
): Promise<KafkaCompare> {
  const kafka = createKafka({ brokers: [...brokers], clientId: 'eenplan-crash-check' });
  const messages = await readTopic(kafka, topics.householdPlan, 60_000);
  const published = new Set(messages.map((m) => m.event.id));
  const expected = events.filter(
    (e) => householdIdOf(e) !== null && topicsFor(e, topics).includes(topics.householdPlan),
  );
  const ids = new Set(expected.map((e) => e.eventId));
  return {
    expected: expected.length,
    missing: expected.filter((e) => !published.has(e.eventId)).map((e) => e.eventId),
    unknown: [...published].filter((id) => !ids.has(id)).length,
    redelivered: messages.length - published.size,
  };
}
