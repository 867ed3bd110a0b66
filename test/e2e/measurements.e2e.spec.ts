/**
 * ZRM assessments, consent for sharing with UWV and work/income signals (invariants 14, 15),
 * questions per life domain, and the team's caseload norm, over HTTP.
 */
import { householdStream, LIFE_DOMAINS } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import {
  admin,
  auditor,
  CHILD,
  etagOf,
  expectProblem,
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
let other: SeededTeam;
let worker: Person;
let integrator: Person;
beforeAll(async () => {
  t = await startTestApp({ checkInSweepMs: 0 });
  team = await seedTeam(t, { workers: 1 });
  other = await seedTeam(t, { workers: 1 });
  worker = team.workers[0]!;
  integrator = person(t, 'uwv-gateway', ['integrator']);
});
afterAll(async () => {
  await t?.close();
});

const post = (path: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().post(path).set(who.as).send(body);
const scores = (value: number, overrides: Record<string, unknown> = {}) => ({
  ...Object.fromEntries(LIFE_DOMAINS.map((d) => [d, value])),
  ...overrides,
});
const eventsOf = async (householdId: string, type: string) =>
  (await t.app.get<EventStore>(EVENT_STORE).readStream(householdStream(householdId))).filter(
    (e) => e.type === type,
  );

describe('POST and GET /v1/households/:id/assessments (ZRM 2017)', () => {
  it('records assessments and shows them in order with progress per life domain', async () => {
    const householdId = await seedHousehold(t, team);
    const first = await post(`/v1/households/${householdId}/assessments`, {
      assessmentId: 'zrm-1',
      memberId: PARENT,
      scores: scores(2, { finances: 1 }),
      notes: 'Eerste meting, moeder was erbij',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ householdId, assessmentId: 'zrm-1', version: 2 });
    await post(`/v1/households/${householdId}/assessments`, {
      assessmentId: 'zrm-2',
      memberId: PARENT,
      scores: scores(3, { finances: 4, justice: 2 }),
    }).expect(201);

    const got = await t.http().get(`/v1/households/${householdId}/assessments`).set(worker.as).expect(200);

    const step = { ...Object.fromEntries(LIFE_DOMAINS.map((d) => [d, 1])), finances: 3, justice: 0 };
    expect(got.body.assessments.map((a: { assessmentId: string }) => a.assessmentId)).toEqual([
      'zrm-1',
      'zrm-2',
    ]);
    expect(got.body.assessments[0]).toMatchObject({
      memberId: PARENT,
      scores: scores(2, { finances: 1 }),
      progress: null,
      notes: 'Eerste meting, moeder was erbij',
    });
    expect(got.body.assessments[1].progress).toEqual(step);
    expect(got.body.persons).toEqual([
      {
        memberId: PARENT,
        total: 2,
        firstAssessedOn: expect.any(String),
        latestAssessedOn: expect.any(String),
        progressSinceFirst: step,
      },
    ]);
    // Free text stays out of the event's data; the member assessed is in it (schema v2).
    const [event] = await eventsOf(householdId, 'AssessmentRecorded');
    expect(event!.data).toMatchObject({ memberId: PARENT });
    expect(event!.metadata.schemaVersion).toBe(2);
    expect(JSON.stringify(event!.data)).not.toContain('moeder');
    expect(event!.personal).toEqual({ notes: 'Eerste meting, moeder was erbij' });
  });

  it('refuses a missing domain, a score outside 1-5 and an unknown domain with 400 naming the field; writes nothing', async () => {
    const householdId = await seedHousehold(t, team);
    const { justice: _left, ...withoutJustice } = scores(3);
    const cases: [Record<string, unknown>, string][] = [
      [withoutJustice, 'scores.justice'],
      [scores(3, { housing: 6 }), 'scores.housing'],
      [scores(3, { 'mental-health': 0 }), 'scores.mental-health'],
      [scores(3, { finances: 2.5 }), 'scores.finances'],
      [scores(3, { happiness: 4 }), 'scores.happiness'],
    ];
    for (const [body, field] of cases) {
      const res = await post(`/v1/households/${householdId}/assessments`, { memberId: PARENT, scores: body });
      const problem = expectProblem(res, 400, 'ValidationFailed');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expectProblem(await post(`/v1/households/${householdId}/assessments`, {}), 400, 'ValidationFailed');
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });

  it('never changes a measurement: the same id again is 409', async () => {
    const householdId = await seedHousehold(t, team);
    await post(`/v1/households/${householdId}/assessments`, {
      assessmentId: 'z',
      memberId: PARENT,
      scores: scores(3),
    }).expect(201);
    expectProblem(
      await post(`/v1/households/${householdId}/assessments`, {
        assessmentId: 'z',
        memberId: PARENT,
        scores: scores(5),
      }),
      409,
      'AssessmentAlreadyRecorded',
    );
  });

  it('scoping: another team 404 (write and read), an integrator 403, an unknown household 404', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(
      await post(
        `/v1/households/${householdId}/assessments`,
        { memberId: PARENT, scores: scores(3) },
        other.workers[0],
      ),
      404,
      'HouseholdNotFound',
    );
    expectProblem(
      await t.http().get(`/v1/households/${householdId}/assessments`).set(other.workers[0]!.as),
      404,
      'HouseholdNotFound',
    );
    expectProblem(
      await post(
        `/v1/households/${householdId}/assessments`,
        { memberId: PARENT, scores: scores(3) },
        integrator,
      ),
      403,
      'Forbidden',
    );
    expectProblem(
      await t.http().get('/v1/households/hh-none/assessments').set(worker.as),
      404,
      'HouseholdNotFound',
    );
  });
});

describe('the ZRM per adult (issue 18): an assessment names the member it measures', () => {
  // The test clock starts in January 2026: born 2007 is 18 on every day of 2026, born 2008 is 17.
  const GRANDMA = 'm-grandma';
  const TEEN = 'm-teen';
  const seedFamily = async () => {
    const householdId = uniq('hh');
    await t
      .http()
      .post('/v1/households')
      .set(worker.as)
      .send({
        householdId,
        teamId: team.teamId,
        district: team.district,
        members: [
          { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
          { memberId: GRANDMA, role: 'adult', birthYear: 1950, name: 'Truus Jansen' },
          { memberId: TEEN, role: 'child', birthYear: 2008, name: 'Lotte Jansen' },
          { memberId: 'm-young-adult', role: 'child', birthYear: 2007, name: 'Bram Jansen' },
          { memberId: CHILD, role: 'child', birthYear: 2015, name: 'Daan Jansen' },
        ],
      })
      .expect(201);
    return householdId;
  };
  const assess = (householdId: string, body: Record<string, unknown>) =>
    post(`/v1/households/${householdId}/assessments`, { scores: scores(3), ...body });

  it('lists assessments and progress per person, in the household answer too', async () => {
    const householdId = await seedFamily();
    await assess(householdId, { assessmentId: 'p-1', memberId: PARENT, scores: scores(2) }).expect(201);
    await assess(householdId, { assessmentId: 'g-1', memberId: GRANDMA, scores: scores(4) }).expect(201);
    await assess(householdId, { assessmentId: 'p-2', memberId: PARENT, scores: scores(3) }).expect(201);
    await assess(householdId, { assessmentId: 'y-1', memberId: 'm-young-adult' }).expect(201);

    const got = await t.http().get(`/v1/households/${householdId}/assessments`).set(worker.as).expect(200);
    const items = got.body.assessments as { assessmentId: string; memberId: string; progress: unknown }[];
    expect(items.map((a) => [a.assessmentId, a.memberId])).toEqual([
      ['p-1', PARENT],
      ['g-1', GRANDMA],
      ['p-2', PARENT],
      ['y-1', 'm-young-adult'],
    ]);
    // Progress compares one person's assessments: p-2 with p-1, never with the grandmother's g-1.
    expect(items.map((a) => a.progress)).toEqual([null, null, scores(1), null]);
    expect(got.body.persons).toEqual([
      expect.objectContaining({ memberId: PARENT, total: 2, progressSinceFirst: scores(1) }),
      expect.objectContaining({ memberId: GRANDMA, total: 1, progressSinceFirst: null }),
      expect.objectContaining({ memberId: 'm-young-adult', total: 1, progressSinceFirst: null }),
    ]);

    const household = await t.http().get(`/v1/households/${householdId}`).set(worker.as).expect(200);
    expect(household.body.assessments).toEqual([
      {
        memberId: PARENT,
        total: 2,
        firstAssessedOn: expect.any(String),
        latest: { assessmentId: 'p-2', assessedOn: expect.any(String), scores: scores(3) },
      },
      expect.objectContaining({ memberId: GRANDMA, total: 1 }),
      expect.objectContaining({ memberId: 'm-young-adult', total: 1 }),
    ]);
  });

  it("orders each person's assessments apart: an earlier date for another member is no 409", async () => {
    const householdId = await seedFamily();
    await assess(householdId, { memberId: PARENT, assessedOn: '2026-01-03' }).expect(201);
    await assess(householdId, { memberId: GRANDMA, assessedOn: '2026-01-02' }).expect(201);
    expectProblem(
      await assess(householdId, { memberId: PARENT, assessedOn: '2026-01-02' }),
      409,
      'AssessmentOutOfOrder',
    );
  });

  it('refuses a 17-year-old and a child with 409, an unknown member with 400, a missing member with 400; writes nothing', async () => {
    const householdId = await seedFamily();
    for (const memberId of [TEEN, CHILD])
      expect(
        expectProblem(await assess(householdId, { memberId }), 409, 'NotAnAdultMember').detail,
      ).toContain(memberId);
    const unknown = expectProblem(await assess(householdId, { memberId: 'm-nobody' }), 400, 'UnknownMember');
    expect(unknown.errors).toEqual([expect.objectContaining({ field: 'memberId' })]);
    const missing = expectProblem(await assess(householdId, {}), 400, 'ValidationFailed');
    expect(missing.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'memberId' })]));
    expectProblem(await assess(householdId, { memberId: 'not valid!' }), 400, 'ValidationFailed');
    expect(await etagOf(t, householdId, worker)).toBe('"1"');
  });

  it('reads an assessment recorded before members were named (schema v1) as the household as a whole', async () => {
    const householdId = await seedFamily();
    await t.app.get<EventStore>(EVENT_STORE).append(
      householdStream(householdId),
      [
        {
          eventId: uniq('ev'),
          type: 'AssessmentRecorded',
          data: {
            assessmentId: 'old-1',
            assessedOn: '2026-01-02',
            scores: scores(2),
            assessedBy: worker.id,
            recordedAt: '2026-01-05T09:00:00.000Z',
          },
          metadata: {
            schemaVersion: 1,
            actor: { kind: 'worker', id: worker.id },
            recordedAt: '2026-01-05T09:00:00.000Z',
            correlationId: uniq('c'),
            causationId: uniq('c'),
          },
        },
      ],
      1,
    );
    // Not a person: an earlier date for a member is fine, and the household series is not compared.
    await assess(householdId, { assessmentId: 'p-1', memberId: PARENT, assessedOn: '2026-01-01' }).expect(
      201,
    );
    expectProblem(
      await assess(householdId, { assessmentId: 'old-1', memberId: PARENT }),
      409,
      'AssessmentAlreadyRecorded',
    );
    const got = await t.http().get(`/v1/households/${householdId}/assessments`).set(worker.as).expect(200);
    expect(got.body.assessments).toEqual([
      expect.objectContaining({ assessmentId: 'old-1', memberId: null, progress: null }),
      expect.objectContaining({ assessmentId: 'p-1', memberId: PARENT, progress: null }),
    ]);
    expect(got.body.persons.map((p: { memberId: string | null }) => p.memberId)).toEqual([null, PARENT]);
    const household = await t.http().get(`/v1/households/${householdId}`).set(worker.as).expect(200);
    expect(household.body.assessments[0]).toMatchObject({ memberId: null, total: 1 });
  });
});

