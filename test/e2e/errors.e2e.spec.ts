/**
 * Bad input over HTTP: every malformed or invalid request is a 400 problem+json that names the
 * field and the reason, and writes nothing (the household's ETag is unchanged, or its stream absent).
 */
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import request from 'supertest';
import { API_VERSION } from '../../apps/api/src/common/api-version';
import { startTestApp, TestApp } from '../support/app';
import {
  admin,
  etagOf,
  expectProblem,
  householdBody,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';

let t: TestApp;
let team: SeededTeam;
let worker: Person;
/** A household every refused write here aims at; it must stay at version 1. */
let householdId: string;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  worker = team.workers[0];
  householdId = await seedHousehold(t, team, { regieWorker: worker });
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  // Nothing any test in this file sends may have been written to the shared household.
  expect(await etagOf(t, householdId, worker)).toBe('"1"');
});

const post = (path: string, who: Person = worker) => t.http().post(path).set(who.as);

/** 400 ValidationFailed whose errors[] name exactly these fields, each with a reason. */
const expectInvalid = (res: request.Response, fields: string[]) => {
  const problem = expectProblem(res, 400, 'ValidationFailed');
  expect(problem.errors).toBeDefined();
  for (const e of problem.errors!) expect(e.reason).toEqual(expect.stringMatching(/\S/));
  expect([...new Set(problem.errors!.map((e) => e.field))].sort()).toEqual([...fields].sort());
  return problem.errors!;
};

/** Registration must not have left a stream behind. */
const expectNotRegistered = async (id: string) =>
  expectProblem(await t.http().get(`/v1/households/${id}`).set(worker.as), 404, 'HouseholdNotFound');

