import type { Admin, IHeaders, Kafka } from 'kafkajs';
import { decodeCloudEvent, type CloudEvent } from '@eenplan/messaging';

/*
 * Reading a topic back to its end, for the Kafka suites and for tools/reliability (which run
 * from dist and cannot import test/); test/kafka/support.ts re-exports it.
 */

export interface ReadMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Record<string, string>;
  readonly raw: string;
  readonly event: CloudEvent;
}

const headerStrings = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]),
  );

/**
 * A topic's offsets, asked again while the broker answers with a retriable error. A topic the
 * relay has just created can be answered by a broker that has not yet taken up its partitions'
 * leadership ("This server is not the leader for that topic-partition"), even on one broker.
 */
async function fetchOffsets(admin: Admin, topic: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (err) {
      const retriable = (err as { retriable?: boolean }).retriable === true;
      if (!retriable || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
      await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
    }
  }
}

/**
 * Everything on `topic` up to its current end (the high watermarks read first), in partition
 * order: within a partition the broker's order, which for one household is publication order.
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) return [];
    const offsets = await fetchOffsets(admin, topic, timeoutMs);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const byPartition = new Map<number, ReadMessage[]>();
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
  if (pending.size === 0) return [];
  const consumer = kafka.consumer({
    groupId: `test-reader-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`reading ${topic}: partitions ${[...pending].join(',')} not read to the end`)),
        timeoutMs,
      );
      void consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const raw = message.value?.toString('utf8') ?? '';
            const headers = headerStrings(message.headers);
            const list = byPartition.get(partition) ?? [];
            list.push({
              topic,
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              headers,
              raw,
              event: decodeCloudEvent(raw, headers),
            });
            byPartition.set(partition, list);
            if (BigInt(message.offset) + 1n >= ends.get(partition)!) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              done();
            }
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
  }
  return [...byPartition.keys()].sort((a, b) => a - b).flatMap((p) => byPartition.get(p)!);
}