describe('consent for sharing with UWV and work/income signals (invariants 14, 15)', () => {
  const signal = (householdId: string, body: Record<string, unknown> = {}, who: Person = worker) =>
    post(
      `/v1/households/${householdId}/work-income-signals`,
      // Issue 18: a signal names the member it is about; only their consent publishes it.
      {
        category: 'work-started',
        memberId: PARENT,
        description: 'Vader werkt sinds maandag bij de bakker',
        ...body,
      },
      who,
    );

  it('without consent an outbound signal stays internal and says why; with consent it is published', async () => {
    const householdId = await seedHousehold(t, team);
    const internal = await signal(householdId, { signalId: 's-1' });
    expect(internal.status).toBe(201);
    expect(internal.body).toMatchObject({
      signalId: 's-1',
      direction: 'outbound',
      publication: { publish: false, internalReason: expect.stringContaining('no consent') },
    });

    const given = await post(`/v1/households/${householdId}/uwv-consent`, { memberId: PARENT });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ consent: 'given', agreedBy: PARENT });
    const published = await signal(householdId, { signalId: 's-2' }).expect(201);
    expect(published.body.publication).toEqual({ publish: true, basis: 'consent' });
    // The parent's consent is theirs: a signal about the child, or about no one, stays internal.
    const aboutChild = await signal(householdId, { signalId: 's-3', memberId: CHILD }).expect(201);
    expect(aboutChild.body.publication).toMatchObject({ publish: false });
    const aboutNoOne = await signal(householdId, { signalId: 's-4', memberId: undefined }).expect(201);
    expect(aboutNoOne.body.publication).toMatchObject({ publish: false });

    const [event] = (await eventsOf(householdId, 'WorkIncomeSignalRecorded')).slice(1, 2);
    expect(event!.data).toMatchObject({ memberId: PARENT, publication: { publish: true, basis: 'consent' } });
    expect(JSON.stringify(event!.data)).not.toContain('bakker');
    expect(event!.personal).toEqual({ description: 'Vader werkt sinds maandag bij de bakker' });
  });

  it('invariant 15: after a withdrawal, signals stay internal unless a legal basis is recorded', async () => {
    const householdId = await seedHousehold(t, team);
    await post(`/v1/households/${householdId}/uwv-consent`, { memberId: PARENT }).expect(201);
    // Issue 18: another member (the child) no longer withdraws the parent's consent; the parent does.
    expectProblem(
      await post(`/v1/households/${householdId}/uwv-consent/withdraw`, { memberId: CHILD }),
      409,
      'NoConsentToWithdraw',
      15,
    );
    const withdrawn = await post(`/v1/households/${householdId}/uwv-consent/withdraw`, { memberId: PARENT });
    expect(withdrawn.status).toBe(200);

    const after = await signal(householdId).expect(201);
    expect(after.body.publication).toEqual({
      publish: false,
      internalReason: expect.stringContaining('withdrawn'),
    });
    const legal = await signal(householdId, { legalBasis: 'participatiewet-art-64' }).expect(201);
    expect(legal.body.publication).toEqual({
      publish: true,
      basis: 'legal-basis',
      legalBasis: 'participatiewet-art-64',
    });
    const list = await t
      .http()
      .get(`/v1/households/${householdId}/work-income-signals`)
      .set(worker.as)
      .expect(200);
    expect(list.body.consent).toMatchObject({ status: 'withdrawn', agreedBy: null });
    expect(
      list.body.signals.map((s: { publication: { publish: boolean } }) => s.publication.publish),
    ).toEqual([false, true]);
  });

  it('an integrator posts inbound signals only with consent or a legal basis (invariant 14); they are never sent back', async () => {
    const householdId = await seedHousehold(t, team);
    const refused = await signal(householdId, { signalId: uniq('s') }, integrator).expect(202);
    await post(`/v1/households/${householdId}/uwv-consent`, { memberId: PARENT }).expect(201);
    const taken = await signal(
      householdId,
      { signalId: uniq('s'), category: 'benefit-ended' },
      integrator,
    ).expect(202);
    const [event] = await eventsOf(householdId, 'WorkIncomeSignalRecorded');
    expect(event!.data).toMatchObject({
      signalId: taken.body.signalId,
      direction: 'inbound',
      publication: { publish: false, basis: 'consent', internalReason: expect.any(String) },
    });
    expect(event!.metadata.actor).toMatchObject({ kind: 'integrator', id: 'uwv-gateway' });
    // The team sees what became of both; the one without grounds was not taken in, its text not kept.
    const list = await t
      .http()
      .get(`/v1/households/${householdId}/work-income-signals`)
      .set(worker.as)
      .expect(200);
    expect(list.body.refusedInbound).toEqual([
      expect.objectContaining({ signalId: refused.body.signalId, reason: 'no-grounds' }),
    ]);
    const [refusal] = await eventsOf(householdId, 'InboundSignalRefused');
    expect(refusal!.personal ?? null).toBeNull();
  });

  it("an integrator's answer is the same whether the household exists, has grounds, or the signal is a repeat", async () => {
    const withConsent = await seedHousehold(t, team);
    await post(`/v1/households/${withConsent}/uwv-consent`, { memberId: PARENT }).expect(201);
    const without = await seedHousehold(t, team);
    const answer = async (householdId: string, signalId: string, legalBasis?: string) => {
      const res = await signal(householdId, { signalId, ...(legalBasis ? { legalBasis } : {}) }, integrator);
      return { status: res.status, body: res.body, type: res.headers['content-type'] };
    };
    const expected = (signalId: string) => ({
      status: 202,
      body: { signalId, status: 'received' },
      type: expect.stringMatching(/^application\/json/),
    });
    expect(await answer(withConsent, 'sig-a')).toEqual(expected('sig-a'));
    expect(await answer(withConsent, 'sig-a')).toEqual(expected('sig-a'));
    expect(await answer(without, 'sig-b')).toEqual(expected('sig-b'));
    expect(await answer(uniq('hh-none'), 'sig-c')).toEqual(expected('sig-c'));
    expect(await answer(without, 'sig-d', 'wet-suwi-art-54')).toEqual(expected('sig-d'));
  });

  it('a legal basis is one of the configured grounds: free text such as "zomaar" is a 400', async () => {
    const householdId = await seedHousehold(t, team);
    for (const who of [worker, integrator]) {
      const res = expectProblem(
        await signal(householdId, { legalBasis: 'zomaar' }, who),
        400,
        'UnknownLegalBasis',
      );
      expect(res.errors).toEqual([expect.objectContaining({ field: 'legalBasis' })]);
    }
    expect(await eventsOf(householdId, 'WorkIncomeSignalRecorded')).toEqual([]);
    expect(await eventsOf(householdId, 'InboundSignalRefused')).toEqual([]);
  });

  it('refusals: consent twice 409, withdrawal without consent 409, unknown member 400, bad category 400', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(
      await post(`/v1/households/${householdId}/uwv-consent/withdraw`, { memberId: PARENT }),
      409,
      'NoConsentToWithdraw',
      15,
    );
    await post(`/v1/households/${householdId}/uwv-consent`, { memberId: PARENT }).expect(201);
    expectProblem(
      await post(`/v1/households/${householdId}/uwv-consent`, { memberId: PARENT }),
      409,
      'ConsentAlreadyGiven',
      15,
    );
    const unknown = expectProblem(
      await post(`/v1/households/${householdId}/uwv-consent/withdraw`, { memberId: 'm-x' }),
      400,
      'UnknownMember',
    );
    expect(unknown.errors).toEqual([expect.objectContaining({ field: 'memberId' })]);
    const bad = expectProblem(await signal(householdId, { category: 'lottery' }), 400, 'ValidationFailed');
    expect(bad.errors).toEqual([expect.objectContaining({ field: 'category' })]);
    expectProblem(await signal(householdId, { description: '' }), 400, 'ValidationFailed');
  });

  it('scoping: another team 404, an auditor 403, an integrator cannot read signals', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(
      await post(`/v1/households/${householdId}/uwv-consent`, { memberId: PARENT }, other.workers[0]),
      404,
      'HouseholdNotFound',
    );
    expectProblem(await signal(householdId, {}, other.workers[0]), 404, 'HouseholdNotFound');
    expectProblem(await signal(householdId, {}, auditor(t)), 403, 'Forbidden');
    expectProblem(
      await t.http().get(`/v1/households/${householdId}/work-income-signals`).set(integrator.as),
      403,
      'Forbidden',
    );
  });
});

