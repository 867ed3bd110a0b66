/**
 * The people around a household over HTTP: volunteers, the social map, network members, volunteer
 * assignments (invariants 12 and 13) and referrals, action owners linked through them (invariant
 * 10), and what caseloads show of them.
 */
import { householdStream, volunteerStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import {
  auditor,
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
import { peopleAroundApi } from './people-around.fixtures';

let t: TestApp;
let team: SeededTeam;
let other: SeededTeam;
let worker: Person;
let stranger: Person;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  other = await seedTeam(t, { workers: 1 });
  worker = team.workers[0]!;
  stranger = other.workers[0]!;
});
afterAll(async () => {
  await t?.close();
});

const { post, get, registerVolunteer, registerOrganisation, seedAdultHousehold, assign, addGoal } =
  peopleAroundApi(
    () => t,
    () => team,
    () => worker,
  );
const store = () => t.app.get<EventStore>(EVENT_STORE);

describe('volunteers: POST /v1/volunteers, GET /v1/volunteers/:id, PUT .../vog, POST .../deactivate', () => {
  it('registers a volunteer; GET shows name, skills, hours, VOG and state', async () => {
    const volunteerId = uniq('vol');
    const res = await post(
      '/v1/volunteers',
      {
        volunteerId,
        name: 'Henk Visser',
        skills: ['taalmaatje', 'administratie'],
        hoursPerWeek: 6,
        vogValidUntil: '2030-12-31',
      },
      team.lead,
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ volunteerId, version: 1, position: expect.any(String) });
    const got = await get(`/v1/volunteers/${volunteerId}`).expect(200);
    expect(got.body).toEqual({
      volunteerId,
      name: 'Henk Visser',
      skills: ['taalmaatje', 'administratie'],
      hoursPerWeek: 6,
      vogValidUntil: '2030-12-31',
      active: true,
      assignedHoursPerWeek: 0,
      version: 1,
    });
  });

  it('keeps the name out of the event data, in its personal part', async () => {
    const volunteerId = await registerVolunteer();
    const [event] = await store().readStream(volunteerStream(volunteerId));
    expect(JSON.stringify(event!.data)).not.toContain('Henk');
    expect(event!.personal).toEqual({ name: 'Henk Visser' });
  });

  it('only a team lead records a VOG date: a worker is refused (403), at registration and later, and nothing is written', async () => {
    const volunteerId = uniq('vol');
    expectProblem(
      await post('/v1/volunteers', {
        volunteerId,
        name: 'Henk Visser',
        skills: [],
        hoursPerWeek: 4,
        vogValidUntil: '2030-12-31',
      }),
      403,
      'NotTeamLead',
      12,
    );
    expectProblem(await get(`/v1/volunteers/${volunteerId}`), 404, 'VolunteerNotFound');
    const registered = uniq('vol');
    await post('/v1/volunteers', {
      volunteerId: registered,
      name: 'Kees',
      skills: [],
      hoursPerWeek: 4,
    }).expect(201);
    expectProblem(
      await t
        .http()
        .put(`/v1/volunteers/${registered}/vog`)
        .set(worker.as)
        .send({ vogValidUntil: '2031-01-31' }),
      403,
      'NotTeamLead',
      12,
    );
    expect((await get(`/v1/volunteers/${registered}`).expect(200)).body).toMatchObject({
      vogValidUntil: null,
      version: 1,
    });
  });

  it('updates the VOG date and deactivates; deactivating twice is a 409', async () => {
    const volunteerId = await registerVolunteer({ vogValidUntil: undefined });
    await t
      .http()
      .put(`/v1/volunteers/${volunteerId}/vog`)
      .set(team.lead.as)
      .send({ vogValidUntil: '2031-01-31' })
      .expect(200);
    await post(`/v1/volunteers/${volunteerId}/deactivate`, undefined).expect(200);
    const got = await get(`/v1/volunteers/${volunteerId}`).expect(200);
    expect(got.body).toMatchObject({ vogValidUntil: '2031-01-31', active: false, version: 3 });
    expectProblem(
      await post(`/v1/volunteers/${volunteerId}/deactivate`, undefined),
      409,
      'VolunteerAlreadyInactive',
    );
  });

  it.each([
    ['negative hours', { hoursPerWeek: -1 }, 'hoursPerWeek'],
    ['an impossible VOG date', { vogValidUntil: '2030-02-30' }, 'vogValidUntil'],
    ['a VOG instant instead of a date', { vogValidUntil: '2030-01-01T00:00:00Z' }, 'vogValidUntil'],
    ['skills that are not strings', { skills: [3] }, 'skills'],
    ['an unknown field', { bsn: '123456789' }, 'bsn'],
  ])('refuses %s with 400 and writes nothing', async (_name, extra, field) => {
    const volunteerId = uniq('vol');
    const res = await post('/v1/volunteers', {
      volunteerId,
      name: 'X',
      skills: [],
      hoursPerWeek: 4,
      ...extra,
    });
    const problem = expectProblem(res, 400, 'ValidationFailed');
    expect(problem.errors!.map((e) => e.field)).toContain(field);
    await get(`/v1/volunteers/${volunteerId}`).expect(404);
  });

  it('refuses a bad VOG update with 400 and an unknown volunteer with 404', async () => {
    const volunteerId = await registerVolunteer();
    expectProblem(
      await t
        .http()
        .put(`/v1/volunteers/${volunteerId}/vog`)
        .set(team.lead.as)
        .send({ vogValidUntil: 'soon' }),
      400,
      'ValidationFailed',
    );
    expectProblem(await get('/v1/volunteers/nobody'), 404, 'VolunteerNotFound');
    expectProblem(await post('/v1/volunteers/nobody/deactivate', undefined), 404, 'VolunteerNotFound');
  });

  it('is for workers: an auditor gets 403 and nothing is written', async () => {
    const volunteerId = uniq('vol');
    expectProblem(
      await post('/v1/volunteers', { volunteerId, name: 'X', skills: [], hoursPerWeek: 4 }, auditor(t)),
      403,
      'Forbidden',
    );
    expectProblem(await get(`/v1/volunteers/${volunteerId}`, auditor(t)), 403, 'Forbidden');
    await get(`/v1/volunteers/${volunteerId}`).expect(404);
  });
});

