/**
 * Who may call what (API.md, the "who" column): 401 for no or bad tokens, 403 for callers whose
 * role, team or relation to the household does not allow the call, and the public endpoints
 * (health, OpenAPI) that need no token at all.
 */
import * as jwt from 'jsonwebtoken';
import { signToken } from '@eenplan/security';
import { bearer, startTestApp, TEST_SECRET, TestApp } from '../support/app';
import {
  admin,
  auditor,
  etagOf,
  expectProblem,
  getHousehold,
  householdBody,
  PARENT,
  person,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';

let t: TestApp;
let team: SeededTeam;
let worker: Person;
let elsewhere: SeededTeam;
let householdId: string;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  worker = team.workers[0];
  elsewhere = await seedTeam(t, { workers: 1 });
  householdId = await seedHousehold(t, team);
});
afterAll(async () => {
  await t?.close();
});

const addGoal = (headers: Record<string, string>, id = householdId) =>
  t
    .http()
    .post(`/v1/households/${id}/goals`)
    .set(headers)
    .send({ lifeDomain: 'finances', description: 'Schulden onder controle' });

/**
 * A token as the embedded issuer signs them, with claims overridden (undefined drops a claim), so
 * each refusal below differs from an accepted token in exactly one respect.
 */
const craft = (claims: Record<string, unknown> = {}, secret = TEST_SECRET) => {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: worker.id,
    roles: ['worker'],
    teams: [team.teamId],
    iss: 'eenplan-embedded',
    aud: 'eenplan',
    iat: now,
    exp: now + 3600,
    ...claims,
  };
  return jwt.sign(Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)), secret, {
    algorithm: 'HS256',
  });
};
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('401: no token or a bad one', () => {
  it('without Authorization: 401 Unauthenticated, WWW-Authenticate: Bearer, nothing written', async () => {
    const before = await etagOf(t, householdId, worker);

    const res = await addGoal({});

    expectProblem(res, 401, 'Unauthenticated');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(await etagOf(t, householdId, worker)).toBe(before);
    expectProblem(await t.http().get(`/v1/households/${householdId}`), 401, 'Unauthenticated');
  });

  it.each([
    ['another scheme', 'Basic d29ya2VyOnNlY3JldA=='],
    ['Bearer without a token', 'Bearer'],
    ['a token with a space in it', 'Bearer abc def'],
    ['a token alone', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
  ])('a malformed Authorization header (%s) is 401 Unauthenticated', async (_what, header) => {
    expectProblem(await addGoal({ Authorization: header }), 401, 'Unauthenticated');
  });

  it('a token signed with another secret is 401 InvalidToken, nothing written', async () => {
    const before = await etagOf(t, householdId, worker);
    const forged = signToken('another-secret-0123456789-0123456789', {
      sub: worker.id,
      roles: ['worker'],
      teams: [team.teamId],
    });

    const problem = expectProblem(await addGoal(bearer(forged)), 401, 'InvalidToken');

    expect(problem.detail).toContain('signature');
    expect(await etagOf(t, householdId, worker)).toBe(before);
  });

  it('the same token, unaltered, is accepted (so each refusal below is about its one change)', async () => {
    await t.http().get(`/v1/households/${householdId}`).set(bearer(craft())).expect(200);
  });

  it('an expired token is 401 InvalidToken', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = craft({ iat: now - 7200, exp: now - 60 });

    const problem = expectProblem(
      await t.http().get(`/v1/households/${householdId}`).set(bearer(expired)),
      401,
      'InvalidToken',
    );

    expect(problem.detail).toContain('expired');
  });

  it.each([
    ['another issuer', () => craft({ iss: 'someone-else' })],
    ['another audience', () => craft({ aud: 'other-api' })],
    ['an unknown role', () => craft({ roles: ['worker', 'superuser'] })],
    ['no subject', () => craft({ sub: undefined })],
    [
      'alg none',
      () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: worker.id, roles: ['worker'], teams: [team.teamId], iss: 'eenplan-embedded', aud: 'eenplan' })}.`,
    ],
  ])('a token with %s is 401 InvalidToken', async (_what, token) => {
    expectProblem(
      await t.http().get(`/v1/households/${householdId}`).set(bearer(token())),
      401,
      'InvalidToken',
    );
  });

  it('accepts the scheme in any case ("bearer <token>")', async () => {
    const token = t.token(worker.id, ['worker'], [team.teamId]);
    const res = await t.http().get(`/v1/households/${householdId}`).set('Authorization', `bearer ${token}`);
    expect(res.status).toBe(200);
  });
});

describe('403: a role that may not', () => {
  it('a worker or team lead cannot register a team; only an admin can', async () => {
    const body = { teamId: uniq('team'), name: 'Wijkteam', districts: ['noord'] };
    expectProblem(await t.http().post('/v1/teams').set(worker.as).send(body), 403, 'Forbidden');
    expectProblem(await t.http().post('/v1/teams').set(team.lead.as).send(body), 403, 'Forbidden');
    await t.http().post('/v1/teams').set(admin(t).as).send(body).expect(201);
  });

  it('an auditor or an admin cannot register a household (workers do): 403, nothing registered', async () => {
    const body = householdBody(team);

    expectProblem(await t.http().post('/v1/households').set(auditor(t).as).send(body), 403, 'Forbidden');
    expectProblem(await t.http().post('/v1/households').set(admin(t).as).send(body), 403, 'Forbidden');
    expectProblem(
      await t.http().get(`/v1/households/${body.householdId}`).set(worker.as),
      404,
      'HouseholdNotFound',
    );
  });

  it('a plain worker cannot add or deactivate workers', async () => {
    expectProblem(
      await t
        .http()
        .post(`/v1/teams/${team.teamId}/workers`)
        .set(worker.as)
        .send({ workerId: uniq('w'), name: 'N', role: 'generalist', hoursPerWeek: 8 }),
      403,
      'Forbidden',
    );
    expectProblem(
      await t.http().post(`/v1/teams/${team.teamId}/workers/${team.workers[1].id}/deactivate`).set(worker.as),
      403,
      'Forbidden',
    );
  });

  it('only auditors read the handoff export', async () => {
    for (const who of [worker, team.lead, admin(t), person(t, 'int-1', ['integrator'])]) {
      expectProblem(await t.http().get('/v1/audit/handoffs').set(who.as), 403, 'Forbidden');
    }
    await t.http().get('/v1/audit/handoffs').set(auditor(t).as).expect(200);
  });
});

describe("404: a worker of another team and the household's data (refusals reveal nothing)", () => {
  /** The answer to an outsider, with the household's id taken out: it must not depend on the household. */
  const shape = (
    res: { status: number; body: { detail?: string } & Record<string, unknown> },
    id: string,
  ) => ({
    status: res.status,
    body: { ...res.body, detail: res.body.detail?.split(id).join('<id>') },
  });

  it('gets the same 404 for an existing household as for none, on reads and writes', async () => {
    const outsider = elsewhere.workers[0];
    const closed = await seedHousehold(t, team);
    await t
      .http()
      .post(`/v1/households/${closed}/close`)
      .set(worker.as)
      .send({ outcome: 'Klaar' })
      .expect(200);
    const held = await seedHousehold(t, team, { regieWorker: team.workers[1] });
    const nobody = uniq('hh-none');
    const calls: [string, (id: string) => Promise<{ status: number; body: Record<string, unknown> }>][] = [
      ['GET household', (id) => t.http().get(`/v1/households/${id}`).set(outsider.as)],
      ['GET history', (id) => t.http().get(`/v1/households/${id}/regie/history`).set(outsider.as)],
      ['GET holder', (id) => t.http().get('/v1/regie/holder').query({ householdId: id }).set(outsider.as)],
      ['GET check-ins', (id) => t.http().get(`/v1/households/${id}/check-ins`).set(outsider.as)],
      ['GET access log', (id) => t.http().get(`/v1/households/${id}/access-log`).set(outsider.as)],
      ['POST goal', (id) => addGoal(outsider.as, id)],
      [
        'POST close',
        (id) => t.http().post(`/v1/households/${id}/close`).set(outsider.as).send({ outcome: 'x' }),
      ],
      [
        'POST reopen',
        (id) => t.http().post(`/v1/households/${id}/reopen`).set(outsider.as).send({ reason: 'x' }),
      ],
      ['POST goal with a stale If-Match', (id) => addGoal({ ...outsider.as, 'If-Match': '"1"' }, id)],
      [
        'POST transfer accept',
        (id) => t.http().post(`/v1/households/${id}/regie/transfers/tr-x/accept`).set(outsider.as),
      ],
    ];
    for (const [what, call] of calls) {
      const none = shape(await call(nobody), nobody);
      expect({ what, ...none }).toMatchObject({ what, status: 404, body: { code: 'HouseholdNotFound' } });
      for (const id of [householdId, closed, held]) {
        expect({ what, ...shape(await call(id), id) }).toEqual({ what, ...none });
      }
    }
  });

  it('no state in the message: not the team, not the holder, not closed', async () => {
    const outsider = elsewhere.workers[0];
    const res = await t
      .http()
      .post(`/v1/households/${householdId}/close`)
      .set(outsider.as)
      .send({ outcome: 'x' });
    const text = JSON.stringify(res.body);
    for (const secret of [team.teamId, worker.id, 'closed', 'regie', 'team'])
      expect(text).not.toContain(secret);
  });

  it('an auditor reads history, not the plan', async () => {
    expectProblem(await t.http().get(`/v1/households/${householdId}`).set(auditor(t).as), 403, 'Forbidden');
    await t.http().get(`/v1/households/${householdId}/regie/history`).set(auditor(t).as).expect(200);
    await t.http().get('/v1/regie/holder').query({ householdId }).set(auditor(t).as).expect(200);
  });

  it('nothing is written by refused writes', async () => {
    const outsider = elsewhere.workers[0];
    const before = await etagOf(t, householdId, worker);
    expectProblem(await addGoal(outsider.as), 404, 'HouseholdNotFound');
    expectProblem(
      await t.http().post('/v1/households').set(outsider.as).send(householdBody(team)),
      403,
      'NotHouseholdTeam',
    );
    expect(await etagOf(t, householdId, worker)).toBe(before);
  });

  it('unless they hold its regie: a receiver from another team decides, then reads and changes the plan', async () => {
    const outsider = elsewhere.workers[0];
    // Issue 18: regie outside the household's team needs every member's consent for that team, so
    // this household is the parent alone (a child of 10 without recorded authority cannot consent).
    const body = householdBody(team, {
      members: [{ memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' }],
    });
    await t.http().post('/v1/households').set(worker.as).send(body).expect(201);
    const id = body.householdId;
    await t
      .http()
      .post(`/v1/households/${id}/consents`)
      .set(worker.as)
      .send({
        memberId: PARENT,
        purpose: 'regie-outside-organisation',
        recipient: elsewhere.teamId,
        givenBy: [{ memberId: PARENT }],
      })
      .expect(201);
    const transferId = uniq('tr');
    await t
      .http()
      .post(`/v1/households/${id}/regie/transfers`)
      .set(worker.as)
      .send({
        transferId,
        to: { kind: 'worker', id: outsider.id },
        reason: 'Specialist nodig',
        agreedBy: PARENT,
      })
      .expect(201);
    expectProblem(await t.http().get(`/v1/households/${id}`).set(outsider.as), 404, 'HouseholdNotFound');

    await t
      .http()
      .post(`/v1/households/${id}/regie/transfers/${transferId}/accept`)
      .set(outsider.as)
      .expect(200);

    const got = await getHousehold(t, id, outsider);
    expect(got.body.regie.holder).toEqual({ kind: 'worker', id: outsider.id, teamId: elsewhere.teamId });
    expect((await addGoal(outsider.as, id)).status).toBe(201);
  });
});

describe('the registry decides, not the token alone', () => {
  it('a token claiming a team whose registry does not list the worker gets no rights in it', async () => {
    const outsider = elsewhere.workers[0];
    const claimsTeam = bearer(craft({ sub: outsider.id, teams: [elsewhere.teamId, team.teamId] }));
    expectProblem(
      await t.http().get(`/v1/households/${householdId}`).set(claimsTeam),
      404,
      'HouseholdNotFound',
    );
    expectProblem(await addGoal(claimsTeam), 404, 'HouseholdNotFound');
    expectProblem(
      await t.http().post('/v1/households').set(claimsTeam).send(householdBody(team)),
      403,
      'NotHouseholdTeam',
    );
  });

  it("a worker's token claiming team-lead gets no team lead's rights unless the team has them as lead", async () => {
    const claimsLead = bearer(craft({ sub: worker.id, roles: ['worker', 'team-lead'] }));
    expectProblem(await t.http().get(`/v1/caseloads/teams/${team.teamId}`).set(claimsLead), 403, 'Forbidden');
    expectProblem(
      await t
        .http()
        .post(`/v1/teams/${team.teamId}/workers`)
        .set(claimsLead)
        .send({ workerId: uniq('w'), name: 'N', role: 'generalist', hoursPerWeek: 8 }),
      403,
      'Forbidden',
    );
    // The same claims from the team's registered lead work.
    await t.http().get(`/v1/caseloads/teams/${team.teamId}`).set(team.lead.as).expect(200);
  });

  it('a deactivated worker can no longer read or write', async () => {
    const leaving = uniq('w-leaving');
    await t
      .http()
      .post(`/v1/teams/${team.teamId}/workers`)
      .set(admin(t).as)
      .send({ workerId: leaving, name: 'Vertrekt', role: 'generalist', hoursPerWeek: 8 })
      .expect(201);
    const as = person(t, leaving, ['worker'], [team.teamId]).as;
    await t.http().get(`/v1/households/${householdId}`).set(as).expect(200);
    await t
      .http()
      .post(`/v1/teams/${team.teamId}/workers/${leaving}/deactivate`)
      .set(team.lead.as)
      .expect(200);
    // Within a second in every process (test/integration/two-apis.int.spec.ts); here, at once or nearly.
    const deadline = Date.now() + 1500;
    let res = await t.http().get(`/v1/households/${householdId}`).set(as);
    while (res.status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      res = await t.http().get(`/v1/households/${householdId}`).set(as);
    }
    expectProblem(res, 403, 'WorkerDeactivated');
    expectProblem(await addGoal(as), 403, 'WorkerDeactivated');
  });

  it("ids of auditors, integrators and admins never become workers, and a worker's id never acts as one", async () => {
    const auditorId = uniq('audit');
    await t
      .http()
      .get('/v1/audit/handoffs')
      .set(person(t, auditorId, ['auditor']).as)
      .expect(200);
    expectProblem(
      await t
        .http()
        .post(`/v1/teams/${team.teamId}/workers`)
        .set(team.lead.as)
        .send({ workerId: auditorId, name: 'Auditor', role: 'generalist', hoursPerWeek: 8 }),
      409,
      'NotAWorkerId',
    );
    expectProblem(
      await t
        .http()
        .get('/v1/audit/handoffs')
        .set(person(t, worker.id, ['auditor']).as),
      403,
      'PrincipalKindConflict',
    );
    const integrator = person(t, worker.id, ['integrator']);
    expectProblem(
      await t
        .http()
        .post(`/v1/households/${householdId}/work-income-signals`)
        .set(integrator.as)
        .send({ category: 'income-change', description: 'x' }),
      403,
      'PrincipalKindConflict',
    );
  });
});

describe('403: caseloads', () => {
  it("a worker sees their own caseload, not a colleague's; their team lead sees both; another team's lead neither", async () => {
    const [own, colleague] = team.workers;

    await t.http().get(`/v1/caseloads/workers/${own.id}`).set(own.as).expect(200);
    expectProblem(await t.http().get(`/v1/caseloads/workers/${colleague.id}`).set(own.as), 403, 'Forbidden');
    await t.http().get(`/v1/caseloads/workers/${colleague.id}`).set(team.lead.as).expect(200);
    expectProblem(
      await t.http().get(`/v1/caseloads/workers/${colleague.id}`).set(elsewhere.lead.as),
      403,
      'Forbidden',
    );
    expectProblem(await t.http().get(`/v1/caseloads/workers/${own.id}`).set(auditor(t).as), 403, 'Forbidden');
  });

  it("only a team lead of the team sees the team's caseload", async () => {
    expectProblem(await t.http().get(`/v1/caseloads/teams/${team.teamId}`).set(worker.as), 403, 'Forbidden');
    expectProblem(
      await t.http().get(`/v1/caseloads/teams/${team.teamId}`).set(elsewhere.lead.as),
      403,
      'Forbidden',
    );
    await t.http().get(`/v1/caseloads/teams/${team.teamId}`).set(team.lead.as).expect(200);
  });

  it('an unknown worker is 404 WorkerNotFound', async () => {
    expectProblem(
      await t
        .http()
        .get(`/v1/caseloads/workers/${uniq('w')}`)
        .set(team.lead.as),
      404,
      'WorkerNotFound',
    );
  });
});

describe('public: no token needed', () => {
  it('health answers', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toMatchObject({ status: 'ok' });
    expect((await t.http().get('/health/ready').expect(200)).body).toMatchObject({ status: 'ok' });
  });

  it('/docs-json is the OpenAPI document and lists every path of the core contract with its method', async () => {
    const res = await t.http().get('/docs-json').expect(200);

    expect(res.body.openapi).toMatch(/^3\./);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v1/teams',
        'POST /v1/teams/{teamId}/workers',
        'POST /v1/teams/{teamId}/workers/{workerId}/deactivate',
        'POST /v1/households',
        'GET /v1/households/{id}',
        'POST /v1/households/{id}/goals',
        'POST /v1/households/{id}/actions',
        'POST /v1/households/{id}/actions/{actionId}/complete',
        'POST /v1/households/{id}/plan/agreements',
        'POST /v1/households/{id}/regie/transfers',
        'POST /v1/households/{id}/regie/transfers/{transferId}/accept',
        'POST /v1/households/{id}/regie/transfers/{transferId}/decline',
        'POST /v1/households/{id}/regie/transfers/{transferId}/cancel',
        'POST /v1/households/{id}/regie/safety-takeover',
        'POST /v1/households/{id}/regie/return-to-household',
        'GET /v1/households/{id}/regie/history',
        'GET /v1/regie/holder',
        'GET /v1/audit/handoffs',
        'GET /v1/caseloads/workers/{workerId}',
        'GET /v1/caseloads/teams/{teamId}',
        'POST /v1/households/{id}/close',
        'POST /v1/households/{id}/reopen',
      ]),
    );
  });
});