describe('POST /v1/households/:id/questions', () => {
  it('registers a question in a life domain; the text is personal data', async () => {
    const householdId = await seedHousehold(t, team);
    const res = await post(`/v1/households/${householdId}/questions`, {
      questionId: 'q-1',
      lifeDomain: 'housing',
      description: 'Huurachterstand van drie maanden',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ householdId, questionId: 'q-1', lifeDomain: 'housing', version: 2 });
    const [event] = await eventsOf(householdId, 'QuestionRegistered');
    expect(event!.data).toMatchObject({ questionId: 'q-1', lifeDomain: 'housing', district: team.district });
    expect(event!.personal).toEqual({ description: 'Huurachterstand van drie maanden' });
  });

  it('refuses an unknown life domain 400, a reused id 409, another team 403', async () => {
    const householdId = await seedHousehold(t, team);
    const bad = expectProblem(
      await post(`/v1/households/${householdId}/questions`, { lifeDomain: 'weather', description: 'x' }),
      400,
      'ValidationFailed',
    );
    expect(bad.errors).toEqual([expect.objectContaining({ field: 'lifeDomain' })]);
    await post(`/v1/households/${householdId}/questions`, {
      questionId: 'q',
      lifeDomain: 'justice',
      description: 'x',
    }).expect(201);
    expectProblem(
      await post(`/v1/households/${householdId}/questions`, {
        questionId: 'q',
        lifeDomain: 'justice',
        description: 'x',
      }),
      409,
      'QuestionAlreadyRegistered',
    );
    expectProblem(
      await post(
        `/v1/households/${householdId}/questions`,
        { lifeDomain: 'justice', description: 'x' },
        other.workers[0],
      ),
      404,
      'HouseholdNotFound',
    );
  });
});

