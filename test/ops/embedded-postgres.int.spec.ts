import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedPostgres } from '../../libs/event-store/src/sql/embedded-postgres';
import { builtEntry } from '../support/built';

/**
 * The embedded default as `npm ci && npm start` runs it: no DATABASE_URL, so the built API starts a
 * PostgreSQL cluster of its own in DATA_DIR/postgres (docs/adr/0011-embedded-postgres-default.md),
 * stops it on SIGTERM, and comes back on the same data after a normal stop and after a kill -9.
 */
const ROOT = join(__dirname, '..', '..');

interface Api {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const launch = (dataDir: string) => {
  const child = spawn(process.execPath, [builtEntry('apps/api/src/main.ts')], {
    cwd: ROOT,
    // No DATABASE_URL, PGLITE_DIR or EMBEDDED_DB: the default a newcomer gets.
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr: stderr + stdout })),
  );
  return { child, exited, output: () => stdout };
};

const startApi = async (dataDir: string): Promise<Api> => {
  const { child, exited, output } = launch(dataDir);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = output()
        .split('\n')
        .find((l) => l.includes('eenplan API on'));
      if (line) {
        clearInterval(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    }, 50);
    void exited.then(({ code, stderr }) => {
      clearInterval(timer);
      reject(new Error(`the API exited with ${code} before listening: ${stderr}`));
    });
  });
  return { child, port, exited };
};

/** `npm run token` as built: signs with the secret the API made in DATA_DIR. */
const token = (dataDir: string, args: string[]): string => {
  const run = spawnSync(process.execPath, [builtEntry('scripts/token.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trim().split('\n').pop()!;
};

/**
 * The live processes of this cluster: every PostgreSQL process works in its data directory (the
 * backends' command lines are rewritten to "postgres: ..." and do not name it); zombies excluded.
 */
const postgresOf = (clusterDir: string): number[] => {
  let real: string;
  try {
    real = realpathSync(clusterDir);
  } catch {
    return [];
  }
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        if (readlinkSync(`/proc/${p}/cwd`) !== real) return false;
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return stat[stat.lastIndexOf(')') + 2] !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
};

const call = async (port: number, method: string, path: string, bearer: string, body?: unknown) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
};

const waitFor = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
};

describe('the embedded PostgreSQL default (built API, no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-emb-'));
  const clusterDir = join(dataDir, 'postgres');
  const started: Api[] = [];
  const start = async () => {
    const api = await startApi(dataDir);
    started.push(api);
    return api;
  };

  afterAll(async () => {
    for (const api of started) api.child.kill('SIGKILL');
    // Whatever a failed assertion left running: the cluster is stopped, never left behind.
    for (const pid of postgresOf(clusterDir)) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // gone
      }
    }
    await waitFor(() => postgresOf(clusterDir).length === 0, 10_000);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, acknowledges a command, stops its cluster on SIGTERM, survives a kill -9, and refuses a second API', async () => {
    const first = await start();
    expect((await call(first.port, 'GET', '/health/ready', '')).status).toBe(200);
    // The cluster's directory is private, as PostgreSQL requires, and holds no keys.
    expect(statSync(clusterDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(clusterDir)).not.toContain('keys');
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['postgres', 'jwt-secret']));
    expect(readdirSync(dataDir)).not.toContain('pglite');

    const admin = token(dataDir, ['--sub', 'admin-1', '--roles', 'admin']);
    const worker = token(dataDir, ['--sub', 'w-1', '--roles', 'worker', '--teams', 't-1']);
    expect(
      (
        await call(first.port, 'POST', '/v1/teams', admin, {
          teamId: 't-1',
          name: 'Noord',
          districts: ['noord'],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(first.port, 'POST', '/v1/teams/t-1/workers', admin, {
          workerId: 'w-1',
          name: 'Anna',
          role: 'generalist',
          hoursPerWeek: 32,
        })
      ).status,
    ).toBe(201);
    const household = {
      teamId: 't-1',
      district: 'noord',
      regie: { workerId: 'w-1' },
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1980, name: 'Sanne Jansen' }],
    };
    expect(
      (await call(first.port, 'POST', '/v1/households', worker, { householdId: 'hh-1', ...household }))
        .status,
    ).toBe(201);

    // A second API on the same DATA_DIR stops with a message naming the problem; the first runs on.
    const second = launch(dataDir);
    const refused = await second.exited;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('DATA_DIR is in use');
    expect((await call(first.port, 'GET', '/v1/households/hh-1', worker)).status).toBe(200);

    // SIGTERM: exit 0 and no postgres process of this cluster left.
    expect(postgresOf(clusterDir).length).toBeGreaterThan(0);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(await waitFor(() => postgresOf(clusterDir).length === 0, 5_000)).toBe(true);

    // Started again: the acknowledged registration is there.
    const again = await start();
    expect((await call(again.port, 'GET', '/v1/households/hh-1', worker)).status).toBe(200);
    expect(
      (await call(again.port, 'POST', '/v1/households', worker, { householdId: 'hh-2', ...household }))
        .status,
    ).toBe(201);

    // kill -9 of the API: its postmaster runs on orphaned; the next start takes it over.
    again.child.kill('SIGKILL');
    await again.exited;
    const recovered = await start();
    expect((await call(recovered.port, 'GET', '/v1/households/hh-2', worker)).status).toBe(200);

    // kill -9 of the API and of its postmaster: a stale postmaster.pid; the next start recovers.
    recovered.child.kill('SIGKILL');
    await recovered.exited;
    const postmaster = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    await waitFor(() => postgresOf(clusterDir).length === 0, 10_000);
    const afterCrash = await start();
    expect((await call(afterCrash.port, 'GET', '/health/ready', '')).status).toBe(200);
    expect((await call(afterCrash.port, 'GET', '/v1/households/hh-2', worker)).status).toBe(200);
    afterCrash.child.kill('SIGTERM');
    expect((await afterCrash.exited).code).toBe(0);
    expect(await waitFor(() => postgresOf(clusterDir).length === 0, 5_000)).toBe(true);
    // Five starts (one initdb) take 20-60 s here; the rest is build-if-stale when dist/ is behind.
  }, 240_000);
});

