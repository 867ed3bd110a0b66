import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { DistrictAnalysisQueries, OverdueCheckInsQueries } from '@eenplan/projections';
import { AppConfig, CheckInSweep, SweepTimer } from '@eenplan/runtime';
import { APP_CONFIG, CLOCK, Clock, EVENT_STORE, SQL } from '../common/tokens';
import { AnalysisController } from '../analysis/analysis.controller';
import { AssessmentsController } from '../assessments/assessments.controller';
import { CheckInsController } from '../check-ins/check-ins.controller';
import { SignalsController } from '../signals/signals.controller';
import { CaseloadNormController } from './caseload-norm.controller';

/** The overdue sweep runs where the projections run: in the API in the embedded default, else in the worker. */
@Injectable()
class SweepSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CheckInSweep');
  private timer: SweepTimer | null = null;
  constructor(
    private readonly sweep: CheckInSweep,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.runProjections) return;
    this.timer = new SweepTimer(this.sweep, this.config.checkInSweepMs, (e) =>
      this.logger.error(`check-in sweep failed: ${(e as Error).message}`),
    );
    this.timer.start();
  }

  async onModuleDestroy() {
    await this.timer?.stop();
  }
}

/**
 * Check-ins, ZRM assessments, consent and UWV signals, questions and the district analysis, and
 * the team's caseload norm (issue 4, "measurements and signals").
 */
@Module({
  controllers: [
    CheckInsController,
    AssessmentsController,
    SignalsController,
    AnalysisController,
    CaseloadNormController,
  ],
  providers: [
    {
      provide: OverdueCheckInsQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new OverdueCheckInsQueries(sql),
    },
    {
      provide: DistrictAnalysisQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new DistrictAnalysisQueries(sql),
    },
    {
      provide: CheckInSweep,
      inject: [EVENT_STORE, OverdueCheckInsQueries, CLOCK],
      useFactory: (store: EventStore, queries: OverdueCheckInsQueries, clock: Clock) =>
        new CheckInSweep(store, queries, clock),
    },
    SweepSchedule,
  ],
})
export class MeasurementsModule {}
