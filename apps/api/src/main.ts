import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from './app.factory';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';
import { ConfigError, loadConfig } from '@eenplan/runtime';
import { createLogger } from './observability/logger';
import { ShutdownState } from './observability/shutdown-state';

const main = async () => {
  process.umask(PRIVATE_UMASK);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    configurationError(e);
    throw e;
  }
  const logger = createLogger(config.logLevel);
  // A setting (or an edited migration) found wrong while the app is built stops it the same way.
  const app = await createApp(config, { logger }).catch((e: unknown) => {
    configurationError(e);
    throw e;
  });
  await app.listen(config.port, '0.0.0.0');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  logger.info(
    {
      port,
      eventStore:
        config.eventStore === 'kurrentdb'
          ? 'kurrentdb'
          : config.databaseUrl
            ? 'postgresql'
            : config.embeddedDb === 'postgres'
              ? 'embedded-postgresql'
              : 'pglite',
      ...(config.databaseUrl ? {} : { embeddedDb: config.embeddedDb, chosenBy: config.embeddedDbReason }),
      runProjections: config.runProjections,
    },
    `eenplan API on http://localhost:${port} (OpenAPI at /docs)`,
  );

  /**
   * SIGTERM: readiness turns 503 and the listener closes (no new connections); requests already
   * received run to their answer; then the relay and the projection runner stop (their checkpoints
   * are stored with the work they cover) and the store closes. Exit 0, or 1 past SHUTDOWN_TIMEOUT_MS.
   */
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app.get(ShutdownState).begin();
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

/** A ConfigError: one line naming what to fix, exit 2 (the exit code of a wrong setting). */
function configurationError(e: unknown): void {
  if (!(e instanceof ConfigError)) return;
  console.error(`eenplan: configuration error: ${e.message}`);
  process.exit(2);
}

main().catch((e: unknown) => {
  // Before the logger exists (or when the store cannot be reached): one plain line, exit 1.
  process.stderr.write(`eenplan: failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
