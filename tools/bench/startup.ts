/**
 * Time from `npm start` to ready (GET /health/ready answering 200) on the embedded default (its
 * own PostgreSQL cluster in DATA_DIR/postgres; EMBEDDED_DB=pglite in the shell measures PGlite),
 * the way a user starts it: `npm run bench:startup`. Targets (issue 22): used < 5 s, fresh < 30 s.
 *   fresh   a new, empty DATA_DIR each run (initdb, the migrations, a new secret and keys)
 *   used    a DATA_DIR an earlier start already set up (the warm start)
 *   direct  the same used DATA_DIR with `node dist/apps/api/src/main.js`: what npm and the build
 *           check add is the difference with `used`
 * Each is run --runs times (default 3), one after another; the median is reported, with the load
 * average when each run began, since on a shared machine that moves the figures more than any
 * change does, and the CPU time the start's processes used until ready (user + system), which the
 * load moves much less: the figure to compare two builds by on a busy machine. The build must be current (`npm run bench:startup` builds it first when it is not),
 * or the first `used` run would measure a build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, usageError } from '../../scripts/cli';
import { apiEntry, freePort, repoRoot } from './api-process';
import { processCpuMs } from './cpu';
import { pickNames } from './cli';
import { ascending, percentile } from './stats';

const KINDS = ['fresh', 'used', 'direct'] as const;
type Kind = (typeof KINDS)[number];

const usage = `usage: npm run bench:startup [-- --runs <n>] [--only fresh,used,direct]
  time from npm start to GET /health/ready 200 on the embedded default (embedded PostgreSQL;
  EMBEDDED_DB=pglite for PGlite), with a fresh and a used DATA_DIR; targets: used < 5 s, fresh < 30 s`;

/** Issue 22: ready in < 5 s when the build is current, < 30 s on a fresh clone after npm ci. */
const TARGET_SECONDS: Record<Kind, number> = { fresh: 30, used: 5, direct: 5 };

const READY_TIMEOUT_MS = 180_000;

interface Run {
  readonly seconds: number;
  /** CPU seconds the start used (npm, the build check and the API; user + system): the load moves it little. */
  readonly cpuSeconds: number;
  readonly load: number;
}

/** CPU time (ms) of every process in a process group, with the children each has reaped. */
const groupCpuMs = (pgid: number): number => {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the last ')': state, ppid, pgrp, ...
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (group === pgid) total += processCpuMs(Number(entry), true);
    } catch {
      // gone meanwhile
    }
  }
  return total;
};

/** Starts the API as `kind` says, waits for readiness, stops it (SIGTERM to its process group). */
async function timeOneStart(kind: Kind, dataDir: string): Promise<Run> {
  const port = await freePort();
  const [command, args] = kind === 'direct' ? [process.execPath, [apiEntry]] : ['npm', ['start', '--silent']];
  const load = loadavg()[0]!;
  const started = performance.now();
  // Only what the start needs: a DATABASE_URL or KAFKA_BROKERS in the shell would change what runs.
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(process.env.EMBEDDED_DB ? { EMBEDDED_DB: process.env.EMBEDDED_DB } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  try {
    for (;;) {
      if (exitCode !== undefined)
        throw new Error(`npm start exited (${exitCode}) before it was ready:\n${output}`);
      if (performance.now() - started > READY_TIMEOUT_MS)
        throw new Error(`not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ready)
        return {
          seconds: (performance.now() - started) / 1000,
          cpuSeconds: groupCpuMs(child.pid!) / 1000,
          load,
        };
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    if (exitCode === undefined) {
      // The group: npm, its shell and the API; the API shuts down gracefully on SIGTERM.
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }
}

async function main() {
  const { values } = commandLine('bench:startup', usage, {
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50)
    return usageError(
      'bench:startup',
      usage,
      `--runs must be a whole number from 1 to 50, got "${values.runs}"`,
    );
  const kinds = pickNames(KINDS, values.only, usage, 'kind');

  const root = mkdtempSync(join(tmpdir(), 'eenplan-startup-'));
  try {
    const used = join(root, 'used');
    if (kinds.includes('used') || kinds.includes('direct')) {
      process.stderr.write('setting up the used DATA_DIR (one start, not counted)\n');
      await timeOneStart('used', used);
    }
    const results: { kind: Kind; runs: Run[] }[] = [];
    for (const kind of kinds) {
      const times: Run[] = [];
      for (let i = 0; i < runs; i++) {
        const dataDir = kind === 'fresh' ? join(root, `fresh-${i}`) : used;
        const run = await timeOneStart(kind, dataDir);
        process.stderr.write(
          `${kind} #${i + 1}: ${run.seconds.toFixed(2)} s (load ${run.load.toFixed(2)})\n`,
        );
        times.push(run);
      }
      results.push({ kind, runs: times });
    }
    process.stdout.write(
      `start to ready on ${process.env.EMBEDDED_DB || 'the embedded default (PostgreSQL)'}, ${runs} run(s) each, ${process.version}, ${availableParallelism()} cores; CPU: npm, the build check and the API (initdb included), not the postmaster, which runs in its own session\n`,
    );
    for (const { kind, runs: times } of results) {
      const median = (values: number[]) => percentile(ascending(values), 50).toFixed(2);
      const seconds = percentile(ascending(times.map((t) => t.seconds)), 50);
      process.stdout.write(
        `${kind.padEnd(7)} median ${median(times.map((t) => t.seconds))} s (target < ${TARGET_SECONDS[kind]} s: ${seconds < TARGET_SECONDS[kind] ? 'pass' : 'MISS'}), ${median(times.map((t) => t.cpuSeconds))} s CPU  (${times
          .map((t) => `${t.seconds.toFixed(2)} s at load ${t.load.toFixed(1)}`)
          .join(', ')})\n`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:startup failed: ${(e as Error).message}\n`);
  process.exit(1);
});
