import { Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AccessLog, type AccessLogMac } from '@eenplan/security';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { JWT_SECRET } from '../common/auth';
import { SQL } from '../common/tokens';
import { accessLogMac } from './access-log-mac';
import { AccessLogMiddleware } from './access-log.middleware';
import { PrivacyController } from './privacy.controller';

export const ACCESS_LOG_MAC = Symbol('ACCESS_LOG_MAC');

/**
 * Issue 6: erasure, the audit trail and its verification, the access log on every /v1 request (its
 * middleware is registered by app.factory.ts, ahead of the body parser).
 */
@Module({
  controllers: [PrivacyController],
  providers: [
    { provide: ACCESS_LOG_MAC, inject: [JWT_SECRET], useFactory: accessLogMac },
    {
      provide: AccessLog,
      inject: [SQL, ACCESS_LOG_MAC],
      useFactory: (sql: Sql, mac: AccessLogMac) => {
        const logger = new Logger('AccessLog');
        return new AccessLog(sql, mac, {
          onError: (error) => logger.error(`folded access log entry not stored: ${(error as Error).message}`),
        });
      },
    },
    AccessLogMiddleware,
  ],
  exports: [AccessLog, AccessLogMiddleware],
})
export class PrivacyModule implements OnApplicationShutdown {
  constructor(private readonly accessLog: AccessLog) {}

  /**
   * The access log's last batch and its open windows of folded refusals. Nest runs this after the
   * HTTP server has closed (the last responses are sent, so their entries are queued) and before
   * the global infrastructure module closes the database.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.accessLog.close();
  }
}
