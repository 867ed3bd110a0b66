import { existsSync } from 'node:fs';
import { apiEntry, workerEntry } from '../../tools/bench/api-process';
import { table } from '../../tools/bench/report';
import { runCrash, type CrashResult } from '../../tools/reliability/crash';
import { kafkaBrokers, kafkaInfra } from '../kafka/support';
import { describeWithInfra, type Infra } from '../support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../support/postgres';

const bothServers: Infra = {
  name: `${postgresInfra.name} and ${kafkaInfra.name}`,
  howToStart: `${postgresInfra.howToStart}; ${kafkaInfra.howToStart}`,
  probe: () => postgresInfra.probe() ?? kafkaInfra.probe(),
};

/**
 * Issue 8, Crashes: the built API and worker SIGKILLed at random moments during a load of keyed
 * commands, 20 cycles. Sizes for CI (`npm run reliability` runs the same function with longer
 * cycles and more clients): 4 clients and about 1 s of load between kills. Most of the time is
 * the 20 restarts (kill to ready 2.3-11 s, p50 3.5-5 s, measured on two cores shared with other
 * suites at load average 10, where the test took 145-170 s; hence the long timeout). The seed is
 * printed; CRASH_SEED=<seed> repeats a failing kill schedule.
 */
describeWithInfra('Crashes: api and worker killed with SIGKILL during a load', bothServers, () => {
  let database: TestDatabase;
  let result: CrashResult;
  const lines: string[] = [];

  beforeAll(async () => {
    for (const entry of [apiEntry, workerEntry])
      if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    database = await createTestDatabase();
    result = await runCrash({
      cycles: 20,
      databaseUrl: database.url,
      kafkaBrokers,
      durationPerCycleMs: 1000,
      clients: 4,
      seed: process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : undefined,
      log: (line) => lines.push(line),
    });
  }, 420_000);

  afterAll(async () => {
    // The seed and the per-cycle figures, also when the run failed.
    console.info([...lines, ...(result ? ['', table(result.lines)] : [])].join('\n'));
    await database?.drop();
  }, 60_000);

  it('ran at least 20 kill cycles, hitting both processes', () => {
    expect(result.cycles).toBeGreaterThanOrEqual(20);
    expect(result.kills.api).toBeGreaterThan(0);
    expect(result.kills.worker).toBeGreaterThan(0);
    expect(result.acknowledged).toBeGreaterThan(0);
  });

  it('lost no acknowledged command and applied none twice, after every restart and at the end', () => {
    expect(result.failedCycleChecks).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.duplicates).toBe(0);
    expect(result.gaps).toBe(0);
  });

  it('answered every retry of an unanswered command as the first answer would have been', () => {
    expect(result.refused).toEqual([]);
    expect(result.refusedRetries).toEqual([]);
  });

  it('has projections equal to a rebuild from scratch, row by row', () => {
    expect(result.projectionRows).toBeGreaterThan(0);
    expect(result.projectionMismatches).toEqual([]);
  });

  it('has every household event id on Kafka', () => {
    expect(result.kafkaExpected).toBeGreaterThan(0);
    expect(result.kafkaMissing).toBe(0);
    expect(result.kafkaUnknown).toBe(0);
  });
});
