import { DynamicModule, Global, Module } from '@nestjs/common';
import { COMMAND_OBSERVER } from './command-observer';
import { LagGauges } from './lag-gauges';
import { LagService } from './lag.service';
import { Logger } from './logger';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { LOGGER, ObservedCommands } from './observed-commands';
import { ShutdownState } from './shutdown-state';

/** Logs, metrics and the shutdown state, one instance per app, for every module to inject. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger): DynamicModule {
    const providers = [
      { provide: LOGGER, useValue: logger },
      { provide: Metrics, useValue: new Metrics() },
      { provide: ShutdownState, useValue: new ShutdownState() },
      { provide: COMMAND_OBSERVER, useClass: ObservedCommands },
      LagService,
      LagGauges,
    ];
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
