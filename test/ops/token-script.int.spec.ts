import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLocalSecret, verifyToken } from '@eenplan/security';

const ROOT = join(__dirname, '..', '..');

/** `npm run -s token -- ...` as the README runs it (the built script; built first when stale). */
const token = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync('npm', ['run', '-s', 'token', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, JWT_SECRET: '', TOKEN_MAX_LIFETIME: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });

/**
 * `npm run token` is the README's way to get a token for the embedded default. It runs from dist
 * (no ts-node) and signs with the secret the API made in the data dir at its first start.
 */
test('npm run token prints a token the API accepts, signed with the data dir secret', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-token-'));
  // What the API does at its first start on this data dir.
  const secret = resolveLocalSecret(dataDir, '');
  const run = token(['--sub', 'w-1', '--roles', 'worker', '--teams', 't-1'], { DATA_DIR: dataDir });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const printed = run.stdout.trim().split('\n').pop()!;
  expect(verifyToken(secret, printed)).toEqual({ sub: 'w-1', roles: ['worker'], teams: ['t-1'] });
}, 180_000);

/**
 * A secret it made itself would be one the API does not use: every token "invalid signature".
 * With neither JWT_SECRET nor the API's secret in DATA_DIR it refuses and says what to do.
 */
test('no secret yet: exit 2, says to start the API or pass its DATA_DIR or JWT_SECRET, makes none', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-token-'));
  const run = token(['--sub', 'w-1'], { DATA_DIR: dataDir });
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim()).toBe(
    `token: no secret to sign with: JWT_SECRET is not set and ${join(dataDir, 'jwt-secret')} does not exist. ` +
      'Start the API once first (npm start makes it), or pass the DATA_DIR or JWT_SECRET the API uses.',
  );
  expect(readdirSync(dataDir)).toEqual([]);
}, 180_000);

test('JWT_SECRET set: signed with it, whatever the data dir holds', () => {
  const jwtSecret = 'a-secret-of-at-least-32-bytes-0123456789';
  const run = token(['--sub', 'a-1', '--roles', 'auditor'], {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'eenplan-token-')),
    JWT_SECRET: jwtSecret,
  });
  expect(run.status).toBe(0);
  expect(verifyToken(jwtSecret, run.stdout.trim())).toEqual({ sub: 'a-1', roles: ['auditor'], teams: [] });
}, 180_000);

test("a resident's token carries the household and member claims (docs/RESIDENTS.md)", () => {
  const jwtSecret = 'a-secret-of-at-least-32-bytes-0123456789';
  const run = token(['--sub', 'login-1', '--roles', 'resident', '--household', 'h-1', '--member', 'm-1'], {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'eenplan-token-')),
    JWT_SECRET: jwtSecret,
  });
  expect(run.status).toBe(0);
  expect(verifyToken(jwtSecret, run.stdout.trim())).toEqual({
    sub: 'login-1',
    roles: ['resident'],
    teams: [],
    household: 'h-1',
    member: 'm-1',
  });
}, 180_000);

test('--help: the usage on stdout, exit 0', () => {
  const run = token(['--help']);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^usage: npm run -s token -- --sub <id> /);
  expect(run.stderr).toBe('');
}, 180_000);

test.each([
  [['--sub', 'w-1', '--bogus'], "token: Unknown option '--bogus'"],
  [['--roles', 'worker'], 'token: --sub is required'],
  [['--sub', 'w-1', '--roles', 'wizard'], 'token: unknown role(s): wizard'],
  [
    ['--sub', 'w-1', '--hours', '13'],
    'token: --hours must be more than 0 and at most 12 (TOKEN_MAX_LIFETIME), got 13',
  ],
])(
  '%j: the usage and one line naming it, exit 2, no stack trace',
  (args, line) => {
    const run = token(args, { DATA_DIR: mkdtempSync(join(tmpdir(), 'eenplan-token-')) });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^usage: npm run -s token/);
    expect(lines[lines.length - 1]).toBe(line);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  },
  180_000,
);

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
