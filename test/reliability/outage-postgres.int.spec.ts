import { existsSync } from 'node:fs';
import { apiEntry } from '../../tools/bench/api-process';
import { table } from '../../tools/bench/report';
import { runOutagePostgres } from '../../tools/reliability/outage-postgres';
import { ownPostgresUnavailable, postgresBinDir } from '../../tools/reliability/own-postgres';
import { describeWithInfra, type Infra } from '../support/infra';

const ownPostgresInfra: Infra = {
  name: `PostgreSQL 15 server binaries in ${postgresBinDir()} (a private instance is started)`,
  howToStart: 'apt-get install postgresql-15 (or set PG_BIN_DIR to its bin directory)',
  probe: ownPostgresUnavailable,
};

/**
 * Reliability line R3, PostgreSQL part (`npm run reliability` runs the same code). The built API on
 * a PostgreSQL instance of the test's own; under a keyed write load PostgreSQL is stopped cleanly
 * and then crashed (pg_ctl -m immediate), 3 s each, with 3 s of load around them. Shorter than the
 * reliability run's 5 s outages and 6 clients instead of 8, to stay under a minute in CI; the
 * outages are long enough for every client to be refused several times.
 */
describeWithInfra('reliability R3: PostgreSQL restarted during a load', ownPostgresInfra, () => {
  beforeAll(() => {
    if (!existsSync(apiEntry)) throw new Error(`${apiEntry} is missing: run npm run build first`);
  });

  test('503 problem+json while it is down, recovery without a restart, nothing lost or written twice', async () => {
    const result = await runOutagePostgres({
      clients: 6,
      outageMs: 3000,
      steadyMs: 3000,
      // Above the pool's 5 s connect timeout: one connect attempt waited out on a loaded machine is not a hang.
      answerBoundMs: 8000,
      recoveryBoundMs: 10_000,
      log: console.log,
    });
    console.log(table(result.lines));
    expect(result.acknowledged).toBeGreaterThan(50);
    // While it was down: refused, in the agreed shape, promptly, with a hint when to come back.
    expect(result.status503).toBeGreaterThan(0);
    expect(result.bad503).toBe(0);
    expect(result.retryAfter503).toBe(result.status503);
    expect(result.status500).toBe(0);
    expect(result.otherFailures).toBe(0);
    expect(result.slowAnswers).toBe(0);
    for (const outage of result.outages) {
      expect(outage.answersWhileDown).toBeGreaterThan(0);
      expect(outage.readyWhileDown.length).toBeGreaterThan(0);
      expect(outage.readyWhileDown.every((r) => r.status === 503 && r.namesStore)).toBe(true);
      expect(outage.recoveryMs).toBeLessThan(10_000);
    }
    // Afterwards: the same process serves again, and the clients' retries wrote nothing twice.
    expect(result.apiRestarted).toBe(false);
    expect(result.retried).toBeGreaterThan(0);
    expect(result.lost).toEqual([]);
    expect(result.duplicated).toEqual([]);
    expect(result.refusedAfterRetry).toEqual([]);
    expect(result.projectionsNote).toMatch(/every checkpoint at the head/);
    expect(result.projectionsResumed).toBe(true);
    expect(result.listening).toBe(true);
  }, 90_000);
});
