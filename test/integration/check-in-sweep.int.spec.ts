import { addDays, dateInNl, householdStream } from '@eenplan/domain';
import { createSql, PostgresEventStore } from '@eenplan/event-store';
import { OverdueCheckInsQueries } from '@eenplan/projections';
import { CheckInSweep } from '@eenplan/runtime';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, TestDatabase } from '../support/postgres';
import { startTestApp, TestApp, TestClock } from '../support/app';
import { admin, seedHousehold, seedTeam } from '../e2e/fixtures';

const DAY = 86_400_000;

/**
 * Invariant 16 across processes: two API instances on one PostgreSQL database (each with its own
 * pool and projection runner) and a third sweeper as the worker would run it, all sweeping the
 * same overdue households at the same time. Each missed due date is recorded exactly once.
 */
describeWithInfra('the overdue check-in sweep in several processes at once', postgresInfra, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestApp({ databaseUrl: database.url, checkInSweepMs: 0 }, { clock });
    b = await startTestApp({ databaseUrl: database.url, checkInSweepMs: 0 }, { clock });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('records one CheckInOverdue per missed due date, whoever sweeps', async () => {
    const team = await seedTeam(a, { workers: 1 });
    const worker = team.workers[0]!;
    const households: string[] = [];
    for (let i = 0; i < 6; i++) {
      const householdId = await seedHousehold(i % 2 ? a : b, team);
      await (i % 2 ? b : a)
        .http()
        .post(`/v1/households/${householdId}/check-ins/cadence`)
        .set(worker.as)
        .send({ everyWeeks: 1, startsOn: dateInNl(clock.peek().toISOString()) })
        .expect(201);
      households.push(householdId);
    }
    clock.advance(22 * DAY); // due dates on day 0, 7, 14 and 21 have passed
    const today = dateInNl(clock.peek().toISOString());

    // The worker process's sweeper: its own pool on the same database.
    const sql = await createSql({ databaseUrl: database.url });
    const store = new PostgresEventStore(sql);
    const workerSweep = new CheckInSweep(store, new OverdueCheckInsQueries(sql), clock);
    try {
      // Let the read model see every cadence first, as the sweep endpoint does.
      await a.http().get(`/v1/teams/${team.teamId}/check-ins/overdue`).set(worker.as).expect(200);
      const results = await Promise.all([
        a.http().post('/v1/check-ins/sweep').set(admin(a).as).send(),
        b.http().post('/v1/check-ins/sweep').set(admin(b).as).send(),
        workerSweep.run(),
        a.http().post('/v1/check-ins/sweep').set(admin(a).as).send(),
      ]);
      const announced = results.reduce(
        (n, r) => n + ('status' in r ? (r.body as { announced: number }).announced : r.announced),
        0,
      );

      for (const householdId of households) {
        const dueDates = (await store.readStream(householdStream(householdId)))
          .filter((e) => e.type === 'CheckInOverdue')
          .map((e) => e.data.dueOn as string);
        const startsOn = addDays(today, -22);
        expect(dueDates).toEqual([0, 7, 14, 21].map((d) => addDays(startsOn, d)));
      }
      // What the sweeps say they recorded is what was recorded: nothing twice.
      expect(announced).toBe(households.length * 4);
    } finally {
      await store.close();
      await sql.close();
    }
  });
});
