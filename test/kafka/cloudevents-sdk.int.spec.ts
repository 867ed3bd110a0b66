import { CloudEvent, Kafka as CloudEventsKafka, type Message } from 'cloudevents';
import { householdStream } from '@eenplan/domain';
import type { EventStore, RecordedEvent } from '@eenplan/event-store/event-store.port';
import {
  dataSchemaUrl,
  householdUrl,
  toCloudEvent,
  typeName,
  PUBLICATIONS,
  type ContentMode,
  type KafkaRelay,
} from '@eenplan/messaging';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { KAFKA_RELAY } from '../../apps/api/src/messaging/kafka-relay.provider';
import { PARENT, seedHousehold, seedTeam, setParentAuthority, uniq } from '../e2e/fixtures';
import { startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import { kafkaBrokers, kafkaInfra, readTopic, testKafka, uniqueTopics, type ReadMessage } from './support';

/**
 * What an integrator's consumer sees, decoded by the CloudEvents SDK's own Kafka binding rather than
 * by our code: real messages from the broker, in the content mode CLOUDEVENTS_MODE chooses, give
 * CloudEvents the SDK accepts as valid, with every attribute of the NL GOV profile as stored.
 */
// PUBLIC_BASE_URL is set as a deployment that publishes sets it: CloudEvents types `dataschema` as
// an absolute URI, and the SDK refuses the bare path written without it (docs/EVENTS.md).
describe.each([
  ['structured', 'https://eenplan.testgemeente.nl'],
  ['binary', 'https://eenplan.testgemeente.nl/api'],
] as [ContentMode, string][])('CloudEvents SDK, Kafka binding: %s mode', (contentMode, publicBaseUrl) => {
  describeWithInfra(`the relay's messages in ${contentMode} mode`, kafkaInfra, () => {
    const mapping = {
      oin: '00000001823288444000',
      typePrefix: 'nl.testgemeente.eenplan',
      publicBaseUrl,
    };
    let t: TestApp;
    let householdId: string;
    let stored: RecordedEvent[];
    let read: ReadMessage[];

    beforeAll(async () => {
      t = await startTestApp({
        kafkaBrokers,
        messaging: {
          clientId: 'eenplan-test',
          topics: uniqueTopics(`sdk-${contentMode}`),
          contentMode,
          ...mapping,
        },
      });
      const team = await seedTeam(t);
      const worker = team.workers[0]!;
      householdId = await seedHousehold(t, team, { regieWorker: worker });
      const goalId = uniq('g');
      await t
        .http()
        .post(`/v1/households/${householdId}/goals`)
        .set(worker.as)
        .send({ goalId, lifeDomain: 'finances', description: 'Schulden van Sanne onder controle' })
        .expect(201);
      // Issue 18: the parent agrees for the child (under 12) as the holder of parental authority.
      await setParentAuthority(t, householdId, worker);
      await t
        .http()
        .post(`/v1/households/${householdId}/plan/agreements`)
        .set(worker.as)
        .send({ memberId: PARENT })
        .expect((res) => expect(res.status).toBeLessThan(300));
      const store = t.app.get<EventStore>(EVENT_STORE);
      const relay = t.app.get<KafkaRelay>(KAFKA_RELAY);
      const head = await store.committedPosition();
      await eventually(() => expect(store.comparePositions(relay.status().position, head)).toBe(0), 30_000);
      stored = await store.readStream(householdStream(householdId));
      read = await readTopic(testKafka(), t.config.messaging.topics.householdPlan);
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    /** The message as the SDK reads it, validated by the SDK. */
    const decode = (m: ReadMessage): CloudEvent<Record<string, unknown>> => {
      // The binding's KafkaMessage: the key, the value, and the headers as strings.
      const message = { key: m.key, value: m.raw, body: m.raw, headers: m.headers } as Message;
      const event = CloudEventsKafka.toEvent<Record<string, unknown>>(message);
      if (!(event instanceof CloudEvent)) throw new Error('not one CloudEvent');
      expect(event.validate()).toBe(true);
      return event as CloudEvent<Record<string, unknown>>;
    };

    it(`travels in ${contentMode} mode`, () => {
      expect(read.length).toBe(stored.length);
      for (const m of read) {
        if (contentMode === 'structured') {
          expect(m.headers).toEqual({ 'content-type': 'application/cloudevents+json; charset=UTF-8' });
          expect(JSON.parse(m.raw)).toHaveProperty('specversion', '1.0');
        } else {
          expect(m.headers['content-type']).toBe('application/json');
          expect(Object.keys(m.headers).filter((h) => !h.startsWith('ce_'))).toEqual(['content-type']);
          // The value is data alone: no envelope around it.
          expect(JSON.parse(m.raw)).not.toHaveProperty('specversion');
        }
      }
    });

    it('decodes every message to a valid CloudEvent with each attribute as stored', () => {
      const byId = new Map(stored.map((e) => [e.eventId, e]));
      const withheld: string[] = [];
      for (const m of read) {
        const ce = decode(m);
        const e = byId.get(ce.id);
        expect(e).toBeDefined();
        const version = PUBLICATIONS[e!.type]?.schemaVersion ?? e!.metadata.schemaVersion;
        const name = typeName(e!.type, version);
        expect({
          specversion: ce.specversion,
          source: ce.source,
          type: ce.type,
          subject: ce.subject,
          time: ce.time,
          sequence: ce.sequence,
          sequencetype: ce.sequencetype,
          dataschema: ce.dataschema,
          datacontenttype: ce.datacontenttype,
          dataref: ce.dataref,
          partitionkey: ce.partitionkey,
        }).toEqual({
          specversion: '1.0',
          source: 'urn:nld:oin:00000001823288444000:systeem:eenplan',
          type: `nl.testgemeente.eenplan.${name}`,
          subject: householdId,
          time: new Date(e!.metadata.recordedAt).toISOString(),
          sequence: String(e!.streamVersion).padStart(20, '0'),
          sequencetype: 'Integer',
          dataschema: dataSchemaUrl(mapping, name),
          datacontenttype: 'application/json',
          dataref: e!.personal ? householdUrl(mapping, householdId) : undefined,
          partitionkey: householdId,
        });
        if (e!.personal) withheld.push(e!.type);
        expect(ce.data).toEqual(toCloudEvent(e!, mapping).data);
      }
      // Registration (member names) and the goal (its description) have a withheld personal part.
      expect(withheld).toEqual(expect.arrayContaining(['HouseholdRegistered', 'GoalAdded']));
      expect(read.map((m) => decode(m).type)).toContain('nl.testgemeente.eenplan.plan-agreed.v1');
    });

    it('keeps the order: sequences 1, 2, 3... in the topic, which sort the same as text', () => {
      const sequences = read.map((m) => decode(m).sequence as string);
      expect(sequences.map(Number)).toEqual(stored.map((_, i) => i + 1));
      expect([...sequences].sort()).toEqual(sequences);
    });

    it('carries no member name anywhere in the message', () => {
      for (const m of read) {
        expect(m.raw).not.toMatch(/Sanne|Daan/);
        expect(Object.values(m.headers).join(' ')).not.toMatch(/Sanne|Daan/);
      }
    });
  });
});
