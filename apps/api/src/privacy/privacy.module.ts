import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AccessLog, type KeyStore } from '@eenplan/security';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { APP_CONFIG, SQL } from '../common/tokens';
import { accessLogMac, openAccessLogKeyStore } from './access-log-mac';
import { AccessLogMiddleware } from './access-log.middleware';
import { PrivacyController } from './privacy.controller';

const ACCESS_LOG_KEYS = Symbol('ACCESS_LOG_KEYS');

/**
 * Issue 6: erasure, the audit trail and its verification, the access log on every /v1 request (its
 * middleware is registered by app.factory.ts, ahead of the body parser).
 */
@Module({
  controllers: [PrivacyController],
  providers: [
    { provide: ACCESS_LOG_KEYS, inject: [APP_CONFIG], useFactory: openAccessLogKeyStore },
    {
      provide: AccessLog,
      inject: [SQL, ACCESS_LOG_KEYS],
      useFactory: (sql: Sql, keys: KeyStore) => {
        const logger = new Logger('AccessLog');
        return new AccessLog(sql, accessLogMac(keys), {
          onError: (error) => logger.error(`folded access log entry not stored: ${(error as Error).message}`),
        });
      },
    },
    AccessLogMiddleware,
  ],
  exports: [AccessLog, AccessLogMiddleware],
})
export class PrivacyModule implements OnApplicationShutdown {
  constructor(
    private readonly accessLog: AccessLog,
    @Inject(ACCESS_LOG_KEYS) private readonly keys: KeyStore,
  ) {}

  /**
   * The access log's last batch and its open windows of folded refusals. Nest runs this after the
   * HTTP server has closed (the last responses are sent, so their entries are queued) and before
   * the global infrastructure module closes the database.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.accessLog.close();
    await this.keys.close();
  }
}
