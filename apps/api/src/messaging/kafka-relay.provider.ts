import { Logger, type Provider } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { createRelay, type AppConfig } from '@eenplan/runtime';
import { EVENT_STORE, SQL } from '../common/tokens';

/** The Kafka relay of this process, or null when KAFKA_BROKERS is not set (the embedded default). */
export const KAFKA_RELAY = Symbol('KAFKA_RELAY');

export const kafkaRelayProvider = (config: AppConfig): Provider => ({
  provide: KAFKA_RELAY,
  inject: [EVENT_STORE, SQL],
  useFactory: (store: EventStore, sql: Sql) => createRelay(store, sql, config, new Logger('KafkaRelay')),
});
