import { MiddlewareConsumer, Module, NestModule, OnApplicationShutdown } from '@nestjs/common';
import { AccessLog } from '@eenplan/security';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SQL } from '../common/tokens';
import { AccessLogMiddleware } from './access-log.middleware';
import { ErasureService } from './erasure.service';
import { PrivacyController } from './privacy.controller';

/** Issue 6: erasure, the audit trail and its verification, the access log on every /v1 request. */
@Module({
  controllers: [PrivacyController],
  providers: [
    { provide: AccessLog, inject: [SQL], useFactory: (sql: Sql) => new AccessLog(sql) },
    ErasureService,
  ],
})
export class PrivacyModule implements NestModule, OnApplicationShutdown {
  constructor(private readonly accessLog: AccessLog) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AccessLogMiddleware).forRoutes('v1/{*path}');
  }

  /**
   * The access log's last batch. Nest runs this after the HTTP server has closed (the last
   * responses are sent, so their entries are queued) and before the global infrastructure
   * module closes the database.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.accessLog.close();
  }
}