describe('bodies that are not JSON objects', () => {
  it('malformed JSON is 400 MalformedJson and registers nothing', async () => {
    const id = uniq('hh');

    const res = await post('/v1/households')
      .set('Content-Type', 'application/json')
      .send(`{"householdId":"${id}","teamId":`);

    expectProblem(res, 400, 'MalformedJson');
    await expectNotRegistered(id);
  });

  it('malformed JSON names the body in errors[] like any other invalid input', async () => {
    const res = await post(`/v1/households/${householdId}/goals`)
      .set('Content-Type', 'application/json')
      .send('{"lifeDomain": ');

    expect(expectProblem(res, 400, 'MalformedJson').errors).toEqual([
      { field: '(body)', reason: expect.any(String) },
    ]);
  });

  it.each([
    ['an array', (r: request.Test) => r.send([{ lifeDomain: 'finances', description: 'x' }])],
    ['text/plain', (r: request.Test) => r.set('Content-Type', 'text/plain').send('lifeDomain=finances')],
    ['no body at all', (r: request.Test) => r],
  ])('%s is 400 naming (body)', async (_what, send) => {
    const res = await send(post(`/v1/households/${householdId}/goals`));

    expect(expectInvalid(res, ['(body)'])).toEqual([{ field: '(body)', reason: 'must be a JSON object' }]);
  });

  it.each([['null'], ['"a string"'], ['42']])('a bare JSON scalar (%s) is 400', async (raw) => {
    const res = await post(`/v1/households/${householdId}/goals`)
      .set('Content-Type', 'application/json')
      .send(raw);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a body over the size limit is 413 BodyTooLarge', async () => {
    const res = await post(`/v1/households/${householdId}/goals`).send({
      lifeDomain: 'finances',
      description: 'x'.repeat(200_000),
    });

    expectProblem(res, 413, 'BodyTooLarge');
  });

  // Found by the fuzzer (R4): a body in another type than JSON was not read at all, so a route that
  // takes no body accepted any amount of it.
  it.each([
    ['text/plain', 'text/plain'],
    ['malformed (;;;)', ';;;'],
  ])(
    'a %s body over the size limit is 413 BodyTooLarge, also where the route takes no body',
    async (_what, type) => {
      // A household of its own: the shared one must stay unwritten (afterEach).
      const own = await seedHousehold(t, team, { regieWorker: worker });
      const networkMemberId = `nm-${Date.now()}`;
      await t
        .http()
        .post(`/v1/households/${own}/network`)
        .set(worker.as)
        .send({ networkMemberId, role: 'neighbour', name: 'Buurman' })
        .expect(201);
      const remove = () =>
        t.http().post(`/v1/households/${own}/network/${networkMemberId}/remove`).set(worker.as);

      expectProblem(await remove().set('Content-Type', type).send('x'.repeat(200_000)), 413, 'BodyTooLarge');
      // Refused before anything changed: the member is removed by the next, small request.
      await remove().set('Content-Type', type).send('x').expect(200);
    },
  );

  // Found by the fuzzer (R4): the validation pipe recursed per level and overflowed the stack, a 500.
  it.each([
    ['a body', '['.repeat(5000) + ']'.repeat(5000)],
    ['a field', `{"outcome":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['objects', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
  ])('%s nested thousands deep is 400 TooDeeplyNested, not a 500', async (_what, body) => {
    const res = await post(`/v1/households/${householdId}/close`)
      .set('Content-Type', 'application/json')
      .send(body);

    expectProblem(res, 400, 'TooDeeplyNested');
  });
});

describe('text PostgreSQL cannot store', () => {
  // Found by the fuzzer (R4): NUL and unpaired surrogates reached the database and came back as 500s.
  it.each([
    ['NUL in a name', { name: 'Wijkteam\u0000Oost', districts: ['oost'] }],
    ['an unpaired surrogate in a district', { name: 'Wijkteam Oost', districts: ['oost\ud800'] }],
    ['NUL in a key', { name: 'Wijkteam Oost', districts: ['oost'], 'x\u0000': 1 }],
  ])('%s is 400 UnstorableText and registers nothing', async (_what, body) => {
    const teamId = uniq('team');

    const res = await post('/v1/teams', admin(t)).send({ teamId, ...body });

    expectProblem(res, 400, 'UnstorableText');
    const again = await post('/v1/teams', admin(t)).send({
      teamId,
      name: 'Wijkteam Oost',
      districts: ['oost'],
    });
    expect(again.status).toBe(201);
  });

  it('NUL in a query parameter is 400 UnstorableText', async () => {
    const res = await t.http().get('/v1/organisations?location=noord%00').set(worker.as);

    expectProblem(res, 400, 'UnstorableText');
  });
});

describe('Idempotency-Key on a read', () => {
  // Found by the fuzzer (R4): Express answers HEAD with the GET handler, and the HEAD stored its key.
  it('a HEAD with a key records nothing: the same key then serves a write', async () => {
    const id = await seedHousehold(t, team, { regieWorker: worker });
    const key = uniq('key');

    const head = await t.http().head(`/v1/households/${id}`).set(worker.as).set('Idempotency-Key', key);
    const write = await post(`/v1/households/${id}/goals`)
      .set('Idempotency-Key', key)
      .send({ lifeDomain: 'finances', description: 'Rust' });

    expect(head.status).toBe(200);
    expect({ status: write.status, body: write.body }).toMatchObject({ status: 201 });
    expect(write.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('requests Node refuses before Express sees them', () => {
  // Found by the fuzzer (R4): Node's parser answered these with a bare status line, no problem+json.
  const raw = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const server = t.app.getHttpServer() as Server;
      const listening = server.listening ? Promise.resolve() : new Promise<void>((r) => server.listen(0, r));
      void listening.then(() => {
        const { port } = server.address() as AddressInfo;
        const socket = connect(port, '127.0.0.1');
        let answer = '';
        socket.on('data', (d: Buffer) => (answer += d.toString()));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
        socket.write(bytes);
      });
    });

  it.each([
    [
      'headers over 16 KB',
      431,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nIdempotency-Key: ${'k'.repeat(20_000)}\r\n\r\n`,
    ],
    ['a broken request line', 400, 'GET /health/live HTTP/1.1 x\r\n\r\n'],
    [
      'a bad chunk size',
      400,
      'POST /v1/teams HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
  ])('%s: %i problem+json with API-Version, and the connection is closed', async (_what, status, bytes) => {
    const answer = await raw(bytes);

    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
    // Every answer names the API's version (API-57), these too: they are written before Express.
    expect(head!.split('\r\n')).toContain(`API-Version: ${API_VERSION}`);
    expect(head).toMatch(/\r\nConnection: close/i);
    expect(JSON.parse(body!)).toMatchObject({ status, title: expect.any(String), code: expect.any(String) });
  });

  it('headers over 16 KB on a HEAD: 431 without a body, as HEAD answers are', async () => {
    const answer = await raw(`HEAD /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: ${'k'.repeat(20_000)}\r\n\r\n`);

    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 431 /);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
    expect(head!.split('\r\n')).toContain(`API-Version: ${API_VERSION}`);
    expect(body).toBe('');
  });
});

