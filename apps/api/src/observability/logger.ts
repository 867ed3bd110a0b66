import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@eenplan/runtime';

// The logger both processes write with lives in the shared runtime; Nest's adapter to it stays here.
export { createLogger, requestScope, type Logger, type RequestScope } from '@eenplan/runtime';

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
