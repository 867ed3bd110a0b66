import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../common/tokens';
import type { AppConfig } from '@eenplan/runtime';
import { LagService } from './lag.service';
import { Metrics } from './metrics';

/** Beyond this a measurement reports the cap: a far-behind consumer must not make it slow. */
export const LAG_COUNT_CAP = 10_000;

/** Without a scrape for this many refresh intervals the timer stops; the next scrape starts it. */
const IDLE_INTERVALS = 12;

/**
 * The lag gauges, measured by a timer every METRICS_LAG_REFRESH_MS rather than at each scrape: a
 * scrape then runs no database query, so however often /metrics is asked (or by whom: it needs no
 * token), the database does the same bounded work. The gauges are as old as the last measurement,
 * which `eenplan_lag_measured_at_seconds` tells. The timer runs while someone scrapes: the first
 * scrape starts it (and answers with what was measured before, if anything), and it stops when
 * nobody has asked for a while, so a process nobody monitors does no work for metrics at all.
 */
@Injectable()
export class LagGauges implements OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastScrape = 0;

  constructor(
    private readonly lag: LagService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A scrape came: keep measuring (start now if the timer was not running). */
  scraped(): void {
    this.lastScrape = Date.now();
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => {
      if (Date.now() - this.lastScrape > IDLE_INTERVALS * this.config.metricsLagRefreshMs) {
        clearInterval(this.timer);
        this.timer = undefined;
        return;
      }
      this.tick();
    }, this.config.metricsLagRefreshMs).unref();
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
