import { Logger, type Provider } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { createKafka, KafkaRelay } from '@eenplan/messaging';
import type { AppConfig } from '../config/app-config';
import { EVENT_STORE, SQL } from '../common/tokens';

/** The Kafka relay of this process, or null when KAFKA_BROKERS is not set (the embedded default). */
export const KAFKA_RELAY = Symbol('KAFKA_RELAY');

/** One relay per process; across processes the lease in relay_checkpoints keeps one active. */
export const createRelay = (
  store: EventStore,
  sql: Sql,
  config: AppConfig,
  logger: Pick<Logger, 'warn' | 'log'>,
) => {
  if (!config.kafkaBrokers?.length) return null;
  const { messaging } = config;
  let failures = 0;
  return new KafkaRelay(
    store,
    sql,
    createKafka({ brokers: config.kafkaBrokers, clientId: messaging.clientId }),
    { oin: messaging.oin, typePrefix: messaging.typePrefix, topics: messaging.topics },
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

export const kafkaRelayProvider = (config: AppConfig): Provider => ({
  provide: KAFKA_RELAY,
  inject: [EVENT_STORE, SQL],
  useFactory: (store: EventStore, sql: Sql) => createRelay(store, sql, config, new Logger('KafkaRelay')),
});
