/**
 * What the access log costs per batch on PostgreSQL: wall time until a batch is stored, this
 * process's CPU per entry (the driver and the chain's HMACs) and round trips per batch, for one
 * writer and for two writers (two pools, as two API processes) extending the one chain at once.
 *
 *   npm run -s build && node dist/tools/bench/access-log-cost.js [--batches 1000]
 *
 * ACCESS_LOG_MODULE=<path of a compiled access-log.js> measures another version of the class (e.g.
 * the previous release's, compiled from git) with the same load, for a before/after comparison.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql, migrate, type Migration, type Sql } from '@eenplan/event-store';
import * as current from '@eenplan/security';
import { DirectoryKeyStore } from '@eenplan/security';
import { CountingSql } from './counting-sql';
import { createBenchDatabase } from './postgres';
import { distribution, ms, num, now, sleep } from './stats';

interface Log {
  record(entry: current.AccessRecord): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
interface LogModule {
  readonly accessLogMigrations: readonly Migration[];
  readonly AccessLog: new (...args: never[]) => Log;
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const main = async () => {
  const batches = arg('batches', 1000);
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const module = (
    process.env.ACCESS_LOG_MODULE ? await import(process.env.ACCESS_LOG_MODULE) : current
  ) as LogModule;
  // The previous release's class took (sql, options); this one takes (sql, mac, options).
  const chained = module.AccessLog.length >= 2;
  const keyDir = mkdtempSync(join(tmpdir(), 'eenplan-access-log-cost-'));
  const keys = await DirectoryKeyStore.open({ dir: keyDir });
  const make = (sql: Sql): Log =>
    chained
      ? new (module.AccessLog as unknown as new (s: Sql, m: current.AccessLogMac) => Log)(sql, (d) =>
          keys.mac('access-log', d),
        )
      : new (module.AccessLog as unknown as new (s: Sql) => Log)(sql);

  const db = await createBenchDatabase(serverUrl, 'accesslog', false);
  const pools = [await createSql({ databaseUrl: db.url }), await createSql({ databaseUrl: db.url })];
  try {
    await migrate(pools[0]!, module.accessLogMigrations);
    let n = 0;
    const entry = (): current.AccessRecord => ({
      at: new Date().toISOString(),
      actorId: `w-${n % 50}`,
      actorVerified: true,
      actorRoles: ['worker'],
      onBehalfOf: null,
      householdId: `h-${n++ % 1000}`,
      action: 'GET /v1/households/:id',
      outcome: 200,
      purpose: 'care',
      correlationId: `c-${n}`,
    });
    const rows: string[][] = [];
    /** `everyMs`: a batch at most that often per writer, as an API process's flushMs paces it. */
    const scenario = async (label: string, writers: number, perBatch: number, everyMs = 0) => {
      const counted = pools.slice(0, writers).map((p) => new CountingSql(p));
      const logs = counted.map(make);
      // Warm up: prepared statements, the head, the keys.
      for (const log of logs) {
        await Promise.all([log.record(entry()), log.record(entry())]);
      }
      for (const c of counted) c.reset();
      const times: number[] = [];
      const cpu = process.cpuUsage();
      const started = now();
      await Promise.all(
        logs.map(async (log) => {
          for (let b = 0; b < batches; b++) {
            const t0 = now();
            const stored = Array.from({ length: perBatch }, () => log.record(entry()));
            await log.flush();
            await Promise.all(stored);
            times.push(now() - t0);
            if (everyMs) await sleep(Math.max(0, everyMs - (now() - t0)));
          }
        }),
      );
      const wall = now() - started;
      const used = process.cpuUsage(cpu);
      const entries = writers * batches * perBatch;
      const d = distribution(times);
      const trips = counted.reduce((s, c) => s + c.roundTrips, 0) / (writers * batches);
      rows.push([
        label,
        String(writers),
        String(perBatch),
        ms(d.p50),
        ms(d.p99),
        `${num(((used.user + used.system) / entries) * 1)} us`,
        num(trips),
        num(entries / (wall / 1000)),
      ]);
      for (const log of logs) await log.close();
    };
    await scenario('1 writer, 1 entry', 1, 1);
    await scenario('1 writer, 10 entries', 1, 10);
    await scenario('1 writer, 100 entries', 1, 100);
    await scenario('2 writers, 10 entries', 2, 10);
    await scenario('2 writers, 10 per 10 ms', 2, 10, 10);
    const header = [
      'scenario',
      'writers',
      'entries/batch',
      'batch p50',
      'batch p99',
      'CPU/entry',
      'round trips/batch',
      'entries/s',
    ];
    process.stdout.write(
      `${chained ? 'chained (this version)' : 'unchained (given module)'}, ${batches} batches per writer\n`,
    );
    for (const r of [header, ...rows])
      process.stdout.write(`${r.map((c, i) => c.padEnd(i === 0 ? 24 : 14)).join('')}\n`);
  } finally {
    for (const p of pools) await p.close();
    await db.drop();
    await keys.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
};

main().catch((e) => {
  process.stderr.write(`access-log-cost: ${(e as Error).stack}\n`);
  process.exit(1);
});
