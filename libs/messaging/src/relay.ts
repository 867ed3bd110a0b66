import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Migration, Sql } from '@eenplan/event-store/sql/sql';
import { EventStore, GlobalPosition, RecordedEvent, START } from '@eenplan/event-store/event-store.port';
import {
  cloudEventEncoder,
  householdIdOf,
  type CloudEventMapping,
  type ContentMode,
  type EncodedEvent,
} from './cloud-event';
import { outcomeEncoder } from './outcomes';
import { topicsFor, type Topics } from './routing';

/**
 * The relay's checkpoint and its lease. Not a row lock held in a transaction, as the projection
 * runner uses: that would keep a transaction id open for as long as a publish takes (minutes while
 * the broker is down), and an open transaction holds back the whole feed for every reader.
 */
export const relayMigrations: Migration[] = [
  {
    id: '0950_kafka_relay_checkpoints',
    sql: `CREATE TABLE IF NOT EXISTS relay_checkpoints (
            name text PRIMARY KEY,
            position text NOT NULL,
            owner text,
            lease_until timestamptz,
            updated_at timestamptz NOT NULL DEFAULT now()
          )`,
  },
];

export interface RelayOptions {
  /** The checkpoint row; relays with the same name share one checkpoint and one lease. */
  readonly name?: string;
  /** Events read and published per round (the store caps a page at 5000). Default 5000: fewer broker round trips in a catch-up; a page the broker refuses as too large is halved. */
  readonly batchSize?: number;
  /** Longest idle wait for the feed before looking again (appends wake it sooner). Default 1000 ms. */
  readonly idleWaitMs?: number;
  /**
   * How long the lease lasts without renewal. A relay that dies without releasing it (SIGKILL)
   * holds up a successor this long. Default 10000 ms.
   */
  readonly leaseMs?: number;
  /** Back-off after a failure: doubles from `minBackoffMs` up to `maxBackoffMs`. Defaults 250, 5000. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A failed round: broker down, database error. The relay retries by itself. */
  readonly onError?: (error: unknown) => void;
  /** Lease taken or lost, waiting for another relay: for logs. */
  readonly onStatus?: (message: string) => void;
}

export interface RelayStatus {
  readonly active: boolean;
  readonly position: GlobalPosition;
  readonly published: number;
  readonly failures: number;
  readonly lastError?: string;
}

interface Page {
  readonly events: RecordedEvent[];
  readonly batch: TopicMessages[];
}

export interface RelayMapping extends CloudEventMapping {
  readonly topics: Topics;
  /** How each CloudEvent travels (CLOUDEVENTS_MODE); default `structured`. */
  readonly contentMode?: ContentMode;
}

/**
 * Publishes the global feed to Kafka, from a checkpoint in the database, at least once and in
 * stream order per household. Each round reads a page of the feed, sends it with an idempotent
 * producer (acks from all in-sync replicas), and only after the broker acknowledged moves the
 * checkpoint, conditional on the position it started from and on holding the lease. A crash
 * between the send and the checkpoint means a redelivery with the same ids, never a gap.
 */
export class KafkaRelay {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly name: string;
  private readonly encode: (event: RecordedEvent) => EncodedEvent;
  private readonly encodeOutcome: ReturnType<typeof outcomeEncoder>;
  private readonly batchSize: number;
  /** The page size in use: halved while the broker refuses a request as too large. */
  private pageSize: number;
  private readonly idleWaitMs: number;
  private readonly leaseMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private producer?: Producer;
  private running = false;
  private loopDone?: Promise<void>;
  private wake?: () => void;
  private active = false;
  private leaseRenewedAt = 0;
  /** The stored checkpoint: everything up to here is acknowledged by the broker and recorded. */
  private position: GlobalPosition = START;
  /** Acknowledged by the broker, its checkpoint written together with the next send. */
  private sent: GlobalPosition = START;
  private flushing?: Promise<void>;
  private published = 0;
  private failures = 0;
  private lastError?: string;

