/**
 * The meldcode over HTTP (docs/MELDCODE.md): a track's five steps, the household's tracks with
 * their texts, the team's open tracks for its leads with how long each step has been open, a
 * safety takeover that starts a track in its own append, and the safety plan. Every refusal is
 * problem+json and writes nothing. Time is the TestClock's.
 */
import { dateInNl, addDays } from '@eenplan/domain';
import { startTestApp, TestApp } from '../support/app';
import {
  auditor,
  etagOf,
  expectProblem,
  getHousehold,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';

const HOUR = 3_600_000;
let t: TestApp;
let team: SeededTeam;
let other: SeededTeam;
let worker: Person;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  other = await seedTeam(t, { workers: 1 });
  worker = team.workers[0]!;
});
afterAll(async () => {
  await t?.close();
});

const tracksOf = (householdId: string) => `/v1/households/${householdId}/meldcode-tracks`;
const post = (path: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().post(path).set(who.as).send(body);
const start = (householdId: string, body: Record<string, unknown> = {}, who?: Person) =>
  post(tracksOf(householdId), { signals: 'Blauwe plekken op de armen van Daan', ...body }, who);
const colleague = {
  consultation: 'colleague',
  consultedRole: 'aandachtsfunctionaris',
  advice: 'Gesprek aangaan',
};
const conversation = { held: true, account: 'Moeder herkent de zorgen' };
const weighing = { reportNecessary: false, helpPossible: true, explanation: 'Hulp wordt aanvaard' };
const decision = { reportToVeiligThuis: false, organiseHelp: true, reasons: 'Hulp via het wijkteam' };
const step = (
  householdId: string,
  trackId: string,
  path: string,
  body: Record<string, unknown>,
  who?: Person,
) => post(`${tracksOf(householdId)}/${trackId}/${path}`, body, who);
const list = (householdId: string, who: Person = worker, query = '') =>
  t
    .http()
    .get(`${tracksOf(householdId)}${query}`)
    .set(who.as);
const teamTracks = (who: Person = team.lead, teamId = team.teamId, query = '') =>
  t.http().get(`/v1/teams/${teamId}/meldcode-tracks${query}`).set(who.as);
const today = () => dateInNl(t.clock.peek().toISOString());
const plan = (householdId: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().put(`/v1/households/${householdId}/safety-plan`).set(who.as).send(body);
const planBody = (extra: Record<string, unknown> = {}) => ({
  agreements: [
    { text: 'Vader komt niet in huis', who: 'vader', dueOn: addDays(today(), 7) },
    { text: 'Oma haalt Daan op van school', who: 'oma' },
  ],
  reviewOn: addDays(today(), 30),
  ...extra,
});

/** A household with a track at step 2 (signals mapped). */
const withTrack = async () => {
  const householdId = await seedHousehold(t, team);
  const trackId = uniq('mc');
  await start(householdId, { trackId }).expect(201);
  return { householdId, trackId };
};

describe('POST /v1/households/:id/meldcode-tracks and its steps', () => {
  it('records the five steps in order, each with who and when; the read shows them with their texts', async () => {
    const householdId = await seedHousehold(t, team);
    const started = await start(householdId, { trackId: 'mc-1' });
    expect(started.status).toBe(201);
    expect(started.headers.etag).toBe('"2"');
    expect(started.body).toEqual({
      householdId,
      trackId: 'mc-1',
      status: 'open',
      step: 'consultation',
      stepNumber: 2,
      version: 2,
      position: expect.any(String),
    });
    const advice = await step(householdId, 'mc-1', 'consultations', {
      consultation: 'veilig-thuis',
      advice: 'Veilig Thuis adviseert een gesprek',
    });
    expect(advice.body).toMatchObject({ step: 'consultation', stepNumber: 2 });
    const consulted = await step(householdId, 'mc-1', 'consultations', colleague, team.workers[1]);
    expect(consulted.status).toBe(201);
    expect(consulted.body).toMatchObject({ step: 'conversation', stepNumber: 3 });
    await step(householdId, 'mc-1', 'conversation', conversation).expect(201);
    await step(householdId, 'mc-1', 'weighing', weighing).expect(201);
    const decided = await step(householdId, 'mc-1', 'decision', decision);
    expect(decided.status).toBe(201);
    expect(decided.body).toMatchObject({ status: 'decided', step: 'decision', stepNumber: 5, version: 7 });

    const read = await list(householdId).expect(200);
    expect(read.headers.etag).toBe('"7"');
    expect(read.body).toMatchObject({ householdId, openTrackId: null, total: 1, next: null });
    expect(read.body.tracks[0]).toMatchObject({
      trackId: 'mc-1',
      status: 'decided',
      stepOpenSeconds: null,
      takeoverId: null,
      signals: { by: worker.id, signals: 'Blauwe plekken op de armen van Daan' },
      consultations: [
        { consultation: 'veilig-thuis', consultedRole: null, advice: 'Veilig Thuis adviseert een gesprek' },
        {
          consultation: 'colleague',
          consultedRole: 'aandachtsfunctionaris',
          by: team.workers[1]!.id,
          advice: 'Gesprek aangaan',
        },
      ],
      conversation: { held: true, account: 'Moeder herkent de zorgen', by: worker.id },
      weighing: { reportNecessary: false, helpPossible: true, explanation: 'Hulp wordt aanvaard' },
      decision: { reportToVeiligThuis: false, organiseHelp: true, reasons: 'Hulp via het wijkteam' },
      closed: null,
    });
    // Each step's time is the clock's when it was recorded, in order.
    const { signals, conversation: c, weighing: w, decision: d } = read.body.tracks[0];
    expect([signals.at < c.at, c.at < w.at, w.at < d.at]).toEqual([true, true, true]);
  });

  it('a track is closed with a reason before its decision; then a new one may start', async () => {
    const { householdId, trackId } = await withTrack();
    const closed = await step(householdId, trackId, 'close', { reason: 'Zorgen bleken ongegrond' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', step: 'consultation' });
    const second = uniq('mc');
    await start(householdId, { trackId: second }).expect(201);
    t.clock.advance(2 * HOUR);
    const read = await list(householdId).expect(200);
    expect(read.body.tracks.map((x: { status: string }) => x.status)).toEqual(['closed', 'open']);
    expect(read.body.openTrackId).toBe(second);
    expect(read.body.tracks[0].closed).toMatchObject({
      atStep: 'consultation',
      reason: 'Zorgen bleken ongegrond',
    });
    // The household view shows where the open track stands, without its texts.
    const household = (await getHousehold(t, householdId, worker)).body;
    expect(household.meldcode).toEqual({
      openTrack: {
        trackId: second,
        step: 'consultation',
        stepNumber: 2,
        stepSince: read.body.tracks[1].stepSince,
        takeoverId: null,
      },
      safetyPlan: null,
    });
    // The open track's step 2 has been open two hours (and the clock's ticks) at the read.
    expect(Math.floor(read.body.tracks[1].stepOpenSeconds / 60)).toBe(120);
    expect(read.body.tracks[0].stepOpenSeconds).toBeNull();

    // Paged like the other lists: the next page goes on after the cursor.
    const first = await list(householdId, worker, '?limit=1').expect(200);
    expect([first.body.tracks[0].trackId, first.body.total, first.body.next]).toEqual([trackId, 2, trackId]);
    const rest = await list(householdId, worker, `?limit=1&cursor=${first.body.next}`).expect(200);
    expect([rest.body.tracks[0].trackId, rest.body.next]).toEqual([second, null]);
  });

  it('409: a second open track, a step out of order, a decision the weighing does not allow, a step on an ended track; nothing written', async () => {
    const { householdId, trackId } = await withTrack();
    const before = await etagOf(t, householdId, worker);
    const second = expectProblem(
      await start(householdId, { trackId: uniq('mc') }),
      409,
      'MeldcodeTrackAlreadyOpen',
    );
    expect(second.openTrackId).toBe(trackId);
    const early = expectProblem(
      await step(householdId, trackId, 'weighing', weighing),
      409,
      'MeldcodeStepOutOfOrder',
    );
    expect([early.step, early.currentStep]).toEqual([4, 2]);
    expect(await etagOf(t, householdId, worker)).toBe(before);

    await step(householdId, trackId, 'consultations', colleague).expect(201);
    expectProblem(
      await step(householdId, trackId, 'consultations', colleague),
      409,
      'MeldcodeStepAlreadyRecorded',
    );
    await step(householdId, trackId, 'conversation', conversation).expect(201);
    await step(householdId, trackId, 'weighing', { ...weighing, reportNecessary: true }).expect(201);
    const mustReport = expectProblem(
      await step(householdId, trackId, 'decision', decision),
      409,
      'MeldcodeReportRequired',
    );
    expect(mustReport.reportNecessary).toBe(true);
    await step(householdId, trackId, 'decision', { ...decision, reportToVeiligThuis: true }).expect(201);
    const ended = expectProblem(
      await step(householdId, trackId, 'close', { reason: 'Te laat' }),
      409,
      'MeldcodeTrackEnded',
    );
    expect(ended.trackStatus).toBe('decided');
  });

  it('400: bad bodies and ids are refused as problem+json, nothing written', async () => {
    const { householdId, trackId } = await withTrack();
    const before = await etagOf(t, householdId, worker);
    expectProblem(await post(tracksOf(householdId), {}), 400, 'ValidationFailed');
    expectProblem(await start(householdId, { signals: 'x'.repeat(2001) }), 400, 'ValidationFailed');
    expectProblem(await start(householdId, { trackId: '-bad' }), 400, 'ValidationFailed');
    expectProblem(
      await step(householdId, trackId, 'consultations', { ...colleague, consultation: 'buurvrouw' }),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await step(householdId, trackId, 'consultations', { consultation: 'colleague', advice: 'Zonder rol' }),
      400,
      'InvalidConsultation',
    );
    expectProblem(
      await step(householdId, trackId, 'conversation', { ...conversation, held: 'ja' }),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await step(householdId, trackId, 'weighing', { explanation: 'x' }),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await step(householdId, trackId, 'decision', { ...decision, extra: 1 }),
      400,
      'ValidationFailed',
    );
    expectProblem(await list(householdId, worker, '?limit=11'), 400, 'InvalidLimit');
    expect(await etagOf(t, householdId, worker)).toBe(before);
  });

  it('403: a role that is no worker’s; 404: another team’s worker, a household or track that does not exist', async () => {
    const { householdId, trackId } = await withTrack();
    expectProblem(await start(householdId, {}, auditor(t)), 403, 'Forbidden');
    expectProblem(await list(householdId, auditor(t)), 403, 'Forbidden');
    const stranger = other.workers[0]!;
    expectProblem(await start(householdId, {}, stranger), 404, 'HouseholdNotFound');
    expectProblem(
      await step(householdId, trackId, 'consultations', colleague, stranger),
      404,
      'HouseholdNotFound',
    );
    expectProblem(await list(householdId, stranger), 404, 'HouseholdNotFound');
    expectProblem(await start(uniq('nohh')), 404, 'HouseholdNotFound');
    expectProblem(
      await step(householdId, 'mc-none', 'consultations', colleague),
      404,
      'MeldcodeTrackNotFound',
    );
    expectProblem(await step(householdId, 'mc-none', 'close', { reason: 'x' }), 404, 'MeldcodeTrackNotFound');
  });
});

describe('GET /v1/teams/:teamId/meldcode-tracks', () => {
  it('shows a team lead the open tracks, the step open longest first, with how long it has been open', async () => {
    const lead = await seedTeam(t, { workers: 1 });
    const w = lead.workers[0]!;
    const a = await seedHousehold(t, lead);
    const b = await seedHousehold(t, lead);
    await start(a, { trackId: 'mc-a' }, w).expect(201);
    t.clock.advance(2 * HOUR);
    await start(b, { trackId: 'mc-b' }, w).expect(201);
    t.clock.advance(HOUR);
    await step(a, 'mc-a', 'consultations', colleague, w).expect(201);
    t.clock.advance(24 * HOUR);

    const res = await teamTracks(lead.lead, lead.teamId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ teamId: lead.teamId, count: 2, next: null });
    expect(
      res.body.tracks.map((x: { householdId: string; stepNumber: number }) => [x.householdId, x.stepNumber]),
    ).toEqual([
      [b, 2],
      [a, 3],
    ]);
    const [first, second] = res.body.tracks;
    // b's step 2 began 25 hours before the read, a's step 3 24 hours before (plus the clock's ticks).
    expect(Math.floor(first.stepOpenSeconds / 3600)).toBe(25);
    expect(Math.floor(second.stepOpenSeconds / 3600)).toBe(24);
    expect(first).not.toHaveProperty('signals');

    const page = await teamTracks(lead.lead, lead.teamId, '?limit=1').expect(200);
    expect(page.body.tracks.map((x: { householdId: string }) => x.householdId)).toEqual([b]);
    const rest = await teamTracks(lead.lead, lead.teamId, `?limit=1&cursor=${page.body.next}`).expect(200);
    expect([rest.body.tracks.map((x: { householdId: string }) => x.householdId), rest.body.next]).toEqual([
      [a],
      null,
    ]);

    // A decided track is no longer open.
    await step(b, 'mc-b', 'close', { reason: 'Verhuisd' }, w).expect(200);
    expect((await teamTracks(lead.lead, lead.teamId).expect(200)).body.count).toBe(1);
  });

  it('400 on a bad cursor or limit; 403 for a worker who is no lead, and another team’s lead', async () => {
    expectProblem(await teamTracks(team.lead, team.teamId, '?cursor=abc'), 400, 'InvalidCursor');
    expectProblem(await teamTracks(team.lead, team.teamId, '?limit=0'), 400, 'InvalidLimit');
    expectProblem(await teamTracks(worker), 403, 'Forbidden');
    expectProblem(await teamTracks(other.lead), 403, 'Forbidden');
    expectProblem(await teamTracks(auditor(t)), 403, 'Forbidden');
  });
});

describe('a safety takeover that starts a meldcode track', () => {
  const takeover = (householdId: string, body: Record<string, unknown>, who: Person) =>
    post(`/v1/households/${householdId}/regie/safety-takeover`, { reason: 'Acuut onveilig', ...body }, who);

  it('takes regie and starts the track in one append: the track names the takeover', async () => {
    const householdId = await seedHousehold(t, team, { regieWorker: team.workers[1] });
    const res = await takeover(
      householdId,
      { takeoverId: 'st-1', meldcode: { trackId: 'mc-st', signals: 'Vader dreigde met geweld' } },
      worker,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      takeoverId: 'st-1',
      meldcodeTrackId: 'mc-st',
      meldcodeTrackStarted: true,
      version: 3,
    });
    const read = await list(householdId).expect(200);
    expect(read.body.tracks[0]).toMatchObject({
      trackId: 'mc-st',
      takeoverId: 'st-1',
      status: 'open',
      signals: { by: worker.id, signals: 'Vader dreigde met geweld' },
    });
  });

  it('400 for a bad meldcode part, changing nothing; a track already open does not stop the takeover', async () => {
    const { householdId, trackId } = await withTrack();
    const before = await etagOf(t, householdId, worker);
    expectProblem(
      await takeover(householdId, { meldcode: { signals: '' } }, team.workers[1]!),
      400,
      'ValidationFailed',
    );
    expect(await etagOf(t, householdId, worker)).toBe(before);
    // Break-glass is not refused for its optional part: regie moves, the open track stays the one.
    const res = await takeover(householdId, { meldcode: { signals: 'Nieuwe zorgen' } }, team.workers[1]!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      holder: { kind: 'worker', id: team.workers[1]!.id },
      meldcodeTrackId: trackId,
      meldcodeTrackStarted: false,
    });
    const read = await list(householdId).expect(200);
    expect(read.body.tracks.map((tr: { trackId: string }) => tr.trackId)).toEqual([trackId]);
  });
});

describe('PUT and GET /v1/households/:id/safety-plan', () => {
  it('records the plan, shows it to the team and the regie holder, and replaces it by a revision', async () => {
    const householdId = await seedHousehold(t, team);
    expect(
      (await t.http().get(`/v1/households/${householdId}/safety-plan`).set(worker.as).expect(200)).body,
    ).toEqual({
      householdId,
      safetyPlan: null,
    });
    const body = planBody();
    const res = await plan(householdId, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ householdId, revision: 1, reviewOn: body.reviewOn, version: 2 });
    const read = await t
      .http()
      .get(`/v1/households/${householdId}/safety-plan`)
      .set(team.workers[1]!.as)
      .expect(200);
    expect(read.body.safetyPlan).toMatchObject({
      revision: 1,
      replaces: null,
      reviewOn: body.reviewOn,
      reviewDue: false,
      trackId: null,
      recordedBy: worker.id,
      agreements: [
        { text: 'Vader komt niet in huis', who: 'vader', dueOn: body.agreements[0]!.dueOn },
        { text: 'Oma haalt Daan op van school', who: 'oma', dueOn: null },
      ],
    });

    const reviewOn = today();
    const revised = await plan(householdId, {
      agreements: [{ text: 'Vader belt alleen met begeleiding', who: 'vader' }],
      reviewOn,
      replaces: 1,
    });
    expect(revised.body).toMatchObject({ revision: 2 });
    expect((await getHousehold(t, householdId, worker)).body.meldcode).toEqual({
      openTrack: null,
      safetyPlan: { revision: 2, reviewOn, agreements: 1 },
    });
    const again = await t.http().get(`/v1/households/${householdId}/safety-plan`).set(worker.as).expect(200);
    expect(again.body.safetyPlan).toMatchObject({ revision: 2, replaces: 1, reviewDue: true });
    expect(again.body.safetyPlan.agreements).toHaveLength(1);
  });

  it('409 without the revision it replaces; 400 for bad bodies; 403 by role; 404 for another team; nothing written', async () => {
    const householdId = await seedHousehold(t, team);
    await plan(householdId, planBody()).expect(200);
    const before = await etagOf(t, householdId, worker);
    expect(
      expectProblem(await plan(householdId, planBody()), 409, 'SafetyPlanRevisionMismatch').currentRevision,
    ).toBe(1);
    expectProblem(await plan(householdId, planBody({ replaces: 2 })), 409, 'SafetyPlanRevisionMismatch');
    expectProblem(await plan(householdId, planBody({ agreements: [] })), 400, 'ValidationFailed');
    expectProblem(await plan(householdId, planBody({ reviewOn: '2026-02-30' })), 400, 'ValidationFailed');
    expectProblem(
      await plan(householdId, planBody({ reviewOn: addDays(today(), -1), replaces: 1 })),
      400,
      'SafetyPlanReviewInPast',
    );
    expectProblem(
      await plan(householdId, planBody({ agreements: [{ text: 'Zonder wie' }], replaces: 1 })),
      400,
      'ValidationFailed',
    );
    expectProblem(await plan(householdId, planBody({ replaces: 1 }), auditor(t)), 403, 'Forbidden');
    expectProblem(
      await plan(householdId, planBody({ replaces: 1 }), other.workers[0]!),
      404,
      'HouseholdNotFound',
    );
    expectProblem(
      await t.http().get(`/v1/households/${householdId}/safety-plan`).set(other.workers[0]!.as),
      404,
      'HouseholdNotFound',
    );
    expectProblem(await plan(uniq('nohh'), planBody()), 404, 'HouseholdNotFound');
    expect(await etagOf(t, householdId, worker)).toBe(before);
  });
});
