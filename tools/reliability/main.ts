/**
 * Reliability figures (`npm run reliability`, issue 8): concurrency on one household, SIGKILL of
 * the api and worker processes, PostgreSQL and Kafka outages, and fuzzing of every endpoint. Each
 * line runs the same function its test in test/reliability/ runs, here at the issue's full size.
 * Prints a table and writes everything measured to bench/results/reliability-<timestamp>.json.
 *
 *   npm run reliability
 *   npm run reliability -- --only=concurrency,fuzz --seed=42
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../bench/api-process';
import { envNumber, pickNames } from '../bench/cli';
import { commandLine } from '../../scripts/cli';
import { createBenchDatabase, type BenchDatabase } from '../bench/postgres';
import { table, type Line } from '../bench/report';
import { runConcurrency } from './concurrency';
import { runCrash } from './crash';
import { runFuzzOnBuiltApi } from './fuzz';
import { runOutageKafka } from './outage-kafka';
import { runOutagePostgres } from './outage-postgres';

const LINES = ['concurrency', 'crash', 'outage-postgres', 'outage-kafka', 'fuzz'] as const;
type LineName = (typeof LINES)[number];

const usage = `usage: npm run reliability -- [--only=${LINES.join(',')}] [--seed=N] [--keep-db]
environment: DATABASE_URL (server to create the databases on, default
  postgres://postgres@127.0.0.1:5432/postgres), KAFKA_BROKERS (crash line; default 127.0.0.1:9092,
  which this script starts from infra/kafka when nothing answers there and stops afterwards).
RELIABILITY_FUZZ_REQUESTS (fuzz line, default 100000).
The outage lines start private PostgreSQL and Kafka instances of their own on other ports.`;

const answers = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(2000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** The shared broker for the crash line: KAFKA_BROKERS, or infra/kafka's, started here when down. */
async function kafkaForCrash(log: (line: string) => void): Promise<{ brokers: string[]; stop: () => void }> {
  if (process.env.KAFKA_BROKERS)
    return { brokers: process.env.KAFKA_BROKERS.split(','), stop: () => undefined };
  if (await answers('127.0.0.1', 9092)) return { brokers: ['127.0.0.1:9092'], stop: () => undefined };
  log('  no broker at 127.0.0.1:9092: fetching and starting infra/kafka (stopped again at the end)');
  for (const script of ['fetch.sh', 'start.sh']) {
    const run = spawnSync('bash', [join(repoRoot, 'infra', 'kafka', script)], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`infra/kafka/${script} failed (exit ${run.status})`);
  }
  return {
    brokers: ['127.0.0.1:9092'],
    stop: () => void spawnSync('bash', [join(repoRoot, 'infra', 'kafka', 'stop.sh')], { stdio: 'inherit' }),
  };
}

const parseOptions = () => {
  const { values } = commandLine('reliability', usage, {
    options: {
      only: { type: 'string' },
      seed: { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const only = pickNames(LINES, values.only, usage, 'line(s)');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    process.stderr.write(`${usage}\n--seed must be an integer, got "${values.seed}"\n`);
    process.exit(2);
  }
  return {
    lines: new Set(only),
    seed,
    keepDb: values['keep-db'] === true,
    // Read before any line runs: a wrong value must not leave a half-made run (or database) behind.
    fuzzRequests: envNumber('RELIABILITY_FUZZ_REQUESTS', 100_000, usage, { min: 1, integer: true }),
  };
};

async function main(): Promise<void> {
  const options = parseOptions();
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const started = new Date();
  const lines: Line[] = [];
  const details: Record<string, unknown> = {};

  /**
   * Runs one line, on a fresh database of the server unless it brings its own servers (the outage
   * lines stop theirs). A line that throws is reported as failed; the rest still run.
   */
  const step = async (
    name: LineName,
    work: (db: BenchDatabase | undefined) => Promise<{ lines: Line[] }>,
    ownServers = false,
  ) => {
    if (!options.lines.has(name)) return;
    log(`\n== ${name}`);
    const db = ownServers
      ? undefined
      : await createBenchDatabase(serverUrl, `rel_${name.replace(/-/g, '_')}`, options.keepDb);
    const t0 = Date.now();
    try {
      const result = await work(db);
      lines.push(...result.lines);
      details[name] = { ...result, seconds: (Date.now() - t0) / 1000 };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  ${name} FAILED: ${message}`);
      lines.push({ id: name, figure: name, measured: 'error', target: '-', result: 'failed', note: message });
      details[name] = { error: message };
    } finally {
      await db?.drop();
    }
  };

  await step('concurrency', (db) =>
    runConcurrency({ databaseUrl: db!.url, clients: 32, durationMs: 10_000, seed: options.seed, log }),
  );
  await step('crash', async (db) => {
    const kafka = await kafkaForCrash(log);
    try {
      return await runCrash({
        cycles: 20,
        databaseUrl: db!.url,
        kafkaBrokers: kafka.brokers,
        durationPerCycleMs: 3000,
        clients: 8,
        seed: options.seed,
        log,
      });
    } finally {
      kafka.stop();
    }
  });
  await step('outage-postgres', () => runOutagePostgres({ clients: 8, outageMs: 5_000, log }), true);
  await step('outage-kafka', () => runOutageKafka({ outageMs: 60_000, log }), true);
  await step('fuzz', (db) =>
    runFuzzOnBuiltApi({
      requests: options.fuzzRequests,
      databaseUrl: db!.url,
      seed: options.seed,
      log,
    }),
  );

  log(`\n${table(lines)}`);
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `reliability-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        started: started.toISOString(),
        machine: { cores: cpus().length, loadavg: loadavg() },
        lines,
        details,
      },
      null,
      2,
    ),
  );
  log(`\nresults: ${file}`);
  if (lines.some((l) => l.result === 'failed' || l.result === 'miss')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
