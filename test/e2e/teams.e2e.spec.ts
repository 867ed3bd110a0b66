/**
 * Teams and their workers over HTTP: registration, joining, deactivation, and the two invariants
 * that hang on a worker's active state (DOMAIN.md 1 and 8).
 */
import { startTestApp, TestApp } from '../support/app';
import {
  admin,
  expectProblem,
  getHousehold,
  householdBody,
  person,
  PARENT,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const registerTeam = (body: Record<string, unknown>, as = admin(t).as) =>
  t.http().post('/v1/teams').set(as).send(body);
const addWorker = (teamId: string, body: Record<string, unknown>, as = admin(t).as) =>
  t.http().post(`/v1/teams/${teamId}/workers`).set(as).send(body);
const deactivate = (teamId: string, workerId: string, as = admin(t).as) =>
  t.http().post(`/v1/teams/${teamId}/workers/${workerId}/deactivate`).set(as);

describe('POST /v1/teams', () => {
  it('registers a team: 201 with the team id, version 1 and ETag "1"', async () => {
    const teamId = uniq('team');
    const res = await registerTeam({ teamId, name: 'Wijkteam Noord', districts: ['noord', 'oud-noord'] });

    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual({ teamId, version: 1, position: expect.any(String) });
  });

  it('generates a UUID when the client sends no teamId', async () => {
    const res = await registerTeam({ name: 'Wijkteam Zuid', districts: ['zuid'] });

    expect(res.status).toBe(201);
    expect(res.body.teamId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('refuses a team id that is taken: 409 TeamAlreadyRegistered', async () => {
    const teamId = uniq('team');
    await registerTeam({ teamId, name: 'Eerste', districts: ['noord'] }).expect(201);

    expectProblem(
      await registerTeam({ teamId, name: 'Tweede', districts: ['zuid'] }),
      409,
      'TeamAlreadyRegistered',
    );
  });
});

describe('POST /v1/teams/:teamId/workers', () => {
  it('adds workers: each write answers the next version, also as ETag', async () => {
    const teamId = uniq('team');
    await registerTeam({ teamId, name: 'Wijkteam', districts: ['noord'] }).expect(201);

    const first = await addWorker(teamId, {
      workerId: uniq('w'),
      name: 'Fatima de Vries',
      role: 'generalist',
      hoursPerWeek: 32,
    });
    const workerId = uniq('w');
    const second = await addWorker(teamId, {
      workerId,
      name: 'Joost Bakker',
      role: 'specialist',
      hoursPerWeek: 24.5,
    });

    expect(first.status).toBe(201);
    expect(first.headers.etag).toBe('"2"');
    expect(second.status).toBe(201);
    expect(second.headers.etag).toBe('"3"');
    expect(second.body).toEqual({ teamId, workerId, version: 3, position: expect.any(String) });
  });

  it('lets a team lead of the team add a worker, but not a team lead of another team (403, nothing written)', async () => {
    const team = await seedTeam(t, { workers: 0 });
    const other = await seedTeam(t, { workers: 0 });

    const refused = await addWorker(
      team.teamId,
      { workerId: uniq('w'), name: 'X', role: 'generalist', hoursPerWeek: 8 },
      other.lead.as,
    );
    expectProblem(refused, 403, 'Forbidden');

    const byOwnLead = await addWorker(
      team.teamId,
      { workerId: uniq('w'), name: 'Y', role: 'generalist', hoursPerWeek: 8 },
      team.lead.as,
    );
    expect(byOwnLead.status).toBe(201);
    // The refused request wrote nothing: this is the very next version.
    expect(byOwnLead.body.version).toBe(team.version + 1);
  });

  it('refuses a worker id that another team registered: 409 WorkerAlreadyRegistered', async () => {
    const team = await seedTeam(t, { workers: 1 });
    const other = await seedTeam(t, { workers: 0 });

    const res = await addWorker(other.teamId, {
      workerId: team.workers[0].id,
      name: 'Dubbel',
      role: 'generalist',
      hoursPerWeek: 8,
    });

    const problem = expectProblem(res, 409, 'WorkerAlreadyRegistered');
    expect(problem.detail).toContain(team.teamId);
  });

  it('answers 404 TeamNotFound for a team that is not registered', async () => {
    const res = await addWorker(uniq('team'), {
      workerId: uniq('w'),
      name: 'X',
      role: 'generalist',
      hoursPerWeek: 8,
    });
    expectProblem(res, 404, 'TeamNotFound');
  });
});

describe('POST /v1/teams/:teamId/workers/:workerId/deactivate', () => {
  it('deactivates a worker without regie: 200, active false, the next version', async () => {
    const team = await seedTeam(t, { workers: 1 });
    const workerId = team.workers[0].id;

    const res = await deactivate(team.teamId, workerId, team.lead.as);

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${team.version + 1}"`);
    expect(res.body).toEqual({
      teamId: team.teamId,
      workerId,
      active: false,
      version: team.version + 1,
      position: expect.any(String),
    });
    expectProblem(await deactivate(team.teamId, workerId), 409, 'WorkerAlreadyInactive');
  });

  it('answers 404 WorkerNotFound for a worker the team does not have', async () => {
    const team = await seedTeam(t, { workers: 0 });
    expectProblem(await deactivate(team.teamId, uniq('w')), 404, 'WorkerNotFound');
  });

  it('invariant 8: refuses to deactivate a worker who holds regie, naming the households; allowed once regie is returned', async () => {
    const team = await seedTeam(t, { workers: 1 });
    const holder = team.workers[0];
    const first = await seedHousehold(t, team, { regieWorker: holder });
    const second = await seedHousehold(t, team, { regieWorker: holder });

    const refused = await deactivate(team.teamId, holder.id, team.lead.as);

    const problem = expectProblem(refused, 409, 'WorkerHoldsRegie', 8);
    expect(problem.detail).toContain(first);
    expect(problem.detail).toContain(second);
    expect(problem.households).toEqual([first, second].sort());

    for (const householdId of [first, second]) {
      await t
        .http()
        .post(`/v1/households/${householdId}/regie/return-to-household`)
        .set(holder.as)
        .send({ agreedBy: PARENT })
        .expect(200);
    }
    const allowed = await deactivate(team.teamId, holder.id, team.lead.as);
    expect(allowed.status).toBe(200);
    // The refusal wrote nothing to the team stream.
    expect(allowed.body.version).toBe(team.version + 1);
  });
});

describe('invariant 1: only an active worker holds (or is about to hold) regie', () => {
  it('refuses an inactive worker as the regie holder at registration: 409, invariant 1, no household written', async () => {
    const team = await seedTeam(t, { workers: 2 });
    const [registrar, gone] = team.workers;
    await deactivate(team.teamId, gone.id).expect(200);
    const body = householdBody(team, { regie: { workerId: gone.id } });

    const res = await t.http().post('/v1/households').set(registrar.as).send(body);

    expectProblem(res, 409, 'WorkerNotActive', 1);
    expectProblem(
      await t.http().get(`/v1/households/${body.householdId}`).set(registrar.as),
      404,
      'HouseholdNotFound',
    );
  });

  it('refuses a transfer to an inactive worker: 409, invariant 1, no pending transfer', async () => {
    const team = await seedTeam(t, { workers: 2 });
    const [requester, gone] = team.workers;
    const householdId = await seedHousehold(t, team);
    await deactivate(team.teamId, gone.id).expect(200);

    const res = await t
      .http()
      .post(`/v1/households/${householdId}/regie/transfers`)
      .set(requester.as)
      .send({ to: { kind: 'worker', id: gone.id }, reason: 'Specialistische hulp', agreedBy: PARENT });

    expectProblem(res, 409, 'WorkerNotActive', 1);
    const after = await getHousehold(t, householdId, requester);
    expect(after.body.pendingTransfer).toBeNull();
    expect(after.headers.etag).toBe('"1"');
  });

  it('refuses to accept a transfer whose receiver was deactivated meanwhile: 409, invariant 1, the giver keeps regie', async () => {
    const team = await seedTeam(t, { workers: 2 });
    const [giver, receiver] = team.workers;
    const householdId = await seedHousehold(t, team, { regieWorker: giver });
    const transferId = uniq('tr');
    await t
      .http()
      .post(`/v1/households/${householdId}/regie/transfers`)
      .set(giver.as)
      .send({ transferId, to: { kind: 'worker', id: receiver.id }, reason: 'Verhuizing naar andere wijk' })
      .expect(201);
    // A pending receiver does not hold regie yet, so invariant 8 lets them go.
    await deactivate(team.teamId, receiver.id, team.lead.as).expect(200);

    const res = await t
      .http()
      .post(`/v1/households/${householdId}/regie/transfers/${transferId}/accept`)
      .set(team.lead.as);

    expectProblem(res, 409, 'WorkerNotActive', 1);
    const after = await getHousehold(t, householdId, giver);
    expect(after.body.regie.holder).toEqual({ kind: 'worker', id: giver.id, teamId: team.teamId });
    expect(after.headers.etag).toBe('"2"');
  });

  it('a worker without any team cannot be made regie holder: 400 naming the field', async () => {
    const team = await seedTeam(t, { workers: 1 });
    const stranger = person(t, uniq('w'), ['worker'], [team.teamId]);

    const res = await t
      .http()
      .post('/v1/households')
      .set(team.workers[0].as)
      .send(householdBody(team, { regie: { workerId: stranger.id } }));

    const problem = expectProblem(res, 400, 'UnknownWorker');
    expect(problem.errors).toEqual([
      { field: 'regie.workerId', reason: expect.stringContaining(stranger.id) },
    ]);
  });
});
