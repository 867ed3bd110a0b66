import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import {
  createNodePostgresSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type NewEvent,
} from '@eenplan/event-store';
import { readWholeFeed, type FeedReadResult } from './feed';
import { closedLoop } from './load-loop';
import { now } from './stats';
import { sampleEvent } from './store-phases';

/**
 * The best peer on the same workload: Emmett's PostgreSQL event store
 * (`@event-driven-io/emmett-postgresql`, a dev dependency) against PostgresEventStore, each in a
 * fresh database of its own:
 * - append c=1 and c=16, one ~400-byte event per append, a new stream per append (the store
 *   phase's `distinct` shape), eenplan and Emmett measured alternately `rounds` times, the median
 *   of each side's rates compared;
 * - the feed read-out: both seeded the same way through their own append (N events, six per
 *   stream, 16 writers in parallel, so transactions commit out of order), then read from the start
 *   to the end in pages of 5000 (eenplan: readAll; Emmett: readMessagesBatch, what its consumers
 *   pull with), checked for completeness: every acknowledged event exactly once, each stream's
 *   versions 1, 2, 3... in feed order.
 * No target: the ratios are printed.
 */

/** The parts of Emmett's API used here (loaded at run time: the package ships CommonJS too). */
interface EmmettEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}
interface EmmettStore {
  appendToStream(
    stream: string,
    events: EmmettEvent[],
    options?: { expectedStreamVersion?: unknown },
  ): Promise<unknown>;
  schema: { migrate(): Promise<unknown> };
  close(): Promise<void>;
}
interface EmmettRecorded {
  readonly metadata: {
    messageId: string;
    streamName: string;
    streamPosition: bigint;
    globalPosition: bigint;
  };
}
interface EmmettModule {
  getPostgreSQLEventStore(
    url: string,
    options: { connectionOptions: { connectionString: string; pool: pg.Pool } },
  ): EmmettStore;
  readMessagesBatch(
    execute: unknown,
    options: { after: bigint; batchSize: number },
  ): Promise<{ messages: EmmettRecorded[]; currentGlobalPosition: bigint; areMessagesLeft: boolean }>;
}
interface DumboModule {
  nodePostgresPool(options: { connectionString: string; pool: pg.Pool }): {
    execute: unknown;
    close(): Promise<void>;
  };
}

const EMMETT = '@event-driven-io/emmett-postgresql';

/**
 * Loads Emmett with require (its package has a CommonJS build for `require`). Its pool helper
 * (dumbo) is resolved from Emmett's own folder. Dumbo sets pg's parsers for int8 and json(b)
 * globally on load; they are restored after the phase so later phases see pg's defaults.
 */
const loadEmmett = (): { emmett: EmmettModule; dumbo: DumboModule; version: string } => {
  const main = require.resolve(EMMETT);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const emmett = require(main) as EmmettModule;
  const dumbo = require(require.resolve('@event-driven-io/dumbo', { paths: [dirname(main)] })) as DumboModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Not require(): the package's exports do not include ./package.json.
  const { version } = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { emmett, dumbo, version };
};

/** The store phases' own event, so "the same workload" stays the same when one side changes. */
const payload = sampleEvent;
const asEenplan = (p: NewEvent): NewEvent => p;
/** The same bytes for Emmett: personal data in the event's data (Emmett has no separate column). */
const asEmmett = (p: NewEvent): EmmettEvent => ({
  type: p.type,
  data: { ...p.data, personal: p.personal },
  metadata: { ...p.metadata, messageId: p.eventId },
});

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface PeerAppend {
  readonly concurrency: number;
  readonly eenplan: number[];
  readonly emmett: number[];
  /** median(eenplan) / median(emmett). */
  readonly ratio: number;
  readonly errors: { eenplan: number; emmett: number; first?: string };
}

export interface PeerFeed {
  readonly events: number;
  readonly seedSeconds: { eenplan: number; emmett: number };
  readonly eenplan: FeedReadResult;
  readonly emmett: {
    events: number;
    seconds: number;
    perSecond: number;
    pages: number;
    problems: string[];
    /** Events read after one with a higher global position (Emmett orders by transaction id). */
    positionsBelowHighest: number;
  };
  /** eenplan events/s / Emmett events/s. */
  readonly ratio: number;
}

