import type * as KafkaJs from 'kafkajs';
import type { Kafka, KafkaConfig, LogEntry, SASLOptions } from 'kafkajs';

/**
 * kafkajs is loaded when the first client is made, not with this library: the embedded default
 * (no KAFKA_BROKERS) never needs it, and loading it is part of every start's time otherwise.
 */
const kafkajs = (): typeof KafkaJs => require('kafkajs') as typeof KafkaJs;

/** The SASL mechanisms eenplan connects with: SCRAM, so the password itself never crosses the wire. */
export const SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/**
 * How to reach a secured cluster (docs/OPERATIONS.md, "Kafka over TLS and SASL"). Absent: plain
 * TCP without authentication, as the local broker's PLAINTEXT listener.
 */
export interface KafkaSecurity {
  /**
   * TLS to the brokers. `ca`: the PEM certificates to trust instead of Node's built-in CAs (a
   * platform's own CA); absent, the built-in ones. The broker's name is always verified.
   */
  readonly ssl?: { readonly ca?: string };
  /** SASL/SCRAM credentials. The password is never logged nor put in an error. */
  readonly sasl?: {
    readonly mechanism: SaslMechanism;
    readonly username: string;
    readonly password: string;
  };
}

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Where kafkajs' own errors go (default: nowhere; the relay reports its failures itself). */
  readonly log?: (line: string) => void;
  readonly security?: KafkaSecurity;
}

/** The part of a kafkajs client's options that `security` sets: every client of the app uses it. */
export const kafkaSecurityOptions = (
  security: KafkaSecurity | undefined,
): Pick<KafkaConfig, 'ssl' | 'sasl'> => ({
  ...(security?.ssl ? { ssl: security.ssl.ca === undefined ? true : { ca: [security.ssl.ca] } } : {}),
  ...(security?.sasl
    ? {
        // kafkajs types one object per mechanism; both SCRAM ones take the same fields.
        sasl: { ...security.sasl } as SASLOptions,
      }
    : {}),
});

/**
 * A kafkajs client with short timeouts: a broker that is down should fail a send within seconds,
 * so the relay can back off, keep its lease and retry from its checkpoint, instead of hanging in
 * kafkajs' own retry loop.
 */
export const createKafka = (settings: KafkaSettings): Kafka => {
  const { Kafka, logLevel } = kafkajs();
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ...kafkaSecurityOptions(settings.security),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: settings.log ? logLevel.ERROR : logLevel.NOTHING,
    logCreator:
      () =>
      ({ namespace, log }: LogEntry) =>
        settings.log?.(`kafkajs ${namespace}: ${log.message}`),
  });
};
