import type { EventStore } from '@eenplan/event-store/event-store.port';
import { householdStream } from '@eenplan/domain';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, type TestApp } from '../support/app';
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
  uniq,
  type Person,
  type SeededTeam,
} from './fixtures';

// AVG art. 18 (restriction of processing) and art. 16 (correction), per person (issue 18).

let t: TestApp;
let team: SeededTeam;
let worker: Person;
let outsider: Person;

beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 1 });
  worker = team.workers[0]!;
  const other = await seedTeam(t, { workers: 1 });
  outsider = other.workers[0]!;
});
afterAll(async () => {
  await t?.close();
});

const GROUND = 'AVG art. 18, verzoek 2026-7';
const post = (who: Person, path: string, body?: object) => t.http().post(path).set(who.as).send(body);
const get = (who: Person, path: string) => t.http().get(path).set(who.as);

const withGoal = async () => {
  const id = await seedHousehold(t, team, { by: worker });
  const goalId = uniq('goal');
  await post(worker, `/v1/households/${id}/goals`, {
    goalId,
    lifeDomain: 'finances',
    description: 'Schulden op een rij',
  }).expect(201);
  return { id, goalId };
};

describe('restriction of processing (AVG art. 18)', () => {
  it('a restricted household refuses a goal and its workers’ reads; auditors read on; lifting restores', async () => {
    const { id } = await withGoal();
    const restrictionId = uniq('rs');
    const res = await post(admin(t), `/v1/households/${id}/restrictions`, {
      restrictionId,
      ground: GROUND,
    }).expect(201);
    expect(res.body).toMatchObject({ householdId: id, restrictionId, version: expect.any(Number) });
    expect(res.headers.etag).toBe(`"${res.body.version}"`);

    const goal = await post(worker, `/v1/households/${id}/goals`, {
      lifeDomain: 'housing',
      description: 'Woning',
    });
    const problem = expectProblem(goal, 409, 'ProcessingRestricted');
    expect(problem.restrictionId).toBe(restrictionId);
    expect(problem.detail).toContain(restrictionId);
    for (const path of [
      `/v1/households/${id}`,
      `/v1/households/${id}/goals`,
      `/v1/households/${id}/regie/history`,
    ]) {
      expectProblem(await get(worker, path), 409, 'ProcessingRestricted');
    }
    // Storage and audit go on: the trail, the access log, the restrictions themselves.
    await get(auditor(t), `/v1/audit/households/${id}/events`).expect(200);
    await get(auditor(t), `/v1/households/${id}/regie/history`).expect(200);
    await get(worker, `/v1/households/${id}/access-log`).expect(200);
    const list = await get(worker, `/v1/households/${id}/restrictions`).expect(200);
    expect(list.body).toMatchObject({
      householdId: id,
      total: 1,
      next: null,
      restrictions: [{ restrictionId, ground: GROUND, restrictedBy: 'admin-1', inForce: true }],
    });
    expect(list.body.restrictions[0].memberId).toBeUndefined();

    // A second restriction of the household while one is in force: 409, naming it.
    const again = await post(admin(t), `/v1/households/${id}/restrictions`, { ground: GROUND });
    expect(expectProblem(again, 409, 'AlreadyRestricted').restrictionId).toBe(restrictionId);

    const lifted = await post(admin(t), `/v1/households/${id}/restrictions/${restrictionId}/lift`).expect(
      200,
    );
    expect(lifted.body).toMatchObject({ householdId: id, restrictionId, lifted: true });
    await post(worker, `/v1/households/${id}/goals`, { lifeDomain: 'housing', description: 'Woning' }).expect(
      201,
    );
    await getHousehold(t, id, worker);
    const after = await get(auditor(t), `/v1/households/${id}/restrictions`).expect(200);
    expect(after.body.restrictions[0]).toMatchObject({ inForce: false, lifted: { by: 'admin-1' } });

    // Lifted already: 409; unknown: 404.
    expectProblem(
      await post(admin(t), `/v1/households/${id}/restrictions/${restrictionId}/lift`),
      409,
      'RestrictionNotInForce',
    );
    expectProblem(
      await post(admin(t), `/v1/households/${id}/restrictions/nope/lift`),
      404,
      'RestrictionNotFound',
    );
  });

  it("a person's restriction refuses what processes that person, not the rest of the household", async () => {
    const { id } = await withGoal();
    await post(admin(t), `/v1/households/${id}/restrictions`, { memberId: PARENT, ground: GROUND }).expect(
      201,
    );
    const agree = await post(worker, `/v1/households/${id}/plan/agreements`, { memberId: PARENT });
    expect(expectProblem(agree, 409, 'ProcessingRestricted').memberId).toBe(PARENT);
    const consent = await post(worker, `/v1/households/${id}/uwv-consent`, { memberId: PARENT });
    expect(expectProblem(consent, 409, 'ProcessingRestricted').memberId).toBe(PARENT);
    // The household and its other member go on.
    await post(worker, `/v1/households/${id}/goals`, { lifeDomain: 'housing', description: 'Woning' }).expect(
      201,
    );
    await post(worker, `/v1/households/${id}/corrections`, {
      field: 'memberName',
      memberId: CHILD,
      value: 'Daan de Jong',
    }).expect(201);
    expectProblem(
      await post(worker, `/v1/households/${id}/corrections`, {
        field: 'memberName',
        memberId: PARENT,
        value: 'S. J.',
      }),
      409,
      'ProcessingRestricted',
    );
    await getHousehold(t, id, worker);
  });

  it('refuses bad input (400), anyone but an admin (403), an unknown household (404), nothing written', async () => {
    const { id } = await withGoal();
    const version = (await getHousehold(t, id, worker)).body.version;
    const bad = await post(admin(t), `/v1/households/${id}/restrictions`, {
      ground: 'verzoek 2 van Jan Jansen',
    });
    expect(expectProblem(bad, 400, 'ValidationFailed').errors?.[0]?.field).toBe('ground');
    expectProblem(
      await post(admin(t), `/v1/households/${id}/restrictions`, { ground: GROUND, until: 'morgen' }),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await post(admin(t), `/v1/households/${id}/restrictions`, { ground: GROUND, memberId: 'm-nobody' }),
      400,
      'UnknownMember',
    );
    expectProblem(
      await post(admin(t), `/v1/households/${id}/restrictions`, {
        ground: GROUND,
        until: '2000-01-01T00:00:00Z',
      }),
      400,
      'RestrictionUntilNotLater',
    );
    expectProblem(
      await post(worker, `/v1/households/${id}/restrictions`, { ground: GROUND }),
      403,
      'Forbidden',
    );
    expectProblem(
      await post(admin(t), `/v1/households/hh-nope/restrictions`, { ground: GROUND }),
      404,
      'HouseholdNotFound',
    );
    expectProblem(await get(outsider, `/v1/households/${id}/restrictions`), 404, 'HouseholdNotFound');
    expectProblem(await get(worker, `/v1/households/${id}/restrictions?limit=0`), 400, 'InvalidLimit');
    expect((await getHousehold(t, id, worker)).body.version).toBe(version);
  });

  it('the list of restrictions is paged, lifted ones included, in the order they were made', async () => {
    const { id } = await withGoal();
    const [first, second] = [uniq('rs'), uniq('rs')];
    await post(admin(t), `/v1/households/${id}/restrictions`, {
      restrictionId: first,
      ground: GROUND,
    }).expect(201);
    await post(admin(t), `/v1/households/${id}/restrictions/${first}/lift`).expect(200);
    await post(admin(t), `/v1/households/${id}/restrictions`, {
      restrictionId: second,
      memberId: CHILD,
      ground: GROUND,
      until: '2999-01-01T00:00:00Z',
    }).expect(201);
    const page1 = await get(worker, `/v1/households/${id}/restrictions?limit=1`).expect(200);
    expect(page1.body).toMatchObject({
      total: 2,
      next: first,
      restrictions: [{ restrictionId: first, inForce: false }],
    });
    const page2 = await get(worker, `/v1/households/${id}/restrictions?limit=1&cursor=${first}`).expect(200);
    expect(page2.body).toMatchObject({
      total: 2,
      next: null,
      restrictions: [
        { restrictionId: second, memberId: CHILD, until: '2999-01-01T00:00:00.000Z', inForce: true },
      ],
    });
    expectProblem(await get(worker, `/v1/households/${id}/restrictions?cursor=nope`), 400, 'InvalidCursor');
  });

  it('erasure goes on while the household is restricted', async () => {
    const { id } = await withGoal();
    await post(worker, `/v1/households/${id}/close`, { outcome: 'Afgerond' }).expect(200);
    await post(admin(t), `/v1/households/${id}/restrictions`, { ground: GROUND }).expect(201);
    const erased = await post(admin(t), `/v1/households/${id}/erasure`, {
      reason: 'AVG art. 17, verzoek 2026-8',
    });
    expect([200, 202]).toContain(erased.status);
  });
});

