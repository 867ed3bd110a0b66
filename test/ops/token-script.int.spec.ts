import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
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

/**
 * Two processes starting at once on a fresh data directory (an API and `npm run token`, or two
 * APIs) must end up with one secret, or every token of the one is "invalid signature" to the other.
 */
test('processes starting at once on one data directory agree on the local secret', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-secret-'));
  const tokens = join(__dirname, '..', '..', 'libs', 'security', 'src', 'tokens.ts');
  const script = `
    const { resolveLocalSecret } = require(${JSON.stringify(tokens)});
    // All start together: each waits for the same instant before racing to create the secret.
    const until = ${Date.now() + 4000};
    while (Date.now() < until) {}
    process.stdout.write(resolveLocalSecret(${JSON.stringify(dataDir)}, ''));
  `;
  const runs = await Promise.all(
    Array.from(
      { length: 8 },
      () =>
        new Promise<{ code: number | null; out: string; err: string }>((done) => {
          const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
            cwd: join(__dirname, '..', '..'),
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => done({ code, out, err }));
        }),
    ),
  );
  expect(runs.map((r) => ({ code: r.code, err: r.err }))).toEqual(runs.map(() => ({ code: 0, err: '' })));
  const secrets = new Set(runs.map((r) => r.out));
  expect(secrets.size).toBe(1);
  expect([...secrets][0]).toMatch(/^[0-9a-f]{64}$/);
  expect(readdirSync(dataDir)).toEqual(['jwt-secret']);
  expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
}, 60_000);
