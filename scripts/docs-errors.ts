import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderErrorsDoc } from '../apps/api/src/common/error-codes';

/**
 * Writes docs/errors.md from the error-code tables; a unit test fails when it is out of date.
 * `npm run docs:errors` runs it from the repository's root (built, so the @eenplan aliases resolve).
 */
const target = join(process.cwd(), 'docs', 'errors.md');
writeFileSync(target, renderErrorsDoc());
console.log(`wrote ${target}`);
