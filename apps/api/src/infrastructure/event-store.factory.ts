import { createKurrentDbEventStore, PostgresEventStore } from '@eenplan/event-store';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SealedEventStore, StreamKeys } from '@eenplan/security';
import { AppConfig, ConfigError } from '../config/app-config';

/**
 * The event store the configuration selects, for the API, the worker and the rebuild alike. On
 * KurrentDB the read models, their checkpoints and the idempotency records stay on `sql`
 * (PostgreSQL): the projection runner feeds them from the `$all` feed and stores its positions
 * beside their rows.
 */
export async function createEventStore(config: AppConfig, sql: Sql): Promise<SealedEventStore> {
  // Every adapter is sealed the same way: a hash chain per stream, and the personal part encrypted
  // with the stream's key (kept on `sql`) so that erasing a household destroys one key.
  return new SealedEventStore(await createAdapter(config, sql), new StreamKeys(sql));
}

async function createAdapter(config: AppConfig, sql: Sql): Promise<EventStore> {
  if (config.eventStore === 'postgres') return new PostgresEventStore(sql);
  if (!config.kurrentdb) throw new ConfigError('EVENT_STORE=kurrentdb needs KURRENTDB_URL');
  const { url, namespace } = config.kurrentdb;
  const store = await createKurrentDbEventStore(url, { namespace });
  try {
    // Fail at start, naming the server, rather than in the first request.
    await store.headPosition();
  } catch (error) {
    await store.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `KurrentDB at ${url.replace(/:[^:@/]*@/, ':***@')} (KURRENTDB_URL) does not answer: ${reason}`,
    );
  }
  return store;
}
