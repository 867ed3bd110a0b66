/**
 * Retention (issue 18): a household whose plan closed longer ago than RETENTION_HOUSEHOLD_CLOSED is
 * erased by the sweep, as the system, with a dry run first; a reopened household is kept; every run
 * is in the auditors' report. On PGlite and PostgreSQL, with the injected clock.
 */
import { addDays, dateInNl, householdStream } from '@eenplan/domain';
import type { SealedEventStore } from '@eenplan/security';
import { RetentionSweep } from '@eenplan/runtime';
import { SEALED_EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestClock, type TestApp } from '../support/app';
import {
  admin,
  auditor,
  CHILD,
  expectProblem,
  getHousehold,
  PARENT,
  person,
  seedHousehold,
  seedTeam,
  type SeededTeam,
} from './fixtures';

const DAY = 86_400_000;

let t: TestApp;
let team: SeededTeam;

beforeAll(async () => {
  t = await startTestApp({}, { clock: new TestClock('2026-01-05T09:00:00.000Z') });
  team = await seedTeam(t);
});
afterAll(async () => {
  await t?.close();
});

const sweep = (dryRun: unknown, who = admin(t)) =>
  t.http().post('/v1/retention/sweep').set(who.as).send({ dryRun });
const runs = async (query = '', who = auditor(t)) =>
  (await t.http().get(`/v1/retention/runs${query}`).set(who.as).expect(200)).body as {
    runs: { runId: string; dryRun: boolean; erased: number; kinds: { householdIds: string[] }[] }[];
    next: string | null;
  };
const erasure = async (id: string) =>
  (await t.http().get(`/v1/households/${id}/erasure`).set(auditor(t).as).expect(200)).body as {
    status: string;
    ground: string | null;
  };
const close = (id: string) =>
  t
    .http()
    .post(`/v1/households/${id}/close`)
    .set(team.workers[0]!.as)
    .send({ outcome: 'Afgerond' })
    .expect(200);

/** Moves the clock to `date` (YYYY-MM-DD) at 09:00 UTC: 10:00 or 11:00 in the Netherlands. */
const clockTo = (date: string) =>
  t.clock.advance(Date.parse(`${date}T09:00:00.000Z`) - t.clock.peek().getTime());

test('the policy: the periods in force, their settings and legal sources', async () => {
  const res = await t.http().get('/v1/retention/policy').set(auditor(t).as).expect(200);
  expect(res.body.kinds).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        kind: 'household-closed',
        period: 'P20Y',
        defaultPeriod: 'P20Y',
        setting: 'RETENTION_HOUSEHOLD_CLOSED',
        enforced: true,
        source: expect.stringMatching(/Jeugdwet art\. 7\.3\.8/),
      }),
      expect.objectContaining({ kind: 'member-left', setting: 'RETENTION_MEMBER_LEFT', enforced: true }),
    ]),
  );
  expect(res.body.sweepEveryMs).toBe(DAY);
});

