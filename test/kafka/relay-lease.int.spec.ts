import { randomUUID } from 'node:crypto';
import { createSql, eventStoreMigrations, migrate, PostgresEventStore } from '@eenplan/event-store';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { KafkaRelay, relayMigrations } from '@eenplan/messaging';
import { eventually, sleep } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import { kafkaInfra, readTopic, testKafka, uniqueTopics } from './support';

/**
 * Two relays on one database (as in two worker processes): one publishes, the other stands by
 * and publishes nothing; when the first stops it hands the lease back and the second carries on
 * from the checkpoint, so each event reaches the topic exactly once across the handover.
 */
describeWithInfra('Kafka relay: one active relay per database', kafkaInfra, () => {
  const topics = uniqueTopics('lease');
  const mapping = { oin: '00000001823288444000', typePrefix: 'nl.test.eenplan', topics };
  let sql: Sql;
  let store: PostgresEventStore;
  const relays: KafkaRelay[] = [];

  const appendHouseholds = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      await store.append(
        `household-lease-${id}`,
        [1, 2].map((n) => ({
          eventId: `${id}-${n}`,
          type: n === 1 ? 'GoalAdded' : 'PlanAgreed',
          data: n === 1 ? { goalId: 'g-1', lifeDomain: 'housing', planRevision: 1 } : { planRevision: 1 },
          metadata: {
            schemaVersion: 1,
            actor: { kind: 'worker' as const, id: 'w-1' },
            recordedAt: new Date().toISOString(),
            correlationId: id,
            causationId: id,
          },
        })),
        0,
      );
    }
  };
  const relay = () => {
    const r = new KafkaRelay(store, sql, testKafka(), mapping, { leaseMs: 3000 });
    relays.push(r);
    return r;
  };
  const caughtUp = async (r: KafkaRelay) => {
    const head = await store.headPosition();
    await eventually(() => expect(r.status().position).toBe(head), 30_000);
  };

  beforeAll(async () => {
    sql = await createSql({});
    await migrate(sql, [...eventStoreMigrations, ...relayMigrations]);
    store = new PostgresEventStore(sql);
  }, 60_000);

  afterAll(async () => {
    for (const r of relays) await r.stop();
    await store?.close();
    await sql?.close();
  });

  it('lets one relay publish while the other stands by, and hands over on stop without a gap or a repeat', async () => {
    await appendHouseholds(25);
    const first = relay();
    const second = relay();
    first.start();
    await eventually(() => expect(first.status().active).toBe(true), 30_000);
    second.start();
    await caughtUp(first);
    await sleep(1500);
    expect(second.status()).toMatchObject({ active: false, published: 0 });

    await first.stop();
    await appendHouseholds(25);
    await eventually(() => expect(second.status().active).toBe(true), 30_000);
    await caughtUp(second);
    expect(first.status().published).toBe(50);
    expect(second.status().published).toBe(50);

    const messages = await readTopic(testKafka(), topics.householdPlan);
    expect(messages).toHaveLength(100);
    expect(new Set(messages.map((m) => m.event.id)).size).toBe(100);
  }, 120_000);
});
