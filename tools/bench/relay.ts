import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import {
  createNodePostgresSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  START,
  type RecordedEvent,
} from '@eenplan/event-store';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  createKafka,
  ensureTopics,
  householdIdOf,
  KafkaRelay,
  relayMigrations,
  toCloudEvent,
  topicsFor,
  type Topics,
} from '@eenplan/messaging';
import { cpuWindow } from './cpu';
import { distribution, now, sleep, type Distribution } from './stats';

/**
 * The Kafka relay against a raw kafkajs producer, in the same run, on the same broker:
 * - seed N household events by SQL: ten per household, nine RegieTransferRequested (one topic)
 *   and one RegieTransferAccepted (two topics: plan and handoffs), ~600-byte messages;
 * - raw: the same CloudEvent messages, built beforehand, sent by a kafkajs producer with the
 *   relay's settings (idempotent, acks = all, one request in flight) in the relay's batch size;
 *   no database at all: the most a producer like the relay's can do here;
 * - relay: a KafkaRelay from START to the head: read a page of the feed, map, send, move the
 *   checkpoint; events/s over the whole catch-up;
 *   each twice, alternating, best of each counted (the machine is shared);
 * - lag: appends at a fixed rate (one event per append, as one command writes) while the relay
 *   follows the feed and a consumer reads the topic; lag = the message's arrival at the consumer
 *   minus the moment the append was called. Relay, appender and consumer share this process.
 */

export interface RelayPhaseOptions {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly events: number;
  readonly batchSize: number;
  readonly lagSeconds: number;
  readonly lagRate: number;
  readonly log: (line: string) => void;
}

