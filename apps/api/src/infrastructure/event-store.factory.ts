import { createKurrentDbEventStore, PostgresEventStore } from '@eenplan/event-store';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SealedEventStore, StreamKeys } from '@eenplan/security';
import { AppConfig, ConfigError } from '../config/app-config';

/**
 * The event store the configuration selects, for the API and the worker alike. On KurrentDB the
 * read models, their checkpoints and the idempotency records stay on `sql` (PostgreSQL): the
 * projection runner feeds them from the `$all` feed and stores its positions beside their rows.
 */
export async function createEventStore(config: AppConfig, sql: Sql): Promise<EventStore> {
  // Every adapter is sealed the same way: a hash chain per stream, and the personal part encrypted
  // with the stream's key (kept on `sql`) so that erasing a household destroys one key.
  return new SealedEventStore(await createAdapter(config, sql), new StreamKeys(sql));
}

async function createAdapter(config: AppConfig, sql: Sql): Promise<EventStore> {
  if (config.eventStore === 'postgres') return new PostgresEventStore(sql);
  if (!config.kurrentdb) throw new ConfigError('EVENT_STORE=kurrentdb needs KURRENTDB_URL');
  return createKurrentDbEventStore(config.kurrentdb.url, { namespace: config.kurrentdb.namespace });
}
