import { createSql, eventStoreMigrations, migrate, PostgresEventStore } from '@eenplan/event-store';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { KafkaRelay, relayMigrations } from '@eenplan/messaging';
import { eventually } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import { kafkaInfra, readTopic, sequencesByHousehold, testKafka, uniqueTopics } from './support';

/**
 * One household with a long run of events in a row: a page of them all lands in one partition
 * and goes over the broker's message.max.bytes (1 MB by default). The relay must not get stuck
 * on that page: it sends smaller pages until the backlog is gone.
 */
describeWithInfra('Kafka relay: a page too large for one partition', kafkaInfra, () => {
  const topics = uniqueTopics('large');
  let sql: Sql;
  let store: PostgresEventStore;
  let relay: KafkaRelay | undefined;

  beforeAll(async () => {
    sql = await createSql({});
    await migrate(sql, [...eventStoreMigrations, ...relayMigrations]);
    store = new PostgresEventStore(sql);
  }, 60_000);

  afterAll(async () => {
    await relay?.stop();
    await store?.close();
    await sql?.close();
  });

  it('publishes 2,400 events of one household (about 2 MB) in order', async () => {
    const padding = 'x'.repeat(700);
    for (let batch = 0; batch < 24; batch++) {
      await store.append(
        'household-big',
        Array.from({ length: 100 }, (_, i) => ({
          eventId: `big-${batch}-${i}`,
          type: 'ActionCompleted',
          data: { actionId: `a-${batch}-${i}`, completedBy: 'w-1', padding },
          metadata: {
            schemaVersion: 1,
            actor: { kind: 'worker' as const, id: 'w-1' },
            recordedAt: '2026-01-05T09:00:00.000Z',
            correlationId: 'c',
            causationId: 'c',
          },
        })),
        batch * 100,
      );
    }
    const statuses: string[] = [];
    relay = new KafkaRelay(
      store,
      sql,
      testKafka(),
      { oin: '00000001823288444000', typePrefix: 'nl.test.eenplan', topics },
      { batchSize: 2400, onStatus: (m) => statuses.push(m) },
    );
    relay.start();
    const head = await store.headPosition();
    await eventually(() => expect(relay!.status().position).toBe(head), 60_000);
    expect(statuses.some((s) => s.includes('too large'))).toBe(true);

    const messages = await readTopic(testKafka(), topics.householdPlan);
    expect(sequencesByHousehold(messages).get('big')).toEqual(Array.from({ length: 2400 }, (_, i) => i + 1));
  }, 120_000);
});