describe('the social map: POST /v1/organisations, GET /v1/organisations(/:id), PUT .../waiting-time', () => {
  it('registers an organisation, reads it, updates its waiting time', async () => {
    const organisationId = await registerOrganisation();
    const got = await get(`/v1/organisations/${organisationId}`).expect(200);
    expect(got.body).toEqual({
      organisationId,
      name: `Schuldhulp ${organisationId}`,
      expertise: { lifeDomains: ['finances'], tags: ['schuldhulp'] },
      location: 'noord',
      waitingDays: 21,
      professionals: [],
      version: 1,
    });
    await t
      .http()
      .put(`/v1/organisations/${organisationId}/waiting-time`)
      .set(worker.as)
      .send({ waitingDays: 42 })
      .expect(200);
    expect((await get(`/v1/organisations/${organisationId}`).expect(200)).body.waitingDays).toBe(42);
  });

  it('filters by expertise (a life domain or a tag) and location, the shortest waiting time first', async () => {
    const place = uniq('plaats');
    const slow = await registerOrganisation({ location: place, waitingDays: 60 });
    const fast = await registerOrganisation({ location: place.toUpperCase(), waitingDays: 5 });
    const housing = await registerOrganisation({
      location: place,
      expertise: { lifeDomains: ['housing'], tags: ['woonbegeleiding'] },
    });
    const ids = async (query: string) =>
      (
        (await get(`/v1/organisations?${query}`).expect(200)).body.organisations as {
          organisationId: string;
        }[]
      ).map((o) => o.organisationId);
    expect(await ids(`location=${place}&expertise=finances`)).toEqual([fast, slow]);
    expect(await ids(`location=${place}&expertise=woonbegeleiding`)).toEqual([housing]);
    expect(await ids(`location=${place}`)).toEqual([fast, housing, slow]);
    expect(await ids(`location=${place}&expertise=justice`)).toEqual([]);
  });

  it('refuses bad input with 400, a reused id with 409, an unknown id with 404, an auditor with 403', async () => {
    const bad = await post('/v1/organisations', {
      name: 'X',
      expertise: { lifeDomains: ['money'], tags: [] },
      location: 'noord',
      waitingDays: -3,
    });
    const problem = expectProblem(bad, 400, 'ValidationFailed');
    expect(problem.errors!.map((e) => e.field)).toEqual(
      expect.arrayContaining(['expertise.lifeDomains', 'waitingDays']),
    );
    expectProblem(await get('/v1/organisations?colour=blue'), 400, 'UnknownQueryParameter');
    const organisationId = await registerOrganisation();
    expectProblem(
      await post('/v1/organisations', {
        organisationId,
        name: 'Y',
        expertise: { lifeDomains: [], tags: ['x'] },
        location: 'zuid',
        waitingDays: 1,
      }),
      409,
      'OrganisationAlreadyRegistered',
    );
    expectProblem(await get('/v1/organisations/nowhere'), 404, 'OrganisationNotFound');
    expectProblem(await get('/v1/organisations', auditor(t)), 403, 'Forbidden');
  });
});

