/**
 * The household plan over HTTP: registration, reading, goals, actions, agreement, closing and
 * reopening (DOMAIN.md invariants 9, 10 and 11), and the write conventions of API.md that every
 * client relies on: ETag/If-Match and Idempotency-Key.
 */
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SQL } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import {
  CHILD,
  etagOf,
  expectProblem,
  getHousehold,
  householdBody,
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
let worker: Person;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  worker = team.workers[0];
});
afterAll(async () => {
  await t?.close();
});

const post = (path: string, body?: Record<string, unknown>, who: Person = worker) => {
  const req = t.http().post(path).set(who.as);
  return body === undefined ? req : req.send(body);
};
const addGoal = (householdId: string, body: Record<string, unknown> = {}) =>
  post(`/v1/households/${householdId}/goals`, {
    lifeDomain: 'finances',
    description: 'Schulden onder controle',
    ...body,
  });
const addAction = (householdId: string, goalId: string, body: Record<string, unknown> = {}) =>
  post(`/v1/households/${householdId}/actions`, {
    goalId,
    description: 'Afspraak bij schuldhulp maken',
    owner: { kind: 'household' },
    ...body,
  });
const agree = (householdId: string, memberId = PARENT) =>
  post(`/v1/households/${householdId}/plan/agreements`, { memberId });

describe('POST /v1/households and GET /v1/households/:id', () => {
  it('registers a household in eigen regie; GET shows the plan state with ETag "1"', async () => {
    const body = householdBody(team);

    const res = await post('/v1/households', body);

    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual({ householdId: body.householdId, version: 1, position: expect.any(String) });

    const got = await getHousehold(t, body.householdId, worker);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body).toMatchObject({
      householdId: body.householdId,
      teamId: team.teamId,
      district: team.district,
      status: 'active',
      goals: [],
      actions: [],
      revision: 1,
      agreed: false,
      regie: { holder: { kind: 'household', id: body.householdId }, since: expect.any(String) },
      pendingTransfer: null,
      version: 1,
    });
    expect(got.body.members).toEqual(
      expect.arrayContaining([
        // Issue 18: the birth month where known, the holders of authority, and `left`.
        {
          memberId: PARENT,
          role: 'parent',
          birthYear: 1984,
          birthMonth: null,
          name: 'Sanne Jansen',
          authority: [],
          left: null,
        },
        {
          memberId: CHILD,
          role: 'child',
          birthYear: 2015,
          birthMonth: null,
          name: 'Daan Jansen',
          authority: [],
          left: null,
        },
      ]),
    );
  });

  it('registers with a worker holding regie from the start', async () => {
    const householdId = await seedHousehold(t, team, { regieWorker: team.workers[1] });

    const got = await getHousehold(t, householdId, worker);

    expect(got.body.regie.holder).toEqual({ kind: 'worker', id: team.workers[1].id, teamId: team.teamId });
  });

  it('generates a UUID when the client sends no householdId', async () => {
    const { householdId: _omitted, ...body } = householdBody(team);

    const res = await post('/v1/households', body);

    expect(res.status).toBe(201);
    expect(res.body.householdId).toMatch(/^[0-9a-f-]{36}$/);
    await getHousehold(t, res.body.householdId, worker);
  });

  it('refuses a household id that is taken: 409 HouseholdAlreadyRegistered, version unchanged', async () => {
    const householdId = await seedHousehold(t, team);

    expectProblem(
      await post('/v1/households', householdBody(team, { householdId })),
      409,
      'HouseholdAlreadyRegistered',
    );
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });

  it('refuses an unknown team (404) and a district the team does not serve (400 naming the field)', async () => {
    expectProblem(
      await post('/v1/households', householdBody(team, { teamId: uniq('team') })),
      404,
      'TeamNotFound',
    );

    const problem = expectProblem(
      await post('/v1/households', householdBody(team, { district: 'elders' })),
      400,
      'DistrictNotServed',
    );
    expect(problem.errors).toEqual([{ field: 'district', reason: expect.stringContaining('elders') }]);
  });

  it('refuses duplicate member ids: 400 naming members', async () => {
    const member = { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne' };
    const problem = expectProblem(
      await post('/v1/households', householdBody(team, { members: [member, member] })),
      400,
      'DuplicateMember',
    );
    expect(problem.errors).toEqual([{ field: 'members', reason: expect.any(String) }]);
  });

  it('answers 404 HouseholdNotFound for an id nobody registered', async () => {
    expectProblem(
      await t
        .http()
        .get(`/v1/households/${uniq('hh')}`)
        .set(worker.as),
      404,
      'HouseholdNotFound',
    );
  });
});

