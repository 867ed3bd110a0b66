import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { PlanEvaluationsQueries } from '@eenplan/projections';
import { AppConfig, PlanCycleSweep, SweepTimer } from '@eenplan/runtime';
import { APP_CONFIG, CLOCK, Clock, EVENT_STORE, SQL } from '../common/tokens';

/** The plan-cycle sweep runs where the projections run: in the API in the embedded default, else in the worker. */
@Injectable()
class PlanCycleSweepSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PlanCycleSweep');
  private timer: SweepTimer | null = null;
  constructor(
    private readonly sweep: PlanCycleSweep,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.runProjections) return;
    this.timer = new SweepTimer(this.sweep, this.config.planCycleSweepMs, (e) =>
      this.logger.error(`plan-cycle sweep failed: ${(e as Error).message}`),
    );
    this.timer.start();
  }

  async onModuleDestroy() {
    await this.timer?.stop();
  }
}

/** The plan's cycle over time (issue 19): the sweep that records overdue evaluations. */
@Module({
  providers: [
    {
      provide: PlanEvaluationsQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new PlanEvaluationsQueries(sql),
    },
    {
      provide: PlanCycleSweep,
      inject: [EVENT_STORE, PlanEvaluationsQueries, CLOCK, APP_CONFIG],
      useFactory: (store: EventStore, queries: PlanEvaluationsQueries, clock: Clock, config: AppConfig) =>
        new PlanCycleSweep(store, queries, clock, config.planCycle.reassessmentAfterMonths),
    },
    PlanCycleSweepSchedule,
  ],
  exports: [PlanCycleSweep, PlanEvaluationsQueries],
})
export class PlanCycleModule {}