  constructor(
    private readonly store: EventStore,
    private readonly sql: Sql,
    private readonly kafka: Kafka,
    private readonly mapping: RelayMapping,
    private readonly options: RelayOptions = {},
  ) {
    this.name = options.name ?? 'kafka';
    this.encode = cloudEventEncoder(mapping, mapping.contentMode);
    this.encodeOutcome = outcomeEncoder(mapping, mapping.contentMode);
    this.batchSize = options.batchSize ?? 5000;
    this.pageSize = this.batchSize;
    this.idleWaitMs = options.idleWaitMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
  }

  status(): RelayStatus {
    return {
      active: this.active,
      position: this.position,
      published: this.published,
      failures: this.failures,
      lastError: this.lastError,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Finishes the round in flight, releases the lease and disconnects. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await this.dropProducer();
    if (this.active) {
      await this.flushCheckpoint().catch(() => undefined);
      await this.sql
        .query(
          'UPDATE relay_checkpoints SET owner = NULL, lease_until = NULL WHERE name = $1 AND owner = $2',
          [this.name, this.owner],
        )
        .catch(() => undefined);
      this.active = false;
    }
  }

  private async loop(): Promise<void> {
    let backoff = this.minBackoffMs;
    while (this.running) {
      try {
        if (!(await this.holdLease())) {
          // Another relay is active: look again well within its lease time.
          await this.pause(Math.min(this.leaseMs / 2, 2000));
          continue;
        }
        const published = await this.round();
        backoff = this.minBackoffMs;
        if (published === 0 && this.running) {
          // Caught up: the next backlog starts with full pages again.
          this.pageSize = this.batchSize;
          await this.flushCheckpoint();
          if (this.active)
            await this.store.waitForEvents(this.sent, Math.min(this.idleWaitMs, this.leaseMs / 3));
        }
      } catch (error) {
        // What the broker acknowledged before the failure keeps its checkpoint, if it can be written;
        // the rest is sent again from there (the same ids: a redelivery).
        await this.flushCheckpoint().catch(() => undefined);
        this.sent = this.position;
        this.prefetched = undefined;
        if (tooLarge(error) && this.pageSize > 1) {
          // One partition's share of a page went over the broker's message.max.bytes (many events
          // of one household in a row): smaller pages until the backlog is gone.
          this.pageSize = Math.max(1, Math.floor(this.pageSize / 2));
          this.options.onStatus?.(`broker refused a page as too large; pages of ${this.pageSize} for now`);
          await this.dropProducer();
          continue;
        }
        this.failures++;
        this.lastError = (error as Error).message;
        this.options.onError?.(error);
        // A failed producer may have lost its sequence state: the next round starts a fresh one.
        await this.dropProducer();
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }

  /** Sleeps, cut short by stop(). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Takes or renews the lease (server time, so process clocks do not matter). */
  private async holdLease(): Promise<boolean> {
    if (this.active && Date.now() - this.leaseRenewedAt < this.leaseMs / 3) return true;
    const started = Date.now();
    if (!this.active)
      await this.sql.query(
        `INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [this.name, START],
      );
    const { rows } = await this.sql.query<{ position: string }>(
      `UPDATE relay_checkpoints
          SET owner = $2, lease_until = now() + $3::int * interval '1 millisecond'
        WHERE name = $1 AND (owner IS NULL OR owner = $2 OR lease_until < now())
        RETURNING position`,
      [this.name, this.owner, this.leaseMs],
    );
    const row = rows[0];
    if (!row) {
      if (this.active) this.options.onStatus?.('lease lost to another relay; standing by');
      this.active = false;
      return false;
    }
    if (!this.active) {
      this.options.onStatus?.(`lease taken; publishing from ${row.position}`);
      this.sent = row.position;
      this.prefetched = undefined;
    }
    this.active = true;
    this.leaseRenewedAt = started;
    this.position = row.position;
    return true;
  }

  /** The next page, read while the previous one was being sent. */
  private prefetched?: { after: GlobalPosition; page: Promise<Page> };

  /** A page of the feed with its messages, mapped as soon as it arrives. */
  private read(after: GlobalPosition): Promise<Page> {
    const ahead = this.prefetched;
    this.prefetched = undefined;
    if (ahead && ahead.after === after) return ahead.page;
    return this.store
      .readAll(after, { limit: this.pageSize })
      .then((events) => ({ events, batch: this.toTopicMessages(events) }));
  }

  /**
   * One page of the feed to the broker; returns how many events it read. Pipelined: the next page
   * is read from the database and the previous page's checkpoint written while this page is on
   * its way to the broker, so a catch-up costs about one broker round trip per page.
   */
  private async round(): Promise<number> {
    const from = this.sent;
    const { events, batch } = await this.read(from);
    if (events.length === 0) return 0;
    const last = events[events.length - 1]!.position;
    const next = this.read(last);
    // Awaited by the next round, or dropped: never an unhandled rejection.
    next.catch(() => undefined);
    const send = async () => {
      if (batch.length === 0) return;
      const producer = await this.connectedProducer();
      // acks -1: every in-sync replica has it before the send resolves.
      await producer.sendBatch({ topicMessages: batch, acks: -1 });
    };
    await Promise.all([send(), this.flushCheckpoint()]);
    if (!this.active) return events.length;
    this.sent = last;
    this.published += events.length;
    // A short page means the feed's end: the next look waits for new events instead.
    if (events.length === this.pageSize) this.prefetched = { after: last, page: next };
    return events.length;
  }

  /**
   * Records what the broker acknowledged, conditional on holding the lease and on the checkpoint
   * being where this relay left it. One write at a time, in order.
   */
  private flushCheckpoint(): Promise<void> {
    const write = async () => {
      await this.flushing;
      const target = this.sent;
      const from = this.position;
      if (!this.active || target === from) return;
      const moved = await this.sql.query(
        `UPDATE relay_checkpoints
            SET position = $3, lease_until = now() + $4::int * interval '1 millisecond', updated_at = now()
          WHERE name = $1 AND owner = $2 AND position = $5`,
        [this.name, this.owner, target, this.leaseMs, from],
      );
      if (moved.rowCount === 0) {
        // The lease ran out and another relay took over: what was sent meanwhile is a redelivery
        // for it, and it owns the checkpoint now.
        this.active = false;
        this.prefetched = undefined;
        this.options.onStatus?.('lease lost while publishing; standing by');
        return;
      }
      this.leaseRenewedAt = Date.now();
      this.position = target;
    };
    const flushing = write();
    this.flushing = flushing.catch(() => undefined);
    return flushing;
  }

  private toTopicMessages(events: readonly RecordedEvent[]): TopicMessages[] {
    const byTopic = new Map<string, Message[]>();
    for (const event of events) {
      const topics = topicsFor(event, this.mapping.topics);
      if (topics.length === 0) continue;
      const { value, headers } = this.encode(event);
      const household: Message = { key: householdIdOf(event)!, value, headers };
      for (const topic of topics) {
        // The outcomes topic carries a message of its own, without the household (outcomes.ts).
        const message = topic === this.mapping.topics.outcomes ? this.encodeOutcome(event) : household;
        if (message === null) continue;
        const list = byTopic.get(topic);
        if (list) list.push(message);
        else byTopic.set(topic, [message]);
      }
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    await ensureTopics(this.kafka, Object.values(this.mapping.topics));
    const producer = this.kafka.producer({
      idempotent: true,
      // One request in flight: a retried request can never overtake a later one.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (!producer) return;
    // A producer stuck on a dead broker may not say goodbye: give it a few seconds, not forever.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      producer.disconnect().catch(() => undefined),
      new Promise<void>((r) => (timer = setTimeout(r, 3000))),
    ]);
    clearTimeout(timer);
  }
}

/** Whether the broker refused a request for its size, wherever kafkajs wrapped that error. */
const tooLarge = (error: unknown, depth = 0): boolean => {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { type?: unknown; cause?: unknown; errors?: unknown; originalError?: unknown };
  if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
  const nested = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return nested.some((n) => tooLarge(n, depth + 1));
};

/** Creates the topics that do not exist yet, with the broker's default partitions and replication. */
export const ensureTopics = async (kafka: Kafka, topics: readonly string[]): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic })) });
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};