describe('network members: POST /v1/households/:id/network, POST .../network/:networkMemberId/remove', () => {
  it('adds a network member; GET of the household shows them with their name to the team', async () => {
    const householdId = await seedHousehold(t, team);
    const res = await post(`/v1/households/${householdId}/network`, {
      networkMemberId: 'n-1',
      role: 'neighbour',
      name: 'Els de Buurvrouw',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ householdId, networkMemberId: 'n-1', version: 2 });
    const got = await getHousehold(t, householdId, worker);
    expect(got.body.network).toEqual([
      { networkMemberId: 'n-1', role: 'neighbour', removed: false, name: 'Els de Buurvrouw' },
    ]);
  });

  it('a network member owns an action; removing them is refused while it is open (409, invariant 10)', async () => {
    const householdId = await seedHousehold(t, team);
    await post(`/v1/households/${householdId}/network`, {
      networkMemberId: 'n-1',
      role: 'family',
      name: 'Oma',
    }).expect(201);
    const goalId = await addGoal(householdId);
    await post(`/v1/households/${householdId}/actions`, {
      actionId: 'a-1',
      goalId,
      description: 'Wekelijks koffie drinken',
      owner: { kind: 'network', id: 'n-1' },
    }).expect(201);
    const before = await etagOf(t, householdId, worker);
    const problem = expectProblem(
      await post(`/v1/households/${householdId}/network/n-1/remove`, undefined),
      409,
      'NetworkMemberOwnsActions',
      10,
    );
    expect(problem.actions).toEqual(['a-1']);
    expect(await etagOf(t, householdId, worker)).toBe(before);
    await post(`/v1/households/${householdId}/actions/a-1/complete`, undefined).expect(200);
    await post(`/v1/households/${householdId}/network/n-1/remove`, undefined).expect(200);
    expect((await getHousehold(t, householdId, worker)).body.network[0]).toMatchObject({ removed: true });
  });

  it('refuses an unknown network member as action owner (409, invariant 10)', async () => {
    const householdId = await seedHousehold(t, team);
    const goalId = await addGoal(householdId);
    const problem = expectProblem(
      await post(`/v1/households/${householdId}/actions`, {
        goalId,
        description: 'x',
        owner: { kind: 'network', id: 'n-9' },
      }),
      409,
      'OwnerNotLinked',
      10,
    );
    expect(problem.detail).toContain('network member');
  });

  it('refuses a bad role and a missing name (400), a worker of another team (404)', async () => {
    const householdId = await seedHousehold(t, team);
    const problem = expectProblem(
      await post(`/v1/households/${householdId}/network`, { role: 'pet' }),
      400,
      'ValidationFailed',
    );
    expect(problem.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['role', 'name']));
    expectProblem(
      await post(`/v1/households/${householdId}/network`, { role: 'friend', name: 'X' }, stranger),
      404,
      'HouseholdNotFound',
    );
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });
});