export interface Throughput {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export interface RelayPhaseResult {
  readonly events: number;
  readonly batchSize: number;
  readonly raw: Throughput[];
  readonly relay: Throughput[];
  readonly bestRaw: Throughput;
  readonly bestRelay: Throughput;
  readonly relayCpuPct: number;
  readonly lag: {
    readonly rate: number;
    readonly seconds: number;
    readonly appended: number;
    readonly achievedRate: number;
    readonly received: number;
    readonly ms: Distribution;
    /** The append itself: call to commit acknowledged. */
    readonly appendMs: Distribution;
    /** Commit acknowledged to the consumer's receipt: the relay's part plus the broker's. */
    readonly afterAckMs: Distribution;
  };
}

const EVENTS_PER_HOUSEHOLD = 10;

const seedSql = `
  INSERT INTO events (event_id, stream_id, stream_version, type, data, personal, metadata, recorded_at)
  SELECT md5('relay-bench:' || g)::uuid::text,
         'household-rb-' || (g / ${EVENTS_PER_HOUSEHOLD}),
         (g % ${EVENTS_PER_HOUSEHOLD})::int + 1,
         CASE WHEN g % ${EVENTS_PER_HOUSEHOLD} = ${EVENTS_PER_HOUSEHOLD} - 1 THEN 'RegieTransferAccepted' ELSE 'RegieTransferRequested' END,
         jsonb_build_object('transferId', 'tr-' || g,
           'from', jsonb_build_object('kind', 'worker', 'id', 'w-' || (g % 97), 'teamId', 't-' || (g % 13)),
           'to', jsonb_build_object('kind', 'worker', 'id', 'w-' || (g % 89), 'teamId', 't-' || (g % 13)),
           'variant', 'handover', 'requestedBy', 'w-' || (g % 97), 'acceptedBy', 'w-' || (g % 89),
           'requestedAt', '2026-01-05T09:00:00.000Z', 'acceptedAt', '2026-01-05T09:10:00.000Z', 'handoverSeconds', 600),
         jsonb_build_object('handoverNotes', 'Sanne Jansen vraagt om een vaste contactpersoon'),
         jsonb_build_object('schemaVersion', 1, 'actor', jsonb_build_object('kind', 'worker', 'id', 'w-1', 'roles', jsonb_build_array('worker')),
           'recordedAt', '2026-01-05T09:10:00.000Z', 'correlationId', md5('c' || g)::uuid::text, 'causationId', md5('r' || g)::uuid::text),
         '2026-01-05T09:10:00.000Z'::timestamptz
    FROM generate_series($1::bigint, $2::bigint) AS g
   ORDER BY g`;

const mapping = { oin: '00000001234567890000', typePrefix: 'nl.bench.eenplan' };

const benchTopics = (label: string): Topics => {
  const run = `${label}-${randomUUID().slice(0, 8)}`;
  return {
    householdPlan: `bench.${run}.household-plan`,
    regieHandoffs: `bench.${run}.regie-handoffs`,
    uwvSignals: `bench.${run}.uwv-signals`,
    outcomes: `bench.${run}.outcomes`,
  };
};

/** The relay's messages for these events, per topic (as the relay builds them). */
const toMessages = (events: readonly RecordedEvent[], topics: Topics) => {
  const byTopic = new Map<string, Message[]>();
  for (const e of events) {
    const message = {
      key: householdIdOf(e)!,
      value: JSON.stringify(toCloudEvent(e, mapping)),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
    };
    for (const topic of topicsFor(e, topics)) {
      const list = byTopic.get(topic);
      if (list) list.push(message);
      else byTopic.set(topic, [message]);
    }
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
};

const rawProducer = async (kafka: Kafka, pages: RecordedEvent[][]): Promise<Throughput> => {
  const topics = benchTopics('raw');
  await ensureTopics(kafka, Object.values(topics));
  const batches = pages.map((page) => toMessages(page, topics));
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const t0 = now();
    for (const topicMessages of batches) await producer.sendBatch({ topicMessages, acks: -1 });
    const seconds = (now() - t0) / 1000;
    const events = pages.reduce((n, p) => n + p.length, 0);
    return { events, seconds, perSecond: events / seconds };
  } finally {
    await producer.disconnect();
  }
};

export async function runRelayPhase(o: RelayPhaseOptions): Promise<RelayPhaseResult> {
  const sql = createNodePostgresSql({
    connectionString: o.databaseUrl,
    applicationName: 'eenplan-bench-relay',
    max: 20,
  });
  await migrate(sql, [...eventStoreMigrations, ...relayMigrations]);
  const store = new PostgresEventStore(sql, { maxReadLimit: Math.max(5000, o.batchSize) });
  const kafka = createKafka({ brokers: o.brokers, clientId: 'eenplan-bench', log: o.log });
  try {
    await ensureTopics(kafka, ['bench.probe']).catch((e: Error) => {
      throw new Error(
        `Kafka at ${o.brokers.join(',')} does not answer (${e.message}); start it with bash infra/kafka/start.sh`,
      );
    });

    // --- seed
    const t0 = now();
    for (let from = 0; from < o.events; from += 50_000)
      await sql.query(seedSql, [from, Math.min(o.events, from + 50_000) - 1]);
    await sql.query(
      `INSERT INTO event_streams (stream_id, version)
       SELECT stream_id, max(stream_version) FROM events GROUP BY stream_id`,
    );
    await sql.query('VACUUM ANALYZE events');
    const pages: RecordedEvent[][] = [];
    for (let page = await store.readAll(START, { limit: o.batchSize }); page.length;) {
      pages.push(page);
      page = await store.readAll(page[page.length - 1]!.position, { limit: o.batchSize });
    }
    const head = pages[pages.length - 1]![pages[pages.length - 1]!.length - 1]!.position;
    o.log(`  seeded ${o.events.toLocaleString('en')} events in ${((now() - t0) / 1000).toFixed(1)} s`);

    // --- raw vs relay, alternating
    const raw: Throughput[] = [];
    const relay: Throughput[] = [];
    let relayCpuPct = 0;
    for (let round = 1; round <= 2; round++) {
      raw.push(await rawProducer(kafka, pages));
      o.log(
        `  raw producer, round ${round}: ${Math.round(raw[raw.length - 1]!.perSecond).toLocaleString('en')} ev/s`,
      );
      const r = new KafkaRelay(
        store,
        sql,
        kafka,
        { ...mapping, topics: benchTopics('relay') },
        {
          name: `bench-${round}`,
          batchSize: o.batchSize,
          onError: (e) => o.log(`  relay error: ${(e as Error).message}`),
        },
      );
      const cpu = cpuWindow(undefined, 1);
      const start = now();
      r.start();
      while (store.comparePositions(r.status().position, head) < 0) await sleep(2);
      const seconds = (now() - start) / 1000;
      relayCpuPct = Math.max(relayCpuPct, cpu().benchPct ?? 0);
      await r.stop();
      relay.push({ events: o.events, seconds, perSecond: o.events / seconds });
      o.log(`  relay, round ${round}: ${Math.round(o.events / seconds).toLocaleString('en')} ev/s`);
    }
    const best = (list: Throughput[]) => list.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));

