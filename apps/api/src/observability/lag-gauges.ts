import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '../config/app-config';
import { LagService } from './lag.service';
import { Metrics } from './metrics';

/** Beyond this a measurement reports the cap: a far-behind consumer must not make it slow. */
export const LAG_COUNT_CAP = 10_000;

/**
 * The lag gauges, measured by a timer every METRICS_LAG_REFRESH_MS rather than at each scrape: a
 * scrape then runs no database query, so however often /metrics is asked (or by whom: it needs no
 * token), the database does the same bounded work. The gauges are as old as the last measurement,
 * which `eenplan_lag_measured_at_seconds` tells.
 */
@Injectable()
export class LagGauges implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly lag: LagService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.metricsLagRefreshMs).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One measurement at a time: a slow one is not overtaken by the next tick. */
  private tick(): void {
    if (this.running) return;
    this.running = this.refresh()
      .catch(() => undefined)
      .finally(() => (this.running = undefined));
  }

  async refresh(): Promise<void> {
    const [projections, relays] = await Promise.all([
      this.lag.projections(LAG_COUNT_CAP),
      this.lag.relays(LAG_COUNT_CAP),
    ]);
    for (const [projection, lag] of projections) {
      this.metrics.projectionLagEvents.set({ projection }, lag.events);
      this.metrics.projectionLagSeconds.set({ projection }, lag.seconds);
    }
    for (const [relay, lag] of relays) {
      this.metrics.relayLagEvents.set({ relay }, lag.events);
      this.metrics.relayLagSeconds.set({ relay }, lag.seconds);
    }
    this.metrics.lagMeasuredAt.set(Date.now() / 1000);
  }
}