describe('volunteer assignments: POST /v1/households/:id/volunteer-assignments (invariant 12)', () => {
  it('assigns a volunteer with a valid VOG to a household with a child, to an action; both read models show the hours', async () => {
    const householdId = await seedHousehold(t, team);
    const volunteerId = await registerVolunteer({ hoursPerWeek: 6 });
    const goalId = await addGoal(householdId);
    await post(`/v1/households/${householdId}/actions`, {
      actionId: 'a-1',
      goalId,
      description: 'Samen naar de sportclub',
      owner: { kind: 'household' },
    }).expect(201);
    const res = await assign(householdId, {
      assignmentId: 'as-1',
      volunteerId,
      actionId: 'a-1',
      hoursPerWeek: 4,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ householdId, assignmentId: 'as-1', status: 'open', version: 4 });

    const got = await getHousehold(t, householdId, worker);
    expect(got.body.assignments).toEqual([
      {
        assignmentId: 'as-1',
        volunteerId,
        actionId: 'a-1',
        hoursPerWeek: 4,
        assignedAt: expect.any(String),
        status: 'open',
      },
    ]);
    const perHousehold = await get(`/v1/households/${householdId}/volunteer-assignments`).expect(200);
    expect(perHousehold.body).toMatchObject({
      householdId,
      openAssignments: 1,
      assignedHoursPerWeek: 4,
      total: 1,
      next: null,
    });
    const perVolunteer = await get(`/v1/volunteers/${volunteerId}/assignments`).expect(200);
    expect(perVolunteer.body).toMatchObject({
      volunteerId,
      openAssignments: 1,
      assignedHoursPerWeek: 4,
      assignments: [{ householdId, assignmentId: 'as-1', hoursPerWeek: 4, status: 'open' }],
    });
    expect((await get(`/v1/volunteers/${volunteerId}`).expect(200)).body.assignedHoursPerWeek).toBe(4);
  });

  it("a volunteer's assignments list only households the caller may read; the totals count them all", async () => {
    const ours = await seedAdultHousehold();
    const theirs = await seedAdultHousehold(stranger, other);
    const volunteerId = await registerVolunteer({ hoursPerWeek: 8 });
    await assign(ours, { volunteerId, hoursPerWeek: 2 }).expect(201);
    await assign(theirs, { volunteerId, hoursPerWeek: 3 }, stranger).expect(201);
    const seen = (who: Person) => get(`/v1/volunteers/${volunteerId}/assignments`, who).expect(200);
    for (const [who, visible] of [
      [worker, ours],
      [stranger, theirs],
    ] as const) {
      const body = (await seen(who)).body;
      expect(body.assignments.map((a: { householdId: string }) => a.householdId)).toEqual([visible]);
      expect(body).toMatchObject({ openAssignments: 2, assignedHoursPerWeek: 5, notShown: 1 });
    }
  });

  it('a volunteer owns an action through the assignment', async () => {
    const householdId = await seedHousehold(t, team);
    const volunteerId = await registerVolunteer();
    await assign(householdId, { assignmentId: 'as-1', volunteerId }).expect(201);
    const goalId = await addGoal(householdId);
    await post(`/v1/households/${householdId}/actions`, {
      actionId: 'a-v',
      goalId,
      description: 'Taalles',
      owner: { kind: 'volunteer', id: 'as-1' },
    }).expect(201);
    const refused = expectProblem(
      await post(`/v1/households/${householdId}/actions`, {
        goalId,
        description: 'Taalles',
        owner: { kind: 'volunteer', id: volunteerId },
      }),
      409,
      'OwnerNotLinked',
      10,
    );
    expect(refused.detail).toContain('assignment');
  });

  it('refuses an inactive volunteer (409, invariant 12)', async () => {
    const householdId = await seedAdultHousehold();
    const volunteerId = await registerVolunteer();
    await post(`/v1/volunteers/${volunteerId}/deactivate`, undefined).expect(200);
    expectProblem(await assign(householdId, { volunteerId }), 409, 'VolunteerNotActive', 12);
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });

  it('refuses a volunteer without a VOG, or with an expired one, where the household has minors (409, invariant 12)', async () => {
    const householdId = await seedHousehold(t, team);
    const none = await registerVolunteer({ vogValidUntil: undefined });
    expectProblem(await assign(householdId, { volunteerId: none }), 409, 'VogRequired', 12);
    // The test clock starts in January 2026: a VOG that ran out in 2025 is expired on the assignment date.
    const expired = await registerVolunteer({ vogValidUntil: '2025-12-31' });
    const problem = expectProblem(
      await assign(householdId, { volunteerId: expired }),
      409,
      'VogRequired',
      12,
    );
    expect(problem.vogValidUntil).toBe('2025-12-31');
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
    // Renewed, the same volunteer can be assigned.
    await t
      .http()
      .put(`/v1/volunteers/${expired}/vog`)
      .set(team.lead.as)
      .send({ vogValidUntil: '2028-01-01' })
      .expect(200);
    await assign(householdId, { volunteerId: expired }).expect(201);
  });

  it('needs no VOG where every member is an adult', async () => {
    const householdId = await seedAdultHousehold();
    const volunteerId = await registerVolunteer({ vogValidUntil: undefined });
    await assign(householdId, { volunteerId }).expect(201);
  });

  it("refuses hours beyond the volunteer's availability, counted across households (409, invariant 12)", async () => {
    const first = await seedAdultHousehold();
    const second = await seedAdultHousehold();
    const volunteerId = await registerVolunteer({ hoursPerWeek: 6 });
    await assign(first, { volunteerId, hoursPerWeek: 4 }).expect(201);
    const problem = expectProblem(
      await assign(second, { volunteerId, hoursPerWeek: 3 }),
      409,
      'VolunteerHoursExceeded',
      12,
    );
    expect(problem).toMatchObject({ availableHours: 6, assignedHours: 4, requestedHours: 3 });
    await assign(second, { volunteerId, hoursPerWeek: 2 }).expect(201);
    expect(
      (await get(`/v1/volunteers/${volunteerId}/assignments`).expect(200)).body.assignedHoursPerWeek,
    ).toBe(6);
  });

  it('under concurrency, assignments from many households never exceed the hours (exactly those that fit succeed)', async () => {
    const households = await Promise.all(Array.from({ length: 6 }, () => seedAdultHousehold()));
    const volunteerId = await registerVolunteer({ hoursPerWeek: 6 });
    const results = await Promise.all(households.map((h) => assign(h, { volunteerId, hoursPerWeek: 2 })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409))
      expectProblem(r, 409, 'VolunteerHoursExceeded', 12);
    const perVolunteer = await get(`/v1/volunteers/${volunteerId}/assignments`).expect(200);
    expect(perVolunteer.body.assignedHoursPerWeek).toBe(6);
    expect(perVolunteer.body.openAssignments).toBe(3);
  });

  it('ends an assignment with a reason; its hours are available again at once', async () => {
    const householdId = await seedAdultHousehold();
    const other = await seedAdultHousehold();
    const volunteerId = await registerVolunteer({ hoursPerWeek: 4 });
    await assign(householdId, { assignmentId: 'as-1', volunteerId, hoursPerWeek: 4 }).expect(201);
    const res = await post(`/v1/households/${householdId}/volunteer-assignments/as-1/end`, {
      reason: 'Klaar',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assignmentId: 'as-1', status: 'ended' });
    expectProblem(
      await post(`/v1/households/${householdId}/volunteer-assignments/as-1/end`, { reason: 'Klaar' }),
      409,
      'AssignmentAlreadyEnded',
    );
    expectProblem(
      await post(`/v1/households/${householdId}/volunteer-assignments/as-9/end`, { reason: 'x' }),
      404,
      'AssignmentNotFound',
    );
    const released = (await store().readStream(volunteerStream(volunteerId))).map((e) => e.type);
    expect(released).toEqual(['VolunteerRegistered', 'VolunteerHoursCommitted', 'VolunteerHoursReleased']);
    await assign(other, { volunteerId, hoursPerWeek: 4 }).expect(201);
  });

  it('refuses bad input (400), another team (404), an unknown volunteer (400), a stale If-Match (409) and holds no hours', async () => {
    const householdId = await seedAdultHousehold();
    const volunteerId = await registerVolunteer({ hoursPerWeek: 2 });
    const bad = expectProblem(await assign(householdId, { hoursPerWeek: 0 }), 400, 'ValidationFailed');
    expect(bad.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['volunteerId', 'hoursPerWeek']));
    expectProblem(await assign(householdId, { volunteerId }, stranger), 404, 'HouseholdNotFound');
    const unknown = expectProblem(
      await assign(householdId, { volunteerId: 'nobody' }),
      400,
      'UnknownVolunteer',
    );
    expect(unknown.errors).toEqual([{ field: 'volunteerId', reason: expect.any(String) }]);
    expectProblem(await assign(householdId, { volunteerId }).set('If-Match', '"7"'), 409, 'VersionConflict');
    expectProblem(
      await post(`/v1/households/${householdId}/volunteer-assignments/as-1/end`, {}),
      400,
      'ValidationFailed',
    );
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
    expect((await store().readStream(volunteerStream(volunteerId))).map((e) => e.type)).toEqual([
      'VolunteerRegistered',
    ]);
  });

  it('GET /v1/households/:id/volunteer-assignments is for the team (404 for another team, 403 for an auditor)', async () => {
    const householdId = await seedAdultHousehold();
    expectProblem(
      await get(`/v1/households/${householdId}/volunteer-assignments`, stranger),
      404,
      'HouseholdNotFound',
    );
    expectProblem(
      await get(`/v1/households/${householdId}/volunteer-assignments`, auditor(t)),
      403,
      'Forbidden',
    );
    expectProblem(await get('/v1/households/nope/volunteer-assignments'), 404, 'HouseholdNotFound');
  });
});

