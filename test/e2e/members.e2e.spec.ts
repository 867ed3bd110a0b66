/**
 * Members over time, parental authority and capacity over HTTP (issue 18): a birth month checked on
 * the day of the act (the injected clock: a newborn of the new year on New Year's night), members
 * who join and leave, who holds authority over a minor, and the capacity rules applied to the
 * plan's agreement and to regie returning to the household. Refusals as problem+json: each 409,
 * 400, 403 and 404.
 */
import { startTestApp, TestApp, TestClock } from '../support/app';
import {
  auditor,
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
  uniq,
} from './fixtures';

// The app starts on the last evening of 2026 (Amsterdam): a year that a process started in 2026
// would have fixed as the highest birth year.
const clock = new TestClock('2026-12-31T22:00:00.000Z');
let t: TestApp;
let team: SeededTeam;
let worker: Person;
let other: SeededTeam;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
  team = await seedTeam(t, { workers: 2 });
  other = await seedTeam(t, { workers: 1 });
  worker = team.workers[0];
});
afterAll(async () => {
  await t?.close();
});

const post = (path: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().post(path).set(who.as).send(body);
const put = (path: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().put(path).set(who.as).send(body);
const addMember = (householdId: string, body: Record<string, unknown> = {}, who?: Person) =>
  post(
    `/v1/households/${householdId}/members`,
    {
      memberId: uniq('m'),
      role: 'adult',
      birthYear: 1990,
      birthMonth: 6,
      name: 'Ali Jansen',
      reason: 'moved-in',
      on: '2026-12-01',
      ...body,
    },
    who,
  );
const leave = (householdId: string, memberId: string, body: Record<string, unknown> = {}, who?: Person) =>
  post(
    `/v1/households/${householdId}/members/${memberId}/leave`,
    { reason: 'moved-out', on: '2026-12-01', ...body },
    who,
  );
const setAuthority = (householdId: string, memberId: string, holders: unknown[], who?: Person) =>
  put(`/v1/households/${householdId}/members/${memberId}/authority`, { holders }, who);
const addGoal = (householdId: string) =>
  post(`/v1/households/${householdId}/goals`, { lifeDomain: 'finances', description: 'Schulden op orde' });
const agree = (householdId: string, body: Record<string, unknown>) =>
  post(`/v1/households/${householdId}/plan/agreements`, body);
const memberOf = async (householdId: string, memberId: string) =>
  ((await getHousehold(t, householdId, worker)).body.members as { memberId: string }[]).find(
    (m) => m.memberId === memberId,
  );

describe('a birth date with its month, checked against the injected clock', () => {
  it('refuses a child born in January 2027 on 31 December (400 naming the member), and takes them once it is 1 January in Amsterdam', async () => {
    const body = householdBody(team, {
      members: [
        { memberId: PARENT, role: 'parent', birthYear: 1990, birthMonth: 4, name: 'Sanne Jansen' },
        { memberId: CHILD, role: 'child', birthYear: 2027, birthMonth: 1, name: 'Noor Jansen' },
      ],
    });
    const refused = expectProblem(await post('/v1/households', body), 400, 'InvalidBirthDate');
    expect(refused.errors).toEqual([
      { field: 'members[1].birthYear', reason: expect.stringContaining('2027') },
    ]);

    // 23:00Z on 31 December is midnight in Amsterdam.
    clock.advance(60 * 60 * 1000);
    await post('/v1/households', body).expect(201);
    expect(await memberOf(body.householdId, CHILD)).toMatchObject({ birthYear: 2027, birthMonth: 1 });
  });

  it('records a newborn of the new year as a birth (201); a birth month still ahead is 400', async () => {
    const householdId = await seedHousehold(t, team);
    const res = await addMember(householdId, {
      memberId: 'm-baby',
      role: 'child',
      birthYear: 2027,
      birthMonth: 1,
      name: 'Bo Jansen',
      reason: 'birth',
      on: '2027-01-01',
    });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toEqual({
      householdId,
      memberId: 'm-baby',
      reason: 'birth',
      on: '2027-01-01',
      version: 2,
      position: expect.any(String),
    });
    expect(await memberOf(householdId, 'm-baby')).toEqual({
      memberId: 'm-baby',
      role: 'child',
      birthYear: 2027,
      birthMonth: 1,
      name: 'Bo Jansen',
      authority: [],
      left: null,
    });
    expectProblem(
      await addMember(householdId, {
        role: 'child',
        birthYear: 2027,
        birthMonth: 2,
        reason: 'moved-in',
        on: '2027-01-01',
      }),
      400,
      'InvalidBirthDate',
    );
  });
});

describe('POST /v1/households/:id/members', () => {
  it('refuses a used member id (409), a day after today, a birth outside its month (400), bad bodies (400): nothing written', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(await addMember(householdId, { memberId: CHILD }), 409, 'MemberAlreadyExists');
    expectProblem(await addMember(householdId, { on: '2027-01-02' }), 400, 'InvalidMemberDate');
    expectProblem(await addMember(householdId, { on: '2026-02-30' }), 400, 'InvalidMemberDate');
    expectProblem(
      await addMember(householdId, {
        role: 'child',
        birthYear: 2026,
        birthMonth: 3,
        reason: 'birth',
        on: '2026-12-01',
      }),
      400,
      'BirthNotOnJoinDate',
    );
    const bad = expectProblem(
      await addMember(householdId, { reason: 'adopted', birthMonth: 13, on: 'gisteren' }),
      400,
      'ValidationFailed',
    );
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['birthMonth', 'on', 'reason']);
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });

  it('is 403 for an auditor, 404 for another team’s worker and for a household that does not exist', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(await addMember(householdId, {}, auditor(t)), 403, 'Forbidden');
    expectProblem(await addMember(householdId, {}, other.workers[0]), 404, 'HouseholdNotFound');
    expectProblem(await addMember(uniq('hh-none')), 404, 'HouseholdNotFound');
  });
});

