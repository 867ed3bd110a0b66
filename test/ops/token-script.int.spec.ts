import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLocalSecret, verifyToken } from '@eenplan/security';

/**
 * `npm run token` is the README's way to get a token for the embedded default; it runs under
 * ts-node, which does not resolve the @eenplan aliases, so a new import can break it unnoticed.
 */
test('npm run token prints a token the API accepts, signed with the data dir secret', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-token-'));
  const run = spawnSync(
    'npm',
    ['run', '-s', 'token', '--', '--sub', 'w-1', '--roles', 'worker', '--teams', 't-1'],
    {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: '' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const token = run.stdout.trim().split('\n').pop()!;
  expect(verifyToken(resolveLocalSecret(dataDir, ''), token)).toEqual({
    sub: 'w-1',
    roles: ['worker'],
    teams: ['t-1'],
  });
});
