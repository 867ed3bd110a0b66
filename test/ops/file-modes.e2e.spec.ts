import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@eenplan/security';

/**
 * The embedded data on disk is for the process's user only (issue 16, item 9): the built API, as
 * an operator runs it, on a fresh data directory and on one an older release left readable to
 * others; every file and directory under it is stat'ed. Needs `npm run build` first.
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

/** Runs the API on `dataDir` (the embedded default, the local secret generated there) until `work` is done, then SIGTERM. */
const withApi = async (
  dataDir: string,
  work: (base: string) => Promise<void>,
  extraEnv: Record<string, string> = {},
) => {
  // The shell's umask of most machines, so what the app does not restrict would show.
  const child = spawn('/bin/sh', ['-c', `umask 022; exec "${process.execPath}" "${MAIN}"`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 150_000;
    let port: number | undefined;
    while (!port) {
      port = Number(/"port":(\d+)/.exec(out)?.[1]) || undefined;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the API did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await work(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
};

/** Every path under `root` (itself included) with its permission bits, as ls -l would show them. */
const modes = (root: string): Record<string, string> => {
  const found: Record<string, string> = {};
  const visit = (path: string) => {
    const stat = lstatSync(path);
    found[path.slice(root.length) || '/'] =
      `${stat.isDirectory() ? 'd' : stat.isSocket() ? 's' : '-'}${(stat.mode & 0o777).toString(8)}`;
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return found;
};

/**
 * Owner-only: directories 0700, files 0600; the embedded PostgreSQL's socket (in its 0700 directory)
 * 0700. Run as root, the cluster belongs to the `postgres` user, which may pass DATA_DIR (o+x, d701,
 * nothing listed: docs/adr/0011-embedded-postgres-default.md).
 */
const notOwnerOnly = (found: Record<string, string>, rootMode = 'd700') =>
  Object.entries(found).filter(
    ([path, mode]) =>
      mode !==
      (path === '/' ? rootMode : mode.startsWith('d') ? 'd700' : mode.startsWith('s') ? 's700' : '-600'),
  );

/** Writes through the API with a token signed by the secret the API generated in the data directory. */
const registerTeam = async (base: string, dataDir: string, teamId: string) => {
  const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
  const token = signToken(secret, { sub: 'admin-1', roles: ['admin'], teams: [] });
  const res = await fetch(`${base}/v1/teams`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ teamId, name: 'Wijkteam', districts: ['noord'] }),
  });
  return res.status;
};

describe.each([
  ['the embedded default (PostgreSQL)', {}, 'postgres'],
  ['PGlite (EMBEDDED_DB=pglite)', { EMBEDDED_DB: 'pglite' }, 'pglite'],
] as const)('file modes of the data directory, on disk: %s', (_store, env, store) => {
  const rootMode = store === 'postgres' && process.getuid?.() === 0 ? 'd701' : 'd700';
  let parent: string;
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    parent = mkdtempSync(join(tmpdir(), 'eenplan-modes-'));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('a fresh data directory: 0700, and everything in it (the database, the local secret) 0600 or 0700', async () => {
    const dataDir = join(parent, 'fresh');
    await withApi(
      dataDir,
      async (base) => {
        for (let i = 1; i <= 30; i++) expect(await registerTeam(base, dataDir, `t-${i}`)).toBe(201);
        // While running too: the WAL and relation files the database creates as it goes.
        expect(notOwnerOnly(modes(dataDir), rootMode)).toEqual([]);
      },
      env,
    );
    const found = modes(dataDir);
    expect(found['/jwt-secret']).toBe('-600');
    expect(Object.keys(found).filter((p) => p.startsWith(`/${store}/`)).length).toBeGreaterThan(100);
    expect(notOwnerOnly(found, rootMode)).toEqual([]);
    // PGlite's start alone took 60 s on the loaded 2-core machine (15 s idle): room for two starts.
  }, 300_000);

  it('one an older release left at 0644/0755: restricted at start, and its data still reads', async () => {
    const dataDir = join(parent, 'older');
    await withApi(dataDir, async (base) => expect(await registerTeam(base, dataDir, 't-1')).toBe(201), env);
    // As the release before this one left it: files 0644, directories 0755.
    for (const [path, mode] of Object.entries(modes(dataDir)))
      chmodSync(join(dataDir, path), mode.startsWith('d') ? 0o755 : 0o644);
    expect(notOwnerOnly(modes(dataDir), rootMode).length).toBeGreaterThan(100);

    await withApi(
      dataDir,
      async (base) => {
        expect(notOwnerOnly(modes(dataDir), rootMode)).toEqual([]);
        // The team registered before is there: the same id is refused as a duplicate.
        expect(await registerTeam(base, dataDir, 't-1')).toBe(409);
        expect(await registerTeam(base, dataDir, 't-2')).toBe(201);
      },
      env,
    );
    expect(notOwnerOnly(modes(dataDir), rootMode)).toEqual([]);
  }, 300_000);
});
