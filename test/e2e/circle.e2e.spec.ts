/**
 * Issue 20: a network member and a volunteer see the actions they own and their assignments, and
 * complete them; nobody else's data, ever. Runs on PGlite (e2e) and PostgreSQL (e2e-postgres).
 */
import { servedRoutes } from '../../tools/reliability/routes';
import { bearer, startTestApp, TestApp } from '../support/app';
import { admin, auditor, expectProblem, Person, SeededTeam, seedHousehold, seedTeam, uniq } from './fixtures';

let t: TestApp;
let team: SeededTeam;
let worker: Person;

/** Two households of one team; in A two network members, two volunteers, and an action for each, plus one of the household's. */
const A = {
  householdId: '',
  goalId: uniq('goal'),
  n1: uniq('nm'),
  n2: uniq('nm'),
  as1: uniq('as'),
  as2: uniq('as'),
  a1: uniq('act'),
  a2: uniq('act'),
  a3: uniq('act'),
  a4: uniq('act'),
  a5: uniq('act'),
};
const B = { householdId: '', nB: uniq('nm'), goalId: uniq('goal'), aB: uniq('act') };
const v1 = uniq('vol');
const v2 = uniq('vol');
const GOAL_TEXT = 'Schulden onder controle krijgen';
const NOTE_TEXT = 'Moeder vertelde over de ruzie met de verhuurder';

const post = async (
  who: Person | { as: Record<string, string> },
  path: string,
  body: object = {},
  status = 201,
) => {
  const res = await t.http().post(path).set(who.as).send(body);
  expect({ path, status: res.status, body: res.body }).toMatchObject({ status });
  return res;
};

/** A network member's token: their household and their network member id in it. */
const networkMember = (member: string, household = A.householdId, sub = `login-${member}`) => ({
  as: bearer(t.token(sub, ['network-member'], [], { household, member })),
});
const volunteer = (volunteerId: string) => ({ as: bearer(t.token(volunteerId, ['volunteer'])) });

const registerVolunteer = (volunteerId: string) =>
  post(team.lead, '/v1/volunteers', {
    volunteerId,
    name: `Vrijwilliger ${volunteerId}`,
    skills: ['taal'],
    hoursPerWeek: 6,
    vogValidUntil: '2030-12-31',
  });

const addAction = (
  householdId: string,
  goalId: string,
  actionId: string,
  owner: object,
  description: string,
) => post(worker, `/v1/households/${householdId}/actions`, { actionId, goalId, description, owner });

beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t);
  worker = team.workers[0]!;
  A.householdId = await seedHousehold(t, team);
  B.householdId = await seedHousehold(t, team);
  const a = `/v1/households/${A.householdId}`;
  await post(worker, `${a}/goals`, { goalId: A.goalId, lifeDomain: 'finances', description: GOAL_TEXT });
  await post(worker, `${a}/goals/${A.goalId}/notes`, { text: NOTE_TEXT });
  await post(worker, `${a}/network`, { networkMemberId: A.n1, role: 'neighbour', name: 'Buurvrouw Els' });
  await post(worker, `${a}/network`, { networkMemberId: A.n2, role: 'family', name: 'Oom Piet' });
  await registerVolunteer(v1);
  await registerVolunteer(v2);
  await post(worker, `${a}/volunteer-assignments`, { assignmentId: A.as1, volunteerId: v1, hoursPerWeek: 2 });
  await post(worker, `${a}/volunteer-assignments`, { assignmentId: A.as2, volunteerId: v2, hoursPerWeek: 2 });
  await addAction(A.householdId, A.goalId, A.a1, { kind: 'network', id: A.n1 }, 'Samen boodschappen doen');
  await addAction(A.householdId, A.goalId, A.a2, { kind: 'network', id: A.n2 }, 'Post doorlopen met Sanne');
  await addAction(
    A.householdId,
    A.goalId,
    A.a3,
    { kind: 'volunteer', id: A.as1 },
    'Formulier toeslag invullen',
  );
  await addAction(A.householdId, A.goalId, A.a4, { kind: 'volunteer', id: A.as2 }, 'Meegaan naar de bank');
  await addAction(A.householdId, A.goalId, A.a5, { kind: 'household' }, 'Afspraak maken');
  const b = `/v1/households/${B.householdId}`;
  await post(worker, `${b}/goals`, { goalId: B.goalId, lifeDomain: 'housing', description: 'Woning' });
  await post(worker, `${b}/network`, { networkMemberId: B.nB, role: 'friend', name: 'Vriendin Mia' });
  await addAction(B.householdId, B.goalId, B.aB, { kind: 'network', id: B.nB }, 'Verhuisdozen halen');
});