describe('fields: wrong types, missing, unknown, nested', () => {
  it('thousands of wrong array items: the first 20 errors and how many more, not one each', async () => {
    // Found by the fuzzer (R4): the answer listed every item and grew past 64 KB.
    const body = householdBody(team, { members: Array.from({ length: 5000 }, () => 'x') });

    const res = await post('/v1/households').send(body);

    expectProblem(res, 400, 'ValidationFailed');
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.errorsOmitted).toBeGreaterThan(4000);
    expect(res.body.detail).toMatch(/; and \d+ more$/);
    expect(JSON.stringify(res.body).length).toBeLessThan(8_000);
  });

  it('wrong types name each field: a number as a string, a string as a number, a string for an array', async () => {
    const body = householdBody(team, {
      district: 7,
      members: [{ memberId: PARENT, role: 'parent', birthYear: '1984', name: 'Sanne' }],
    });

    const errors = expectInvalid(await post('/v1/households').send(body), [
      'district',
      'members[0].birthYear',
    ]);

    expect(errors).toContainEqual({
      field: 'members[0].birthYear',
      reason: expect.stringContaining('integer'),
    });
    await expectNotRegistered(body.householdId);
    expectInvalid(await post(`/v1/teams`, admin(t)).send({ name: 'Team', districts: 'noord' }), [
      'districts',
    ]);
  });

  it('hoursPerWeek as a string is refused, and the team is not written', async () => {
    const res = await post(`/v1/teams/${team.teamId}/workers`, admin(t)).send({
      workerId: uniq('w'),
      name: 'N',
      role: 'generalist',
      hoursPerWeek: '32',
    });

    expectInvalid(res, ['hoursPerWeek']);
    const next = await post(`/v1/teams/${team.teamId}/workers`, admin(t)).send({
      workerId: uniq('w'),
      name: 'N',
      role: 'generalist',
      hoursPerWeek: 32,
    });
    expect(next.body.version).toBe(team.version + 1);
  });

  it('missing required fields are each named', async () => {
    const id = uniq('hh');
    expectInvalid(await post('/v1/households').send({ householdId: id }), ['teamId', 'district', 'members']);
    await expectNotRegistered(id);
    expectInvalid(await post(`/v1/households/${householdId}/goals`).send({}), ['lifeDomain', 'description']);
    expectInvalid(
      await post(`/v1/households/${householdId}/actions`).send({ goalId: 'g-1', description: 'x' }),
      ['owner'],
    );
    expectInvalid(await post(`/v1/households/${householdId}/plan/agreements`).send({}), ['memberId']);
    expectInvalid(
      await post(`/v1/households/${householdId}/regie/transfers`).send({
        to: { kind: 'worker', id: team.workers[1].id },
      }),
      ['reason'],
    );
    expectInvalid(await post(`/v1/households/${householdId}/regie/transfers`).send({ reason: 'r' }), ['to']);
    expectInvalid(await post(`/v1/households/${householdId}/regie/safety-takeover`).send({}), ['reason']);
    // Break-glass has no approver in the body: the reason says who approves, and how.
    const [approver] = expectInvalid(
      await post(`/v1/households/${householdId}/regie/safety-takeover`).send({
        reason: 'r',
        approvedBy: 'lead-1',
      }),
      ['approvedBy'],
    );
    expect(approver!.reason).toMatch(/team lead .* confirms or rejects it afterwards/);
    expectInvalid(
      await post(`/v1/households/${householdId}/regie/safety-takeover/sto-1/reject`, team.lead).send({}),
      ['reason'],
    );
    expectInvalid(await post(`/v1/households/${householdId}/regie/return-to-household`).send({}), [
      'agreedBy',
    ]);
    expectInvalid(await post(`/v1/households/${householdId}/close`).send({}), ['outcome']);
    expectInvalid(await post(`/v1/households/${householdId}/reopen`).send({}), ['reason']);
    expectInvalid(await post(`/v1/households/${householdId}/regie/transfers/tr-1/decline`).send({}), [
      'reason',
    ]);
  });

  it('unknown fields are refused, at the top level and nested, as "is not a known field"', async () => {
    const body = householdBody(team, { priority: 'high' });
    (body.members[1] as Record<string, unknown>).bsn = '123456782';

    const errors = expectInvalid(await post('/v1/households').send(body), ['priority', 'members[1].bsn']);

    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'priority', reason: 'is not a known field' },
        { field: 'members[1].bsn', reason: 'is not a known field' },
      ]),
    );
    await expectNotRegistered(body.householdId);
    expectInvalid(
      await post(`/v1/households/${householdId}/actions`).send({
        goalId: 'g-1',
        description: 'x',
        owner: { kind: 'household', extra: 1 },
      }),
      ['owner.extra'],
    );
    expectInvalid(
      await post(`/v1/households/${householdId}/regie/transfers`).send({
        to: { kind: 'worker', id: 'w-x', teamId: 't' },
        reason: 'r',
      }),
      ['to.teamId'],
    );
  });

  it('nested errors name the path: members[0].birthYear, members[1].role, owner.kind, to.kind, regie.workerId', async () => {
    const body = householdBody(team, {
      members: [
        { memberId: PARENT, role: 'parent', birthYear: 1850, name: 'Oud' },
        { memberId: 'm-2', role: 'grandparent', birthYear: 1950, name: 'Opa' },
      ],
      regie: { workerId: 'not an id' },
    });

    const errors = expectInvalid(await post('/v1/households').send(body), [
      'members[0].birthYear',
      'members[1].role',
      'regie.workerId',
    ]);

    expect(errors).toContainEqual({ field: 'members[0].birthYear', reason: expect.stringContaining('1900') });
    await expectNotRegistered(body.householdId);
    expectInvalid(
      await post(`/v1/households/${householdId}/actions`).send({
        goalId: 'g-1',
        description: 'x',
        owner: { kind: 'neighbour' },
      }),
      ['owner.kind'],
    );
    expectInvalid(
      await post(`/v1/households/${householdId}/regie/transfers`).send({
        to: { kind: 'household', id: householdId },
        reason: 'r',
      }),
      ['to.kind'],
    );
    expectInvalid(await post('/v1/households').send(householdBody(team, { members: [null] })), [
      'members[0]',
    ]);
  });

  it('invalid values: an unknown life domain, an empty or oversized text, an id with spaces', async () => {
    expectInvalid(
      await post(`/v1/households/${householdId}/goals`).send({ lifeDomain: 'money', description: 'x' }),
      ['lifeDomain'],
    );
    expectInvalid(
      await post(`/v1/households/${householdId}/goals`).send({ lifeDomain: 'finances', description: '' }),
      ['description'],
    );
    expectInvalid(
      await post(`/v1/households/${householdId}/goals`).send({
        lifeDomain: 'finances',
        description: 'x'.repeat(2001),
      }),
      ['description'],
    );
    expectInvalid(
      await post(`/v1/households/${householdId}/goals`).send({
        goalId: 'g 1',
        lifeDomain: 'finances',
        description: 'x',
      }),
      ['goalId'],
    );
    expectInvalid(await post('/v1/households').send(householdBody(team, { members: [] })), ['members']);
  });
});

