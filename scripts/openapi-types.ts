import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientTypes, CLIENT_TYPES_FILE } from './client-types';
import { commandLine } from './cli';

/**
 * `npm run openapi:types`: writes clients/eenplan-api.d.ts, the TypeScript types of the API that
 * openapi-typescript makes from the document. Committed: test/ops/openapi.int.spec.ts fails
 * when it no longer matches the code, and the typed-client e2e suite is typechecked against it.
 */
commandLine(
  'openapi:types',
  `usage: npm run openapi:types
  writes ${CLIENT_TYPES_FILE} (under the current directory) from the API's OpenAPI document`,
  { options: { help: { type: 'boolean', short: 'h', default: false } } },
);

clientTypes().then(
  (types) => {
    const target = join(process.cwd(), CLIENT_TYPES_FILE);
    writeFileSync(target, types);
    console.log(`wrote ${target}`);
  },
  (e: unknown) => {
    process.stderr.write(`openapi:types: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
