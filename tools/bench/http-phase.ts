import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sampleRss, startApi, type ApiProcess } from './api-process';
import { cpuWindow, processCpuMs, type CpuShares } from './cpu';
import { HttpClient } from './http-client';
import { runHttpLoad, setupWorld, type HttpLoadResult } from './http-load';
import { ServerObserver } from './lag';
import { counterDelta, createBenchDatabase, flushedCounters, type ServerCounters } from './postgres';
import { summarizeProfile, type ProfileSummary } from './profile-summary';
import { sleep, type Distribution } from './stats';

/**
 * 'postgres': the server at the bench's URL (DATABASE_URL); 'embedded': the embedded default, the
 * API's own PostgreSQL cluster in DATA_DIR/postgres (no DATABASE_URL); 'pglite': PGLITE_DIR.
 */
export type HttpPhaseKind = 'postgres' | 'embedded' | 'pglite';

export interface HttpPhaseOptions {
  readonly kind: HttpPhaseKind;
  readonly serverUrl: string;
  readonly clients: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly keepDb: boolean;
  /** Write a V8 CPU profile of the API for the measured window and summarise it. */
  readonly profile: boolean;
  readonly profileDir: string;
  readonly log: (line: string) => void;
  /** Extra settings for the API (diagnostic variants). */
  readonly extraEnv?: Record<string, string>;
  /** Server mode as ARCHITECTURE.md describes production: projections in the worker process, the API with RUN_PROJECTIONS=false. */
  readonly withWorker?: boolean;
  /** Reach PostgreSQL over its Unix socket in this directory instead of TCP 127.0.0.1. */
  readonly unixSocketDir?: string;
  readonly label?: string;
}

export interface HttpPhaseResult {
  readonly kind: HttpPhaseKind;
  readonly label?: string;
  readonly extraEnv?: Record<string, string>;
  /** CPU of the worker process (withWorker), percent of a core over the measured window. */
  readonly workerCpuPct?: number;
  readonly load: HttpLoadResult;
  readonly startupSeconds: number;
  readonly rss: { readonly beforeMb: number; readonly peakDuringMb: number; readonly afterMb: number };
  readonly cpu: CpuShares;
  /** PostgreSQL only. */
  readonly lag?: {
    readonly lag: Distribution;
    readonly events: number;
    readonly notPassed: number;
    readonly pollMs: number;
  };
  readonly apiConnections?: ReturnType<ServerObserver['activitySummary']>;
  /** PostgreSQL only, over the whole load (warm-up included), per successful command. */
  readonly perCommand?: { readonly commits: number; readonly walSyncs: number; readonly walBytes: number };
  readonly profile?: ProfileSummary & {
    readonly file: string;
    /** node-postgres statements per successful command in the window, by statement kind (server mode). */
    readonly sqlPerCommand?: {
      readonly total: number;
      readonly byKind: { kind: string; perCommand: number }[];
    };
  };
}

const POLL_MS = 5;

/** The embedded cluster's postmaster, so its CPU is told apart from a server's on the machine. */
const postmasterOf = (kind: HttpPhaseKind, dataDir: string): number | undefined => {
  if (kind !== 'embedded') return undefined;
  try {
    return (
      Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined
    );
  } catch {
    return undefined;
  }
};

/** An API the bench had to kill leaves its embedded cluster running: stop it before its directory goes. */
const stopLeftCluster = (clusterDir: string): void => {
  try {
    const pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    // stopped with the API, as it should be
  }
};

/**
 * One HTTP phase: the built API as a child process (PostgreSQL server: DATABASE_URL to a fresh
 * database; PGlite: PGLITE_DIR in a fresh temp dir), teams and workers set up through the API,
 * then the load. Projections run inside the API (RUN_PROJECTIONS=true, the default), so each
 * write answers once the read models include it.
 */
