import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
        outcomes: 'eenplan.outcomes.v1',
      },
      oin: '00000000000000000000',
      typePrefix: 'nl.gemeente.eenplan',
      publicBaseUrl: 'http://localhost:3000',
      contentMode: 'structured',
    });
    expect(config.kafkaSecurity).toBeUndefined();
  });

  it('takes every setting from the environment', () => {
    const config = loadConfig({
      KAFKA_BROKERS: '10.0.0.1:9092,kafka-2.internal:9093',
      KAFKA_CLIENT_ID: 'eenplan-utrecht',
      KAFKA_TOPIC_HOUSEHOLD_PLAN: 'utrecht.plan.v1',
      KAFKA_TOPIC_REGIE_HANDOFFS: 'utrecht.handoffs.v1',
      KAFKA_TOPIC_UWV_SIGNALS: 'utrecht.uwv.v1',
      KAFKA_TOPIC_OUTCOMES: 'utrecht.outcomes.v1',
      EENPLAN_OIN: '00000001002220647000',
      EVENT_TYPE_PREFIX: 'nl.utrecht.eenplan',
      CLOUDEVENTS_MODE: 'binary',
    });
    expect(config.kafkaBrokers).toEqual(['10.0.0.1:9092', 'kafka-2.internal:9093']);
    expect(config.messaging).toEqual({
      clientId: 'eenplan-utrecht',
      topics: {
        householdPlan: 'utrecht.plan.v1',
        regieHandoffs: 'utrecht.handoffs.v1',
        uwvSignals: 'utrecht.uwv.v1',
        outcomes: 'utrecht.outcomes.v1',
      },
      oin: '00000001002220647000',
      typePrefix: 'nl.utrecht.eenplan',
      publicBaseUrl: 'http://localhost:3000',
      contentMode: 'binary',
    });
  });

  it.each([
    ['EENPLAN_OIN', '12345', /EENPLAN_OIN must be an OIN of 20 digits/],
    ['EVENT_TYPE_PREFIX', 'Utrecht', /EVENT_TYPE_PREFIX must be a reverse-domain name/],
    ['EVENT_TYPE_PREFIX', 'nl..eenplan', /EVENT_TYPE_PREFIX/],
    ['KAFKA_TOPIC_UWV_SIGNALS', 'uwv signals', /KAFKA_TOPIC_UWV_SIGNALS must be a Kafka topic name/],
    ['KAFKA_CLIENT_ID', 'een plan', /KAFKA_CLIENT_ID/],
    ['CLOUDEVENTS_MODE', 'headers', /^CLOUDEVENTS_MODE must be one of structured, binary, got "headers"$/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it.each([
    ['KAFKA_TOPIC_OUTCOMES', 'eenplan.household-plan.events.v1', 'KAFKA_TOPIC_HOUSEHOLD_PLAN'],
    ['KAFKA_TOPIC_OUTCOMES', 'eenplan.regie.handoffs.v1', 'KAFKA_TOPIC_REGIE_HANDOFFS'],
    ['KAFKA_TOPIC_UWV_SIGNALS', 'eenplan.regie.handoffs.v1', 'KAFKA_TOPIC_REGIE_HANDOFFS'],
  ])('refuses %s=%s, the name of %s too: each topic its own name', (name, value, other) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`${name} and ${other} must name different topics, both are "${value}"`);
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
      expect(
        loadConfig({
          ...production,
          EENPLAN_OIN: '00000001002220647000',
          PUBLIC_BASE_URL: 'https://eenplan.utrecht.nl',
        }).messaging.oin,
      ).toBe('00000001002220647000');
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
    it('is the local machine on the configured port by default: CloudEvents wants absolute URIs', () => {
      expect(loadConfig({}).messaging.publicBaseUrl).toBe('http://localhost:3000');
      expect(loadConfig({ PORT: '8080' }).messaging.publicBaseUrl).toBe('http://localhost:8080');
      expect(loadConfig({ NODE_ENV: 'production' }).messaging.publicBaseUrl).toBe('http://localhost:3000');
    });

    it('must be set when a production process publishes, naming the setting', () => {
      const env = {
        NODE_ENV: 'production',
        KAFKA_BROKERS: '127.0.0.1:9092',
        EENPLAN_OIN: '00000001823288444000',
      };
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/^PUBLIC_BASE_URL must be set when NODE_ENV=production/);
      expect(
        loadConfig({ ...env, PUBLIC_BASE_URL: 'https://eenplan.utrecht.nl' }).messaging.publicBaseUrl,
      ).toBe('https://eenplan.utrecht.nl');
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

  describe('TLS and SASL/SCRAM to the brokers', () => {
    let dir: string;
    let ca: string;
    let secretFile: string;
    const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'eenplan-kafka-config-'));
      ca = join(dir, 'ca.crt');
      writeFileSync(ca, PEM);
      secretFile = join(dir, 'password');
      writeFileSync(secretFile, 'geheim-uit-een-bestand\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** What a production process that publishes needs besides its Kafka login. */
    const PUBLISHING_IN_PRODUCTION = {
      NODE_ENV: 'production',
      EENPLAN_OIN: '00000001002220647000',
      PUBLIC_BASE_URL: 'https://eenplan.utrecht.nl',
    };
    const SCRAM = {
      KAFKA_BROKERS: 'kafka-1.utrecht.nl:9094',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'eenplan-relay',
      KAFKA_SASL_PASSWORD: 'Sup3r-geheim-wachtwoord',
    };

    const refusal = (env: NodeJS.ProcessEnv): string => {
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
    };

    it('reads TLS with a CA file and SCRAM credentials', () => {
      expect(loadConfig({ ...SCRAM, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca }).kafkaSecurity).toEqual({
        ssl: { ca: PEM },
        sasl: { mechanism: 'scram-sha-512', username: 'eenplan-relay', password: 'Sup3r-geheim-wachtwoord' },
      });
    });

    it('takes TLS alone (the system CAs), SCRAM alone, the mechanism in capitals, and the password from a file without its newline', () => {
      expect(loadConfig({ KAFKA_SSL: '1' }).kafkaSecurity).toEqual({ ssl: {} });
      expect(
        loadConfig({
          ...SCRAM,
          KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
          KAFKA_SASL_PASSWORD: '',
          KAFKA_SASL_PASSWORD_FILE: secretFile,
        }).kafkaSecurity,
      ).toEqual({
        sasl: { mechanism: 'scram-sha-256', username: 'eenplan-relay', password: 'geheim-uit-een-bestand' },
      });
    });

    it.each([
      [{ KAFKA_SSL_CA_FILE: '/etc/ssl/kafka-ca.pem' }, /^KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not/],
      [
        { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
        /^KAFKA_SSL_CA_FILE: cannot read \/nonexistent\/ca.pem \(ENOENT\)$/,
      ],
      [{ KAFKA_SSL: 'maybe' }, /^KAFKA_SSL must be true or false/],
      [
        { KAFKA_SASL_USERNAME: 'eenplan' },
        /^KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not: set it to scram-sha-256 or scram-sha-512$/,
      ],
      [
        { KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' },
        /^KAFKA_SASL_PASSWORD_FILE is set but KAFKA_SASL_MECHANISM is not/,
      ],
      [
        { ...SCRAM, KAFKA_SASL_MECHANISM: 'plain' },
        /^KAFKA_SASL_MECHANISM must be scram-sha-256 or scram-sha-512, got "plain"$/,
      ],
      [
        { ...SCRAM, KAFKA_SASL_USERNAME: '' },
        /^KAFKA_SASL_MECHANISM=scram-sha-512 needs KAFKA_SASL_USERNAME$/,
      ],
      [{ ...SCRAM, KAFKA_SASL_PASSWORD: '' }, /needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE/],
      [
        { ...SCRAM, KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' },
        /^set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both$/,
      ],
      [
        { ...SCRAM, KAFKA_SASL_PASSWORD: '', KAFKA_SASL_PASSWORD_FILE: '/nonexistent/pw' },
        /^KAFKA_SASL_PASSWORD_FILE: cannot read the file it names \(ENOENT\)/,
      ],
      [
        { ...SCRAM, ...PUBLISHING_IN_PRODUCTION },
        /^KAFKA_SASL_MECHANISM=scram-sha-512 without KAFKA_SSL: in production the events would cross the network unencrypted/,
      ],
    ])('refuses %j, naming what is missing or wrong', (env, message) => {
      expect(refusal(env)).toMatch(message);
    });

    it('refuses a CA file that holds no PEM certificate, and an empty password file', () => {
      expect(refusal({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: secretFile })).toMatch(
        /must hold PEM certificates/,
      );
      const empty = join(dir, 'empty');
      writeFileSync(empty, '\n');
      expect(refusal({ ...SCRAM, KAFKA_SASL_PASSWORD: '', KAFKA_SASL_PASSWORD_FILE: empty })).toBe(
        `KAFKA_SASL_PASSWORD_FILE: ${empty} is empty`,
      );
    });

    it('connects without TLS in production only when KAFKA_SSL=false says so', () => {
      const production = { ...SCRAM, ...PUBLISHING_IN_PRODUCTION };
      expect(loadConfig({ ...production, KAFKA_SSL: 'false' }).kafkaSecurity).toEqual({
        sasl: { mechanism: 'scram-sha-512', username: 'eenplan-relay', password: SCRAM.KAFKA_SASL_PASSWORD },
      });
      expect(loadConfig({ ...production, KAFKA_SSL: 'true' }).kafkaSecurity?.ssl).toEqual({});
    });

    it('does not repeat a password put in KAFKA_SASL_PASSWORD_FILE by mistake', () => {
      const message = refusal({
        ...SCRAM,
        KAFKA_SASL_PASSWORD: '',
        KAFKA_SASL_PASSWORD_FILE: 'Mijn-wachtwoord-1',
      });
      expect(message).toMatch(/^KAFKA_SASL_PASSWORD_FILE: cannot read the file it names/);
      expect(message).not.toContain('Mijn-wachtwoord-1');
    });

    it('never repeats the password, nor the file holding one, in a refusal', () => {
      for (const wrong of [
        { KAFKA_SASL_MECHANISM: 'scram-sha-1' },
        { KAFKA_SASL_USERNAME: '' },
        { KAFKA_SASL_PASSWORD_FILE: secretFile },
        { KAFKA_SSL_CA_FILE: ca },
      ]) {
        const message = refusal({ ...SCRAM, ...wrong });
        expect(message).not.toContain(SCRAM.KAFKA_SASL_PASSWORD);
        expect(message).not.toContain('geheim-uit-een-bestand');
      }
    });
  });
});
