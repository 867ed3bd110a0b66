import type { AccessLogMac, KeyStore } from '@eenplan/security';

/** The key store's system key that keys the access log's chain. */
export const ACCESS_LOG_KEY = 'access-log';

/** HMAC-SHA256 under the key store's access-log key: the chain's MAC (see AccessLog). */
export const accessLogMac =
  (keys: Pick<KeyStore, 'mac'>): AccessLogMac =>
  (data) =>
    keys.mac(ACCESS_LOG_KEY, data);
