import { householdStream } from '@eenplan/domain';
import { createSql, PostgresEventStore } from '@eenplan/event-store';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, TestDatabase } from '../support/postgres';
import { bearer, startTestApp, TestApp, TestClock } from '../support/app';
import { Person, seedHousehold, seedTeam, SeededTeam, uniq } from '../e2e/fixtures';

/**
 * Two API instances on one PostgreSQL database, each with its own connection pool and its own
 * projection runner (as two processes would have), racing conflicting commands. Every invariant
 * must hold afterwards: one pending transfer at a time, one winner per race, contiguous versions,
 * and a regie history without gaps or overlaps that both instances serve identically.
 */
describeWithInfra('two API instances against one database', postgresInfra, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let team: SeededTeam;

  beforeAll(async () => {
    database = await createTestDatabase();
    const clock = new TestClock();
    a = await startTestApp({ databaseUrl: database.url }, { clock });
    b = await startTestApp({ databaseUrl: database.url }, { clock });
    team = await seedTeam(a, { workers: 4 });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  const apps = () => [a, b];
  const on = (i: number) => apps()[i % 2]!;

  const request = (i: number, householdId: string, from: Person, to: Person) =>
    on(i)
      .http()
      .post(`/v1/households/${householdId}/regie/transfers`)
      .set(from.as)
      .send({ transferId: uniq('tr'), to: { kind: 'worker', id: to.id }, reason: 'Specialistische hulp' });

  it('lets exactly one of 16 concurrent transfer requests through, on either instance', async () => {
    const [w1, w2, w3, w4] = team.workers as [Person, Person, Person, Person];
    const householdId = await seedHousehold(a, team, { regieWorker: w1 });
    const receivers = [w2, w3, w4];
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) => request(i, householdId, w1, receivers[i % 3]!)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.invariant).toBe(2);
  });

  it('decides each accept-versus-cancel race once, and both instances serve the same gap-free history', async () => {
    const [w1, w2, w3] = team.workers as [Person, Person, Person, Person];
    const householdId = await seedHousehold(b, team, { regieWorker: w1 });
    const workers = [w1, w2, w3];
    let holder = w1;
    const expectedHolders = [w1.id];
    for (let round = 0; round < 12; round++) {
      const receiver = workers.find((w) => w !== holder && (round % 2 === 0 ? w === w2 || w === w3 : true))!;
      const requested = await request(round, householdId, holder, receiver);
      expect(requested.status).toBe(201);
      const transferId = requested.body.transferId as string;
      const path = `/v1/households/${householdId}/regie/transfers/${transferId}`;
      // The receiver accepts on one instance while the giver cancels on the other, at the same time.
      const [accepted, cancelled] = await Promise.all([
        on(round).http().post(`${path}/accept`).set(receiver.as),
        on(round + 1)
          .http()
          .post(`${path}/cancel`)
          .set(holder.as)
          .send({ reason: 'Toch niet' }),
      ]);
      const outcomes = [accepted.status, cancelled.status].sort();
      expect(outcomes).toEqual([200, 409]);
      if (accepted.status === 200) {
        holder = receiver;
        expectedHolders.push(receiver.id);
      }
    }

    const histories = await Promise.all(
      apps().map((t) => t.http().get(`/v1/households/${householdId}/regie/history`).set(w1.as).expect(200)),
    );
    expect(histories[0]!.body).toEqual(histories[1]!.body);
    const intervals = histories[0]!.body.intervals as {
      holder: { id: string };
      from: string;
      to: string | null;
    }[];
    expect(intervals.map((i) => i.holder.id)).toEqual(expectedHolders);
    intervals.forEach((interval, i) => {
      const next = intervals[i + 1];
      if (next) expect(interval.to).toBe(next.from);
      else expect(interval.to).toBeNull();
    });

    // The stream itself: versions 1..n without a gap, exactly one accept or cancel per request.
    const sql = await createSql({ databaseUrl: database.url });
    const store = new PostgresEventStore(sql);
    try {
      const events = await store.readStream(householdStream(householdId));
      expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
      const count = (type: string) => events.filter((e) => e.type === type).length;
      expect(count('RegieTransferRequested')).toBe(12);
      expect(count('RegieTransferAccepted') + count('RegieTransferCancelled')).toBe(12);
      expect(count('RegieTransferAccepted')).toBe(expectedHolders.length - 1);
    } finally {
      await store.close();
      await sql.close();
    }
  });

  it('registers a household id once when both instances are asked at the same moment', async () => {
    const householdId = uniq('hh-race');
    const body = {
      householdId,
      teamId: team.teamId,
      district: team.district,
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1980, name: 'Eva de Boer' }],
    };
    const responses = await Promise.all(
      apps().map((t) => t.http().post('/v1/households').set(team.workers[0]!.as).send(body)),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('a worker deactivated on one instance is refused by the other within a second (issue 16)', async () => {
    const leaving = uniq('w-leaving');
    await a
      .http()
      .post(`/v1/teams/${team.teamId}/workers`)
      .set(team.lead.as)
      .send({ workerId: leaving, name: 'Vertrekt', role: 'generalist', hoursPerWeek: 8 })
      .expect(201);
    const householdId = await seedHousehold(a, team);
    const as = bearer(b.token(leaving, ['worker'], [team.teamId]));
    // Instance b knows the worker as active: what it remembers must not outlive the deactivation.
    await b.http().get(`/v1/households/${householdId}`).set(as).expect(200);
    await a
      .http()
      .post(`/v1/teams/${team.teamId}/workers/${leaving}/deactivate`)
      .set(team.lead.as)
      .expect(200);
    const deactivatedAt = Date.now();
    let res = await b.http().get(`/v1/households/${householdId}`).set(as);
    while (res.status === 200 && Date.now() - deactivatedAt < 3000) {
      await new Promise((r) => setTimeout(r, 50));
      res = await b.http().get(`/v1/households/${householdId}`).set(as);
    }
    const refusedAfterMs = Date.now() - deactivatedAt;
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'WorkerDeactivated' });
    // 1 s of remembering, plus the poll's own step and a request's time on a busy machine.
    expect(refusedAfterMs).toBeLessThan(1500);
  });
});
