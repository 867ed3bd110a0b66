import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth';
import { LagService } from './lag.service';
import { Metrics } from './metrics';

/** Beyond this a scrape reports the cap: a far-behind consumer must not make scrapes slow. */
const LAG_COUNT_CAP = 10_000;

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly lag: LagService,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format; metric names in README "Operations"' })
  async scrape(): Promise<string> {
    // Lag is measured now, from the stored checkpoints: a gauge set by the runner could be stale.
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
    return this.metrics.registry.metrics();
  }
}
