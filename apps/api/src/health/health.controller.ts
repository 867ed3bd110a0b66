import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { Public } from '../common/auth';
import { ProblemException } from '../common/problem';
import { EVENT_STORE } from '../common/tokens';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('live')
  @Public()
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  async ready() {
    try {
      return { status: 'ok', head: await this.store.headPosition() };
    } catch {
      throw new ProblemException(503, 'EventStoreUnavailable', 'the event store does not answer');
    }
  }
}
