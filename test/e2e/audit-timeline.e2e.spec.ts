/**
 * GET /v1/audit/households/:id/timeline: what the auditor's timeline page draws beside the regie
 * intervals (every transfer request's pending period and outcome, closures, reopenings) and the
 * worker names auditors see, also in the handoff report's JSON.
 */
import { startTestApp, TestApp } from '../support/app';
import {
  admin,
  auditor,
  expectProblem,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';

let t: TestApp;
let team: SeededTeam;
let w1: Person;
let w2: Person;
let w3: Person;
let householdId: string;
const ids: Record<'declined' | 'accepted' | 'cancelled' | 'pending', string> = {
  declined: uniq('tr'),
  accepted: uniq('tr'),
  cancelled: uniq('tr'),
  pending: uniq('tr'),
};

const post = (path: string, who: Person, body: Record<string, unknown> = {}) =>
  t.http().post(`/v1/households/${householdId}${path}`).set(who.as).send(body);
const request = (who: Person, transferId: string, to: Person, extra: Record<string, unknown> = {}) =>
  post('/regie/transfers', who, {
    transferId,
    to: { kind: 'worker', id: to.id },
    reason: 'Past beter',
    ...extra,
  });

beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 3 });
  [w1, w2, w3] = team.workers as [Person, Person, Person];
  householdId = await seedHousehold(t, team, { regieWorker: w1 });
  await request(w1, ids.declined, w2, { reason: '=HYPERLINK("x")' }).expect(201);
  t.clock.advance(3600_000);
  await post(`/regie/transfers/${ids.declined}/decline`, w2, { reason: 'Geen ruimte' }).expect(200);
  await request(w1, ids.accepted, w2).expect(201);
  t.clock.advance(3600_000);
  await post(`/regie/transfers/${ids.accepted}/accept`, w2).expect(200);
  await request(w2, ids.cancelled, w3).expect(201);
  await post(`/regie/transfers/${ids.cancelled}/cancel`, w2, { reason: 'Toch niet' }).expect(200);
  t.clock.advance(86400_000);
  await post('/close', w2, { outcome: 'Afgerond' }).expect(200);
  t.clock.advance(86400_000);
  await post('/reopen', w2, { reason: 'Nieuwe vraag' }).expect(200);
  // The household holds regie now: a worker asks on its behalf, a member agreeing.
  await request(w1, ids.pending, w3, { agreedBy: PARENT }).expect(201);
});
afterAll(async () => {
  await t?.close();
});

