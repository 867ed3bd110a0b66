import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { builtEntry } from '../support/built';

const repoRoot = join(__dirname, '..', '..');

/**
 * Half a TLS or SASL setting stops the API and the worker at start (exit 2, the configuration's
 * code), naming what is missing, before anything connects: a relay that quietly connected without
 * the login the operator meant would fail later and less clearly. No broker or database needed.
 */
describe('an incomplete Kafka login stops the start', () => {
  const start = (main: string, env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [builtEntry(main)], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        // Nothing answers here: the start must stop before it connects.
        KAFKA_BROKERS: '127.0.0.1:1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
        ...env,
      },
    });

  it.each([
    [
      'apps/api/src/main.ts',
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'eenplan' },
      /configuration error: KAFKA_SASL_MECHANISM=scram-sha-512 needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE/,
    ],
    [
      'apps/worker/src/main.ts',
      { KAFKA_SSL_CA_FILE: '/etc/ssl/kafka-ca.pem', KAFKA_SASL_PASSWORD: 'Sup3r-geheim' },
      /configuration error: KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not/,
    ],
  ])('%s exits 2, naming the missing setting', (main, env, message) => {
    const run = start(main, env);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 2,
      stderr: expect.stringMatching(message),
    });
    expect(run.stderr + run.stdout).not.toContain('Sup3r-geheim');
  });
});
