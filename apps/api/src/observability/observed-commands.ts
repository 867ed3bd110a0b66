import { Inject, Injectable } from '@nestjs/common';
import { CommandObserver, CommandOutcome } from './command-observer';
import { Logger } from './logger';
import { Metrics } from './metrics';

export const LOGGER = Symbol('LOGGER');

/** Every command as a metric and one log line: its type, stream, outcome and duration, no payload. */
@Injectable()
export class ObservedCommands implements CommandObserver {
  constructor(
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  commandFinished(o: CommandOutcome): void {
    this.metrics.commands.inc({ command: o.command, outcome: o.outcome });
    this.metrics.commandDuration.observe({ command: o.command }, o.seconds);
    this.logger[o.outcome === 'failed' ? 'warn' : 'info'](
      {
        command: o.command,
        streamId: o.streamId,
        outcome: o.outcome,
        code: o.code,
        version: o.version,
        attempts: o.attempts,
        durationMs: Math.round(o.seconds * 1000),
      },
      'command',
    );
  }
}