describe('goals, actions and completing them', () => {
  it('adds a goal (201, version 2) and an action for it (201, version 3); GET reflects both at once', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    const actionId = uniq('a');

    const goal = await addGoal(householdId, {
      goalId,
      lifeDomain: 'housing',
      description: 'Een vaste woning',
    });
    expect(goal.status).toBe(201);
    expect(goal.headers.etag).toBe('"2"');
    expect(goal.body).toEqual({ householdId, goalId, revision: 1, version: 2, position: expect.any(String) });

    const action = await addAction(householdId, goalId, {
      actionId,
      owner: { kind: 'worker', id: team.workers[1].id },
    });
    expect(action.status).toBe(201);
    expect(action.headers.etag).toBe('"3"');
    expect(action.body).toEqual({
      householdId,
      actionId,
      revision: 1,
      version: 3,
      position: expect.any(String),
    });

    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"3"');
    expect(got.body.goals).toEqual([
      { goalId, lifeDomain: 'housing', description: 'Een vaste woning', status: 'open', targetDate: null },
    ]);
    expect(got.body.actions).toEqual([
      {
        actionId,
        goalId,
        owner: { kind: 'worker', id: team.workers[1].id },
        completed: false,
        description: 'Afspraak bij schuldhulp maken',
      },
    ]);
  });

  it('an action owned by the household names the household as owner', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await addAction(householdId, goalId, { actionId: 'a-own' }).expect(201);

    const got = await getHousehold(t, householdId, worker);

    expect(got.body.actions[0].owner).toEqual({ kind: 'household', id: householdId });
  });

  it('completes an action (200); completing it again is 409 and an unknown action is 404', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    const actionId = uniq('a');
    await addGoal(householdId, { goalId }).expect(201);
    await addAction(householdId, goalId, { actionId }).expect(201);

    const done = await post(`/v1/households/${householdId}/actions/${actionId}/complete`);

    expect(done.status).toBe(200);
    expect(done.headers.etag).toBe('"4"');
    expect(done.body).toEqual({
      householdId,
      actionId,
      completed: true,
      version: 4,
      position: expect.any(String),
    });
    expect((await getHousehold(t, householdId, worker)).body.actions[0].completed).toBe(true);
    expectProblem(
      await post(`/v1/households/${householdId}/actions/${actionId}/complete`),
      409,
      'ActionAlreadyCompleted',
    );
    expectProblem(
      await post(`/v1/households/${householdId}/actions/${uniq('a')}/complete`),
      404,
      'ActionNotFound',
    );
    expect(await etagOf(t, householdId, worker)).toBe('"4"');
  });

  it('invariant 10: an action for a goal that does not exist is 409 with invariant 10, nothing written', async () => {
    const householdId = await seedHousehold(t, team);

    const res = await addAction(householdId, 'g-does-not-exist');

    const problem = expectProblem(res, 409, 'GoalNotFound', 10);
    expect(problem.detail).toContain('g-does-not-exist');
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });

  it('invariant 10: an owner the household is not linked to (a volunteer without assignment) is 409 with invariant 10', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);

    expectProblem(
      await addAction(householdId, goalId, { owner: { kind: 'volunteer', id: 'vol-1' } }),
      409,
      'OwnerNotLinked',
      10,
    );
    const missingId = expectProblem(
      await addAction(householdId, goalId, { owner: { kind: 'worker' } }),
      400,
      'OwnerIdRequired',
    );
    expect(missingId.errors).toEqual([{ field: 'owner.id', reason: expect.any(String) }]);
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
  });
});

