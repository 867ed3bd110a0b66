import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Logger, requestScope } from './logger';
import { Metrics } from './metrics';
import { ShutdownState } from './shutdown-state';

const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,200}$/;

type Principal = { sub?: string };

/**
 * First in the chain, so it sees every answer (body-parser's refusals and the guard's too): counts
 * it per route pattern, writes one log line without query string or body, and gives the request its
 * correlation id. A valid X-Correlation-Id is kept, otherwise one is made; it is written back into
 * the request header so WriteContext puts the same id into the events.
 */
export const observeHttp =
  (metrics: Metrics, logger: Logger, shutdown: ShutdownState) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-correlation-id'];
    const correlationId = typeof given === 'string' && SAFE_CORRELATION_ID.test(given) ? given : randomUUID();
    req.headers['x-correlation-id'] = correlationId;
    res.setHeader('X-Correlation-Id', correlationId);
    // A request that began before SIGTERM still gets its answer; its connection is not kept open after.
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (shutdown.draining && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as Response['writeHead'];
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The matched pattern (/v1/households/:id), never the raw path: bounded label values.
      const matched = req.route as { path: unknown } | undefined;
      const route = matched ? `${req.baseUrl}${String(matched.path)}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
      logger.info(
        {
          correlationId,
          method: req.method,
          route,
          path: req.path,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000),
          principal: (req as Request & { principal?: Principal }).principal?.sub,
        },
        'request',
      );
    });
    requestScope.run({ correlationId }, next);
  };

/** Re-enters the request's scope after body-parser, whose stream callbacks may lose it. */
export const keepRequestScope = (req: Request, _res: Response, next: NextFunction): void => {
  const correlationId = req.headers['x-correlation-id'];
  if (typeof correlationId === 'string') requestScope.run({ correlationId }, next);
  else next();
};
