/**
 * Check-ins over HTTP (invariant 16): cadences, contacts, the overdue read model for a team and a
 * household, CheckInOverdue recorded once per missed due date by the sweep, and the caseload's view.
 * Time is the TestClock's: the sweep's timer is off (CHECK_IN_SWEEP_MS=0), tests trigger it.
 */
import { addDays, dateInNl, householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import {
  admin,
  etagOf,
  expectProblem,
  person,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
} from './fixtures';

const DAY = 86_400_000;
let t: TestApp;
let team: SeededTeam;
let other: SeededTeam;
let worker: Person;
beforeAll(async () => {
  t = await startTestApp({ checkInSweepMs: 0 });
  team = await seedTeam(t, { workers: 1 });
  other = await seedTeam(t, { workers: 1 });
  worker = team.workers[0]!;
});
afterAll(async () => {
  await t?.close();
});

const today = () => dateInNl(t.clock.peek().toISOString());
const post = (path: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().post(path).set(who.as).send(body);
const schedule = (householdId: string, body: Record<string, unknown>, who?: Person) =>
  post(`/v1/households/${householdId}/check-ins/cadence`, body, who);
const contact = (householdId: string, body: Record<string, unknown> = {}, who?: Person) =>
  post(`/v1/households/${householdId}/check-ins/contacts`, body, who);
const sweep = () => t.http().post('/v1/check-ins/sweep').set(admin(t).as).send();
const teamOverdue = (who: Person = worker, teamId = team.teamId) =>
  t.http().get(`/v1/teams/${teamId}/check-ins/overdue`).set(who.as);
const status = (householdId: string, who: Person = worker) =>
  t.http().get(`/v1/households/${householdId}/check-ins`).set(who.as);
const overdueEvents = async (householdId: string) => {
  const store = t.app.get<EventStore>(EVENT_STORE);
  return (await store.readStream(householdStream(householdId))).filter((e) => e.type === 'CheckInOverdue');
};

describe('POST /v1/households/:id/check-ins/cadence and /contacts', () => {
  it('schedules a cadence; a contact on the due date moves the next due date N weeks on', async () => {
    const householdId = await seedHousehold(t, team);
    const startsOn = today();

    const res = await schedule(householdId, { cadenceId: 'c-1', everyWeeks: 3, startsOn });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      householdId,
      cadenceId: 'c-1',
      everyWeeks: 3,
      nextDueOn: startsOn,
      version: 2,
    });
    const contacted = await contact(householdId, { contactId: 'k-1', notes: 'Gebeld, gaat goed' });
    expect(contacted.status).toBe(201);
    expect(contacted.body).toMatchObject({ contactId: 'k-1', nextDueOn: addDays(startsOn, 21) });
    const got = await status(householdId).expect(200);
    expect(got.body).toMatchObject({
      householdId,
      cadence: { cadenceId: 'c-1', everyWeeks: 3, startsOn },
      nextDueOn: addDays(startsOn, 21),
      lastContactOn: startsOn,
      overdue: null,
    });
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const householdId = await seedHousehold(t, team);
    const before = await etagOf(t, householdId, worker);
    for (const [body, field] of [
      [{ everyWeeks: 0 }, 'everyWeeks'],
      [{ everyWeeks: 53 }, 'everyWeeks'],
      [{ everyWeeks: 'two' }, 'everyWeeks'],
      [{ everyWeeks: 2, startsOn: '2026-02-30' }, 'startsOn'],
      [{ everyWeeks: 2, startsOn: '2020-01-01' }, 'startsOn'],
      [{ everyWeeks: 2, cadenceId: 'no spaces' }, 'cadenceId'],
      [{ everyWeeks: 2, often: true }, 'often'],
    ] as const) {
      const problem = expectProblem(
        await schedule(householdId, body),
        400,
        expect.any(String) as unknown as string,
      );
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    await schedule(householdId, { everyWeeks: 2 }).expect(201);
    expectProblem(await contact(householdId, { contactOn: addDays(today(), 1) }), 400, 'ContactInFuture');
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
    expect(before).toBe('"1"');
  });

  it('refuses a contact or an end without a cadence: 409 naming invariant 16', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(await contact(householdId), 409, 'NoCheckInCadence', 16);
    expectProblem(
      await post(`/v1/households/${householdId}/check-ins/cadence/end`, { reason: 'klaar' }),
      409,
      'NoCheckInCadence',
      16,
    );
  });

  it('scoping: another team gets 404, an unknown household 404, an integrator 403', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(await schedule(householdId, { everyWeeks: 2 }, other.workers[0]), 404, 'HouseholdNotFound');
    expectProblem(await status(householdId, other.workers[0]!), 404, 'HouseholdNotFound');
    expectProblem(await teamOverdue(other.workers[0]!), 403, 'Forbidden');
    expectProblem(await schedule('hh-nobody', { everyWeeks: 2 }), 404, 'HouseholdNotFound');
    const integrator = person(t, 'uwv-1', ['integrator']);
    expectProblem(await schedule(householdId, { everyWeeks: 2 }, integrator), 403, 'Forbidden');
    expectProblem(await t.http().post('/v1/check-ins/sweep').set(worker.as).send(), 403, 'Forbidden');
  });

  it('ends a cadence; nothing is due afterwards', async () => {
    const householdId = await seedHousehold(t, team);
    await schedule(householdId, { everyWeeks: 1 }).expect(201);
    const res = await post(`/v1/households/${householdId}/check-ins/cadence/end`, { reason: 'Gaat goed' });
    expect(res.status).toBe(200);
    expect((await status(householdId).expect(200)).body).toMatchObject({ cadence: null, nextDueOn: null });
  });
});

