import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { createKafka, type KafkaRelay } from '@eenplan/messaging';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { createRelay, loadConfig, type AppConfig } from '@eenplan/runtime';
import { EVENT_STORE, SQL } from '../../apps/api/src/common/tokens';
import { KAFKA_RELAY } from '../../apps/api/src/messaging/kafka-relay.provider';
import { seedHousehold, seedTeam } from '../e2e/fixtures';
import { startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import {
  kafkaBrokers,
  kafkaSaslBrokers,
  kafkaSaslInfra,
  localScram,
  readTopic,
  testKafka,
  uniqueTopics,
} from './support';

/**
 * eenplan against a cluster that asks for TLS and a SCRAM login, as a municipality's platform team
 * runs Kafka: the settings go in as environment variables, through loadConfig, to the relay the
 * app starts; what it publishes is read back over the same listener. The local broker's SASL_SSL
 * listener (infra/kafka/start.sh) has a certificate from its own CA, which the app trusts only
 * through KAFKA_SSL_CA_FILE.
 */
describeWithInfra('Kafka over TLS with a SCRAM login', kafkaSaslInfra, () => {
  const secured = (over: NodeJS.ProcessEnv = {}) =>
    loadConfig({
      KAFKA_BROKERS: kafkaSaslBrokers.join(','),
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: localScram.caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: localScram.username,
      KAFKA_SASL_PASSWORD_FILE: localScram.passwordFile,
      ...over,
    });

  /** A loaded configuration's connection to the brokers, to put into another. */
  const connection = ({ kafkaBrokers, kafkaSecurity }: AppConfig) => ({ kafkaBrokers, kafkaSecurity });

  /** The app with its relay configured from `config`, publishing to topics of its own. */
  const startWith = (config: ReturnType<typeof loadConfig>, label: string) =>
    startTestApp({
      kafkaBrokers: config.kafkaBrokers,
      kafkaSecurity: config.kafkaSecurity,
      messaging: { ...config.messaging, topics: uniqueTopics(label) },
    });

  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  describe('with the right credentials', () => {
    let householdId: string;
    beforeAll(async () => {
      t = await startWith(secured(), 'sasl');
      const team = await seedTeam(t);
      householdId = await seedHousehold(t, team);
      const store = t.app.get<EventStore>(EVENT_STORE);
      const relay = t.app.get<KafkaRelay>(KAFKA_RELAY);
      const head = await store.committedPosition();
      await eventually(() => expect(store.comparePositions(relay.status().position, head)).toBe(0), 30_000);
    }, 180_000);

    it('publishes through the SASL_SSL listener: the household’s events are on its topic', async () => {
      const config = t.config;
      const kafka = createKafka({
        brokers: kafkaSaslBrokers,
        clientId: 'eenplan-test',
        security: config.kafkaSecurity,
      });
      const read = await readTopic(kafka, config.messaging.topics.householdPlan);
      const store = t.app.get<EventStore>(EVENT_STORE);
      const stored = await store.readStream(householdStream(householdId));
      expect(stored.length).toBeGreaterThan(0);
      expect(read.map((m) => m.event.id)).toEqual(stored.map((e) => e.eventId));
      expect(read.every((m) => m.event.subject === householdId)).toBe(true);
      expect(t.app.get<KafkaRelay>(KAFKA_RELAY).status().failures).toBe(0);
    });

    it('is one cluster: the same messages on the PLAINTEXT listener the other suites use', async () => {
      const plain = await readTopic(testKafka(kafkaBrokers), t.config.messaging.topics.householdPlan);
      expect(plain.map((m) => m.event.subject)).toContain(householdId);
    });

    it('is ready: the readiness probe logs in the same way', async () => {
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body.details.kafka.status).toBe('up');
    });

    it('logs in with SCRAM-SHA-256 as well', async () => {
      const config = secured({ KAFKA_SASL_MECHANISM: 'scram-sha-256' });
      expect(config.kafkaSecurity?.sasl?.mechanism).toBe('scram-sha-256');
      const admin = createKafka({
        brokers: kafkaSaslBrokers,
        clientId: 'eenplan-test',
        security: config.kafkaSecurity,
      }).admin();
      await admin.connect();
      try {
        expect((await admin.describeCluster()).brokers.length).toBeGreaterThan(0);
      } finally {
        await admin.disconnect();
      }
    });

    it('refuses a broker certificate its CA file does not vouch for: without KAFKA_SSL_CA_FILE the system CAs do not know the local CA', async () => {
      const config = secured({ KAFKA_SSL_CA_FILE: '' });
      expect(config.kafkaSecurity?.ssl).toEqual({});
      const admin = createKafka({
        brokers: kafkaSaslBrokers,
        clientId: 'eenplan-test',
        security: config.kafkaSecurity,
      }).admin();
      await expect(admin.connect()).rejects.toThrow(/self[- ]signed certificate|unable to (get|verify)/i);
      await admin.disconnect().catch(() => undefined);
    });
  });

  describe('with a wrong password', () => {
    it('the relay publishes nothing and its log says the login failed, without the password; commands are still accepted', async () => {
      // The app's relay steps aside (it releases its lease), and one made from the wrong settings
      // by the same factory the API and the worker use takes over.
      await t.app.get<KafkaRelay>(KAFKA_RELAY).stop();
      const lines: string[] = [];
      const wrong = createRelay(
        t.app.get<EventStore>(EVENT_STORE),
        t.app.get<Sql>(SQL),
        {
          ...t.config,
          ...connection(secured({ KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: 'not-the-password' })),
        },
        { warn: (line) => lines.push(line), log: (line) => lines.push(line) },
      )!;
      wrong.start();
      try {
        const team = await seedTeam(t);
        const newcomer = await seedHousehold(t, team);
        await eventually(() => expect(wrong.status().failures).toBeGreaterThan(0), 30_000);
        expect(lines.find((l) => l.includes('publish failed'))).toMatch(
          /^kafka relay: publish failed \(1 so far\), retrying: .*SASL SCRAM SHA512 authentication failed/,
        );
        expect(lines.join('\n')).not.toContain('not-the-password');
        const plain = await readTopic(testKafka(kafkaBrokers), t.config.messaging.topics.householdPlan);
        expect(plain.map((m) => m.event.subject)).not.toContain(newcomer);
      } finally {
        await wrong.stop();
      }
    });
  });
});
