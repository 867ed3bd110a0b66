/**
 * The plan's cycle over HTTP (issue 19): a goal's status and target date, as the household view
 * shows them, and the refusals as problem+json that change nothing.
 */
import { addDays, addMonths, dateInNl } from '@eenplan/domain';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SQL } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import {
  auditor,
  etagOf,
  expectProblem,
  getHousehold,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  setParentAuthority,
  uniq,
} from './fixtures';

let t: TestApp;
let team: SeededTeam;
let other: SeededTeam;
let worker: Person;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  other = await seedTeam(t, { workers: 1 });
  worker = team.workers[0];
});
afterAll(async () => {
  await t?.close();
});

const today = () => dateInNl(t.clock.peek().toISOString());
const post = (path: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().post(path).set(who.as).send(body);
const addGoal = (householdId: string, body: Record<string, unknown> = {}) =>
  post(`/v1/households/${householdId}/goals`, {
    lifeDomain: 'finances',
    description: 'Schulden onder controle',
    ...body,
  });
const setStatus = (
  householdId: string,
  goalId: string,
  body: Record<string, unknown>,
  who: Person = worker,
) => post(`/v1/households/${householdId}/goals/${goalId}/status`, body, who);
const setTarget = (
  householdId: string,
  goalId: string,
  body: Record<string, unknown>,
  who: Person = worker,
) => t.http().put(`/v1/households/${householdId}/goals/${goalId}/target-date`).set(who.as).send(body);
const storedData = async (householdId: string, type: string) =>
  (
    await t.app
      .get<Sql>(SQL)
      .query<{ data: string; personal: string | null }>(
        'SELECT data::text AS data, personal::text AS personal FROM events WHERE stream_id = $1 AND type = $2',
        [`household-${householdId}`, type],
      )
  ).rows;

describe('a goal with a target date', () => {
  it('adds a goal with a target date (201); GET shows it open with that date', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    const targetDate = addDays(today(), 90);

    await addGoal(householdId, { goalId, targetDate }).expect(201);

    const got = (await getHousehold(t, householdId, worker)).body;
    expect(got.goals).toEqual([
      { goalId, lifeDomain: 'finances', description: 'Schulden onder controle', status: 'open', targetDate },
    ]);
  });

  it('refuses a target date before today (400 InvalidTargetDate) and one that is no date (400 ValidationFailed)', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(await addGoal(householdId, { targetDate: addDays(today(), -1) }), 400, 'InvalidTargetDate');
    expectProblem(await addGoal(householdId, { targetDate: '2026-02-30' }), 400, 'ValidationFailed');
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });
});

describe('POST /v1/households/:id/goals/:goalId/status', () => {
  it('records the status (200, ETag), GET shows it; the reason is sealed, the plan keeps revision and agreement', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await post(`/v1/households/${householdId}/plan/agreements`, { memberId: PARENT }).expect(201);

    const res = await setStatus(householdId, goalId, {
      status: 'partly-achieved',
      reason: 'Afbetalingsregeling loopt, schuldeiser Zilveren nog niet',
    });

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"6"');
    expect(res.body).toEqual({
      householdId,
      goalId,
      status: 'partly-achieved',
      on: today(),
      version: 6,
      position: expect.any(String),
    });
    const got = (await getHousehold(t, householdId, worker)).body;
    expect(got.goals).toEqual([
      expect.objectContaining({ goalId, status: 'partly-achieved', targetDate: null }),
    ]);
    expect(got).toMatchObject({ revision: 1, agreed: true });
    const rows = await storedData(householdId, 'GoalStatusSet');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data)).toEqual({
      goalId,
      status: 'partly-achieved',
      on: today(),
      setBy: worker.id,
    });
    expect(rows[0]!.personal).not.toContain('Zilveren');
  });

  it('refuses the same status again (409), an unknown goal (409, invariant 10), a bad body (400), an auditor (403), another team (404 as unknown), an unknown household (404), and writes nothing', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);

    expectProblem(await setStatus(householdId, goalId, { status: 'open' }), 409, 'GoalStatusUnchanged');
    expectProblem(await setStatus(householdId, 'g-nope', { status: 'achieved' }), 409, 'GoalNotFound', 10);
    expectProblem(await setStatus(householdId, goalId, { status: 'done' }), 400, 'ValidationFailed');
    expectProblem(
      await setStatus(householdId, goalId, { status: 'dropped', reason: 'x'.repeat(501) }),
      400,
      'ValidationFailed',
    );
    // An auditor may read, never change a plan; another team's worker is not told the household exists.
    expectProblem(await setStatus(householdId, goalId, { status: 'achieved' }, auditor(t)), 403, 'Forbidden');
    expectProblem(
      await setStatus(householdId, goalId, { status: 'achieved' }, other.workers[0]),
      404,
      'HouseholdNotFound',
    );
    expectProblem(await setStatus(uniq('hh'), goalId, { status: 'achieved' }), 404, 'HouseholdNotFound');
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
    expect(await storedData(householdId, 'GoalStatusSet')).toHaveLength(0);
  });
});