test('closed 20 years ago minus a day is kept; on the day a dry run lists it and changes nothing; the real run erases it; a reopened plan is kept', async () => {
  const closedOnce = await seedHousehold(t, team);
  const reopened = await seedHousehold(t, team);
  const stillOpen = await seedHousehold(t, team);
  await close(closedOnce);
  await close(reopened);
  const closedOn = dateInNl(t.clock.peek().toISOString());
  expect(closedOn).toBe('2026-01-05');
  await t
    .http()
    .post(`/v1/households/${reopened}/reopen`)
    .set(team.workers[0]!.as)
    .send({ reason: 'Nieuwe zorgen' })
    .expect(200);
  const before = (await runs()).runs.length;

  clockTo('2046-01-04');
  const dayBefore = (await sweep(true).expect(200)).body;
  expect(dayBefore).toMatchObject({ dryRun: true, erased: 0, today: '2046-01-04', requestedBy: 'admin-1' });
  expect(dayBefore.kinds[0].householdIds).toEqual([]);

  clockTo('2046-01-05');
  const dry = (await sweep(true).expect(200)).body;
  expect(dry).toMatchObject({ dryRun: true, erased: 1, today: '2046-01-05' });
  expect(dry.kinds).toEqual([
    { kind: 'household-closed', period: 'P20Y', householdIds: [closedOnce], skipped: [] },
    { kind: 'member-left', period: 'P20Y', householdIds: [], skipped: [] },
  ]);
  // Nothing changed: the names still read, the key is there.
  expect(JSON.stringify((await getHousehold(t, closedOnce, team.workers[0]!)).body)).toContain(
    'Sanne Jansen',
  );
  expect((await erasure(closedOnce)).status).toBe('not-erased');

  const real = (await sweep(false).expect(200)).body;
  expect(real).toMatchObject({ dryRun: false, erased: 1 });
  expect(real.kinds[0].householdIds).toEqual([closedOnce]);
  // Erased by crypto-shredding: the key store has the tombstone, the ground is a reference.
  expect(await erasure(closedOnce)).toMatchObject({
    status: 'complete',
    ground: expect.stringMatching(/^bewaartermijn P20Y na afsluiting plan, jeugdwet art\. 7\.3\.8, run /),
  });
  const keys = t.app.get<SealedEventStore>(SEALED_EVENT_STORE).keys;
  expect(await keys.state(householdStream(closedOnce))).toBe('erased');
  expect(await keys.state(householdStream(reopened))).toBe('active');
  const view = JSON.stringify((await getHousehold(t, closedOnce, team.workers[0]!)).body);
  expect(view).not.toContain('Sanne Jansen');
  expect(view).not.toContain('Daan Jansen');
  // The erasure's actor is the system, its correlation the run.
  const trail = (
    await t.http().get(`/v1/audit/households/${closedOnce}/events`).set(auditor(t).as).expect(200)
  ).body.events as { type: string; actor: { kind: string; id: string }; correlationId: string }[];
  expect(trail[trail.length - 1]).toMatchObject({
    type: 'HouseholdDataErased',
    actor: { kind: 'system', id: 'retention-sweep' },
    correlationId: real.runId,
  });
  const verified = await t.http().get(`/v1/audit/verify?householdId=${closedOnce}`).set(auditor(t).as);
  expect(verified.body).toMatchObject({ ok: true, broken: [] });
  // The reopened household and the open one are kept.
  for (const kept of [reopened, stillOpen]) {
    expect((await erasure(kept)).status).toBe('not-erased');
    expect(JSON.stringify((await getHousehold(t, kept, team.workers[0]!)).body)).toContain('Sanne Jansen');
  }

  // A second real run finds nothing left.
  expect((await sweep(false).expect(200)).body).toMatchObject({ erased: 0 });

  // The report: every run, dry or real, newest first, ids only; an admin reads it too.
  const report = await runs();
  expect(report.runs.length).toBe(before + 4);
  expect(report.runs.slice(0, 4).map((r) => [r.dryRun, r.erased])).toEqual([
    [false, 0],
    [false, 1],
    [true, 1],
    [true, 0],
  ]);
  for (const [run, runId] of [
    [report.runs[1]!, real.runId],
    [report.runs[2]!, dry.runId],
  ] as const)
    expect(run).toMatchObject({
      runId,
      kinds: [{ householdIds: [closedOnce] }, { kind: 'member-left', householdIds: [] }],
    });
  expect(JSON.stringify(report)).not.toContain('Jansen');
  await t.http().get('/v1/retention/runs').set(admin(t).as).expect(200);

  // Paged: one at a time, newest first, to the end.
  const first = await runs('?limit=1');
  expect(first.runs).toHaveLength(1);
  expect(first.runs[0]!.runId).toBe(report.runs[0]!.runId);
  const second = await runs(`?limit=1&cursor=${first.next}`);
  expect(second.runs[0]!.runId).toBe(report.runs[1]!.runId);

  // Closed again after the reopen: its period starts anew from this closure.
  await close(reopened);
  expect((await sweep(true).expect(200)).body.kinds[0].householdIds).toEqual([]);
});

