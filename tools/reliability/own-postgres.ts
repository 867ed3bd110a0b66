import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../bench/api-process';

/**
 * A PostgreSQL 15 instance of one's own (initdb into a temp dir, another port, a socket in that
 * dir), so an outage test can stop and crash it without touching the shared server on 5432.
 *
 * It is a throwaway test instance: fsync and full_page_writes are off, so it starts in about a
 * second and writes fast. That does not weaken the outage tests: an "immediate" stop kills
 * PostgreSQL, not the machine, so everything it wrote is still in the OS page cache and crash
 * recovery replays the WAL as it would on a real server.
 */
export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth, TCP). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Whether the server is meant to be up (between start() and stop()). */
  readonly running: boolean;
  start(): Promise<void>;
  /**
   * 'fast': PostgreSQL ends every session and shuts down cleanly (what a `systemctl restart` does).
   * 'immediate': it quits at once without a checkpoint, as in a crash; the next start recovers.
   */
  stop(options?: { mode?: 'fast' | 'immediate' }): Promise<void>;
  restart(options?: { mode?: 'fast' | 'immediate' }): Promise<void>;
  /** Stops the server (immediate) and removes its directory. */
  destroy(): Promise<void>;
  /** The server log so far (for a failure message). */
  log(): string;
}

export const postgresBinDir = () => process.env.PG_BIN_DIR || '/usr/lib/postgresql/15/bin';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

const postgresUser = (): { uid: number; gid: number } | undefined => {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
};

/** null when a private instance can be started here, else why not (for an infra probe). */
export function ownPostgresUnavailable(): string | null {
  const bin = postgresBinDir();
  for (const tool of ['initdb', 'pg_ctl', 'postgres'])
    if (!existsSync(join(bin, tool))) return `${join(bin, tool)} is missing (PostgreSQL 15 server binaries)`;
  const version = execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' });
  if (!/\b15\./.test(version)) return `${bin}/postgres is not PostgreSQL 15: ${version.trim()}`;
  // initdb and postgres refuse to run as root; then they run as the postgres OS user.
  if (isRoot() && !postgresUser()) return 'running as root and there is no postgres OS user to run initdb as';
  return null;
}

const run = (tool: string, args: readonly string[], timeoutMs = 120_000): Promise<string> => {
  const file = join(postgresBinDir(), tool);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
  // Asynchronous on purpose: the API under test keeps being loaded while PostgreSQL stops or starts.
  return new Promise((resolve, reject) =>
    execFile(cmd, argv, { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${tool} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`))
        : resolve(stdout + stderr),
    ),
  );
};

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const why = ownPostgresUnavailable();
  if (why) throw new Error(`cannot start a private PostgreSQL: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'eenplan-pg-'));
  if (isRoot()) {
    const owner = postgresUser()!;
    chownSync(dir, owner.uid, owner.gid);
  }
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  await run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  appendFileSync(
    join(data, 'postgresql.conf'),
    [
      '',
      '# eenplan private test instance (tools/reliability/own-postgres.ts)',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      // A test instance: see the comment above startOwnPostgres' interface.
      'fsync = off',
      'full_page_writes = off',
      'max_connections = 60',
      'shared_buffers = 32MB',
      '',
    ].join('\n'),
  );
  let running = false;
  const self: OwnPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    get running() {
      return running;
    },
    start: async () => {
      await run('pg_ctl', ['start', '-w', '-t', '120', '-D', data, '-l', logFile]);
      running = true;
    },
    stop: async ({ mode = 'fast' } = {}) => {
      running = false;
      await run('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', data]);
    },
    restart: async (options) => {
      await self.stop(options);
      await self.start();
    },
    destroy: async () => {
      if (existsSync(join(data, 'postmaster.pid')))
        await run('pg_ctl', ['stop', '-w', '-t', '30', '-m', 'immediate', '-D', data]).catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-20_000) : ''),
  };
  try {
    await self.start();
  } catch (error) {
    const log = self.log();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return self;
}
