import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { RegieHistoryQueries } from '@eenplan/projections';
import { SweepTimer, AppConfig, SafetyTakeoverSweep } from '@eenplan/runtime';
import { APP_CONFIG, CLOCK, Clock, EVENT_STORE } from '../common/tokens';
import { RegieController } from './regie.controller';
import { SafetyTakeoversController } from './safety-takeovers.controller';

/** The unconfirmed-takeover sweep runs where the projections run: in the API in the embedded default, else in the worker. */
@Injectable()
class SafetyTakeoverSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SafetyTakeoverSweep');
  private timer: SweepTimer | null = null;
  constructor(
    private readonly sweep: SafetyTakeoverSweep,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.runProjections) return;
    this.timer = new SweepTimer(this.sweep, this.config.safetyTakeoverSweepMs, (e) =>
      this.logger.error(`safety takeover sweep failed: ${(e as Error).message}`),
    );
    this.timer.start();
  }

  async onModuleDestroy() {
    await this.timer?.stop();
  }
}

/** Regie: transfers, the safety takeover (break-glass) and its confirmation, the history and the holder. */
@Module({
  controllers: [RegieController, SafetyTakeoversController],
  providers: [
    {
      provide: SafetyTakeoverSweep,
      inject: [EVENT_STORE, RegieHistoryQueries, CLOCK, APP_CONFIG],
      useFactory: (store: EventStore, queries: RegieHistoryQueries, clock: Clock, config: AppConfig) =>
        new SafetyTakeoverSweep(store, queries, clock, config.safetyConfirmHours),
    },
    SafetyTakeoverSchedule,
  ],
})
export class RegieModule {}