describe('POST /v1/households/:id/members/:memberId/leave', () => {
  it('records a move out (200); GET keeps the member listed with the day and reason', async () => {
    const householdId = await seedHousehold(t, team);
    const res = await leave(householdId, PARENT);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      householdId,
      memberId: PARENT,
      reason: 'moved-out',
      on: '2026-12-01',
      version: 2,
    });
    expect(await memberOf(householdId, PARENT)).toMatchObject({
      name: 'Sanne Jansen',
      left: { on: '2026-12-01', reason: 'moved-out' },
    });
  });

  it('refuses a member who left (409), the last member (409), an unknown member (404), a bad body (400), an auditor (403)', async () => {
    const householdId = await seedHousehold(t, team);
    await leave(householdId, PARENT).expect(200);
    expectProblem(await leave(householdId, PARENT), 409, 'MemberAlreadyLeft');
    expectProblem(await leave(householdId, CHILD), 409, 'LastMemberCannotLeave');
    expectProblem(await leave(householdId, 'm-nobody'), 404, 'MemberNotFound');
    const bad = expectProblem(await leave(householdId, CHILD, { reason: 'weg' }), 400, 'ValidationFailed');
    expect(bad.errors!.map((e) => e.field)).toEqual(['reason']);
    expectProblem(await leave(householdId, CHILD, {}, auditor(t)), 403, 'Forbidden');
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
  });
});