describe('invariant 13: closing a plan ends its open volunteer assignments, as events', () => {
  it('PlanClosed is followed by one VolunteerAssignmentEnded per open assignment (cause plan-closed); hours come back', async () => {
    const householdId = await seedAdultHousehold();
    const v1 = await registerVolunteer({ hoursPerWeek: 4 });
    const v2 = await registerVolunteer({ hoursPerWeek: 3 });
    await assign(householdId, { assignmentId: 'as-1', volunteerId: v1, hoursPerWeek: 4 }).expect(201);
    await assign(householdId, { assignmentId: 'as-2', volunteerId: v2, hoursPerWeek: 3 }).expect(201);
    await assign(householdId, { assignmentId: 'as-3', volunteerId: v2, hoursPerWeek: 0.5 }).expect(409);
    await post(`/v1/households/${householdId}/close`, { outcome: 'Doelen bereikt' }).expect(200);

    const events = await store().readStream(householdStream(householdId));
    const closedAt = events.findIndex((e) => e.type === 'PlanClosed');
    expect(closedAt).toBeGreaterThan(0);
    const after = events.slice(closedAt + 1);
    expect(after.map((e) => [e.type, e.data.assignmentId, e.data.cause])).toEqual([
      ['VolunteerAssignmentEnded', 'as-1', 'plan-closed'],
      ['VolunteerAssignmentEnded', 'as-2', 'plan-closed'],
    ]);
    expect(after.every((e) => e.metadata.causationId === events[closedAt]!.metadata.causationId)).toBe(true);

    const got = await getHousehold(t, householdId, worker);
    expect(got.body.assignments.map((a: { status: string }) => a.status)).toEqual(['ended', 'ended']);
    const perVolunteer = await get(`/v1/volunteers/${v1}/assignments`).expect(200);
    expect(perVolunteer.body).toMatchObject({
      assignedHoursPerWeek: 0,
      assignments: [{ assignmentId: 'as-1', status: 'ended', endCause: 'plan-closed' }],
    });
    // The closed plan's hours are free again for another household.
    const next = await seedAdultHousehold();
    await assign(next, { volunteerId: v1, hoursPerWeek: 4 }).expect(201);
  });
});