describe('notes on a goal', () => {
  const addNote = (householdId: string, goalId: string, body: Record<string, unknown> = {}) =>
    post(`/v1/households/${householdId}/goals/${goalId}/notes`, {
      text: 'Eerste gesprek met schuldhulp ging goed',
      ...body,
    });

  it('adds a note (201, ETag) that GET shows with its text; the plan keeps its revision and agreement', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await agree(householdId).expect(201);

    const res = await addNote(householdId, goalId, { noteId: 'n-1' });

    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"6"');
    expect(res.body).toEqual({
      householdId,
      goalId,
      noteId: 'n-1',
      version: 6,
      position: expect.any(String),
    });
    const got = (await getHousehold(t, householdId, worker)).body;
    expect(got.notes).toEqual([
      { noteId: 'n-1', goalId, addedBy: worker.id, text: 'Eerste gesprek met schuldhulp ging goed' },
    ]);
    expect(got.sections.notes).toEqual({ total: 1, next: null });
    expect(got).toMatchObject({ revision: 1, agreed: true });
    const stored = await t.app
      .get<Sql>(SQL)
      .query<{ data: string; personal: string }>(
        "SELECT data::text AS data, personal::text AS personal FROM events WHERE stream_id = $1 AND type = 'GoalNoteAdded'",
        [`household-${householdId}`],
      );
    // The text is personal: sealed at rest, never in the published data.
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.data).not.toContain('schuldhulp');
    expect(stored.rows[0]!.personal).not.toContain('schuldhulp');
    const page = await t.http().get(`/v1/households/${householdId}/notes?limit=1`).set(worker.as).expect(200);
    expect(page.body).toMatchObject({ householdId, notes: got.notes, total: 1, next: null });
  });

  it('refuses a note on an unknown goal (409 GoalNotFound, invariant 10), a used note id, a long text and a closed plan', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await addNote(householdId, goalId, { noteId: 'n-1' }).expect(201);

    const unknown = expectProblem(await addNote(householdId, 'g-does-not-exist'), 409, 'GoalNotFound', 10);
    expect(unknown.detail).toContain('g-does-not-exist');
    expectProblem(await addNote(householdId, goalId, { noteId: 'n-1' }), 409, 'GoalNoteAlreadyExists');
    expectProblem(await addNote(householdId, goalId, { text: 'x'.repeat(501) }), 400, 'ValidationFailed');
    expect(await etagOf(t, householdId, worker)).toBe('"3"');
    await post(`/v1/households/${householdId}/close`, { outcome: 'Klaar' }).expect(200);
    expectProblem(await addNote(householdId, goalId), 409, 'PlanClosed', 9);
  });
});