test("a member who left 20 years ago is erased on their own (their key, not the household's), and the household goes on", async () => {
  const id = await seedHousehold(t, team);
  const leftOn = dateInNl(t.clock.peek().toISOString());
  await t
    .http()
    .post(`/v1/households/${id}/members/${PARENT}/leave`)
    .set(team.workers[0]!.as)
    .send({ reason: 'moved-out', on: leftOn })
    .expect(200);
  const due = `${Number(leftOn.slice(0, 4)) + 20}${leftOn.slice(4)}`;
  clockTo(addDays(due, -1));
  const dayBefore = (await sweep(true).expect(200)).body;
  expect(dayBefore.kinds.find((k: { kind: string }) => k.kind === 'member-left')).toEqual({
    kind: 'member-left',
    period: 'P20Y',
    householdIds: [],
    skipped: [],
  });

  clockTo(due);
  const real = (await sweep(false).expect(200)).body;
  expect(real.kinds.find((k: { kind: string }) => k.kind === 'member-left')).toEqual({
    kind: 'member-left',
    period: 'P20Y',
    householdIds: [id],
    memberIds: [`${id}/${PARENT}`],
    skipped: [],
  });
  const sealed = t.app.get<SealedEventStore>(SEALED_EVENT_STORE);
  expect(await sealed.keys.state(householdStream(id))).toBe('active');
  expect(await sealed.personKeyState(householdStream(id), PARENT)).toBe('erased');
  const status = await t
    .http()
    .get(`/v1/households/${id}/members/${PARENT}/erasure`)
    .set(auditor(t).as)
    .expect(200);
  expect(status.body).toMatchObject({
    status: 'complete',
    ground: expect.stringMatching(
      /^bewaartermijn P20Y na vertrek uit het huishouden, jeugdwet art\. 7\.3\.8, run /,
    ),
  });
  const view = (await getHousehold(t, id, team.workers[0]!)).body;
  expect(view.members.find((m: { memberId: string }) => m.memberId === PARENT)).toMatchObject({
    name: null,
    dataErasedAt: expect.any(String),
  });
  expect(view.members.find((m: { memberId: string }) => m.memberId === CHILD)).toMatchObject({
    name: 'Daan Jansen',
  });
  // The household goes on, and the next run finds the member erased already.
  await t
    .http()
    .post(`/v1/households/${id}/goals`)
    .set(team.workers[0]!.as)
    .send({ lifeDomain: 'housing', description: 'Een eigen woning' })
    .expect(201);
  const again = (await sweep(false).expect(200)).body;
  expect(again.kinds.find((k: { kind: string }) => k.kind === 'member-left').householdIds).toEqual([]);
});

test('the timer runs it when the last timed run is a day ago, not before', async () => {
  const sweeper = t.app.get(RetentionSweep);
  const first = await sweeper.runIfDue();
  expect(first).toMatchObject({ dryRun: false, requestedBy: 'timer' });
  expect(await sweeper.runIfDue()).toBeNull();
  t.clock.advance(DAY);
  expect(await sweeper.runIfDue()).toMatchObject({ requestedBy: 'timer' });
});

describe('refusals change nothing', () => {
  test.each([[undefined], ['yes'], [1], [null]])('dryRun %j: 400', async (dryRun) => {
    const before = (await runs()).runs.length;
    const res = await sweep(dryRun);
    expectProblem(res, 400, 'ValidationFailed');
    expect((await runs()).runs.length).toBe(before);
  });

  test('a cursor that is not one of this list: 400', async () => {
    const res = await t.http().get('/v1/retention/runs?cursor=bm9wZQ').set(auditor(t).as);
    expectProblem(res, 400, 'InvalidCursor');
    expectProblem(await t.http().get('/v1/retention/runs?limit=0').set(auditor(t).as), 400, 'InvalidLimit');
  });

  test('only an administrator sweeps; auditors and admins read; workers neither', async () => {
    const before = (await runs()).runs.length;
    const worker = team.workers[0]!;
    expectProblem(await sweep(true, auditor(t)), 403, 'Forbidden');
    expectProblem(await sweep(false, worker), 403, 'Forbidden');
    expectProblem(await sweep(false, person(t, 'integrator-1', ['integrator'])), 403, 'Forbidden');
    expectProblem(await t.http().get('/v1/retention/runs').set(worker.as), 403, 'Forbidden');
    expectProblem(await t.http().get('/v1/retention/policy').set(worker.as), 403, 'Forbidden');
    expect((await runs()).runs.length).toBe(before);
  });
});
