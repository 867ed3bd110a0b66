import type { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '../config/app-config';

export type { Logger } from 'pino';

/** What every log line written while serving a request carries. Ids only, never personal data. */
export interface RequestScope {
  readonly correlationId: string;
}

/** The request a log line belongs to, without threading it through every call. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * The one logger: JSON lines (pino) on stdout, or on `destination` (tests capture it). Log lines
 * carry ids, types, statuses and durations; request and event bodies never reach them, because
 * bodies hold names and free text about people.
 */
export const createLogger = (level: LogLevel, destination?: DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'eenplan' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const scope = requestScope.getStore();
        return scope ? { correlationId: scope.correlationId } : {};
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );

/** Nest's start-up chatter (module loading, route mapping) is debug, not an operator's concern. */
const QUIET_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** Nest's own messages (and every `new Logger(context)`) as pino lines. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    if (context && QUIET_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, stackOrContext?: string, context?: string) {
    // Nest passes (message, stack, context), or (message, context) when there is no stack.
    const withStack = context !== undefined;
    this.logger.error(
      { context: withStack ? context : stackOrContext, ...(withStack ? { stack: stackOrContext } : {}) },
      String(message),
    );
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, String(message));
  }
}