describe('agreeing the plan (invariant 11)', () => {
  // Issue 18: the parent's agreement covers the child (under 12) only as the holder of parental
  // authority, so these households record it first (one more event); members.e2e.spec.ts has the
  // capacity rules. The agreement writes PlanAgreementRecorded and PlanAgreed (two events).
  it('a member agrees (201); GET shows agreed for revision 1', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    await addGoal(householdId).expect(201);

    const res = await agree(householdId);

    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"5"');
    expect(res.body).toEqual({
      householdId,
      revision: 1,
      agreedBy: PARENT,
      by: { kind: 'member', memberId: PARENT },
      agreed: true,
      version: 5,
      position: expect.any(String),
    });
    expect((await getHousehold(t, householdId, worker)).body).toMatchObject({
      revision: 1,
      agreed: true,
      agreedRevision: 1,
    });
  });

  it('agreeing the same revision twice is 409 with invariant 11, nothing written', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    await addGoal(householdId).expect(201);
    await agree(householdId).expect(201);

    expectProblem(await agree(householdId, CHILD), 409, 'PlanAlreadyAgreed', 11);
    expect(await etagOf(t, householdId, worker)).toBe('"5"');
  });

  it('a change after agreement makes revision 2, not agreed, until a member agrees again', async () => {
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, worker);
    const goalId = uniq('g');
    await addGoal(householdId, { goalId }).expect(201);
    await agree(householdId).expect(201);

    const change = await addAction(householdId, goalId);

    expect(change.body.revision).toBe(2);
    expect((await getHousehold(t, householdId, worker)).body).toMatchObject({
      revision: 2,
      agreed: false,
      agreedRevision: 1,
    });
    // The child (under 12) has no capacity of their own (issue 18): the parent agrees again.
    const again = await agree(householdId, PARENT);
    expect(again.body.revision).toBe(2);
    expect((await getHousehold(t, householdId, worker)).body).toMatchObject({
      revision: 2,
      agreed: true,
      agreedRevision: 2,
    });
  });

  it('a plan without goals cannot be agreed (409, invariant 11); a non-member cannot agree (400 naming memberId)', async () => {
    const householdId = await seedHousehold(t, team);

    expectProblem(await agree(householdId), 409, 'PlanEmpty', 11);
    await addGoal(householdId).expect(201);
    const problem = expectProblem(await agree(householdId, 'm-stranger'), 400, 'UnknownMember');
    expect(problem.errors).toEqual([{ field: 'memberId', reason: expect.stringContaining('m-stranger') }]);
  });
});

describe('closing and reopening (invariant 9)', () => {
  it('closes (200, status closed), refuses changes while closed (409, invariant 9), reopens (200) and accepts changes again', async () => {
    const householdId = await seedHousehold(t, team);

    const closed = await post(`/v1/households/${householdId}/close`, { outcome: 'Doelen bereikt' });
    expect(closed.status).toBe(200);
    expect(closed.headers.etag).toBe('"2"');
    expect(closed.body).toEqual({ householdId, status: 'closed', version: 2, position: expect.any(String) });
    expect((await getHousehold(t, householdId, worker)).body.status).toBe('closed');

    expectProblem(await addGoal(householdId), 409, 'PlanClosed', 9);
    expectProblem(
      await post(`/v1/households/${householdId}/close`, { outcome: 'Nog eens' }),
      409,
      'PlanClosed',
      9,
    );
    expect(await etagOf(t, householdId, worker)).toBe('"2"');

    const reopened = await post(`/v1/households/${householdId}/reopen`, { reason: 'Nieuwe zorgen gemeld' });
    expect(reopened.status).toBe(200);
    expect(reopened.headers.etag).toBe('"3"');
    expect(reopened.body).toEqual({
      householdId,
      status: 'active',
      version: 3,
      position: expect.any(String),
    });
    expect((await getHousehold(t, householdId, worker)).body).toMatchObject({
      status: 'active',
      regie: { holder: { kind: 'household', id: householdId } },
    });
    await addGoal(householdId).expect(201);
  });

  it('reopening a plan that is not closed is 409 with invariant 9', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(
      await post(`/v1/households/${householdId}/reopen`, { reason: 'Waarom' }),
      409,
      'PlanNotClosed',
      9,
    );
  });

  it('cannot close while a transfer is pending: 409 with invariant 9, nothing written; closes after the cancel', async () => {
    const householdId = await seedHousehold(t, team);
    const transferId = uniq('tr');
    await post(`/v1/households/${householdId}/regie/transfers`, {
      transferId,
      to: { kind: 'worker', id: team.workers[1].id },
      reason: 'Meer begeleiding nodig',
      agreedBy: PARENT,
    }).expect(201);

    const refused = await post(`/v1/households/${householdId}/close`, { outcome: 'Klaar' });

    const problem = expectProblem(refused, 409, 'TransferPending', 9);
    expect(problem.detail).toContain(transferId);
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
    await post(`/v1/households/${householdId}/regie/transfers/${transferId}/cancel`, {
      reason: 'Toch niet',
    }).expect(200);
    await post(`/v1/households/${householdId}/close`, { outcome: 'Klaar' }).expect(200);
  });

  it("closing ends the worker's regie: the household holds it afterwards, in the state and in the history", async () => {
    const holder = team.workers[1];
    const householdId = await seedHousehold(t, team, { regieWorker: holder });

    expectProblem(
      await post(`/v1/households/${householdId}/close`, { outcome: 'Klaar' }),
      403,
      'NotRegieHolder',
    );
    await post(`/v1/households/${householdId}/close`, { outcome: 'Klaar' }, holder).expect(200);

    expect((await getHousehold(t, householdId, worker)).body.regie.holder).toEqual({
      kind: 'household',
      id: householdId,
    });
    const history = await t
      .http()
      .get(`/v1/households/${householdId}/regie/history`)
      .set(worker.as)
      .expect(200);
    expect(
      history.body.intervals.map((i: { holder: { id: string }; cause: string; to: string | null }) => [
        i.holder.id,
        i.cause,
        i.to === null,
      ]),
    ).toEqual([
      [holder.id, 'registration', false],
      [householdId, 'closure', true],
    ]);
  });
});