describe('PUT /v1/households/:id/goals/:goalId/target-date', () => {
  it('sets a target date after the agreement: a new revision that needs agreement again; null clears it', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await post(`/v1/households/${householdId}/plan/agreements`, { memberId: PARENT }).expect(201);
    const targetDate = addDays(today(), 180);

    const res = await setTarget(householdId, goalId, { targetDate });

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"6"');
    expect(res.body).toEqual({
      householdId,
      goalId,
      targetDate,
      revision: 2,
      version: 6,
      position: expect.any(String),
    });
    let got = (await getHousehold(t, householdId, worker)).body;
    expect(got.goals[0]).toMatchObject({ goalId, status: 'open', targetDate });
    expect(got).toMatchObject({ revision: 2, agreed: false });

    await setTarget(householdId, goalId, { targetDate: null }).expect(200);
    got = (await getHousehold(t, householdId, worker)).body;
    expect(got.goals[0]).toMatchObject({ goalId, targetDate: null });
  });

  it('refuses the same date (409), an unknown goal (409), a past or missing date (400), an auditor (403), another team (404 as unknown), an unknown household (404), and writes nothing', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    const targetDate = addDays(today(), 30);
    await addGoal(householdId, { goalId, targetDate }).expect(201);

    expectProblem(await setTarget(householdId, goalId, { targetDate }), 409, 'GoalTargetDateUnchanged');
    expectProblem(await setTarget(householdId, 'g-nope', { targetDate }), 409, 'GoalNotFound', 10);
    expectProblem(
      await setTarget(householdId, goalId, { targetDate: addDays(today(), -1) }),
      400,
      'InvalidTargetDate',
    );
    expectProblem(await setTarget(householdId, goalId, {}), 400, 'ValidationFailed');
    expectProblem(await setTarget(householdId, goalId, { targetDate: 'morgen' }), 400, 'ValidationFailed');
    expectProblem(await setTarget(householdId, goalId, { targetDate }, auditor(t)), 403, 'Forbidden');
    expectProblem(
      await setTarget(householdId, goalId, { targetDate }, other.workers[0]),
      404,
      'HouseholdNotFound',
    );
    expectProblem(await setTarget(uniq('hh'), goalId, { targetDate }), 404, 'HouseholdNotFound');
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
  });
});

describe('PUT /v1/households/:id/plan/evaluation-date', () => {
  const setEvaluation = (householdId: string, body: Record<string, unknown>, who: Person = worker) =>
    t.http().put(`/v1/households/${householdId}/plan/evaluation-date`).set(who.as).send(body);

  it('the agreement sets the evaluation date six months on (PLAN_EVALUATION_AFTER); the regie holder changes it (200)', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    await addGoal(householdId).expect(201);
    expect((await getHousehold(t, householdId, worker)).body.evaluateBy).toBeNull();
    await post(`/v1/households/${householdId}/plan/agreements`, { memberId: PARENT }).expect(201);
    expect((await getHousehold(t, householdId, worker)).body.evaluateBy).toBe(addMonths(today(), 6));
    const agreedRow = await storedData(householdId, 'PlanAgreed');
    expect(JSON.parse(agreedRow[0]!.data)).toMatchObject({ evaluateBy: addMonths(today(), 6) });

    const evaluateBy = addDays(today(), 40);
    const res = await setEvaluation(householdId, { evaluateBy });

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"6"');
    expect(res.body).toEqual({ householdId, evaluateBy, version: 6, position: expect.any(String) });
    const got = (await getHousehold(t, householdId, worker)).body;
    expect(got).toMatchObject({ evaluateBy, revision: 1, agreed: true });
  });

  it('refuses the same date (409), a past or missing date (400), a worker without regie (403), an unknown household (404), and writes nothing', async () => {
    const holder = team.workers[1];
    const householdId = await seedHousehold(t, team, { regieWorker: holder });
    const evaluateBy = addDays(today(), 10);
    await setEvaluation(householdId, { evaluateBy }, holder).expect(200);

    expectProblem(
      await setEvaluation(householdId, { evaluateBy }, holder),
      409,
      'PlanEvaluationDateUnchanged',
    );
    expectProblem(
      await setEvaluation(householdId, { evaluateBy: addDays(today(), -1) }, holder),
      400,
      'InvalidEvaluationDate',
    );
    expectProblem(await setEvaluation(householdId, {}, holder), 400, 'ValidationFailed');
    expectProblem(
      await setEvaluation(householdId, { evaluateBy: addDays(today(), 20) }),
      403,
      'NotRegieHolder',
    );
    expectProblem(await setEvaluation(householdId, { evaluateBy }, auditor(t)), 403, 'Forbidden');
    expectProblem(await setEvaluation(uniq('hh'), { evaluateBy }, holder), 404, 'HouseholdNotFound');
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
    expect((await getHousehold(t, householdId, worker)).body.evaluateBy).toBe(evaluateBy);
  });
});

