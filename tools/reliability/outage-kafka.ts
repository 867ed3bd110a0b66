import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { createKafka } from '@eenplan/messaging';
import { startApi, type ApiProcess } from '../bench/api-process';
import { HttpClient } from '../bench/http-client';
import { setupWorld } from '../bench/http-load';
import { judge, type Line } from '../bench/report';
import { sleep } from '../bench/stats';
import { readTopic } from './kafka-topic';
import { sequencesByHousehold, startOwnBroker, type OwnBroker } from './own-kafka';
import { startOwnPostgres, type OwnPostgres } from './own-postgres';
import { startKeyedLoad } from './outage-postgres';

/**
 * Outages, part two: the Kafka broker stopped during a load. The relay is downstream of the store,
 * never in a command's path, so the API keeps accepting writes; once the broker is back the relay
 * publishes the backlog, and every event of the store ends up on the topic, in order per household.
 */
export interface OutageKafkaOptions {
  /** How long the broker stays down (the issue: 60 s). */
  readonly outageMs: number;
  /** Concurrent clients of the keyed write load. Default 4. */
  readonly clients?: number;
  /** Load before the outage, once the relay publishes. Default 5000. */
  readonly warmupMs?: number;
  /** Load after the broker is back, before it stops. Default 3000. */
  readonly afterMs?: number;
  /** Target for the catch-up (the backlog of the outage published), ms. Default 30000. */
  readonly catchUpBoundMs?: number;
  readonly log?: (line: string) => void;
}

export interface OutageKafkaResult {
  readonly outageMs: number;
  /** Writes acknowledged while the broker was down (the API must not depend on it). */
  readonly acceptedDuringOutage: number;
  /** Answers other than 2xx over the whole run. */
  readonly refused: string[];
  /** Whether the relay's checkpoint stood still while the broker was down (nothing marked sent that was not). */
  readonly checkpointHeldDuringOutage: boolean;
  /** Whether the relay still owned its checkpoint at the end of the outage (it stood by, it did not give up). */
  readonly relayOwnerDuringOutage: boolean;
  /** Whether the API logged the relay's failed publishing (it noticed the outage and retried). */
  readonly relayFailuresLogged: boolean;
  /** ms from asking the broker to start to it answering a metadata request (its JVM starting). */
  readonly brokerStartMs: number;
  /** Events committed while the broker was down (the backlog). */
  readonly backlog: number;
  /** From the broker answering again to the relay's checkpoint passing everything committed until then. */
  readonly catchUpMs: number;
  /** From the load's end to relay lag 0. */
  readonly drainMs: number;
  readonly householdEvents: number;
  readonly messages: number;
  /** Messages beyond the distinct events (redeliveries, which consumers drop by id). */
  readonly redeliveries: number;
  /** Household events of the store whose id is not on the topic. */
  readonly missing: string[];
  /** Households whose sequences on the topic, after dedup, are not 1..n. */
  readonly outOfOrder: string[];
  readonly lines: Line[];
}