afterAll(async () => {
  await t?.close();
});

describe('GET /v1/households/:id/my-actions', () => {
  it('shows a network member their own actions only: text and life domain, no goals, names or notes', async () => {
    const res = await t.http().get(`/v1/households/${A.householdId}/my-actions`).set(networkMember(A.n1).as);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      householdId: A.householdId,
      actions: [
        { actionId: A.a1, text: 'Samen boodschappen doen', lifeDomain: 'finances', completed: false },
      ],
      version: expect.any(Number),
    });
    const body = JSON.stringify(res.body);
    for (const other of [GOAL_TEXT, NOTE_TEXT, 'Sanne Jansen', 'Buurvrouw Els', 'Oom Piet', A.a2, A.goalId])
      expect({ other, shown: body.includes(other) }).toEqual({ other, shown: false });
  });

  it('shows a volunteer the actions of their assignments and their assignments in that household', async () => {
    const res = await t.http().get(`/v1/households/${A.householdId}/my-actions`).set(volunteer(v1).as);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      householdId: A.householdId,
      actions: [
        { actionId: A.a3, text: 'Formulier toeslag invullen', lifeDomain: 'finances', completed: false },
      ],
      assignments: [
        {
          assignmentId: A.as1,
          actionId: null,
          hoursPerWeek: 2,
          assignedAt: expect.any(String),
          status: 'open',
        },
      ],
      version: expect.any(Number),
    });
    expect(JSON.stringify(res.body)).not.toContain(A.as2);
  });

  it('gives the one 404 for a household that is not theirs, whether it exists or not', async () => {
    const unseen = [
      [networkMember(A.n1), B.householdId],
      [networkMember(A.n1), 'hh-does-not-exist'],
      [volunteer(v1), B.householdId],
      [volunteer(v1), 'hh-does-not-exist'],
    ] as const;
    const bodies = [];
    for (const [who, householdId] of unseen) {
      const res = await t.http().get(`/v1/households/${householdId}/my-actions`).set(who.as);
      expectProblem(res, 404, 'HouseholdNotFound');
      bodies.push({ ...res.body, detail: res.body.detail.replace(householdId, '<id>'), instance: undefined });
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it('is closed to workers by role: they have the household routes', async () => {
    const res = await t.http().get(`/v1/households/${A.householdId}/my-actions`).set(worker.as);
    expectProblem(res, 403, 'Forbidden');
  });
});

describe('POST /v1/households/:id/actions/:actionId/complete by the owner', () => {
  it("a network member completes their own action; the workers' view shows it completed, and who did it", async () => {
    const res = await post(
      networkMember(A.n1),
      `/v1/households/${A.householdId}/actions/${A.a1}/complete`,
      {},
      200,
    );
    expect(res.body).toMatchObject({ householdId: A.householdId, actionId: A.a1, completed: true });
    const actions = await t.http().get(`/v1/households/${A.householdId}/actions`).set(worker.as).expect(200);
    expect(actions.body.actions.find((a: { actionId: string }) => a.actionId === A.a1)).toMatchObject({
      completed: true,
    });
    const mine = await t.http().get(`/v1/households/${A.householdId}/my-actions`).set(networkMember(A.n1).as);
    expect(mine.body.actions).toEqual([
      expect.objectContaining({ actionId: A.a1, completed: true, completedAt: expect.any(String) }),
    ]);
    const events = await t
      .http()
      .get(`/v1/audit/households/${A.householdId}/events`)
      .set(auditor(t).as)
      .expect(200);
    const completed = (events.body.events as { type: string; data: { actionId: string } }[]).filter(
      (e) => e.type === 'ActionCompleted',
    );
    expect(completed).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: 'network-member', id: `login-${A.n1}` }),
        data: { actionId: A.a1, completedBy: A.n1, by: { kind: 'network', id: A.n1 } },
      }),
    ]);
  });

  it("a volunteer completes the action of their assignment; another's is the same 404 as none at all", async () => {
    await post(volunteer(v1), `/v1/households/${A.householdId}/actions/${A.a3}/complete`, {}, 200);
    const refusals = [];
    for (const actionId of [A.a4, A.a2, A.a5, 'act-does-not-exist']) {
      const res = await t
        .http()
        .post(`/v1/households/${A.householdId}/actions/${actionId}/complete`)
        .set(volunteer(v1).as)
        .send({});
      expectProblem(res, 404, 'ActionNotFound');
      refusals.push(res.body.detail.replace(actionId, '<id>'));
    }
    expect(new Set(refusals)).toEqual(new Set(['there is no action <id> of yours in this household']));
    const actions = await t.http().get(`/v1/households/${A.householdId}/actions`).set(worker.as).expect(200);
    const completed = (actions.body.actions as { actionId: string; completed: boolean }[])
      .filter((a) => a.completed)
      .map((a) => a.actionId)
      .sort();
    expect(completed).toEqual([A.a1, A.a3].sort());
  });

  it("a network member of household A completes nothing in B: the one 404, also for B's network member's action", async () => {
    const res = await t
      .http()
      .post(`/v1/households/${B.householdId}/actions/${B.aB}/complete`)
      .set(networkMember(A.n1).as)
      .send({});
    expectProblem(res, 404, 'HouseholdNotFound');
  });
});