describe('PUT /v1/households/:id/members/:memberId/authority', () => {
  it('records a member and an outside holder (200); GET shows both with their names', async () => {
    const householdId = await seedHousehold(t, team);
    const res = await setAuthority(householdId, CHILD, [
      { memberId: PARENT },
      { holderId: 'gh-1', name: 'Karim Jansen' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      householdId,
      memberId: CHILD,
      holders: [
        { kind: 'member', memberId: PARENT },
        { kind: 'external', holderId: 'gh-1' },
      ],
      version: 2,
    });
    expect((await memberOf(householdId, CHILD)) as unknown).toMatchObject({
      authority: [
        { kind: 'member', memberId: PARENT, name: 'Sanne Jansen' },
        { kind: 'external', holderId: 'gh-1', name: 'Karim Jansen' },
      ],
    });
  });

  it('refuses an adult (409), a minor holder (409), the child themselves and three holders (400), an unknown member (404), an auditor (403)', async () => {
    const householdId = await seedHousehold(t, team);
    await addMember(householdId, {
      memberId: 'm-teen',
      role: 'child',
      birthYear: 2012,
      birthMonth: 5,
    }).expect(201);
    expectProblem(
      await setAuthority(householdId, PARENT, [{ holderId: 'gh-1', name: 'X' }]),
      409,
      'NotAMinor',
    );
    expectProblem(
      await setAuthority(householdId, CHILD, [{ memberId: 'm-teen' }]),
      409,
      'AuthorityHolderNotEligible',
    );
    expectProblem(
      await setAuthority(householdId, CHILD, [{ memberId: CHILD }]),
      400,
      'InvalidAuthorityHolders',
    );
    const three = [
      { holderId: 'a', name: 'A' },
      { holderId: 'b', name: 'B' },
      { holderId: 'c', name: 'C' },
    ];
    expectProblem(await setAuthority(householdId, CHILD, three), 400, 'ValidationFailed');
    expectProblem(
      await setAuthority(householdId, CHILD, [{ memberId: PARENT, holderId: 'gh-1' }]),
      400,
      'ValidationFailed',
    );
    expectProblem(await setAuthority(householdId, 'm-nobody', [{ memberId: PARENT }]), 404, 'MemberNotFound');
    expectProblem(
      await setAuthority(householdId, CHILD, [{ memberId: PARENT }], auditor(t)),
      403,
      'Forbidden',
    );
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
  });
});

describe('capacity applied: the plan is agreed when every member has agreement from someone with capacity', () => {
  it('gathers agreements per party: the parent alone is not enough until they hold authority over the child; a child of 11 has none', async () => {
    const householdId = await seedHousehold(t, team);
    await addGoal(householdId).expect(201);

    const first = await agree(householdId, { memberId: PARENT });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ agreed: false, by: { kind: 'member', memberId: PARENT } });
    const child = expectProblem(await agree(householdId, { memberId: CHILD }), 409, 'NoCapacity');
    expect(child.detail).toContain(`member ${CHILD} is 11 (under 12)`);
    expectProblem(await agree(householdId, { memberId: PARENT }), 409, 'PlanAgreementAlreadyRecorded', 11);
    expect((await getHousehold(t, householdId, worker)).body).toMatchObject({
      agreed: false,
      agreements: [{ kind: 'member', memberId: PARENT }],
    });

    // An outside holder of authority agrees for the child: the plan is agreed.
    await setAuthority(householdId, CHILD, [{ holderId: 'gh-9', name: 'Karim Jansen' }]).expect(200);
    const outside = await agree(householdId, { holderId: 'gh-9' });
    expect(outside.body).toMatchObject({
      agreed: true,
      agreedBy: 'gh-9',
      by: { kind: 'external', holderId: 'gh-9' },
    });
    expect((await getHousehold(t, householdId, worker)).body).toMatchObject({
      agreed: true,
      agreedRevision: 1,
    });
  });

  it('refuses a body with both memberId and holderId, or neither (400)', async () => {
    const householdId = await seedHousehold(t, team);
    await addGoal(householdId).expect(201);
    expectProblem(await agree(householdId, { memberId: PARENT, holderId: 'gh-1' }), 400, 'ValidationFailed');
    expectProblem(await agree(householdId, {}), 400, 'ValidationFailed');
  });

  it('regie returns with a member of 16 or over: a child of 11 is 409 NoCapacity, the parent 200', async () => {
    const householdId = await seedHousehold(t, team, { regieWorker: worker });
    const back = (agreedBy: string) =>
      post(`/v1/households/${householdId}/regie/return-to-household`, { agreedBy });
    expectProblem(await back(CHILD), 409, 'NoCapacity');
    expect((await back(PARENT)).status).toBe(200);
  });
});
