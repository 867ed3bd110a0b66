import { createKurrentDbEventStore, PostgresEventStore } from '@eenplan/event-store';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import {
  checkKeyStore,
  DirectoryKeyStore,
  Pkcs11KeyStore,
  Pkcs11SetupError,
  SealedEventStore,
  upgradeFromPreviousRelease,
  type KeyStore,
} from '@eenplan/security';
import { AppConfig, ConfigError } from './config/app-config';

/**
 * The event store the configuration selects, for the API, the worker and the rebuild alike. On
 * KurrentDB the read models, their checkpoints and the idempotency records stay on `sql`
 * (PostgreSQL): the projection runner feeds them from the `$all` feed and stores its positions
 * beside their rows.
 */
export async function createEventStore(config: AppConfig, sql: Sql): Promise<SealedEventStore> {
  // Every adapter is sealed the same way: a keyed hash chain per stream, and the personal part
  // encrypted under the stream's key, which lives in the key store (never on `sql`), so that
  // erasing a household destroys one key and no backup of the database can bring it back.
  // The adapter first: a KurrentDB out of reach stops the start before anything else is touched.
  const adapter = await createAdapter(config, sql);
  let keys: KeyStore | undefined;
  try {
    keys = await createKeyStore(config);
    await checkKeyStore(sql, keys, describeKeyStore(config));
    // The previous release kept the keys in a table and sealed with plain SHA-256: at the first
    // start of this release, before anything is read or appended, the keys move out and the seals
    // are re-keyed; the key store then marks it done, and the database is never trusted for it again.
    await upgradeFromPreviousRelease(sql, keys, { rekey: config.eventStore === 'postgres' });
    return new SealedEventStore(adapter, keys);
  } catch (error) {
    await keys?.close();
    await adapter.close().catch(() => undefined);
    throw error;
  }
}

const describeKeyStore = (config: AppConfig): string =>
  config.keyStore.kind === 'directory'
    ? `KEY_STORE_DIR=${config.keyStore.dir}`
    : `KEY_STORE=${config.keyStore.kind}`;

/** The key store the configuration selects (KEY_STORE). */
export async function createKeyStore(config: AppConfig): Promise<KeyStore> {
  if (config.keyStore.kind === 'directory') return DirectoryKeyStore.open({ dir: config.keyStore.dir });
  const { module, token, pin } = config.keyStore;
  try {
    return await Pkcs11KeyStore.open({ module, token, pin });
  } catch (error) {
    // A setting the token refused stops the start naming the variable (never echoing the PIN).
    if (!(error instanceof Pkcs11SetupError)) throw error;
    const variable =
      error.setting === 'module'
        ? 'PKCS11_MODULE'
        : error.setting === 'pin'
          ? 'PKCS11_PIN'
          : 'label' in token
            ? 'PKCS11_TOKEN_LABEL'
            : 'PKCS11_SLOT';
    throw new ConfigError(`${variable}: ${error.message}`);
  }
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
