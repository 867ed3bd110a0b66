/**
 * The district analysis over HTTP: questions per life domain per district per month and ZRM
 * progress per district, for team leads and auditors, with every group under 5 left out (households
 * for questions, persons for the ZRM, which measures one adult).
 */
import { LIFE_DOMAINS } from '@eenplan/domain';
import { startTestApp, TestApp } from '../support/app';
import { admin, auditor, expectProblem, person, Person } from './fixtures';

let t: TestApp;
let worker: Person;
let lead: Person;
const TEAM = 'team-analyse';
beforeAll(async () => {
  t = await startTestApp({ checkInSweepMs: 0 });
  await t
    .http()
    .post('/v1/teams')
    .set(admin(t).as)
    .send({ teamId: TEAM, name: 'Wijkteam Analyse', districts: ['oost', 'west'] })
    .expect(201);
  for (const [workerId, role] of [
    ['a-lead', 'team-lead'],
    ['a-w', 'generalist'],
  ] as const) {
    await t
      .http()
      .post(`/v1/teams/${TEAM}/workers`)
      .set(admin(t).as)
      .send({ workerId, name: `Naam ${workerId}`, role, hoursPerWeek: 32 })
      .expect(201);
  }
  worker = person(t, 'a-w', ['worker'], [TEAM]);
  lead = person(t, 'a-lead', ['worker', 'team-lead'], [TEAM]);

  // oost: 5 households ask about housing in November 2025 (one asks twice), 4 about finances.
  // west: 4 households ask about housing in November 2025.
  let n = 0;
  const household = async (district: string) => {
    const householdId = `ana-${++n}`;
    await t
      .http()
      .post('/v1/households')
      .set(worker.as)
      .send({
        householdId,
        teamId: TEAM,
        district,
        members: [
          { memberId: 'm-1', role: 'adult', birthYear: 1970, name: 'Naam' },
          { memberId: 'm-2', role: 'adult', birthYear: 1972, name: 'Naam' },
        ],
      })
      .expect(201);
    return householdId;
  };
  const ask = (householdId: string, lifeDomain: string, askedOn = '2025-11-12') =>
    t
      .http()
      .post(`/v1/households/${householdId}/questions`)
      .set(worker.as)
      .send({ lifeDomain, askedOn, description: 'Vraag van het huishouden' })
      .expect(201);
  const assess = (householdId: string, value: number, memberId = 'm-1') =>
    t
      .http()
      .post(`/v1/households/${householdId}/assessments`)
      .set(worker.as)
      .send({ memberId, scores: Object.fromEntries(LIFE_DOMAINS.map((d) => [d, value])) })
      .expect(201);
  const oost = [];
  for (let i = 0; i < 5; i++) oost.push(await household('oost'));
  const west = [];
  for (let i = 0; i < 4; i++) west.push(await household('west'));
  for (const h of oost) await ask(h, 'housing');
  await ask(oost[0]!, 'housing', '2025-11-20');
  for (const h of oost.slice(0, 4)) await ask(h, 'finances');
  for (const h of west) await ask(h, 'housing');
  // ZRM, per person (issue 18): in oost 5 persons in only 3 households, from 2 to 3 or 4 (one
  // more person assessed once, not compared); in west 4 persons in 4 households, from 1 to 5.
  const oostPersons: [string, string][] = [
    [oost[0]!, 'm-1'],
    [oost[0]!, 'm-2'],
    [oost[1]!, 'm-1'],
    [oost[1]!, 'm-2'],
    [oost[2]!, 'm-1'],
  ];
  for (const [h, m] of oostPersons) await assess(h, 2, m);
  for (const [i, [h, m]] of oostPersons.entries()) await assess(h, i % 2 === 0 ? 4 : 3, m);
  await assess(oost[3]!, 2);
  for (const h of west) {
    await assess(h, 1);
    await assess(h, 5);
  }
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string, who: Person) => t.http().get(path).set(who.as);

describe('GET /v1/analysis/districts/questions', () => {
  it('counts questions and households per district, month and life domain; groups under 5 households are left out', async () => {
    const res = await get('/v1/analysis/districts/questions', lead).expect(200);
    expect(res.body).toEqual({
      minimumHouseholdsPerGroup: 5,
      groups: [{ district: 'oost', month: '2025-11', lifeDomain: 'housing', questions: 6, households: 5 }],
      next: null,
    });
  });

  it('filters by district and month range; an auditor sees it too', async () => {
    const none = await get(
      '/v1/analysis/districts/questions?district=oost&from=2025-12&to=2026-01',
      auditor(t),
    ).expect(200);
    expect(none.body.groups).toEqual([]);
    const west = await get('/v1/analysis/districts/questions?district=west', auditor(t)).expect(200);
    expect(west.body.groups).toEqual([]);
    const nov = await get('/v1/analysis/districts/questions?from=2025-11&to=2025-11', auditor(t)).expect(200);
    expect(nov.body.groups).toHaveLength(1);
  });

  it('refuses a bad month, a reversed range and unknown parameters (400)', async () => {
    const bad = expectProblem(
      await get('/v1/analysis/districts/questions?from=2025-13', lead),
      400,
      'ValidationFailed',
    );
    expect(bad.errors).toEqual([expect.objectContaining({ field: 'from' })]);
    expectProblem(
      await get('/v1/analysis/districts/questions?from=2026-02&to=2026-01', lead),
      400,
      'InvalidRange',
    );
    expectProblem(
      await get('/v1/analysis/districts/questions?householdId=ana-1', lead),
      400,
      'UnknownQueryParameter',
    );
  });

  it('is for team leads and auditors only (403)', async () => {
    expectProblem(await get('/v1/analysis/districts/questions', worker), 403, 'Forbidden');
    expectProblem(
      await get('/v1/analysis/districts/zrm-progress', person(t, 'uwv', ['integrator'])),
      403,
      'Forbidden',
    );
  });
});

describe('GET /v1/analysis/districts/zrm-progress', () => {
  it("averages the change between each person's first and latest assessment per district and domain; persons are counted, so west (4 persons) is left out and oost (5 persons in 3 households) shown", async () => {
    const res = await get('/v1/analysis/districts/zrm-progress', lead).expect(200);
    expect(res.body.minimumPersonsPerGroup).toBe(5);
    expect(res.body.groups).toHaveLength(LIFE_DOMAINS.length);
    for (const g of res.body.groups) {
      // oost: three persons 2 -> 4, two persons 2 -> 3: average change 1.6.
      expect(g).toEqual({
        district: 'oost',
        lifeDomain: expect.any(String),
        persons: 5,
        averageFirstScore: 2,
        averageLatestScore: 3.6,
        averageChange: 1.6,
      });
    }
    expect(
      (await get('/v1/analysis/districts/zrm-progress?district=west', auditor(t)).expect(200)).body.groups,
    ).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents every endpoint of check-ins, assessments, consent, signals, questions, analysis and the norm', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const expected: [string, string][] = [
      ['/v1/households/{id}/check-ins/cadence', 'post'],
      ['/v1/households/{id}/check-ins/cadence/end', 'post'],
      ['/v1/households/{id}/check-ins/contacts', 'post'],
      ['/v1/households/{id}/check-ins', 'get'],
      ['/v1/teams/{teamId}/check-ins/overdue', 'get'],
      ['/v1/check-ins/sweep', 'post'],
      ['/v1/households/{id}/assessments', 'post'],
      ['/v1/households/{id}/assessments', 'get'],
      ['/v1/households/{id}/uwv-consent', 'post'],
      ['/v1/households/{id}/uwv-consent/withdraw', 'post'],
      ['/v1/households/{id}/work-income-signals', 'post'],
      ['/v1/households/{id}/work-income-signals', 'get'],
      ['/v1/households/{id}/questions', 'post'],
      ['/v1/analysis/districts/questions', 'get'],
      ['/v1/analysis/districts/zrm-progress', 'get'],
      ['/v1/teams/{teamId}/caseload-norm', 'put'],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method]).toBeDefined();
    expect(doc.components.schemas.ZrmScoresDto!.required).toEqual(expect.arrayContaining([...LIFE_DOMAINS]));
  });
});