/** When the broker answers a metadata request again (ms since epoch). */
const brokerAnswers = async (brokers: readonly string[], until: number): Promise<number> => {
  for (;;) {
    const admin = new Kafka({
      clientId: 'eenplan-reliability-probe',
      brokers: [...brokers],
      connectionTimeout: 1000,
      requestTimeout: 2000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return Date.now();
    } catch {
      if (Date.now() > until) throw new Error(`the broker at ${brokers.join(',')} did not come back`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
};

const relayPosition = async (db: pg.Client): Promise<string | undefined> => {
  const { rows } = await db.query<{ position: string }>('SELECT position FROM relay_checkpoints LIMIT 1');
  return rows[0]?.position;
};

/** Events of the feed after a position ('tx:sequence', or '0' for the start). */
const eventsAfter = async (db: pg.Client, position: string | undefined): Promise<number> => {
  const [tx, sequence] = !position || position === '0' ? ['0', '0'] : position.split(':');
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE (tx, sequence) > ($1::xid8, $2::bigint)',
    [tx, sequence],
  );
  return rows[0]!.n;
};

const headPosition = async (db: pg.Client): Promise<string> => {
  const { rows } = await db.query<{ position: string }>(
    `SELECT tx::text || ':' || sequence::text AS position FROM events ORDER BY tx DESC, sequence DESC LIMIT 1`,
  );
  return rows[0]?.position ?? '0';
};

export async function runOutageKafka(options: OutageKafkaOptions): Promise<OutageKafkaResult> {
  const { outageMs } = options;
  const clients = options.clients ?? 4;
  const warmupMs = options.warmupMs ?? 5000;
  const afterMs = options.afterMs ?? 3000;
  const catchUpBoundMs = options.catchUpBoundMs ?? 30_000;
  const log = options.log ?? (() => undefined);

  const tag = randomBytes(3).toString('hex');
  const secret = randomBytes(32).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-outage-kafka-'));
  const topics = {
    householdPlan: `reliability.${tag}.household-plan`,
    regieHandoffs: `reliability.${tag}.regie-handoffs`,
    uwvSignals: `reliability.${tag}.uwv-signals`,
    outcomes: `reliability.${tag}.outcomes`,
  };
  let broker: OwnBroker | undefined;
  let postgres: OwnPostgres | undefined;
  let api: ApiProcess | undefined;
  let setupClient: HttpClient | undefined;
  let db: pg.Client | undefined;
  try {
    // Both private, so stopping the broker disturbs nobody and the figures are this run's alone.
    const t0 = Date.now();
    const [b, p] = await Promise.allSettled([startOwnBroker(), startOwnPostgres()]);
    if (b.status === 'fulfilled') broker = b.value;
    if (p.status === 'fulfilled') postgres = p.value;
    if (b.status === 'rejected') throw b.reason;
    if (p.status === 'rejected') throw p.reason;
    log(
      `  outage-kafka: private broker ${broker!.brokers.join(',')} and PostgreSQL up in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    api = await startApi({
      env: {
        JWT_SECRET: secret,
        DATA_DIR: dataDir,
        DATABASE_URL: postgres!.url,
        RUN_PROJECTIONS: 'true',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        // Production publishing refuses the placeholder OIN.
        EENPLAN_OIN: '00000001823288444000',
        PUBLIC_BASE_URL: 'https://eenplan.testgemeente.nl',
        KAFKA_BROKERS: broker!.brokers.join(','),
        KAFKA_TOPIC_HOUSEHOLD_PLAN: topics.householdPlan,
        KAFKA_TOPIC_REGIE_HANDOFFS: topics.regieHandoffs,
        KAFKA_TOPIC_UWV_SIGNALS: topics.uwvSignals,
        KAFKA_TOPIC_OUTCOMES: topics.outcomes,
      },
      readyTimeoutMs: 120_000,
    });
    setupClient = new HttpClient(api.baseUrl, 4);
    const world = await setupWorld(setupClient, secret, tag, clients, 2);
    db = new pg.Client({ connectionString: postgres!.url });
    await db.connect();

    const load = startKeyedLoad(api.baseUrl, world, tag);
    // Publishing works before the outage.
    for (const until = Date.now() + 60_000; ; await sleep(200)) {
      const position = await relayPosition(db);
      if (position && position !== '0') break;
      if (Date.now() > until) throw new Error('the relay published nothing within 60 s of the load starting');
    }
    await sleep(warmupMs);

    await broker!.stop();
    const stoppedAt = Date.now();
    const ackedAtStop = load.acked.length;
    // The relay may still record the round the broker acknowledged just before it went.
    await sleep(2000);
    const checkpointAtStop = await relayPosition(db);
    await sleep(Math.max(0, stoppedAt + outageMs - Date.now()));
    const checkpointBeforeStart = await relayPosition(db);
    const { rows: owners } = await db.query<{ owner: string | null }>('SELECT owner FROM relay_checkpoints');
    const relayOwnerDuringOutage = owners.some((o) => o.owner !== null);
    const acceptedDuringOutage = load.acked.length - ackedAtStop;
    // Nothing is marked published that the broker did not take.
    const checkpointHeldDuringOutage = checkpointBeforeStart === checkpointAtStop;
    const backlog = await eventsAfter(db, checkpointBeforeStart);
    log(
      `  outage-kafka: broker down ${(outageMs / 1000).toFixed(0)} s: ${acceptedDuringOutage} writes accepted meanwhile, backlog ${backlog} events`,
    );

    // start.sh returns only after its own (JVM) probe; the broker answers, and the relay resumes,
    // earlier. Catch-up counts from the broker answering a metadata request, polled here.
    const startingAt = Date.now();
    const starting = broker!.start();
    starting.catch(() => undefined);
    const upAt = await brokerAnswers(broker!.brokers, startingAt + 180_000);
    const headAtUp = await headPosition(db);
    const [htx, hseq] = headAtUp.split(':');
    let catchUpMs = Number.NaN;
    for (const until = upAt + Math.max(catchUpBoundMs, 120_000); Date.now() < until; await sleep(100)) {
      const position = await relayPosition(db);
      const { rows } = await db.query<{ passed: boolean }>(
        `SELECT ($1::xid8, $2::bigint) >= ($3::xid8, $4::bigint) AS passed`,
        [...(position && position !== '0' ? position.split(':') : ['0', '0']), htx, hseq],
      );
      if (rows[0]!.passed) {
        catchUpMs = Date.now() - upAt;
        break;
      }
    }
    await starting;
    const brokerStartMs = upAt - startingAt;
    log(
      `  outage-kafka: broker answering ${(brokerStartMs / 1000).toFixed(1)} s after its start (start.sh done after ${((Date.now() - startingAt) / 1000).toFixed(1)} s); backlog published ${(catchUpMs / 1000).toFixed(2)} s after it answered`,
    );
    await sleep(Math.max(0, upAt + afterMs - Date.now()));
    await load.stop();
    const loadEnd = Date.now();
    let drainMs = Number.NaN;
    for (const until = loadEnd + 60_000; Date.now() < until; await sleep(100)) {
      if ((await eventsAfter(db, await relayPosition(db))) === 0) {
        drainMs = Date.now() - loadEnd;
        break;
      }
    }

    const { rows: stored } = await db.query<{ event_id: string; stream_id: string; stream_version: number }>(
      `SELECT event_id, stream_id, stream_version FROM events WHERE stream_id LIKE 'household-%'
        ORDER BY stream_id, stream_version`,
    );
    // A fresh consumer group right after the broker's restart may wait long for its coordinator
    // (seen once at 60 s on a loaded 2-core machine): a second reader, with a new group, then.
    const kafka = createKafka({ brokers: broker!.brokers, clientId: 'eenplan-reliability' });
    const messages = await readTopic(kafka, topics.householdPlan, 60_000).catch((error: Error) => {
      log(`  outage-kafka: reading the topic failed (${error.message}); reading again`);
      return readTopic(kafka, topics.householdPlan, 60_000);
    });
    const published = new Set(messages.map((m) => m.event.id));
    const missing = stored.filter((e) => !published.has(e.event_id)).map((e) => e.event_id);
    const lengths = new Map<string, number>();
    for (const e of stored) lengths.set(e.stream_id.slice('household-'.length), e.stream_version);
    const sequences = sequencesByHousehold(messages);
    const outOfOrder = [...lengths]
      .filter(([household, n]) => {
        const seen = sequences.get(household) ?? [];
        return seen.length !== n || seen.some((s, i) => s !== i + 1);
      })
      .map(([household]) => household);
    const refused = load.answers
      .filter((a) => a.status < 200 || a.status >= 300)
      .map((a) => `${a.status} ${a.code ?? a.error ?? ''}`);

    const result: Omit<OutageKafkaResult, 'lines'> = {
      outageMs,
      acceptedDuringOutage,
      refused,
      checkpointHeldDuringOutage,
      relayOwnerDuringOutage,
      relayFailuresLogged: /kafka relay: publish failed/.test(api.output()),
      brokerStartMs,
      backlog,
      catchUpMs,
      drainMs,
      householdEvents: stored.length,
      messages: messages.length,
      redeliveries: messages.length - published.size,
      missing,
      outOfOrder,
    };
    const lines: Line[] = [
      {
        id: 'R3g',
        figure: `Kafka down ${outageMs / 1000} s: writes accepted meanwhile`,
        measured: `${acceptedDuringOutage} (${refused.length} refused over the run)`,
        target: '> 0, 0 refused',
        result: judge(acceptedDuringOutage > 0 && refused.length === 0 && checkpointHeldDuringOutage),
        value: acceptedDuringOutage,
        unit: 'writes',
        note: `the relay's checkpoint ${checkpointHeldDuringOutage ? 'stood still' : 'MOVED'} while the broker was down`,
      },
      {
        id: 'R3h',
        figure: 'Kafka back: catch-up (backlog of the outage published)',
        measured: `${(catchUpMs / 1000).toFixed(2)} s`,
        target: `<= ${catchUpBoundMs / 1000} s`,
        result: judge(catchUpMs <= catchUpBoundMs),
        value: catchUpMs / 1000,
        unit: 's',
        note: `from the broker answering again (its JVM took ${(brokerStartMs / 1000).toFixed(1)} s to start); ${backlog} events committed while it was down; relay lag 0 ${(drainMs / 1000).toFixed(2)} s after the load stopped`,
      },
      {
        id: 'R3i',
        figure: 'Kafka outage: events lost / out of order on the topic',
        measured: `${missing.length} / ${outOfOrder.length}`,
        target: '0 / 0',
        result: judge(missing.length === 0 && outOfOrder.length === 0 && stored.length > 0),
        value: missing.length + outOfOrder.length,
        unit: 'events',
        note: `${stored.length} household events in the store, ${messages.length} messages (${result.redeliveries} redeliveries, dropped by id)`,
      },
    ];
    return { ...result, lines };
  } catch (error) {
    if (api) log(`  API output:\n${api.output()}`);
    throw error;
  } finally {
    setupClient?.close();
    await db?.end().catch(() => undefined);
    await api?.stop();
    await broker?.destroy().catch(() => undefined);
    await postgres?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
