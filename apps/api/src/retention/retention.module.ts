import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { ErasuresQueries } from '@eenplan/projections';
import {
  AppConfig,
  householdClosedRule,
  memberLeftRule,
  retentionPolicy,
  RetentionRuns,
  RetentionSweep,
  SweepTimer,
} from '@eenplan/runtime';
import { APP_CONFIG, CLOCK, Clock, EVENT_STORE, SQL } from '../common/tokens';
import { ErasureService } from '../privacy/erasure.service';
import { PrivacyModule } from '../privacy/privacy.module';
import { RetentionController } from './retention.controller';

/** The longest the timer waits between looks: a restart then never delays a due run by more. */
const MAX_TICK_MS = 3_600_000;

/**
 * The retention sweep runs where the projections run (in the API in the embedded default, else in
 * the worker): the timer looks every hour (or RETENTION_SWEEP_MS if shorter) and runs it when the
 * last timed run, of any process, is RETENTION_SWEEP_MS ago.
 */
@Injectable()
class RetentionSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RetentionSweep');
  private timer: SweepTimer | null = null;
  constructor(
    private readonly sweep: RetentionSweep,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.runProjections || this.config.retention.sweepMs <= 0) return;
    this.timer = new SweepTimer(
      {
        run: async () => {
          const run = await this.sweep.runIfDue();
          if (run) this.logger.log(`retention run ${run.runId}: erased ${run.erased}`);
        },
      },
      Math.min(this.config.retention.sweepMs, MAX_TICK_MS),
      (e) => this.logger.error(`retention sweep failed: ${(e as Error).message}`),
    );
    this.timer.start();
  }

  async onModuleDestroy() {
    await this.timer?.stop();
  }
}

/** Issue 18: retention periods, the sweep that applies them, its report. */
@Module({
  imports: [PrivacyModule],
  controllers: [RetentionController],
  providers: [
    { provide: RetentionRuns, inject: [SQL], useFactory: (sql: Sql) => new RetentionRuns(sql) },
    {
      provide: RetentionSweep,
      inject: [EVENT_STORE, SQL, RetentionRuns, CLOCK, APP_CONFIG, ErasureService],
      useFactory: (
        store: EventStore,
        sql: Sql,
        runs: RetentionRuns,
        clock: Clock,
        config: AppConfig,
        erasures: ErasureService,
      ) => {
        const logger = new Logger('RetentionSweep');
        return new RetentionSweep(
          store,
          [
            householdClosedRule(
              new ErasuresQueries(sql),
              retentionPolicy(config.retention, 'household-closed').period,
              // As an administrator's erasure: at once, or in the background (then the erasure sweep).
              (householdId) => erasures.destroyKey(householdId),
            ),
            memberLeftRule(
              new ErasuresQueries(sql),
              retentionPolicy(config.retention, 'member-left').period,
              (householdId, memberId) => erasures.destroyMemberKey(householdId, memberId),
            ),
          ],
          runs,
          clock,
          {
            intervalMs: config.retention.sweepMs,
            onError: (target, stage, error) =>
              logger.error(
                `retention ${stage} of ${householdStream(target.householdId)} failed: ${(error as Error).message}`,
              ),
          },
        );
      },
    },
    RetentionSchedule,
  ],
})
export class RetentionModule {}