describe('overdue check-ins: read model and CheckInOverdue', () => {
  it('a due date passed without a contact is overdue: in the read models at once, as an event once per missed date', async () => {
    const householdId = await seedHousehold(t, team, { regieWorker: worker });
    await schedule(householdId, { everyWeeks: 1, startsOn: today() }).expect(201);
    expect(
      (await teamOverdue().expect(200)).body.households.map((h: { householdId: string }) => h.householdId),
    ).not.toContain(householdId);

    t.clock.advance(15 * DAY); // two due dates missed, a third is today
    const overdue = (await teamOverdue().expect(200)).body;
    const row = overdue.households.find((h: { householdId: string }) => h.householdId === householdId);
    expect(row).toMatchObject({
      householdId,
      overdue: { daysOverdue: 15, missedDueDates: 3, announced: false },
    });

    const first = (await sweep().expect(200)).body;
    expect(first.announced).toBeGreaterThanOrEqual(3);
    expect((await overdueEvents(householdId)).map((e) => e.data.dueOn)).toHaveLength(3);
    // Two sweeps at once (two processes): still one event per missed due date.
    const again = await Promise.all([sweep(), sweep()]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    const events = await overdueEvents(householdId);
    expect(events.map((e) => e.data.dueOn)).toEqual([...new Set(events.map((e) => e.data.dueOn))]);
    expect(events).toHaveLength(3);
    expect(events[0]!.metadata.actor).toEqual({ kind: 'system', id: 'check-in-sweep' });

    const announced = (await status(householdId).expect(200)).body;
    expect(announced.overdue).toMatchObject({ missedDueDates: 3, announced: true });
    const caseload = (await t.http().get(`/v1/caseloads/workers/${worker.id}`).set(worker.as).expect(200))
      .body;
    expect(
      caseload.households.find((h: { householdId: string }) => h.householdId === householdId),
    ).toMatchObject({
      overdueCheckIn: { dueOn: events[0]!.data.dueOn },
    });
    expect(caseload.counts.overdueCheckIns).toBeGreaterThanOrEqual(1);

    // A contact today satisfies every due date up to today: nothing overdue any more.
    await contact(householdId).expect(201);
    expect((await status(householdId).expect(200)).body.overdue).toBeNull();
    const after = (await t.http().get(`/v1/caseloads/workers/${worker.id}`).set(worker.as).expect(200)).body;
    expect(
      after.households.find((h: { householdId: string }) => h.householdId === householdId).overdueCheckIn,
    ).toBeNull();
  });

  it('continues after the plan closes: a closed household still gets overdue check-ins', async () => {
    const householdId = await seedHousehold(t, team);
    await schedule(householdId, { everyWeeks: 2, startsOn: addDays(today(), 1) }).expect(201);
    await post(`/v1/households/${householdId}/close`, { outcome: 'Doelen bereikt' }).expect(200);

    t.clock.advance(2 * DAY);
    await sweep().expect(200);

    expect((await overdueEvents(householdId)).map((e) => e.data.dueOn)).toEqual([addDays(today(), -1)]);
    const lead = team.lead;
    const teamView = (await t.http().get(`/v1/caseloads/teams/${team.teamId}`).set(lead.as).expect(200)).body;
    expect(
      teamView.households.find((h: { householdId: string }) => h.householdId === householdId),
    ).toMatchObject({
      status: 'closed',
      overdueCheckIn: { dueOn: addDays(today(), -1) },
    });
    expect((await teamOverdue().expect(200)).body.households).toEqual(
      expect.arrayContaining([expect.objectContaining({ householdId, planStatus: 'closed' })]),
    );
  });
});
