import { Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AccessLog, type SealedEventStore } from '@eenplan/security';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SEALED_EVENT_STORE, SQL } from '../common/tokens';
import { accessLogMac } from './access-log-mac';
import { AccessLogMiddleware } from './access-log.middleware';
import { ErasureService } from './erasure.service';
import { PrivacyController } from './privacy.controller';

/**
 * Issue 6: erasure, the audit trail and its verification, the access log on every /v1 request (its
 * middleware is registered by app.factory.ts, ahead of the body parser).
 */
@Module({
  controllers: [PrivacyController],
  providers: [
    {
      provide: AccessLog,
      inject: [SQL, SEALED_EVENT_STORE],
      // The app's one key store: the chain's key lives where the data keys live, shared by every
      // process that shares the database.
      useFactory: (sql: Sql, sealed: SealedEventStore) => {
        const logger = new Logger('AccessLog');
        return new AccessLog(sql, accessLogMac(sealed.keys), {
          onError: (error) => logger.error(`folded access log entry not stored: ${(error as Error).message}`),
        });
      },
    },
    AccessLogMiddleware,
    ErasureService,
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
    // Before the store (and its key store, which the chain's MAC needs) closes.
    await this.accessLog.close();
  }
}