describe("PUT /v1/teams/:teamId/caseload-norm and the caseloads' counts against it", () => {
  it('the team lead sets the norm; caseloads show regie households against it', async () => {
    const normTeam = await seedTeam(t, { workers: 1 });
    const w = normTeam.workers[0]!;
    await seedHousehold(t, normTeam, { regieWorker: w });
    await seedHousehold(t, normTeam, { regieWorker: w });
    const before = await t.http().get(`/v1/caseloads/workers/${w.id}`).set(w.as).expect(200);
    expect(before.body.norm).toEqual({ householdsPerWorker: null, regieHouseholds: 2, overNorm: false });

    const res = await t
      .http()
      .put(`/v1/teams/${normTeam.teamId}/caseload-norm`)
      .set(normTeam.lead.as)
      .send({ householdsPerWorker: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ teamId: normTeam.teamId, householdsPerWorker: 1 });

    const mine = await t.http().get(`/v1/caseloads/workers/${w.id}`).set(w.as).expect(200);
    expect(mine.body.norm).toEqual({ householdsPerWorker: 1, regieHouseholds: 2, overNorm: true });
    const teamView = await t
      .http()
      .get(`/v1/caseloads/teams/${normTeam.teamId}`)
      .set(normTeam.lead.as)
      .expect(200);
    expect(teamView.body.norm).toEqual({ householdsPerWorker: 1 });
    expect(teamView.body.workers.find((x: { workerId: string }) => x.workerId === w.id).norm).toEqual({
      householdsPerWorker: 1,
      regieHouseholds: 2,
      overNorm: true,
    });
    await t
      .http()
      .put(`/v1/teams/${normTeam.teamId}/caseload-norm`)
      .set(admin(t).as)
      .send({ householdsPerWorker: 20 })
      .expect(200);
    const relaxed = await t.http().get(`/v1/caseloads/workers/${w.id}`).set(w.as).expect(200);
    expect(relaxed.body.norm.overNorm).toBe(false);
  });

  it('refuses 0 or a fraction (400), a worker or another team lead (403), an unknown team (404)', async () => {
    const put = (who: Person, body: Record<string, unknown>, teamId = team.teamId) =>
      t.http().put(`/v1/teams/${teamId}/caseload-norm`).set(who.as).send(body);
    expectProblem(await put(team.lead, { householdsPerWorker: 0 }), 400, 'ValidationFailed');
    expectProblem(await put(team.lead, { householdsPerWorker: 2.5 }), 400, 'ValidationFailed');
    expectProblem(await put(worker, { householdsPerWorker: 20 }), 403, 'Forbidden');
    expectProblem(await put(other.lead, { householdsPerWorker: 20 }), 403, 'Forbidden');
    expectProblem(await put(admin(t), { householdsPerWorker: 20 }, 'team-none'), 404, 'TeamNotFound');
  });
});