describe('every other household route is closed to them', () => {
  it('answers 403 by role on each, before reading anything', async () => {
    const open = new Set([
      'GET /v1/households/:id/my-actions',
      'POST /v1/households/:id/actions/:actionId/complete',
    ]);
    const routes = servedRoutes(t.app).filter((r) => r.includes(' /v1/households') && !open.has(r));
    expect(routes.length).toBeGreaterThan(40);
    for (const who of [networkMember(A.n2), volunteer(v2)])
      for (const route of routes) {
        const [method, pattern] = route.split(' ') as [string, string];
        const path = pattern.replace(':id', A.householdId).replace(/:(\w+)/g, 'x-1');
        const req = t.http()[method.toLowerCase() as 'get' | 'post' | 'put'](path).set(who.as);
        const res = await (method === 'GET' ? req : req.send({}));
        expect({ route, status: res.status, code: res.body?.code }).toEqual({
          route,
          status: 403,
          code: 'Forbidden',
        });
      }
  });
});

describe('GET /v1/volunteers/:id/assignments for the volunteer', () => {
  it('lists their own assignments; another id is as unknown as one never registered', async () => {
    const own = await t.http().get(`/v1/volunteers/${v1}/assignments`).set(volunteer(v1).as);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      volunteerId: v1,
      assignments: [expect.objectContaining({ assignmentId: A.as1, householdId: A.householdId })],
      notShown: 0,
    });
    for (const id of [v2, 'vol-never-registered'])
      expectProblem(
        await t.http().get(`/v1/volunteers/${id}/assignments`).set(volunteer(v1).as),
        404,
        'VolunteerNotFound',
      );
    expectProblem(
      await t.http().get(`/v1/volunteers/${v1}/assignments`).set(networkMember(A.n1).as),
      403,
      'Forbidden',
    );
  });
});

