import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../common/auth';
import { ProblemException } from '../common/problem';
import { ReadinessIndicators } from './indicators';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  /** The process answers: restart it when this fails. Checks nothing outside the process. */
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process serves HTTP' })
  @Get('live')
  @Public()
  @HealthCheck()
  @ApiOkResponse({ description: '{"status":"ok"} while the process serves HTTP' })
  live() {
    return this.health.check([]);
  }

  /** Send traffic only when this is 200: the store, Kafka where configured, projections within the bound. */
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: the store, Kafka and the projections are fit to serve',
  })
  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOkResponse({ description: '{"status":"ok","details":{...}} with every check up' })
  @ApiServiceUnavailableResponse({
    description: 'problem+json NotReady; `notReady` names the failing checks, `checks` has their details',
  })
  async ready() {
    const i = this.indicators;
    try {
      return await this.health.check([
        () => i.accepting(),
        () => i.eventStore(),
        async () => (await i.kafka()) ?? {},
        () => i.projections(),
      ]);
    } catch (e) {
      const result = (e as { getResponse?: () => unknown }).getResponse?.() as
        { error?: Record<string, unknown>; details?: Record<string, unknown> } | undefined;
      if (!result?.error) throw e;
      const notReady = Object.keys(result.error);
      throw new ProblemException(503, 'NotReady', `not ready: ${notReady.join(', ')}`, {
        notReady,
        checks: result.details,
      });
    }
  }
}
