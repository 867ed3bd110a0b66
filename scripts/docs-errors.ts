import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderErrorsDoc } from '../apps/api/src/common/error-codes';
import { commandLine } from './cli';

/**
 * Writes docs/errors.md from the error-code tables; a unit test fails when it is out of date.
 * `npm run docs:errors` runs it from the repository's root (built, so the @eenplan aliases resolve).
 * Exit code 0 when written, 2 on a wrong argument.
 */
commandLine(
  'docs:errors',
  `usage: npm run docs:errors
  writes docs/errors.md (under the current directory) from the error-code tables`,
  { options: { help: { type: 'boolean', short: 'h', default: false } } },
);
const target = join(process.cwd(), 'docs', 'errors.md');
writeFileSync(target, renderErrorsDoc());
console.log(`wrote ${target}`);
