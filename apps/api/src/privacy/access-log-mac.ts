import { createHmac } from 'node:crypto';
import type { AccessLogMac } from '@eenplan/security';

/**
 * The access log's MAC until the key store's port is merged: keyed by the token secret, which every
 * process of one deployment shares. TODO(issue 16): the key store's `mac('access-log', data)`.
 */
export const accessLogMac =
  (secret: string): AccessLogMac =>
  (data) =>
    Promise.resolve(createHmac('sha256', `access-log ${secret}`).update(data).digest());