describe('who the registry admits', () => {
  it('refuses a network member once removed, and one whose token names another household or none', async () => {
    const gone = uniq('nm');
    const a = `/v1/households/${A.householdId}`;
    await post(worker, `${a}/network`, { networkMemberId: gone, role: 'other', name: 'Oud-buur' });
    const path = `${a}/my-actions`;
    expect((await t.http().get(path).set(networkMember(gone).as)).status).toBe(200);
    await post(worker, `${a}/network/${gone}/remove`, {}, 200);
    // Within the registry's freshness (a second) the removal reaches every request.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = [
      networkMember(gone),
      networkMember(A.n1, B.householdId),
      networkMember(A.n1, 'hh-does-not-exist'),
      { as: bearer(t.token('login-x', ['network-member'], [], { member: A.n1 })) },
    ];
    for (const who of refused)
      expectProblem(await t.http().get(path).set(who.as), 403, 'PrincipalNotRegistered');
  });

  it('refuses a deactivated volunteer, an unknown one, and circle roles mixed with any other', async () => {
    const leaving = uniq('vol');
    await registerVolunteer(leaving);
    await post(worker, `/v1/households/${A.householdId}/volunteer-assignments`, {
      assignmentId: uniq('as'),
      volunteerId: leaving,
      hoursPerWeek: 1,
    });
    const path = `/v1/households/${A.householdId}/my-actions`;
    expect((await t.http().get(path).set(volunteer(leaving).as)).status).toBe(200);
    await post(worker, `/v1/volunteers/${leaving}/deactivate`, {}, 200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expectProblem(await t.http().get(path).set(volunteer(leaving).as), 403, 'VolunteerDeactivated');
    expectProblem(await t.http().get(path).set(volunteer('vol-nobody').as), 403, 'PrincipalNotRegistered');
    const mixed = [
      bearer(t.token(v1, ['volunteer', 'worker'], [team.teamId])),
      bearer(t.token(v1, ['volunteer', 'network-member'], [], { household: A.householdId, member: A.n1 })),
      bearer(
        t.token('login-n1', ['network-member', 'auditor'], [], { household: A.householdId, member: A.n1 }),
      ),
    ];
    for (const as of mixed) expectProblem(await t.http().get(path).set(as), 403, 'PrincipalKindConflict');
    // Not by the back door either: the worker's routes refuse them the same way.
    expectProblem(
      await t.http().get(`/v1/households/${A.householdId}`).set(mixed[0]!),
      403,
      'PrincipalKindConflict',
    );
  });

  it('lets a volunteer go once a worker ended their assignment, its open action included', async () => {
    const later = uniq('vol');
    const assignmentId = uniq('as');
    await registerVolunteer(later);
    const a = `/v1/households/${A.householdId}`;
    await post(worker, `${a}/volunteer-assignments`, { assignmentId, volunteerId: later, hoursPerWeek: 1 });
    const actionId = uniq('act');
    await addAction(A.householdId, A.goalId, actionId, { kind: 'volunteer', id: assignmentId }, 'Klusje');
    await post(worker, `${a}/volunteer-assignments/${assignmentId}/end`, { reason: 'Klaar' }, 200);
    // Ending the assignment is how a worker ends the volunteer's part (invariant 10: an action is
    // theirs through an open assignment), also where its action is still open: the one 404 now.
    expectProblem(await t.http().get(`${a}/my-actions`).set(volunteer(later).as), 404, 'HouseholdNotFound');
    expectProblem(
      await t.http().post(`${a}/actions/${actionId}/complete`).set(volunteer(later).as).send({}),
      404,
      'HouseholdNotFound',
    );
    // The action stays open for the household's workers to give to someone else's part of the plan.
    await post(worker, `${a}/actions/${actionId}/complete`, {}, 200);
  });
});

describe("while the household's processing is restricted (AVG art. 18)", () => {
  it('tells its circle nothing of the restriction: the one 404 on reading and on completing, until lifted', async () => {
    const b = `/v1/households/${B.householdId}`;
    const restricted = await post(admin(t), `${b}/restrictions`, { ground: 'AVG art. 18, verzoek 2026-11' });
    const own = networkMember(B.nB, B.householdId);
    for (const res of [
      await t.http().get(`${b}/my-actions`).set(own.as),
      await t.http().post(`${b}/actions/${B.aB}/complete`).set(own.as).send({}),
    ]) {
      expectProblem(res, 404, 'HouseholdNotFound');
      expect(JSON.stringify(res.body)).not.toMatch(/restrict|verzoek/i);
    }
    await post(admin(t), `${b}/restrictions/${restricted.body.restrictionId as string}/lift`, {}, 200);
    await t.http().get(`${b}/my-actions`).set(own.as).expect(200);
  });
});