describe('invalid ids in the path', () => {
  it.each([
    ['GET', '/v1/households/bad%20id', 'id'],
    ['POST', '/v1/households/-leading-dash/goals', 'id'],
    ['POST', '/v1/households/HH/actions/A101/complete', 'actionId'],
    ['POST', '/v1/households/HH/regie/transfers/tr%3Bdrop/accept', 'transferId'],
    ['POST', '/v1/teams/t%20x/workers', 'teamId'],
    ['POST', '/v1/teams/TEAM/workers/w%2Fx/deactivate', 'workerId'],
    ['GET', '/v1/households/bad%20id/regie/history', 'id'],
    ['GET', '/v1/caseloads/workers/w%20x', 'workerId'],
  ])('%s %s is 400 InvalidId naming %s', async (method, rawPath, field) => {
    // A101: an id one character over the limit of 100.
    const path = rawPath
      .replace('HH', householdId)
      .replace('TEAM', team.teamId)
      .replace('A101', 'a'.repeat(101));
    const who = path.startsWith('/v1/teams') ? admin(t) : worker;
    const req =
      method === 'GET'
        ? t.http().get(path).set(who.as)
        : t.http().post(path).set(who.as).send({ lifeDomain: 'finances', description: 'x', reason: 'r' });

    const problem = expectProblem(await req, 400, 'InvalidId');

    expect(problem.errors).toEqual([{ field, reason: expect.stringContaining('characters') }]);
  });
});