describe('If-Match (optimistic concurrency)', () => {
  it('a stale If-Match is 409 VersionConflict with the current version, and nothing is written', async () => {
    const householdId = await seedHousehold(t, team);
    await addGoal(householdId).expect(201);

    const res = await addGoal(householdId).set('If-Match', '"1"');

    const problem = expectProblem(res, 409, 'VersionConflict');
    expect(problem.currentVersion).toBe(2);
    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.goals).toHaveLength(1);
  });

  it('the ETag from a GET, sent back as If-Match, lets the write through', async () => {
    const householdId = await seedHousehold(t, team);
    const etag = await etagOf(t, householdId, worker);

    const res = await addGoal(householdId).set('If-Match', etag!);

    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"2"');
  });

  it('a malformed If-Match is 400 naming the header', async () => {
    const householdId = await seedHousehold(t, team);

    const problem = expectProblem(await addGoal(householdId).set('If-Match', 'two'), 400, 'InvalidIfMatch');

    expect(problem.errors).toEqual([{ field: 'If-Match', reason: expect.any(String) }]);
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });
});

describe('one busy household: writes without If-Match are decided again, not refused (issue 22)', () => {
  it('24 goals added at once by two workers are all written, at versions 2..25 without gaps', async () => {
    const householdId = await seedHousehold(t, team);
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => addGoal(householdId).set(team.workers[i % 2]!.as)),
    );

    expect(answers.map((r) => r.status)).toEqual(Array(24).fill(201));
    const versions = answers.map((r) => Number(String(r.headers.etag).replace(/"/g, '')));
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 2));
    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"25"');
    expect(got.body.sections.goals.total).toBe(24);
  });

  it('the same If-Match sent by 6 writes at once lets one through; the others get 409 VersionConflict', async () => {
    const householdId = await seedHousehold(t, team);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => addGoal(householdId).set('If-Match', '"1"')),
    );

    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409)) expectProblem(r, 409, 'VersionConflict');
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
  });
});