describe('assessments and signals are paged (issue 16, item 8)', () => {
  it('pages assessments with limit and cursor; progress still counts from the assessment before', async () => {
    const householdId = await seedHousehold(t, team);
    for (const [i, value] of [1, 2, 4].entries())
      await post(`/v1/households/${householdId}/assessments`, {
        assessmentId: `zrm-${i + 1}`,
        memberId: PARENT,
        scores: scores(value),
      }).expect(201);
    const first = await t
      .http()
      .get(`/v1/households/${householdId}/assessments?limit=2`)
      .set(worker.as)
      .expect(200);
    expect(first.body.assessments.map((a: { assessmentId: string }) => a.assessmentId)).toEqual([
      'zrm-1',
      'zrm-2',
    ]);
    expect(first.body).toMatchObject({ total: 3, next: 'zrm-2' });
    expect(first.body.persons[0].progressSinceFirst.finances).toBe(3);
    const second = await t
      .http()
      .get(`/v1/households/${householdId}/assessments?limit=2&cursor=zrm-2`)
      .set(worker.as)
      .expect(200);
    expect(second.body).toMatchObject({ total: 3, next: null });
    expect(second.body.assessments).toHaveLength(1);
    expect(second.body.assessments[0]).toMatchObject({ assessmentId: 'zrm-3' });
    expect(second.body.assessments[0].progress.finances).toBe(2);
    expectProblem(
      await t.http().get(`/v1/households/${householdId}/assessments?limit=51`).set(worker.as),
      400,
      'InvalidLimit',
    );
  });

  it('pages signals; consent is shown on every page', async () => {
    const householdId = await seedHousehold(t, team);
    for (const signalId of ['s-1', 's-2', 's-3'])
      await post(`/v1/households/${householdId}/work-income-signals`, {
        signalId,
        category: 'income-change',
        description: 'Inkomen gewijzigd',
      }).expect(201);
    const page = await t
      .http()
      .get(`/v1/households/${householdId}/work-income-signals?limit=1&cursor=s-1`)
      .set(worker.as)
      .expect(200);
    expect(page.body).toMatchObject({ total: 3, next: 's-2', consent: { status: expect.any(String) } });
    expect(page.body.signals.map((s: { signalId: string }) => s.signalId)).toEqual(['s-2']);
    expectProblem(
      await t.http().get(`/v1/households/${householdId}/work-income-signals?cursor=s-9`).set(worker.as),
      400,
      'InvalidCursor',
    );
  });
});
