/**
 * Outcomes over HTTP (issue 19, docs/OUTCOMES.md): a closure with a reason code and each goal's
 * realisation (POST /v1/households/:id/close), a reopen within 12 months as recurrence, and the
 * monitoring per district, team and period at GET /v1/analysis/outcomes, for team leads and
 * auditors, with every group under 5 households left out and counted.
 */
import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import { admin, auditor, expectProblem, person, Person } from './fixtures';

let t: TestApp;
let worker: Person;
let other: Person;
let lead: Person;
const TEAM = 'team-uitkomst';
const OTHER_TEAM = 'team-elders';
const DAY = 86_400_000;
const store = () => t.app.get<EventStore>(EVENT_STORE);

let n = 0;
const register = async (district: string, goals = ['g-1']) => {
  const householdId = `uit-${++n}`;
  await t
    .http()
    .post('/v1/households')
    .set(worker.as)
    .send({
      householdId,
      teamId: TEAM,
      district,
      members: [{ memberId: 'm-1', role: 'adult', birthYear: 1970, name: 'Naam' }],
    })
    .expect(201);
  for (const goalId of goals)
    await t
      .http()
      .post(`/v1/households/${householdId}/goals`)
      .set(worker.as)
      .send({ goalId, lifeDomain: 'finances', description: 'Schulden op een rij' })
      .expect(201);
  return householdId;
};
const close = (householdId: string, body: Record<string, unknown>, who: Person = worker) =>
  t
    .http()
    .post(`/v1/households/${householdId}/close`)
    .set(who.as)
    .send({ outcome: 'Afgerond', ...body });
const get = (path: string, who: Person) => t.http().get(path).set(who.as);

const oost: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ checkInSweepMs: 0 });
  for (const [teamId, districts] of [
    [TEAM, ['oost', 'west']],
    [OTHER_TEAM, ['zuid']],
  ] as const)
    await t
      .http()
      .post('/v1/teams')
      .set(admin(t).as)
      .send({ teamId, name: `Wijkteam ${teamId}`, districts })
      .expect(201);
  for (const [teamId, workerId, role] of [
    [TEAM, 'u-lead', 'team-lead'],
    [TEAM, 'u-w', 'generalist'],
    [OTHER_TEAM, 'e-w', 'generalist'],
    [OTHER_TEAM, 'e-lead', 'team-lead'],
  ] as const)
    await t
      .http()
      .post(`/v1/teams/${teamId}/workers`)
      .set(admin(t).as)
      .send({ workerId, name: `Naam ${workerId}`, role, hoursPerWeek: 32 })
      .expect(201);
  worker = person(t, 'u-w', ['worker'], [TEAM]);
  lead = person(t, 'u-lead', ['worker', 'team-lead'], [TEAM]);
  other = person(t, 'e-w', ['worker'], [OTHER_TEAM]);

  // January 2026, oost: 5 households close (one without a code, as a client of before issue 19
  // would); west: 3 households close (a group under 5, left out).
  for (let i = 0; i < 5; i++) oost.push(await register('oost', i === 0 ? ['g-1', 'g-2'] : ['g-1']));
  await close(oost[0]!, {
    reason: 'goals-achieved',
    goals: [
      { goalId: 'g-1', realisation: 'achieved' },
      { goalId: 'g-2', realisation: 'partly-achieved' },
    ],
  }).expect(200);
  await close(oost[1]!, {
    reason: 'goals-achieved',
    goals: [{ goalId: 'g-1', realisation: 'achieved' }],
  }).expect(200);
  await close(oost[2]!, { reason: 'moved', goals: [{ goalId: 'g-1', realisation: 'dropped' }] }).expect(200);
  await close(oost[3]!, { reason: 'continues-without-help' }).expect(200);
  await close(oost[4]!, {}).expect(200);
  for (let i = 0; i < 3; i++) await close(await register('west'), { reason: 'moved' }).expect(200);
  // February: one of oost's households is back: a recurrence of its January closure.
  t.clock.advance(30 * DAY);
  await t
    .http()
    .post(`/v1/households/${oost[3]}/reopen`)
    .set(worker.as)
    .send({ reason: 'Nieuwe schulden' })
    .expect(200);
  // February, west: 5 households close, a second group shown (the paging test reads both).
  for (let i = 0; i < 5; i++)
    await close(await register('west'), { reason: 'household-withdrew' }).expect(200);
});
afterAll(async () => {
  await t?.close();
});

