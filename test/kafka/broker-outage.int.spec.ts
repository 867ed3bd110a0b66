import type { EventStore, RecordedEvent } from '@eenplan/event-store/event-store.port';
import { START } from '@eenplan/event-store/event-store.port';
import { householdIdOf, type KafkaRelay } from '@eenplan/messaging';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { KAFKA_RELAY } from '../../apps/api/src/messaging/kafka-relay.provider';
import { seedTeam } from '../e2e/fixtures';
import { startTestApp, TestApp } from '../support/app';
import { eventually, sleep } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import { startLoad } from './load';
import {
  kafkaJarsInfra,
  readTopic,
  sequencesByHousehold,
  startOwnBroker,
  testKafka,
  uniqueTopics,
  type OwnBroker,
} from './support';

const OUTAGE_MS = 30_000;

const readFeed = async (store: EventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll(START, { limit: 5000 }); page.length;) {
    events.push(...page);
    page = await store.readAll(page[page.length - 1]!.position, { limit: 5000 });
  }
  return events;
};

/**
 * The broker goes away for 30 s while commands keep coming. The API must keep accepting them
 * (the relay is downstream of the store, never in a command's path); the relay backs off, and
 * once the broker is back it catches up with everything, in order per household.
 * Uses a broker of its own (other ports), so stopping it disturbs no other suite.
 */
describeWithInfra('Kafka relay: the broker stopped for 30 s during a load', kafkaJarsInfra, () => {
  const topics = uniqueTopics('outage');
  let broker: OwnBroker;
  let t: TestApp;

  beforeAll(async () => {
    broker = await startOwnBroker();
    t = await startTestApp({
      kafkaBrokers: broker.brokers,
      messaging: {
        clientId: 'eenplan-test',
        topics,
        oin: '00000001823288444000',
        typePrefix: 'nl.test.eenplan',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await broker?.destroy();
  }, 60_000);

  it('keeps accepting commands, then publishes every event once the broker is back', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const relay = t.app.get<KafkaRelay>(KAFKA_RELAY);
    const team = await seedTeam(t, { workers: 2 });
    const load = startLoad(t, team);

    // Publishing works before the outage.
    await eventually(() => expect(relay.status().published).toBeGreaterThan(20), 30_000);

    await broker.stop();
    const failuresBefore = relay.status().failures;
    const acceptedAtStop = load.accepted();
    const stoppedAt = Date.now();
    await sleep(OUTAGE_MS / 2);
    const positionMidOutage = relay.status().position;
    await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    // While the broker was away: commands were accepted, the relay failed and did not move on.
    const acceptedDuringOutage = load.accepted() - acceptedAtStop;
    expect(acceptedDuringOutage).toBeGreaterThan(50);
    expect(relay.status().failures).toBeGreaterThan(failuresBefore);
    expect(relay.status().position).toBe(positionMidOutage);
    expect(relay.status().active).toBe(true);

    await broker.start();
    await sleep(2000);
    const { accepted, refused } = await load.stop();
    expect(refused).toEqual([]);

    const events = await readFeed(store);
    const head = events[events.length - 1]!.position;
    // Caught up: back-off is at most 5 s, then one page per round.
    await eventually(() => expect(store.comparePositions(relay.status().position, head)).toBe(0), 60_000);

    const messages = await readTopic(testKafka(broker.brokers), topics.householdPlan);
    const householdEvents = events.filter((e) => householdIdOf(e) !== null);
    expect(householdEvents.length).toBeGreaterThanOrEqual(accepted);
    const published = new Set(messages.map((m) => m.event.id));
    expect(householdEvents.filter((e) => !published.has(e.eventId)).map((e) => e.eventId)).toEqual([]);
    const lengths = new Map<string, number>();
    for (const e of householdEvents) lengths.set(householdIdOf(e)!, e.streamVersion);
    const sequences = sequencesByHousehold(messages);
    for (const [household, length] of lengths)
      expect({ household, sequences: sequences.get(household) }).toEqual({
        household,
        sequences: Array.from({ length }, (_, i) => i + 1),
      });
  }, 240_000);
});
