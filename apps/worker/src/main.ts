import 'reflect-metadata';
import { createSql, migrate, PostgresEventStore } from '@eenplan/event-store';
import { ALL_PROJECTIONS, ProjectionRunner } from '@eenplan/projections';
import { ConfigError, loadConfig } from '../../api/src/config/app-config';
import { allMigrations } from '../../api/src/infrastructure/infrastructure.module';

/**
 * The background side for server mode: the projection runner as its own process (run the API with
 * RUN_PROJECTIONS=false beside it). The embedded default runs the same runner inside the API.
 */
const main = async () => {
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new ConfigError(
      'DATABASE_URL is required for the worker (the embedded default runs projections in the API)',
    );
  const sql = await createSql({ databaseUrl: config.databaseUrl });
  await migrate(sql, allMigrations());
  const store = new PostgresEventStore(sql);
  const runner = new ProjectionRunner(store, sql, ALL_PROJECTIONS, {
    onError: (e) => process.stderr.write(`projection pass failed: ${(e as Error).message}\n`),
  });
  await runner.init();
  runner.start();
  process.stdout.write(
    `eenplan worker: projections ${ALL_PROJECTIONS.map((p) => p.name).join(', ')} running\n`,
  );
  const stop = async () => {
    // Checkpoints live in the same transactions as the rows: stopping between batches loses nothing.
    await runner.stop();
    await store.close();
    await sql.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
};

main().catch((e) => {
  process.stderr.write(
    `eenplan worker: ${e instanceof ConfigError ? 'configuration error: ' : ''}${(e as Error).message}\n`,
  );
  process.exit(e instanceof ConfigError ? 2 : 1);
});