/**
 * Issue 18: a referral shares the household with the organisation, so it needs every current member's
 * consent or a configured legal ground. These households have a child of 10 without recorded authority
 * (no one can consent for them yet), so most referrals here name a legal ground.
 */
const GROUND = 'wmo-art-5-2-1';

describe('referrals: POST /v1/households/:id/referrals and .../:referralId/{accept,complete,withdraw}', () => {
  it('issue 18: with every member’s consent it records them; without, 409 ConsentRequired; an unconfigured ground 400', async () => {
    const organisationId = await registerOrganisation();
    const body = householdBody(team, {
      members: [
        { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
        { memberId: 'm-teen', role: 'child', birthYear: t.clock.peek().getUTCFullYear() - 18, name: 'Noor' },
      ],
    });
    await post('/v1/households', body).expect(201);
    const householdId = body.householdId;
    const consent = (memberId: string) =>
      post(`/v1/households/${householdId}/consents`, {
        consentId: `c-${memberId}`,
        memberId,
        purpose: 'referral',
        recipient: organisationId,
        givenBy: [{ memberId }],
      }).expect(201);
    await consent(PARENT);
    const missing = expectProblem(
      await post(`/v1/households/${householdId}/referrals`, { referralId: 'r-1', organisationId }),
      409,
      'ConsentRequired',
    );
    expect(missing).toMatchObject({ purpose: 'referral', recipient: organisationId, members: ['m-teen'] });
    const unknown = expectProblem(
      await post(`/v1/households/${householdId}/referrals`, {
        organisationId,
        legalGround: 'omdat-het-moet',
      }),
      400,
      'UnknownLegalGround',
    );
    expect(unknown.errors).toEqual([expect.objectContaining({ field: 'legalGround' })]);
    await consent('m-teen');
    await post(`/v1/households/${householdId}/referrals`, { referralId: 'r-1', organisationId }).expect(201);
    const requested = (await store().readStream(householdStream(householdId))).find(
      (e) => e.type === 'ReferralRequested',
    )!;
    expect(requested.data).toMatchObject({ legalGround: null, consentIds: [`c-${PARENT}`, 'c-m-teen'] });
  });

  it('runs requested -> accepted -> completed without moving regie; GET shows the referral', async () => {
    const householdId = await seedHousehold(t, team, { regieWorker: worker });
    const organisationId = await registerOrganisation({ waitingDays: 14 });
    const holderBefore = (await getHousehold(t, householdId, worker)).body.regie;
    const res = await post(`/v1/households/${householdId}/referrals`, {
      referralId: 'r-1',
      organisationId,
      lifeDomain: 'finances',
      note: 'Schulden sinds 2024',
      legalGround: GROUND,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ referralId: 'r-1', status: 'requested' });
    await post(`/v1/households/${householdId}/referrals/r-1/accept`, undefined).expect(200);
    await post(`/v1/households/${householdId}/referrals/r-1/complete`, undefined).expect(200);
    const got = await getHousehold(t, householdId, worker);
    expect(got.body.referrals).toEqual([
      {
        referralId: 'r-1',
        organisationId,
        lifeDomain: 'finances',
        requestedAt: expect.any(String),
        status: 'completed',
      },
    ]);
    expect(got.body.regie).toEqual(holderBefore);
    const history = await get(`/v1/households/${householdId}/regie/history`).expect(200);
    expect(history.body.intervals).toHaveLength(1);
    const requested = (await store().readStream(householdStream(householdId))).find(
      (e) => e.type === 'ReferralRequested',
    )!;
    expect(requested.data).toMatchObject({ waitingDays: 14, legalGround: GROUND, consentIds: [] });
    expect(JSON.stringify(requested.data)).not.toContain('Schulden');
  });

  it('withdraws with a reason; an organisation owns actions only through an open referral', async () => {
    const householdId = await seedHousehold(t, team);
    const organisationId = await registerOrganisation();
    await post(`/v1/households/${householdId}/referrals`, {
      referralId: 'r-1',
      organisationId,
      legalGround: GROUND,
    }).expect(201);
    const goalId = await addGoal(householdId);
    await post(`/v1/households/${householdId}/actions`, {
      goalId,
      description: 'Intake schuldhulp',
      owner: { kind: 'organisation', id: 'r-1' },
    }).expect(201);
    await post(`/v1/households/${householdId}/referrals/r-1/withdraw`, { reason: 'Zelf geregeld' }).expect(
      200,
    );
    expectProblem(
      await post(`/v1/households/${householdId}/actions`, {
        goalId,
        description: 'Nog een intake',
        owner: { kind: 'organisation', id: 'r-1' },
      }),
      409,
      'OwnerNotLinked',
      10,
    );
    expectProblem(
      await post(`/v1/households/${householdId}/actions`, {
        goalId,
        description: 'x',
        owner: { kind: 'organisation', id: organisationId },
      }),
      409,
      'OwnerNotLinked',
      10,
    );
  });

  it('refuses steps out of order (409), unknown referrals (404), unknown organisations and bad input (400), another team (404)', async () => {
    const householdId = await seedHousehold(t, team);
    const organisationId = await registerOrganisation();
    await post(`/v1/households/${householdId}/referrals`, {
      referralId: 'r-1',
      organisationId,
      legalGround: GROUND,
    }).expect(201);
    const conflict = expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-1/complete`, undefined),
      409,
      'ReferralStatusConflict',
    );
    expect(conflict.referralStatus).toBe('requested');
    expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-9/accept`, undefined),
      404,
      'ReferralNotFound',
    );
    expectProblem(
      await post(`/v1/households/${householdId}/referrals`, { organisationId: 'not-on-the-map' }),
      400,
      'UnknownOrganisation',
    );
    const bad = expectProblem(
      await post(`/v1/households/${householdId}/referrals`, { organisationId, lifeDomain: 'luck' }),
      400,
      'ValidationFailed',
    );
    expect(bad.errors!.map((e) => e.field)).toEqual(['lifeDomain']);
    expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-1/withdraw`, {}),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await post(`/v1/households/${householdId}/referrals`, { organisationId }, stranger),
      404,
      'HouseholdNotFound',
    );
    expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-1/accept`, undefined, stranger),
      404,
      'HouseholdNotFound',
    );
    expect(await etagOf(t, householdId, worker)).toBe('"2"');
  });
});

