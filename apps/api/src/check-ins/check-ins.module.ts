import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { OverdueCheckInsQueries } from '@eenplan/projections';
import { AppConfig, CheckInSweep, SweepTimer } from '@eenplan/runtime';
import { APP_CONFIG, CLOCK, Clock, EVENT_STORE, SQL } from '../common/tokens';
import { CheckInsController } from './check-ins.controller';

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

/** Check-ins with a household's contacts, their cadence, and the sweep that marks them overdue. */
@Module({
  controllers: [CheckInsController],
  providers: [
    {
      provide: OverdueCheckInsQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new OverdueCheckInsQueries(sql),
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
export class CheckInsModule {}
