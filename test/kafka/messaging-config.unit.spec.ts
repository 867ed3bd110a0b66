import { ConfigError, loadConfig } from '@eenplan/runtime';

describe('Kafka configuration', () => {
  it('defaults to API.md’s topic names, a placeholder OIN and no relay', () => {
    const config = loadConfig({});
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.messaging).toEqual({
      clientId: 'eenplan',
      topics: {
        householdPlan: 'eenplan.household-plan.events.v1',
        regieHandoffs: 'eenplan.regie.handoffs.v1',
        uwvSignals: 'eenplan.uwv.signals.v1',
      },
      oin: '00000000000000000000',
      typePrefix: 'nl.gemeente.eenplan',
    });
  });

  it('takes every setting from the environment', () => {
    const config = loadConfig({
      KAFKA_BROKERS: '10.0.0.1:9092,kafka-2.internal:9093',
      KAFKA_CLIENT_ID: 'eenplan-utrecht',
      KAFKA_TOPIC_HOUSEHOLD_PLAN: 'utrecht.plan.v1',
      KAFKA_TOPIC_REGIE_HANDOFFS: 'utrecht.handoffs.v1',
      KAFKA_TOPIC_UWV_SIGNALS: 'utrecht.uwv.v1',
      EENPLAN_OIN: '00000001002220647000',
      EVENT_TYPE_PREFIX: 'nl.utrecht.eenplan',
    });
    expect(config.kafkaBrokers).toEqual(['10.0.0.1:9092', 'kafka-2.internal:9093']);
    expect(config.messaging).toEqual({
      clientId: 'eenplan-utrecht',
      topics: {
        householdPlan: 'utrecht.plan.v1',
        regieHandoffs: 'utrecht.handoffs.v1',
        uwvSignals: 'utrecht.uwv.v1',
      },
      oin: '00000001002220647000',
      typePrefix: 'nl.utrecht.eenplan',
    });
  });

  it.each([
    ['EENPLAN_OIN', '12345', /EENPLAN_OIN must be an OIN of 20 digits/],
    ['EVENT_TYPE_PREFIX', 'Utrecht', /EVENT_TYPE_PREFIX must be a reverse-domain name/],
    ['EVENT_TYPE_PREFIX', 'nl..eenplan', /EVENT_TYPE_PREFIX/],
    ['KAFKA_TOPIC_UWV_SIGNALS', 'uwv signals', /KAFKA_TOPIC_UWV_SIGNALS must be a Kafka topic name/],
    ['KAFKA_CLIENT_ID', 'een plan', /KAFKA_CLIENT_ID/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