export async function runHttpPhase(o: HttpPhaseOptions): Promise<HttpPhaseResult> {
  const tag = randomBytes(3).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), `eenplan-bench-${o.kind}-`));
  const db = o.kind === 'postgres' ? await createBenchDatabase(o.serverUrl, 'http', o.keepDb) : undefined;
  const secret = randomBytes(32).toString('hex');
  const profileFile = join(o.profileDir, `api-${o.kind}-${tag}.cpuprofile`);
  const env: Record<string, string> = {
    JWT_SECRET: secret,
    DATA_DIR: dataDir,
    RUN_PROJECTIONS: 'true',
    NODE_ENV: 'production',
    ...o.extraEnv,
  };
  if (db) {
    const url = new URL(db.url);
    if (o.unixSocketDir) url.searchParams.set('host', o.unixSocketDir);
    env.DATABASE_URL = url.toString();
  } else if (o.kind === 'pglite') env.PGLITE_DIR = join(dataDir, 'pglite');
  // 'embedded': nothing set, as `npm start` runs it; the first start initialises the cluster.
  if (o.withWorker) env.RUN_PROJECTIONS = 'false';
  if (o.profile) env.BENCH_PROFILE_OUT = profileFile;
  const nodeArgs = o.profile ? ['-r', join(__dirname, 'profile-preload.js')] : [];

  let api: ApiProcess | undefined;
  let worker: ApiProcess | undefined;
  let observer: ServerObserver | undefined;
  let stats: pg.Client | undefined;
  const http = (base: string) => new HttpClient(base, o.clients + 4);
  let client: HttpClient | undefined;
  try {
    const t0 = Date.now();
    if (o.withWorker) worker = await startApi({ env: { ...env, RUN_PROJECTIONS: 'true' }, worker: true });
    api = await startApi({ env, nodeArgs });
    const startupSeconds = (Date.now() - t0) / 1000;
    client = http(api.baseUrl);
    const world = await setupWorld(client, secret, tag, o.clients);
    o.log(
      `  ${o.label ?? o.kind}: API up in ${startupSeconds.toFixed(1)} s, ${world.teams} teams x ${world.workersPerTeam} workers set up; ${o.clients} clients for ${(o.warmupMs / 1000).toFixed(0)} s warm-up + ${(o.measureMs / 1000).toFixed(0)} s`,
    );

    let countersBefore: ServerCounters | undefined;
    if (db) {
      observer = new ServerObserver(db.url, db.name, POLL_MS);
      await observer.start();
      stats = new pg.Client({ connectionString: o.serverUrl, application_name: 'eenplan-bench-stats' });
      await stats.connect();
      await stats.query('CHECKPOINT');
      countersBefore = await flushedCounters(stats, db.name);
    }
    const observerPollsBefore = observer?.polls ?? 0;
    const rss = sampleRss(api.pid);
    const beforeMb = rss.window().lastMb;
    let endCpu: (() => CpuShares) | undefined;
    let workerCpu0 = 0;
    let workerCpuPct: number | undefined;
    const workerPid = worker?.pid;
    let cpu: CpuShares | undefined;
    let peakDuringMb = Number.NaN;
    const running = api;
    if (o.profile) {
      // Started before the load: starting V8's profiler stalls the process for a moment.
      running.signal('SIGWINCH');
      await sleep(1500);
    }
    const load = await runHttpLoad(client, world, tag, o.warmupMs, o.measureMs, {
      onMeasureStart: () => {
        rss.mark();
        endCpu = cpuWindow(running.pid, cpus().length, postmasterOf(o.kind, dataDir));
        if (workerPid) workerCpu0 = processCpuMs(workerPid);
        observer?.measure(true);
      },
      onMeasureEnd: () => {
        peakDuringMb = rss.window().peakMb;
        cpu = endCpu?.();
        if (workerPid && cpu)
          workerCpuPct = (100 * (processCpuMs(workerPid) - workerCpu0)) / (cpu.seconds * 1000);
        observer?.measure(false);
        if (o.profile) running.signal('SIGWINCH');
      },
      abort: () => running.exited() ?? (worker?.exited() ? `worker: ${worker.exited()}` : undefined),
    });
    rss.mark();
    await sleep(3000);
    const afterMb = rss.window().lastMb;
    rss.stop();

    let lag: HttpPhaseResult['lag'];
    let perCommand: HttpPhaseResult['perCommand'];
    if (observer && stats && db && countersBefore) {
      const counters = counterDelta(countersBefore, await flushedCounters(stats, db.name));
      // The observer's own polls are transactions in this database too.
      const observerTx = observer.polls - observerPollsBefore + observer.activitySummary().samples;
      perCommand = {
        commits: (counters.commits - observerTx) / Math.max(1, load.totalCommands),
        walSyncs: counters.walSyncs / Math.max(1, load.totalCommands),
        walBytes: counters.walBytes / Math.max(1, load.totalCommands),
      };
      const measured = await observer.lag(load.windowStart, load.windowEnd);
      lag = { ...measured, pollMs: POLL_MS };
    }

    let profile: HttpPhaseResult['profile'];
    if (o.profile) {
      for (let i = 0; i < 50 && !existsSync(profileFile); i++) await sleep(100);
      if (existsSync(profileFile)) {
        let sqlPerCommand: NonNullable<HttpPhaseResult['profile']>['sqlPerCommand'];
        if (db && existsSync(`${profileFile}.queries.json`)) {
          const counts = JSON.parse(readFileSync(`${profileFile}.queries.json`, 'utf8')) as Record<
            string,
            number
          >;
          // Counted from before the warm-up to the end of the window.
          const per = (n: number) => n / Math.max(1, load.commandsUntilWindowEnd);
          sqlPerCommand = {
            total: per(Object.values(counts).reduce((a, b) => a + b, 0)),
            byKind: Object.entries(counts).map(([kind, n]) => ({ kind, perCommand: per(n) })),
          };
        }
        profile = { ...summarizeProfile(profileFile), file: profileFile, sqlPerCommand };
      }
    }
    return {
      kind: o.kind,
      label: o.label,
      extraEnv: o.extraEnv,
      workerCpuPct,
      load,
      startupSeconds,
      rss: { beforeMb, peakDuringMb, afterMb },
      cpu: cpu ?? {
        seconds: 0,
        machineBusyPct: Number.NaN,
        postgresPct: Number.NaN,
        benchPct: Number.NaN,
        cores: 0,
      },
      lag,
      apiConnections: observer?.activitySummary(),
      perCommand,
      profile,
    };
  } catch (error) {
    if (api) o.log(`  API output:\n${api.output()}`);
    if (worker) o.log(`  worker output:\n${worker.output()}`);
    throw error;
  } finally {
    client?.close();
    await observer?.close().catch(() => undefined);
    await stats?.end().catch(() => undefined);
    await api?.stop();
    await worker?.stop();
    await db?.drop();
    if (o.kind === 'embedded') stopLeftCluster(join(dataDir, 'postgres'));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
