import { householdStream } from '@eenplan/domain';
import { createSql } from '@eenplan/event-store';
import { ErasuresQueries } from '@eenplan/projections';
import { createEventStore, householdClosedRule, RetentionRuns, RetentionSweep } from '@eenplan/runtime';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, TestDatabase } from '../support/postgres';
import { startTestApp, TestApp, TestClock } from '../support/app';
import { admin, auditor, seedHousehold, seedTeam } from '../e2e/fixtures';

const DAY = 86_400_000;

/**
 * The retention sweep in several processes at once: two API instances on one PostgreSQL database
 * and a third sweeper as the worker runs it, all erasing the same households past their period.
 * Each household is erased exactly once, and the runs together report each once.
 */
describeWithInfra('the retention sweep in several processes at once', postgresInfra, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestApp({ databaseUrl: database.url }, { clock });
    b = await startTestApp({ databaseUrl: database.url }, { clock });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('erases each household past its period once, whoever sweeps', async () => {
    const team = await seedTeam(a, { workers: 1 });
    const households: string[] = [];
    for (let i = 0; i < 5; i++) {
      const householdId = await seedHousehold(i % 2 ? a : b, team);
      await (i % 2 ? b : a)
        .http()
        .post(`/v1/households/${householdId}/close`)
        .set(team.workers[0]!.as)
        .send({ outcome: 'Afgerond' })
        .expect(200);
      households.push(householdId);
    }
    clock.advance((20 * 366 + 1) * DAY);

    const sql = await createSql({ databaseUrl: database.url });
    // As the worker opens it: sealed, with its own handle on the same key store.
    const store = await createEventStore(a.config, sql);
    const workerSweep = new RetentionSweep(
      store,
      [
        householdClosedRule(new ErasuresQueries(sql), { years: 20, months: 0 }, (id) =>
          store.erase(householdStream(id)),
        ),
      ],
      new RetentionRuns(sql),
      clock,
      { intervalMs: DAY },
    );
    try {
      // Let the read models see every closure first, as the sweep endpoint does.
      await a.http().get('/v1/retention/runs').set(auditor(a).as).expect(200);
      const results = await Promise.all([
        a.http().post('/v1/retention/sweep').set(admin(a).as).send({ dryRun: false }),
        b.http().post('/v1/retention/sweep').set(admin(b).as).send({ dryRun: false }),
        workerSweep.run({ dryRun: false, requestedBy: 'timer' }),
        a.http().post('/v1/retention/sweep').set(admin(a).as).send({ dryRun: false }),
      ]);
      const reported = results.flatMap((r) =>
        ('status' in r ? (r.body as { kinds: { householdIds: string[] }[] }) : r).kinds.flatMap(
          (k) => k.householdIds,
        ),
      );
      expect([...reported].sort()).toEqual([...households].sort());

      for (const householdId of households) {
        const erasures = (await store.readStream(householdStream(householdId))).filter(
          (e) => e.type === 'HouseholdDataErased',
        );
        expect(erasures).toHaveLength(1);
        expect(erasures[0]!.metadata.actor).toMatchObject({ kind: 'system', id: 'retention-sweep' });
        expect(await store.keys.state(householdStream(householdId))).toBe('erased');
      }
      const runs = (await a.http().get('/v1/retention/runs').set(auditor(a).as).expect(200)).body.runs;
      expect(runs).toHaveLength(4);
      // Whoever appended, every chain holds.
      const verified = await a.http().get('/v1/audit/verify').set(auditor(a).as).expect(200);
      expect(verified.body).toMatchObject({ ok: true });
    } finally {
      await store.close();
      await sql.close();
    }
  });
});