/**
 * The start-up's own failures, through the module the API uses (no API process): a DATA_DIR reached
 * through a symlink after a crash, a first start cut short during initdb, and a start that fails
 * after the cluster is up.
 */
describe('the embedded PostgreSQL start-up when something went wrong before', () => {
  const root = mkdtempSync(join(tmpdir(), 'eenplan-embs-'));
  const quiet = () => undefined;
  const stopped: number[] = [];
  afterAll(async () => {
    for (const pid of stopped) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const dir of readdirSync(root)) {
      for (const pid of postgresOf(join(root, dir, 'postgres'))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('after a crash, a DATA_DIR reached through a symlink waits for the old server\'s last process', async () => {
    const real = join(root, 'real');
    mkdirSync(real);
    const link = join(root, 'link');
    symlinkSync(real, link);
    const dir = join(link, 'postgres');
    const sql = await openEmbeddedPostgres({ dir, whenInUse: 'refuse', log: quiet });
    // A backend held stopped (SIGSTOP) outlives its postmaster's kill -9, as a busy one can for a while.
    let letGo!: () => void;
    let found!: (pid: number) => void;
    const backendPid = new Promise<number>((resolve) => (found = resolve));
    const holding = sql
      .transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        found(rows[0]!.pid);
        await new Promise<void>((resolve) => (letGo = resolve));
      })
      .catch(() => undefined);
    const backend = await backendPid;
    const postmaster = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(backend, 'SIGSTOP');
    stopped.push(backend);
    process.kill(postmaster, 'SIGKILL');
    await waitFor(() => !postgresOf(dir).includes(postmaster), 10_000);
    // Its lock stays while that backend lives: the start names it instead of starting beside it.
    await expect(openEmbeddedPostgres({ dir, whenInUse: 'refuse', log: quiet })).rejects.toThrow(
      new RegExp(`has processes left \\(${backend}\\)`),
    );
    expect(existsSync(join(dir, 'postmaster.pid'))).toBe(true);
    process.kill(backend, 'SIGKILL');
    letGo();
    await holding;
    await sql.close().catch(() => undefined);
    // Once it is gone the next start recovers from the WAL.
    const again = await openEmbeddedPostgres({ dir, whenInUse: 'refuse', log: quiet });
    expect((await again.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    await again.close();
    expect(await waitFor(() => postgresOf(dir).length === 0, 10_000)).toBe(true);
  }, 90_000);

  it('a first start cut short during initdb leaves no half-made cluster; the next start makes it anew', async () => {
    const dir = join(root, 'cut', 'postgres');
    mkdirSync(`${dir}.initialising`, { recursive: true, mode: 0o700 });
    // What a kill during initdb leaves: some of the files, not the settings.
    writeFileSync(join(`${dir}.initialising`, 'PG_VERSION'), '18\n');
    const sql = await openEmbeddedPostgres({ dir, whenInUse: 'refuse', log: quiet });
    expect((await sql.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    await sql.close();
    expect(existsSync(`${dir}.initialising`)).toBe(false);
    expect(readFileSync(join(dir, 'postgresql.conf'), 'utf8')).toContain("include_if_exists = 'eenplan.conf'");
    // A DATA_DIR/postgres with files and no PG_VERSION is not taken for a cluster, nor overwritten.
    const other = join(root, 'other', 'postgres');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'notes.txt'), 'not a cluster');
    await expect(openEmbeddedPostgres({ dir: other, whenInUse: 'refuse', log: quiet })).rejects.toThrow(
      /holds files but no PostgreSQL cluster/,
    );
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('not a cluster');
  }, 90_000);

  it('a start that fails after the cluster is up stops it again', async () => {
    const dir = join(root, 'refusing', 'postgres');
    const sql = await openEmbeddedPostgres({ dir, whenInUse: 'refuse', log: quiet });
    await sql.close();
    expect(await waitFor(() => postgresOf(dir).length === 0, 10_000)).toBe(true);
    // The cluster starts but refuses every connection: the start fails, and leaves nothing running.
    writeFileSync(join(dir, 'pg_hba.conf'), 'local all all reject\n');
    await expect(openEmbeddedPostgres({ dir, whenInUse: 'refuse', log: quiet })).rejects.toThrow(/pg_hba/);
    expect(await waitFor(() => postgresOf(dir).length === 0, 10_000)).toBe(true);
    expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
  }, 90_000);
});
