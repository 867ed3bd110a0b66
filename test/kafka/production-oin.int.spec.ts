import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { builtEntry } from '../support/built';

const repoRoot = join(__dirname, '..', '..');

/**
 * Every published event names its publisher by OIN in `source`: the API and the worker, run for
 * production with Kafka, stop at start on the placeholder (exit 2, the configuration's code),
 * naming the setting, before anything connects. No broker or database is needed to see it.
 */
describe('the placeholder OIN stops a production start that would publish', () => {
  const start = (main: string) =>
    spawnSync(process.execPath, [builtEntry(main)], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        // Nothing answers here: the start must stop before it connects.
        KAFKA_BROKERS: '127.0.0.1:1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
        EENPLAN_OIN: '00000000000000000000',
      },
    });

  it.each([['apps/api/src/main.ts'], ['apps/worker/src/main.ts']])(
    '%s exits 2, naming EENPLAN_OIN',
    (main) => {
      const run = start(main);
      expect({ status: run.status, stderr: run.stderr }).toEqual({
        status: 2,
        stderr: expect.stringMatching(/configuration error: EENPLAN_OIN must be the municipality's own OIN/),
      });
    },
  );
});
