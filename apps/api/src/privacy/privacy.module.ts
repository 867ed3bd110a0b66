import {
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
} from '@nestjs/common';
import { ErasuresQueries } from '@eenplan/projections';
import { AccessLog, ChainAnchors, type SealedEventStore } from '@eenplan/security';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SweepTimer, AppConfig, ErasureSweep } from '@eenplan/runtime';
import { APP_CONFIG, SEALED_EVENT_STORE, SQL } from '../common/tokens';
import { accessLogMac } from './access-log-mac';
import { AnchorSchedule } from './chain-anchors';
import { AccessLogMiddleware } from './access-log.middleware';
import { ErasureService } from './erasure.service';
import { PrivacyController } from './privacy.controller';
import { RightsController } from './rights.controller';

/**
 * The erasure sweep runs where the projections run (in the API in the embedded default, else in
 * the worker): once at start-up, after they caught up, then every ERASURE_SWEEP_MS.
 */
@Injectable()
class ErasureSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ErasureSweep');
  private timer: SweepTimer | null = null;
  private first: Promise<unknown> | null = null;
  constructor(
    private readonly sweep: ErasureSweep,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.runProjections) return;
    const report = (e: unknown) => this.logger.error(`erasure sweep failed: ${(e as Error).message}`);
    // In the background: a key store that is slow to answer must not hold up the start.
    this.first = this.runLogged().catch(report);
    this.timer = new SweepTimer({ run: () => this.runLogged() }, this.config.erasureSweepMs, report);
    this.timer.start();
  }

  private async runLogged() {
    const result = await this.sweep.run();
    if (result.finished.length > 0)
      this.logger.log(`finished the pending erasures of households ${result.finished.join(', ')}`);
    if (result.finishedMembers.length > 0)
      this.logger.log(`finished the pending erasures of members ${result.finishedMembers.join(', ')}`);
    return result;
  }

  async onModuleDestroy() {
    await this.first;
    await this.timer?.stop();
  }
}

/**
 * Issue 6: erasure, the audit trail and its verification, the access log on every /v1 request (its
 * middleware is registered by app.factory.ts, ahead of the body parser).
 */
@Module({
  controllers: [PrivacyController, RightsController],
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
    {
      provide: ErasureSweep,
      inject: [SQL, SEALED_EVENT_STORE],
      useFactory: (sql: Sql, sealed: SealedEventStore) =>
        new ErasureSweep(new ErasuresQueries(sql), sealed.keys),
    },
    ErasureSchedule,
    {
      provide: ChainAnchors,
      inject: [SQL, SEALED_EVENT_STORE],
      // The events as stored (nothing decrypted), the access log on the database.
      useFactory: (sql: Sql, sealed: SealedEventStore) =>
        new ChainAnchors(sealed.keys, { events: sealed.inner, sql }),
    },
    AnchorSchedule,
  ],
  exports: [AccessLog, AccessLogMiddleware, ErasureService],
})
export class PrivacyModule implements OnApplicationShutdown {
  constructor(
    private readonly accessLog: AccessLog,
    private readonly anchors: AnchorSchedule,
  ) {}

  /**
   * The access log's last batch and its open windows of folded refusals. Nest runs this after the
   * HTTP server has closed (the last responses are sent, so their entries are queued) and before
   * the global infrastructure module closes the database.
   */
  async onApplicationShutdown(): Promise<void> {
    // Before the store (and its key store, which the chain's MAC needs) closes.
    await this.accessLog.close();
    // Then the heads, the access log's last rows included.
    await this.anchors.atShutdown();
  }
}