describe('caseloads show assignments and referrals', () => {
  it("the regie holder's and the team's caseload count open assignments, their hours and open referrals", async () => {
    const holder = team.workers[1]!;
    const householdId = await seedHousehold(t, team, { regieWorker: holder });
    const volunteerId = await registerVolunteer({ hoursPerWeek: 6 });
    const organisationId = await registerOrganisation();
    await assign(householdId, { volunteerId, hoursPerWeek: 2.5 }, holder).expect(201);
    await post(
      `/v1/households/${householdId}/referrals`,
      { referralId: 'r-1', organisationId, legalGround: GROUND },
      holder,
    ).expect(201);
    await post(
      `/v1/households/${householdId}/referrals`,
      { referralId: 'r-2', organisationId, legalGround: GROUND },
      holder,
    ).expect(201);
    await post(`/v1/households/${householdId}/referrals/r-2/withdraw`, { reason: 'x' }, holder).expect(200);

    const mine = await get(`/v1/caseloads/workers/${holder.id}`, holder).expect(200);
    const row = mine.body.households.find((h: { householdId: string }) => h.householdId === householdId);
    expect(row).toMatchObject({ assignments: { open: 1, hoursPerWeek: 2.5 }, referrals: { open: 1 } });
    expect(mine.body.counts).toMatchObject({ openAssignments: 1, openReferrals: 1 });

    const teamView = await get(`/v1/caseloads/teams/${team.teamId}`, team.lead).expect(200);
    const teamRow = teamView.body.households.find(
      (h: { householdId: string }) => h.householdId === householdId,
    );
    expect(teamRow).toMatchObject({ assignments: { open: 1, hoursPerWeek: 2.5 }, referrals: { open: 1 } });
    expect(teamView.body.counts.openAssignments).toBeGreaterThanOrEqual(1);
  });
});