    // --- lag at a fixed append rate
    const topics = benchTopics('lag');
    await ensureTopics(kafka, Object.values(topics));
    await sql.query(`INSERT INTO relay_checkpoints (name, position) VALUES ('bench-lag', $1)`, [head]);
    const lagRelay = new KafkaRelay(store, sql, kafka, { ...mapping, topics }, { name: 'bench-lag' });
    const appendedAt = new Map<string, number>();
    const ackedAt = new Map<string, number>();
    const lags: number[] = [];
    const afterAck: number[] = [];
    const appendMs: number[] = [];
    const consumer = kafka.consumer({ groupId: `bench-lag-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.householdPlan, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = (JSON.parse(message.value!.toString()) as { id: string }).id;
        const at = appendedAt.get(id);
        const t = now();
        if (at !== undefined) lags.push(t - at);
        const acked = ackedAt.get(id);
        if (acked !== undefined) afterAck.push(t - acked);
      },
    });
    await joined;
    lagRelay.start();
    const total = Math.round(o.lagRate * o.lagSeconds);
    const lagStart = now();
    let appended = 0;
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < total; i++) {
      // Paced by the clock, not by the appends' own latency: i-th append at i / rate seconds.
      const due = lagStart + (i * 1000) / o.lagRate;
      const wait = due - now();
      if (wait > 1) await sleep(wait);
      const eventId = randomUUID();
      const p = (async () => {
        appendedAt.set(eventId, now());
        await store.append(
          `household-lag-${i}`,
          [
            {
              eventId,
              type: 'GoalAdded',
              data: { goalId: `g-${i}`, lifeDomain: 'housing', planRevision: 1 },
              personal: { description: 'Woning op orde' },
              metadata: {
                schemaVersion: 1,
                actor: { kind: 'worker', id: 'w-1' },
                recordedAt: new Date().toISOString(),
                correlationId: eventId,
                causationId: eventId,
              },
            },
          ],
          0,
        );
        const acked = now();
        ackedAt.set(eventId, acked);
        appendMs.push(acked - appendedAt.get(eventId)!);
        appended++;
      })();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= 64) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const lagSeconds = (now() - lagStart) / 1000;
    const deadline = now() + 15_000;
    while (lags.length < appended && now() < deadline) await sleep(20);
    await lagRelay.stop();
    await consumer.disconnect();
    return {
      events: o.events,
      batchSize: o.batchSize,
      raw,
      relay,
      bestRaw: best(raw),
      bestRelay: best(relay),
      relayCpuPct,
      lag: {
        rate: o.lagRate,
        seconds: lagSeconds,
        appended,
        achievedRate: appended / lagSeconds,
        received: lags.length,
        ms: distribution(lags),
        appendMs: distribution(appendMs),
        afterAckMs: distribution(afterAck),
      },
    };
  } finally {
    await store.close();
    await sql.close();
  }
}
