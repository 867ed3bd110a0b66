import type * as KafkaJs from 'kafkajs';
import type { Kafka, LogEntry } from 'kafkajs';

/**
 * kafkajs is loaded when the first client is made, not with this library: the embedded default
 * (no KAFKA_BROKERS) never needs it, and loading it is part of every start's time otherwise.
 */
const kafkajs = (): typeof KafkaJs => require('kafkajs') as typeof KafkaJs;

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Where kafkajs' own errors go (default: nowhere; the relay reports its failures itself). */
  readonly log?: (line: string) => void;
}

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