describe('OpenAPI', () => {
  it('/docs-json documents every endpoint of the people around a household', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, { summary?: string }>>;
    const expected = [
      'POST /v1/volunteers',
      'GET /v1/volunteers/{id}',
      'PUT /v1/volunteers/{id}/vog',
      'POST /v1/volunteers/{id}/deactivate',
      'GET /v1/volunteers/{id}/assignments',
      'POST /v1/organisations',
      'GET /v1/organisations',
      'GET /v1/organisations/{id}',
      'PUT /v1/organisations/{id}/waiting-time',
      'POST /v1/households/{id}/network',
      'POST /v1/households/{id}/network/{networkMemberId}/remove',
      'POST /v1/households/{id}/volunteer-assignments',
      'GET /v1/households/{id}/volunteer-assignments',
      'POST /v1/households/{id}/volunteer-assignments/{assignmentId}/end',
      'POST /v1/households/{id}/referrals',
      'POST /v1/households/{id}/referrals/{referralId}/accept',
      'POST /v1/households/{id}/referrals/{referralId}/complete',
      'POST /v1/households/{id}/referrals/{referralId}/withdraw',
    ];
    for (const operation of expected) {
      const [method, path] = operation.split(' ') as [string, string];
      expect({ operation, summary: paths[path]?.[method.toLowerCase()]?.summary }).toEqual({
        operation,
        summary: expect.any(String),
      });
    }
  });
});
