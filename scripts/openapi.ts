import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '@eenplan/runtime';
import { openApiDocument } from '../apps/api/src/openapi';
import { commandLine, usageError } from './cli';

const USAGE = `usage: npm run openapi [-- --out FILE]
  writes the API's OpenAPI document (the one served at /openapi.json) to FILE (default openapi.json)
  without starting a server or opening a database; servers[] is PUBLIC_BASE_URL
  when set, else "/" (the server the document was served from)`;

/**
 * `npm run openapi`: the document for an integrator's tools or a lint, from the same code the app
 * serves it with. Exit code 0 when written, 2 on a wrong argument or setting.
 */
const { values } = commandLine('openapi', USAGE, {
  options: {
    out: { type: 'string', short: 'o', default: 'openapi.json' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const main = async () => {
  let config;
  try {
    // The document needs no secret: only the routes and PUBLIC_BASE_URL count.
    config = loadConfig({ ...process.env, JWT_SECRET: 'x'.repeat(64), PGLITE_DIR: 'memory' });
  } catch (e) {
    if (e instanceof ConfigError) return usageError('openapi', USAGE, e.message);
    throw e;
  }
  const target = resolve(values.out);
  writeFileSync(target, `${JSON.stringify(await openApiDocument(config), null, 2)}\n`);
  console.log(`wrote ${target}`);
};

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${(e as Error).message}\n`);
  process.exit(1);
});
