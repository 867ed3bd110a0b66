import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';

const main = async () => {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`eenplan: configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.pgliteDir}`;
  process.stdout.write(
    `eenplan API on http://localhost:${config.port} (OpenAPI at /docs), event store: ${where}\n`,
  );
};

void main();
