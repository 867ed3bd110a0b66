import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { createKafka, KafkaRelay } from '@eenplan/messaging';
import type { AppConfig } from './config/app-config';

/** Where the relay reports: Nest's `Logger` in the API, the pino logger's lines in the worker. */
export interface RelayLog {
  warn(line: string): void;
  log(line: string): void;
}

/** One relay per process; across processes the lease in relay_checkpoints keeps one active. */
export const createRelay = (store: EventStore, sql: Sql, config: AppConfig, logger: RelayLog) => {
  if (!config.kafkaBrokers?.length) return null;
  const { messaging } = config;
  let failures = 0;
  return new KafkaRelay(
    store,
    sql,
    createKafka({ brokers: config.kafkaBrokers, clientId: messaging.clientId, security: config.kafkaSecurity }),
    {
      oin: messaging.oin,
      typePrefix: messaging.typePrefix,
      topics: messaging.topics,
      contentMode: messaging.contentMode,
      ...(messaging.publicBaseUrl === undefined ? {} : { publicBaseUrl: messaging.publicBaseUrl }),
    },
    {
      // The broker being down is expected: one line per failure would flood the log during an
      // outage, so the first and then every 10th is reported; the relay retries by itself.
      onError: (e) => {
        if (failures++ % 10 === 0)
          logger.warn(`kafka relay: publish failed (${failures} so far), retrying: ${(e as Error).message}`);
      },
      onStatus: (message) => {
        failures = 0;
        logger.log(`kafka relay: ${message}`);
      },
    },
  );
};
