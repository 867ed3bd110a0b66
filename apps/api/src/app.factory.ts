import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { type Express, json, NextFunction, raw, Request, Response } from 'express';
import type { Duplex } from 'node:stream';
import { AppModule } from './app.module';
import { answerClientError } from './common/client-error';
import { toProblem } from './common/problem.filter';
import { docsCsp, noStore, securityHeaders } from './common/security-headers';
import { Clock } from './common/tokens';
import { unusableInput, unusableInputProblem } from './common/validation';
import { AppConfig } from '@eenplan/runtime';
import { restrictToOwner } from '@eenplan/event-store/sql/private-files';
import { keepRequestScope, observeHttp } from './observability/http-observer';
import { createLogger, Logger, PinoNestLogger } from './observability/logger';
import { LOGGER } from './observability/observed-commands';
import { Metrics } from './observability/metrics';
import { ShutdownState } from './observability/shutdown-state';
import { AccessLogMiddleware } from './privacy/access-log.middleware';
import { API_VERSION, buildOpenApi } from './openapi';

/**
 * The one way to build the app, for `npm start` and for every e2e test. `logger`: the pino logger
 * to write to (default JSON lines on stdout at LOG_LEVEL), or false for none. Signals are main.ts's
 * business (graceful shutdown), not the app's: tests start many apps in one process.
 */
export const createApp = async (
  config: AppConfig,
  options: { clock?: Clock; logger?: false | Logger; tokenNow?: () => number } = {},
): Promise<INestApplication> => {
  const logger =
    options.logger === false ? createLogger('silent') : (options.logger ?? createLogger(config.logLevel));
  // Before PGlite opens its files and the local secret is read: none of it is for other users.
  const modes = await restrictToOwner(
    config.databaseUrl || config.embeddedDb === 'postgres' || config.pgliteDir === 'memory'
      ? [config.dataDir]
      : [config.dataDir, config.pgliteDir],
  );
  if (modes.changed.length > 0)
    logger.info({ files: modes.changed.length }, 'data directory: made files 0600 and directories 0700');
  if (modes.failed.length > 0)
    logger.warn(
      { files: modes.failed.slice(0, 10) },
      'data directory: could not restrict these to the owner',
    );
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, options.clock, logger, options.tokenNow),
    {
      bodyParser: false,
      logger: options.logger === false ? false : new PinoNestLogger(logger),
      // A failed start rejects (main.ts reports it: exit 2 for a ConfigError), not process.exit(1).
      abortOnError: false,
    },
  );
  app.disable('x-powered-by');
  // Every answer names the API's version (NL API Design Rules, API-57), refusals included.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('API-Version', API_VERSION);
    next();
  });
  app.use(securityHeaders(config.tlsTerminatedByProxy));
  app.use('/v1', noStore);
  app.use('/docs', docsCsp());
  const accessLog = app.get(AccessLogMiddleware);
  app
    .getHttpServer()
    .on('clientError', (error: Error, socket: Duplex) =>
      answerClientError(error, socket, accessLog.refusedByParser),
    );
  // Our ETag is the stream version (If-Match takes it back); Express's content hash would shadow it.
  app.set('etag', false);
  // Before the parser, so its refusals are counted and logged too.
  app.use(observeHttp(app.get(Metrics), app.get<Logger>(LOGGER), app.get(ShutdownState)));
  // Before the parser too: every /v1 answer is an access-log entry, the parser's refusals included.
  app.use(accessLog.use);
  // JSON only, size-limited; strict mode refuses bare scalars at the parser.
  const jsonTypes = ['application/json', 'application/*+json'];
  app.use(json({ limit: config.bodyLimit, strict: true, type: jsonTypes }));
  // Any other body is read under the same limit (413 above it) and then dropped, so a route that
  // takes no body never accepts an unlimited one, and one that does says "(body) must be a JSON
  // object" as before (found by the fuzzer, R4: 108 KB of `Content-Type: ;;;` accepted by a remove).
  app.use(raw({ limit: config.bodyLimit, type: (req) => (req as Request).is(jsonTypes) === false }));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (Buffer.isBuffer(req.body)) req.body = undefined;
    next();
  });
  // Before validation, which recurses per level, and before the database, which refuses NUL.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const body = unusableInput(req.body);
    const query = body ? undefined : unusableInput(req.query);
    next(
      body
        ? unusableInputProblem(body, '(body)')
        : query
          ? unusableInputProblem(query, '(query)')
          : undefined,
    );
  });
  // body-parser fails before Nest's filters see the request: render its errors as problem+json here.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const problem = toProblem(err);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  app.use(keepRequestScope);

  const document = buildOpenApi(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // The name integrators look for; the same document as /docs-json.
  (app.getHttpAdapter().getInstance() as Express).get('/openapi.json', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(JSON.stringify(document));
  });
  return app;
};