export interface PeerResult {
  readonly emmettVersion: string;
  readonly append: PeerAppend[];
  readonly feed: PeerFeed;
}

export interface PeerOptions {
  readonly eenplanUrl: string;
  readonly emmettUrl: string;
  readonly concurrencies: readonly number[];
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly rounds: number;
  readonly feedEvents: number;
  readonly log: (line: string) => void;
}

const PER_STREAM = 6;
const SEED_WRITERS = 16;

export async function runPeerPhase(o: PeerOptions): Promise<PeerResult> {
  const savedParsers = [20, 114, 3802].map((oid) => [oid, pg.types.getTypeParser(oid)] as const);
  const { emmett, dumbo, version } = loadEmmett();
  const max = Math.max(SEED_WRITERS, ...o.concurrencies);
  const sql = createNodePostgresSql({
    connectionString: o.eenplanUrl,
    max,
    applicationName: 'eenplan-bench-peer',
  });
  await migrate(sql, eventStoreMigrations);
  const ours = new PostgresEventStore(sql);
  const emmettPool = new pg.Pool({
    connectionString: o.emmettUrl,
    max,
    application_name: 'eenplan-bench-emmett',
  });
  const theirs = emmett.getPostgreSQLEventStore(o.emmettUrl, {
    connectionOptions: { connectionString: o.emmettUrl, pool: emmettPool },
  });
  const reader = dumbo.nodePostgresPool({ connectionString: o.emmettUrl, pool: emmettPool });
  const ackedOurs = new Set<string>();
  const ackedTheirs = new Set<string>();
  try {
    await theirs.schema.migrate();
    o.log(`  Emmett ${version} (CommonJS build, loaded with require)`);

    // --- append, alternately
    const append: PeerAppend[] = [];
    for (const c of o.concurrencies) {
      const r: PeerAppend = {
        concurrency: c,
        eenplan: [],
        emmett: [],
        ratio: 0,
        errors: { eenplan: 0, emmett: 0 },
      };
      for (let round = 0; round < o.rounds; round++) {
        const a = await closedLoop(c, o.warmupMs, o.measureMs, async (w, n) => {
          const p = payload(n);
          await ours.append(`peer-${c}-${round}-${w}-${n}`, [asEenplan(p)], 0);
          ackedOurs.add(p.eventId);
        });
        const b = await closedLoop(c, o.warmupMs, o.measureMs, async (w, n) => {
          const p = payload(n);
          await theirs.appendToStream(`peer-${c}-${round}-${w}-${n}`, [asEmmett(p)], {
            expectedStreamVersion: 'STREAM_DOES_NOT_EXIST',
          });
          ackedTheirs.add(p.eventId);
        });
        r.eenplan.push(a.perSecond);
        r.emmett.push(b.perSecond);
        r.errors.eenplan += a.errors;
        r.errors.emmett += b.errors;
        r.errors.first ??= a.firstError ?? b.firstError;
      }
      const done = { ...r, ratio: median(r.eenplan) / median(r.emmett) };
      append.push(done);
      o.log(
        `  append c=${String(c).padStart(2)}: eenplan ${Math.round(median(r.eenplan))} ev/s, Emmett ${Math.round(median(r.emmett))} ev/s ` +
          `(median of ${o.rounds}) = ${done.ratio.toFixed(2)}x` +
          (r.errors.eenplan + r.errors.emmett
            ? `; errors ${r.errors.eenplan} / ${r.errors.emmett}: ${r.errors.first}`
            : ''),
      );
    }

    // --- seed the same feed through each store's append, 16 writers
    const seed = async (
      appendOne: (stream: string, events: NewEvent[]) => Promise<void>,
    ) => {
      const streams = Math.ceil(o.feedEvents / PER_STREAM);
      let next = 0;
      const t0 = now();
      await Promise.all(
        Array.from({ length: SEED_WRITERS }, async () => {
          for (let s = next++; s < streams; s = next++) {
            const count = Math.min(PER_STREAM, o.feedEvents - s * PER_STREAM);
            await appendOne(
              `seed-${s}`,
              Array.from({ length: count }, (_, k) => payload(k)),
            );
          }
        }),
      );
      return (now() - t0) / 1000;
    };
    const seedOurs = await seed(async (stream, events) => {
      await ours.append(stream, events.map(asEenplan), 0);
      for (const e of events) ackedOurs.add(e.eventId);
    });
    const seedTheirs = await seed(async (stream, events) => {
      await theirs.appendToStream(stream, events.map(asEmmett), {
        expectedStreamVersion: 'STREAM_DOES_NOT_EXIST',
      });
      for (const e of events) ackedTheirs.add(e.eventId);
    });
    o.log(
      `  seeded ${o.feedEvents.toLocaleString('en')} events into each (${PER_STREAM} per stream, ${SEED_WRITERS} writers): ` +
        `eenplan ${seedOurs.toFixed(1)} s, Emmett ${seedTheirs.toFixed(1)} s`,
    );

    // --- read out everything
    const ourFeed = await readWholeFeed(ours, 5000, { count: ackedOurs.size, ackedIds: ackedOurs });
    const theirFeed = await readEmmett(emmett, reader.execute, ackedTheirs);
    const feed: PeerFeed = {
      events: o.feedEvents,
      seedSeconds: { eenplan: seedOurs, emmett: seedTheirs },
      eenplan: ourFeed,
      emmett: theirFeed,
      ratio: ourFeed.perSecond / theirFeed.perSecond,
    };
    o.log(
      `  feed read-out (page 5000): eenplan ${Math.round(ourFeed.perSecond).toLocaleString('en')} ev/s over ${ourFeed.events.toLocaleString('en')} ` +
        `(${ourFeed.problems.length ? ourFeed.problems.join('; ') : 'complete'}), Emmett ${Math.round(theirFeed.perSecond).toLocaleString('en')} ev/s ` +
        `over ${theirFeed.events.toLocaleString('en')} (${theirFeed.problems.length ? theirFeed.problems.join('; ') : 'complete'})`,
    );
    return { emmettVersion: version, append, feed };
  } finally {
    await theirs.close().catch(() => undefined);
    await reader.close().catch(() => undefined);
    await emmettPool.end().catch(() => undefined);
    await ours.close();
    await sql.close();
    for (const [oid, parser] of savedParsers) pg.types.setTypeParser(oid, parser);
  }
}

