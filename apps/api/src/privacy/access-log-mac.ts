import { join } from 'node:path';
import { DirectoryKeyStore, type AccessLogMac, type KeyStore } from '@eenplan/security';
import type { AppConfig } from '../config/app-config';

/** The key store's system key that keys the access log's chain. */
export const ACCESS_LOG_KEY = 'access-log';

/** HMAC-SHA256 under the key store's access-log key: the chain's MAC (see AccessLog). */
export const accessLogMac =
  (keys: Pick<KeyStore, 'mac'>): AccessLogMac =>
  (data) =>
    keys.mac(ACCESS_LOG_KEY, data);

/**
 * The key store the access log asks: the embedded default's place, DATA_DIR/keys.
 * TODO(issue 16): the app's one key store (KEY_STORE, createKeyStore(config)) once it is wired.
 */
export const openAccessLogKeyStore = (config: AppConfig): Promise<KeyStore> =>
  DirectoryKeyStore.open({ dir: join(config.dataDir, 'keys') });
