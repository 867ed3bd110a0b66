import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config/app-config';

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