describe('GET /v1/audit/households/:id/timeline', () => {
  it('gives every transfer request its pending period and outcome, the closures and reopenings, and names', async () => {
    const res = await t
      .http()
      .get(`/v1/audit/households/${householdId}/timeline`)
      .set(auditor(t).as)
      .expect(200);
    const body = res.body as {
      pendingTransfers: {
        transferId: string;
        from: string;
        to: string | null;
        outcome: string;
        settledBy?: string;
      }[];
      closures: { at: string; by: string }[];
      reopenings: { at: string; by: string }[];
      workers: { id: string; name: string }[];
    };
    expect(body.pendingTransfers.map((p) => [p.transferId, p.outcome])).toEqual([
      [ids.declined, 'declined'],
      [ids.accepted, 'accepted'],
      [ids.cancelled, 'cancelled'],
      [ids.pending, 'pending'],
    ]);
    expect(body.pendingTransfers[0]).toMatchObject({
      fromHolder: { kind: 'worker', id: w1.id },
      toWorker: w2.id,
      requestedBy: w1.id,
      variant: 'handover',
      settledBy: w2.id,
      reason: '=HYPERLINK("x")',
    });
    // A pending period lasts from the request to its answer: an hour for the declined one.
    const [declined, , cancelled, pending] = body.pendingTransfers;
    expect(Date.parse(declined!.to!) - Date.parse(declined!.from)).toBeGreaterThanOrEqual(3600_000);
    expect(Date.parse(declined!.to!) - Date.parse(declined!.from)).toBeLessThan(3600_000 + 60_000);
    expect(cancelled!.settledBy).toBe(w2.id);
    expect(pending).toMatchObject({
      to: null,
      fromHolder: { kind: 'household', id: householdId },
      toWorker: w3.id,
      variant: 'on-behalf',
    });
    expect(pending).not.toHaveProperty('settledBy');

    expect(body.closures).toHaveLength(1);
    expect(body.closures[0]!.by).toBe(w2.id);
    expect(body.reopenings).toHaveLength(1);
    expect(body.reopenings[0]!.by).toBe(w2.id);
    expect(Date.parse(body.reopenings[0]!.at) - Date.parse(body.closures[0]!.at)).toBeGreaterThanOrEqual(
      86400_000,
    );
    expect(Date.parse(pending!.from)).toBeGreaterThan(Date.parse(body.reopenings[0]!.at));

    expect(body.workers).toEqual(
      [w1, w2, w3].map((w) => ({ id: w.id, name: `Naam ${w.id}` })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it('keeps the periods and names of an erased household, without the reasons', async () => {
    const erasedId = await seedHousehold(t, team, { regieWorker: w1 });
    const transferId = uniq('tr');
    const at = (path: string) => `/v1/households/${erasedId}${path}`;
    await t
      .http()
      .post(at('/regie/transfers'))
      .set(w1.as)
      .send({ transferId, to: { kind: 'worker', id: w2.id }, reason: 'Persoonlijke reden' })
      .expect(201);
    await t
      .http()
      .post(at(`/regie/transfers/${transferId}/decline`))
      .set(w2.as)
      .send({ reason: 'Nee' })
      .expect(200);
    await t.http().post(at('/close')).set(w1.as).send({ outcome: 'Afgerond' }).expect(200);
    const erased = await t
      .http()
      .post(at('/erasure'))
      .set(admin(t).as)
      .send({ reason: 'AVG art. 17, verzoek 1' });
    expect([200, 202]).toContain(erased.status);

    const body = (
      await t.http().get(`/v1/audit/households/${erasedId}/timeline`).set(auditor(t).as).expect(200)
    ).body as { pendingTransfers: Record<string, unknown>[]; closures: unknown[]; workers: { id: string }[] };
    expect(body.pendingTransfers).toHaveLength(1);
    expect(body.pendingTransfers[0]).toMatchObject({ transferId, outcome: 'declined', settledBy: w2.id });
    expect(body.pendingTransfers[0]).not.toHaveProperty('reason');
    expect(JSON.stringify(body)).not.toContain('Persoonlijke reden');
    expect(body.closures).toHaveLength(1);
    expect(body.workers.map((w) => w.id).sort()).toEqual([w1.id, w2.id].sort());
  });

  it('refuses other roles before reading, and anyone a household that is not there', async () => {
    expectProblem(
      await t.http().get(`/v1/audit/households/${householdId}/timeline`).set(w2.as),
      403,
      'Forbidden',
    );
    expectProblem(
      await t
        .http()
        .get(`/v1/audit/households/${uniq('hh')}/timeline`)
        .set(auditor(t).as),
      404,
      'HouseholdNotFound',
    );
    expectProblem(
      await t.http().get('/v1/audit/households/-bad/timeline').set(auditor(t).as),
      400,
      'InvalidId',
    );
  });
});

describe('GET /v1/audit/handoffs names the workers of its page', () => {
  it('gives the names of the givers, receivers, requesters and accepters beside the handoffs', async () => {
    const res = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ workerId: w2.id })
      .set(auditor(t).as)
      .expect(200);
    const handoffs = (res.body as { handoffs: { householdId: string; cause: string }[] }).handoffs;
    expect(handoffs.filter((h) => h.householdId === householdId).map((h) => h.cause)).toEqual([
      'transfer',
      'closure',
    ]);
    const workers = (res.body as { workers: { id: string; name: string }[] }).workers;
    expect(workers).toEqual(
      expect.arrayContaining([
        { id: w1.id, name: `Naam ${w1.id}` },
        { id: w2.id, name: `Naam ${w2.id}` },
      ]),
    );
    // Only workers this page names: w3 held nothing here.
    expect(workers.map((w) => w.id)).not.toContain(w3.id);
  });
});