describe('corrections (AVG art. 16)', () => {
  it('a corrected name shows in the view; the audit trail and the store keep the first one', async () => {
    const { id, goalId } = await withGoal();
    const res = await post(worker, `/v1/households/${id}/corrections`, {
      field: 'memberName',
      memberId: PARENT,
      value: 'Sanne de Jong',
      ground: 'AVG art. 16, verzoek 2026-9',
    }).expect(201);
    expect(res.body).toMatchObject({
      householdId: id,
      field: 'memberName',
      correctionId: expect.any(String),
    });
    await post(worker, `/v1/households/${id}/corrections`, {
      field: 'memberBirth',
      memberId: CHILD,
      value: '2016-03',
    }).expect(201);
    await post(worker, `/v1/households/${id}/corrections`, {
      field: 'goalDescription',
      goalId,
      value: 'Schulden afgelost',
    }).expect(201);

    const view = (await getHousehold(t, id, worker)).body;
    const members = Object.fromEntries(
      (view.members as { memberId: string }[]).map((m) => [m.memberId, m]),
    ) as unknown as Record<string, { name: string; birthYear: number; birthMonth?: number }>;
    expect(members[PARENT]!.name).toBe('Sanne de Jong');
    expect(members[CHILD]).toMatchObject({ name: 'Daan Jansen', birthYear: 2016, birthMonth: 3 });
    expect(view.goals[0].description).toBe('Schulden afgelost');
    const goals = await get(worker, `/v1/households/${id}/goals`).expect(200);
    expect(goals.body.goals[0].description).toBe('Schulden afgelost');

    const trail = await get(auditor(t), `/v1/audit/households/${id}/events`).expect(200);
    const types = (trail.body.events as { type: string; data: Record<string, unknown> }[]).map((e) => e.type);
    expect(types[0]).toBe('HouseholdRegistered');
    expect(types.filter((type) => type === 'PersonalDataCorrected')).toHaveLength(3);
    // The name never reaches data (it goes to Kafka); the first name stays in the history.
    expect(JSON.stringify(trail.body)).not.toContain('Sanne de Jong');
    const stored = await t.app.get<EventStore>(EVENT_STORE).readStream(householdStream(id));
    expect(stored[0]!.personal).toMatchObject({ persons: { [PARENT]: { name: 'Sanne Jansen' } } });
    expect(stored.find((e) => e.type === 'PersonalDataCorrected')!.personal).toEqual({
      persons: { [PARENT]: { name: 'Sanne de Jong' } },
    });
  });

  it('refuses nothing to correct (409), an unknown target (404), bad input (400), a stranger (404), a role (403)', async () => {
    const { id } = await withGoal();
    const version = (await getHousehold(t, id, worker)).body.version;
    const correction = (body: object) => post(worker, `/v1/households/${id}/corrections`, body);
    expectProblem(
      await correction({ field: 'memberName', memberId: PARENT, value: 'Sanne Jansen' }),
      409,
      'NothingToCorrect',
    );
    expectProblem(
      await correction({ field: 'memberBirth', memberId: PARENT, value: '1984' }),
      409,
      'NothingToCorrect',
    );
    expectProblem(
      await correction({ field: 'goalDescription', goalId: 'g-nope', value: 'x' }),
      404,
      'CorrectionTargetNotFound',
    );
    expectProblem(
      await correction({ field: 'memberName', memberId: 'm-nope', value: 'x' }),
      404,
      'CorrectionTargetNotFound',
    );
    expectProblem(
      await correction({ field: 'actionDescription', value: 'x' }),
      400,
      'CorrectionTargetRequired',
    );
    expectProblem(
      await correction({ field: 'memberBirth', memberId: PARENT, value: '3000' }),
      400,
      'InvalidCorrectionValue',
    );
    expectProblem(
      await correction({ field: 'shoeSize', memberId: PARENT, value: '42' }),
      400,
      'ValidationFailed',
    );
    expectProblem(await correction({ field: 'memberName', memberId: PARENT }), 400, 'ValidationFailed');
    expectProblem(
      await post(outsider, `/v1/households/${id}/corrections`, {
        field: 'memberName',
        memberId: PARENT,
        value: 'x',
      }),
      404,
      'HouseholdNotFound',
    );
    expectProblem(
      await post(person(t, 'auditor-1', ['auditor']), `/v1/households/${id}/corrections`, {
        field: 'memberName',
        memberId: PARENT,
        value: 'x',
      }),
      403,
      'Forbidden',
    );
    expect((await getHousehold(t, id, worker)).body.version).toBe(version);
  });
});