/** Emmett's readMessagesBatch from the start to the end, checked like eenplan's readWholeFeed. */
async function readEmmett(emmett: EmmettModule, execute: unknown, acked: ReadonlySet<string>) {
  const problems: string[] = [];
  const problem = (p: string) => {
    if (problems.length < 10) problems.push(p);
  };
  const seen = new Set<string>();
  const versions = new Map<string, bigint>();
  let after = 0n;
  let events = 0;
  let pages = 0;
  let duplicates = 0;
  let highest = 0n;
  let positionsBelowHighest = 0;
  const t0 = now();
  for (;;) {
    const page = await emmett.readMessagesBatch(execute, { after, batchSize: 5000 });
    if (page.messages.length === 0) break;
    pages++;
    for (const m of page.messages) {
      const { messageId, streamName, streamPosition, globalPosition } = m.metadata;
      // Emmett orders by (transaction id, position): positions need not ascend; not a problem in itself.
      if (globalPosition <= highest) positionsBelowHighest++;
      else highest = globalPosition;
      const previous = versions.get(streamName) ?? 0n;
      if (streamPosition !== previous + 1n)
        problem(`${streamName}: version ${streamPosition} after ${previous}`);
      versions.set(streamName, streamPosition);
      if (seen.has(messageId)) duplicates++;
      seen.add(messageId);
      events++;
    }
    // The cursor its consumers use: the last message's position.
    after = page.currentGlobalPosition;
    if (!page.areMessagesLeft) break;
  }
  const seconds = (now() - t0) / 1000;
  if (duplicates) problem(`${duplicates} events read twice`);
  let missing = 0;
  for (const id of acked) if (!seen.has(id)) missing++;
  if (missing) problem(`${missing} of ${acked.size} acknowledged events missing`);
  return { events, seconds, perSecond: events / seconds, pages, problems, positionsBelowHighest };
}
