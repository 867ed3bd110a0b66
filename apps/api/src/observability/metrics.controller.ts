import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Public } from '../common/auth';
import { LagGauges } from './lag-gauges';
import { Metrics } from './metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly lagGauges: LagGauges,
  ) {}

  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics of this process' })
  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    schema: { type: 'string' },
    description: 'Prometheus text format; metric names in docs/OPERATIONS.md',
  })
  scrape(): Promise<string> {
    // No query here: the lag gauges are measured by LagGauges' timer, which runs while scraped.
    this.lagGauges.scraped();
    return this.metrics.registry.metrics();
  }
}