describe('POST and GET /v1/households/:id/meetings', () => {
  const meeting = (householdId: string, body: Record<string, unknown>, who: Person = worker) =>
    post(`/v1/households/${householdId}/meetings`, body, who);
  const body = (goalId: string, extra: Record<string, unknown> = {}) => ({
    on: today(),
    attendees: [
      { kind: 'worker', id: worker.id },
      { kind: 'member', id: PARENT },
      { kind: 'professional', id: 'ggz-42' },
    ],
    householdPresent: true,
    notes: 'Moeder vertelde over de brief van de deurwaarder',
    decisions: [
      {
        decisionId: 'd-1',
        text: 'Schuldhulp opnieuw bellen',
        action: { actionId: uniq('a'), goalId, owner: { kind: 'household' } },
      },
      { decisionId: 'd-2', text: 'Over drie maanden samen terugkijken' },
    ],
    ...extra,
  });

  it('records a meeting (201): a decision becomes an action, the evaluation sets the next date; GET and the page show it, the texts sealed', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await post(`/v1/households/${householdId}/plan/agreements`, { memberId: PARENT }).expect(201);
    const sent = body(goalId, { meetingId: 'rm-1', evaluation: {} });
    const actionId = (sent.decisions[0] as { action: { actionId: string } }).action.actionId;

    const res = await meeting(householdId, sent);

    expect(res.status).toBe(201);
    // The meeting and the action: two events after version 5.
    expect(res.headers.etag).toBe('"7"');
    expect(res.body).toEqual({
      householdId,
      meetingId: 'rm-1',
      decisions: [
        { decisionId: 'd-1', actionId, text: 'Schuldhulp opnieuw bellen' },
        { decisionId: 'd-2', actionId: null, text: 'Over drie maanden samen terugkijken' },
      ],
      revision: 2,
      evaluateBy: addMonths(today(), 6),
      version: 7,
      position: expect.any(String),
    });
    const got = (await getHousehold(t, householdId, worker)).body;
    const shown = {
      meetingId: 'rm-1',
      on: today(),
      attendees: sent.attendees,
      householdPresent: true,
      decisions: [
        { decisionId: 'd-1', actionId, text: 'Schuldhulp opnieuw bellen' },
        { decisionId: 'd-2', actionId: null, text: 'Over drie maanden samen terugkijken' },
      ],
      nextEvaluateBy: addMonths(today(), 6),
      recordedBy: worker.id,
      notes: 'Moeder vertelde over de brief van de deurwaarder',
    };
    // The household answer previews a meeting without its texts; the meetings page has them.
    expect(got.meetings).toEqual([
      {
        ...shown,
        notes: undefined,
        decisions: [
          { decisionId: 'd-1', actionId },
          { decisionId: 'd-2', actionId: null },
        ],
      },
    ]);
    expect(JSON.stringify(got.meetings)).not.toContain('deurwaarder');
    expect(got.sections.meetings).toEqual({ total: 1, next: null });
    expect(got.actions).toEqual([
      expect.objectContaining({
        actionId,
        goalId,
        owner: { kind: 'household', id: householdId },
        description: 'Schuldhulp opnieuw bellen',
      }),
    ]);
    expect(got).toMatchObject({ revision: 2, agreed: false, evaluateBy: addMonths(today(), 6) });
    const page = await t
      .http()
      .get(`/v1/households/${householdId}/meetings?limit=1`)
      .set(worker.as)
      .expect(200);
    expect(page.body).toEqual({ householdId, meetings: [shown], total: 1, next: null, version: 7 });
    const rows = await storedData(householdId, 'ReviewMeetingHeld');
    expect(rows[0]!.data).not.toContain('deurwaarder');
    expect(rows[0]!.personal).not.toContain('deurwaarder');
  });

  it('refuses a used meeting id and an action on an unknown goal (409), bad bodies (400), an auditor (403), an unknown household (404), and writes nothing', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await meeting(householdId, body(goalId, { meetingId: 'rm-1' })).expect(201);
    const version = await etagOf(t, householdId, worker);

    expectProblem(
      await meeting(householdId, body(goalId, { meetingId: 'rm-1' })),
      409,
      'ReviewMeetingAlreadyRecorded',
    );
    expectProblem(await meeting(householdId, body('g-nope')), 409, 'GoalNotFound', 10);
    expectProblem(
      await meeting(householdId, body(goalId, { on: addDays(today(), 1) })),
      400,
      'InvalidMeetingDate',
    );
    expectProblem(
      await meeting(householdId, body(goalId, { attendees: [{ kind: 'member', id: 'm-nobody' }] })),
      400,
      'UnknownAttendee',
    );
    expectProblem(await meeting(householdId, body(goalId, { attendees: [] })), 400, 'ValidationFailed');
    expectProblem(
      await meeting(householdId, body(goalId, { householdPresent: 'ja' })),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await meeting(householdId, body(goalId, { attendees: [{ kind: 'buurman', id: 'x' }] })),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await meeting(householdId, body(goalId, { evaluation: { nextEvaluateBy: addDays(today(), -1) } })),
      400,
      'InvalidEvaluationDate',
    );
    expectProblem(await meeting(householdId, body(goalId), auditor(t)), 403, 'Forbidden');
    expectProblem(await meeting(uniq('hh'), body(goalId)), 404, 'HouseholdNotFound');
    expect(await etagOf(t, householdId, worker)).toBe(version);
  });
});