describe('Idempotency-Key', () => {
  it('the same request twice returns the same body, marked Idempotent-Replayed, and writes once', async () => {
    const householdId = await seedHousehold(t, team);
    const key = uniq('key');

    const first = await addGoal(householdId, { description: 'Werk vinden' }).set('Idempotency-Key', key);
    const second = await addGoal(householdId, { description: 'Werk vinden' }).set('Idempotency-Key', key);

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers.etag).toBe(first.headers.etag);
    // Same generated goal id and same version: the answer of the first request, not a new write.
    expect(second.body).toEqual(first.body);
    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.goals).toHaveLength(1);
  });

  it('two copies sent at once (a client retrying before the first answer) still write once', async () => {
    const householdId = await seedHousehold(t, team);
    const key = uniq('key');

    const [a, b] = await Promise.all([
      addGoal(householdId, { description: 'Werk vinden' }).set('Idempotency-Key', key),
      addGoal(householdId, { description: 'Werk vinden' }).set('Idempotency-Key', key),
    ]);

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.goals).toHaveLength(1);
  });

  it('a repeated registration is replayed too: one household, version 1', async () => {
    const body = householdBody(team);
    const key = uniq('key');

    const first = await post('/v1/households', body).set('Idempotency-Key', key).expect(201);
    const second = await post('/v1/households', body).set('Idempotency-Key', key).expect(201);

    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await etagOf(t, body.householdId, worker)).toBe('"1"');
  });

  it('a repeat after the first answer was lost (stored, but no idempotency record) answers as the first', async () => {
    // What a database outage or a crash between the append and the idempotency record leaves.
    // The goal id is the client's: one the server generates would be generated anew for the repeat.
    const householdId = await seedHousehold(t, team);
    const key = uniq('key');
    const goal = { goalId: uniq('g'), description: 'Werk vinden' };
    const first = await addGoal(householdId, goal).set('Idempotency-Key', key);
    expect(first.status).toBe(201);
    await t.app.get<Sql>(SQL).query('DELETE FROM idempotency_keys WHERE key = $1', [key]);

    const second = await addGoal(householdId, goal).set('Idempotency-Key', key);

    expect(second.status).toBe(201);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.body).toEqual(first.body);
    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.goals).toHaveLength(1);
  });

  it('the same key with a different body is 409 IdempotencyKeyReused, and nothing is written', async () => {
    const householdId = await seedHousehold(t, team);
    const key = uniq('key');
    await addGoal(householdId, { description: 'Werk vinden' }).set('Idempotency-Key', key).expect(201);

    const res = await addGoal(householdId, { description: 'Iets anders' }).set('Idempotency-Key', key);

    expectProblem(res, 409, 'IdempotencyKeyReused');
    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.goals.map((g: { description: string }) => g.description)).toEqual(['Werk vinden']);
  });

  it('after a lost answer, a different request under the same key is still 409 IdempotencyKeyReused', async () => {
    // The first request's record is gone (a crash before it was stored); its events remain. A
    // different body must not be answered as if it were that request.
    const householdId = await seedHousehold(t, team);
    const key = uniq('key');
    await addGoal(householdId, { goalId: uniq('g'), description: 'Werk vinden' })
      .set('Idempotency-Key', key)
      .expect(201);
    await t.app.get<Sql>(SQL).query('DELETE FROM idempotency_keys WHERE key = $1', [key]);

    const res = await addGoal(householdId, { goalId: uniq('g'), description: 'Iets anders' }).set(
      'Idempotency-Key',
      key,
    );

    expectProblem(res, 409, 'IdempotencyKeyReused');
    const got = await getHousehold(t, householdId, worker);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.goals.map((g: { description: string }) => g.description)).toEqual(['Werk vinden']);
  });

  it('keys belong to the caller: another worker using the same key makes their own write', async () => {
    const householdId = await seedHousehold(t, team);
    const key = uniq('key');
    await addGoal(householdId).set('Idempotency-Key', key).expect(201);

    const other = await post(
      `/v1/households/${householdId}/goals`,
      { lifeDomain: 'finances', description: 'Schulden onder controle' },
      team.workers[1],
    ).set('Idempotency-Key', key);

    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.version).toBe(3);
  });

  it('a malformed key is 400 naming the header, nothing written', async () => {
    const householdId = await seedHousehold(t, team);

    const problem = expectProblem(
      await addGoal(householdId).set('Idempotency-Key', 'not a key!'),
      400,
      'InvalidIdempotencyKey',
    );

    expect(problem.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });
});