describe('POST /v1/households/:id/close with a coded closure', () => {
  it('records the reason and every goal of the plan, a goal left out as not-recorded; no personal data in data', async () => {
    const householdId = await register('oost', ['g-1', 'g-2']);
    const res = await close(householdId, {
      reason: 'transferred-to-specialist',
      goals: [{ goalId: 'g-2', realisation: 'not-achieved' }],
    }).expect(200);
    expect(res.body).toMatchObject({ householdId, status: 'closed' });
    const events = await store().readStream(householdStream(householdId));
    const closed = events.find((e) => e.type === 'PlanClosed')!;
    expect(closed.metadata.schemaVersion).toBe(2);
    expect(closed.data).toEqual({
      closedBy: 'u-w',
      regieEndedFor: { kind: 'household' },
      closedAt: expect.any(String),
      reason: 'transferred-to-specialist',
      district: 'oost',
      teamId: TEAM,
      goals: [
        { goalId: 'g-1', lifeDomain: 'finances', realisation: 'not-recorded' },
        { goalId: 'g-2', lifeDomain: 'finances', realisation: 'not-achieved' },
      ],
    });
    expect(closed.personal).toEqual({ outcome: 'Afgerond' });
  });

  it('a reopen says which closure it undoes and that it is a recurrence', async () => {
    const events = await store().readStream(householdStream(oost[3]!));
    const closed = events.find((e) => e.type === 'PlanClosed')!;
    const reopened = events.find((e) => e.type === 'PlanReopened')!;
    expect(reopened.data).toEqual({
      reopenedBy: 'u-w',
      reopenedAt: reopened.metadata.recordedAt,
      closedAt: closed.data.closedAt,
      closureReason: 'continues-without-help',
      recurrence: true,
      district: 'oost',
      teamId: TEAM,
    });
  });

  it('refuses an unknown reason or realisation, a goal the plan has not, a goal twice (400), changing nothing', async () => {
    const householdId = await register('oost');
    const invalid = expectProblem(await close(householdId, { reason: 'emigrated' }), 400, 'ValidationFailed');
    expect(invalid.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expectProblem(
      await close(householdId, { goals: [{ goalId: 'g-1', realisation: 'mostly' }] }),
      400,
      'ValidationFailed',
    );
    const unknown = expectProblem(
      await close(householdId, { reason: 'moved', goals: [{ goalId: 'g-9', realisation: 'achieved' }] }),
      400,
      'UnknownGoal',
    );
    expect(unknown.detail).toContain('g-9');
    expectProblem(
      await close(householdId, {
        reason: 'moved',
        goals: [
          { goalId: 'g-1', realisation: 'achieved' },
          { goalId: 'g-1', realisation: 'dropped' },
        ],
      }),
      400,
      'DuplicateGoal',
    );
    const types = (await store().readStream(householdStream(householdId))).map((e) => e.type);
    expect(types).not.toContain('PlanClosed');
  });

  it('refuses to close a closed plan (409), by someone not allowed (403), a household one may not see (404)', async () => {
    expectProblem(await close(oost[0]!, { reason: 'moved' }), 409, 'PlanClosed', 9);
    const householdId = await register('oost');
    expectProblem(await close(householdId, { reason: 'moved' }, auditor(t)), 403, 'Forbidden');
    expectProblem(await close(householdId, { reason: 'moved' }, other), 404, 'HouseholdNotFound');
    expectProblem(await close('uit-none', { reason: 'moved' }), 404, 'HouseholdNotFound');
  });
});

describe('GET /v1/analysis/outcomes', () => {
  const oostJanuary = {
    district: 'oost',
    teamId: TEAM,
    households: 5,
    closures: 5,
    reasons: {
      'goals-achieved': 2,
      'continues-without-help': 1,
      'transferred-to-specialist': 0,
      moved: 1,
      'household-withdrew': 0,
      other: 0,
      unknown: 1,
    },
    goals: { achieved: 2, 'partly-achieved': 1, 'not-achieved': 0, dropped: 1, 'not-recorded': 2 },
    recurrences: 1,
    recurrenceRate: 0.2,
  };

  it('counts per district, team and month; the west group of 3 households is left out and counted', async () => {
    const res = await get('/v1/analysis/outcomes?from=2026-01&to=2026-01', lead).expect(200);
    expect(res.body).toEqual({
      minimumHouseholdsPerGroup: 5,
      period: 'month',
      suppressedGroups: 1,
      groups: [{ ...oostJanuary, period: '2026-01' }],
      next: null,
    });
  });

  it('groups by quarter and by year; filters by district and team; an auditor reads it too', async () => {
    const quarter = await get(
      '/v1/analysis/outcomes?period=quarter&district=oost&to=2026-01',
      auditor(t),
    ).expect(200);
    expect(quarter.body.groups).toEqual([{ ...oostJanuary, period: '2026-Q1' }]);
    expect(quarter.body.suppressedGroups).toBe(0);
    const year = await get(`/v1/analysis/outcomes?period=year&team=${TEAM}&to=2026-01`, lead).expect(200);
    expect(year.body.groups.map((g: { period: string }) => g.period)).toEqual(['2026']);
    const none = await get(`/v1/analysis/outcomes?team=${OTHER_TEAM}`, auditor(t)).expect(200);
    expect(none.body).toMatchObject({ groups: [], suppressedGroups: 0 });
  });

  it("a team lead reads their own teams' outcomes only: another team's is 403, and left out of every answer", async () => {
    const otherLead = person(t, 'e-lead', ['worker', 'team-lead'], [OTHER_TEAM]);
    // Two overlapping periods of another team would give away its small groups by difference.
    expectProblem(await get(`/v1/analysis/outcomes?team=${TEAM}`, otherLead), 403, 'Forbidden');
    expectProblem(await get(`/v1/analysis/outcomes?team=${OTHER_TEAM}`, lead), 403, 'Forbidden');
    const own = await get('/v1/analysis/outcomes?period=year', otherLead).expect(200);
    expect(own.body).toMatchObject({ groups: [], suppressedGroups: 0 });
    const district = await get('/v1/analysis/outcomes?district=oost', otherLead).expect(200);
    expect(district.body).toMatchObject({ groups: [], suppressedGroups: 0 });
    // The auditor reads every team's.
    const all = await get('/v1/analysis/outcomes?period=year', auditor(t)).expect(200);
    expect(all.body.groups.map((g: { teamId: string }) => g.teamId)).toContain(TEAM);
  });

  it('pages the groups in (district, team, period) order; every page counts the groups left out of the query', async () => {
    const first = await get('/v1/analysis/outcomes?limit=1', lead).expect(200);
    expect(
      first.body.groups.map((g: { district: string; period: string }) => [g.district, g.period]),
    ).toEqual([['oost', '2026-01']]);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await get(
      `/v1/analysis/outcomes?limit=1&cursor=${encodeURIComponent(first.body.next)}`,
      lead,
    ).expect(200);
    expect(second.body.groups).toEqual([
      expect.objectContaining({
        district: 'west',
        period: '2026-02',
        households: 5,
        reasons: expect.objectContaining({ 'household-withdrew': 5 }),
      }),
    ]);
    expect(second.body.next).toBeNull();
    expect(second.body.suppressedGroups).toBe(first.body.suppressedGroups);
  });

  it('refuses a bad period or month, a reversed range, unknown parameters (400)', async () => {
    const bad = expectProblem(await get('/v1/analysis/outcomes?period=week', lead), 400, 'ValidationFailed');
    expect(bad.errors).toEqual([expect.objectContaining({ field: 'period' })]);
    expectProblem(await get('/v1/analysis/outcomes?from=2026-13', lead), 400, 'ValidationFailed');
    expectProblem(await get('/v1/analysis/outcomes?from=2026-02&to=2026-01', lead), 400, 'InvalidRange');
    expectProblem(await get('/v1/analysis/outcomes?householdId=uit-1', lead), 400, 'UnknownQueryParameter');
  });

  it('is for team leads and auditors only (403)', async () => {
    expectProblem(await get('/v1/analysis/outcomes', worker), 403, 'Forbidden');
    expectProblem(await get('/v1/analysis/outcomes', person(t, 'uwv', ['integrator'])), 403, 'Forbidden');
  });

  it('a team that is not registered is 404', async () => {
    expectProblem(await get('/v1/analysis/outcomes?team=team-bestaat-niet', lead), 404, 'TeamNotFound');
  });
});
