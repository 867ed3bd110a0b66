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

  describe('the placeholder OIN in production', () => {
    const production = { NODE_ENV: 'production', KAFKA_BROKERS: '10.0.0.1:9092' };

    it.each([
      ['unset', {}],
      ['the placeholder itself', { EENPLAN_OIN: '00000000000000000000' }],
    ])(
      'refuses it when NODE_ENV=production publishes to Kafka and EENPLAN_OIN is %s, naming EENPLAN_OIN',
      (_, oin) => {
        const load = () => loadConfig({ ...production, ...oin });
        expect(load).toThrow(ConfigError);
        expect(load).toThrow(/^EENPLAN_OIN must be the municipality's own OIN .* not the placeholder 0{20}/);
      },
    );

    it('starts with a real OIN in production', () => {
      expect(loadConfig({ ...production, EENPLAN_OIN: '00000001002220647000' }).messaging.oin).toBe(
        '00000001002220647000',
      );
    });

    it('keeps the placeholder outside production, and in production without Kafka, where no event carries it', () => {
      expect(loadConfig({ KAFKA_BROKERS: '10.0.0.1:9092' }).messaging.oin).toBe('00000000000000000000');
      expect(loadConfig({ NODE_ENV: 'development', KAFKA_BROKERS: '10.0.0.1:9092' }).messaging.oin).toBe(
        '00000000000000000000',
      );
      expect(loadConfig({ NODE_ENV: 'production' }).messaging.oin).toBe('00000000000000000000');
    });
  });

  describe('PUBLIC_BASE_URL (dataschema and dataref)', () => {
    it('is absent by default', () => {
      expect(loadConfig({}).messaging).not.toHaveProperty('publicBaseUrl');
    });

    it('takes an http(s) URL, without its trailing slash', () => {
      expect(loadConfig({ PUBLIC_BASE_URL: 'https://eenplan.utrecht.nl/' }).messaging.publicBaseUrl).toBe(
        'https://eenplan.utrecht.nl',
      );
      expect(loadConfig({ PUBLIC_BASE_URL: 'http://127.0.0.1:3000/api' }).messaging.publicBaseUrl).toBe(
        'http://127.0.0.1:3000/api',
      );
    });

    it.each([
      'eenplan.utrecht.nl',
      'ftp://eenplan.utrecht.nl',
      'https://eenplan.utrecht.nl/?x=1',
      'https://a@b.nl',
    ])('refuses %s, naming the variable', (value) => {
      expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(ConfigError);
      expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(/^PUBLIC_BASE_URL must be/);
    });
  });
});
