import { loadConfig } from '@eenplan/runtime';
import { startTestApp, TestApp } from '../support/app';
import { describeWithInfra } from '../support/infra';
import { kafkaBrokers, kafkaInfra, uniqueTopics } from '../kafka/support';

/**
 * Readiness includes Kafka where KAFKA_BROKERS is set. The relay starts with it too, on topics of
 * its own here; these tests write nothing, so it publishes nothing.
 */
const withKafka = async (brokers: string[]): Promise<TestApp> =>
  startTestApp({
    kafkaBrokers: brokers,
    messaging: { ...loadConfig({}).messaging, topics: uniqueTopics('ops-readiness') },
  });

describe('readiness with a Kafka that does not answer', () => {
  let t: TestApp;
  // Nothing listens on port 1: connections are refused at once.
  beforeAll(async () => {
    t = await withKafka(['127.0.0.1:1']);
  });
  afterAll(() => t?.close());

  it('is 503 naming kafka, with the reason, while the event store is up', async () => {
    const res = await t.http().get('/health/ready').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'NotReady',
      notReady: ['kafka'],
      detail: 'not ready: kafka',
      checks: {
        eventStore: { status: 'up' },
        kafka: { status: 'down', brokers: ['127.0.0.1:1'], message: expect.any(String) },
        projections: { status: 'up' },
      },
    });
    // Liveness is the process only: Kafka being down is no reason to restart the API.
    await t.http().get('/health/live').expect(200);
  });
});

describeWithInfra('readiness with the real Kafka broker', kafkaInfra, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await withKafka(kafkaBrokers);
  });
  afterAll(() => t?.close());

  it('is 200 with kafka up and its brokers counted', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.details.kafka).toEqual({
      status: 'up',
      brokers: expect.any(Number),
      controller: expect.any(Number),
    });
    expect(res.body.details.kafka.brokers).toBeGreaterThanOrEqual(1);
  });
});
