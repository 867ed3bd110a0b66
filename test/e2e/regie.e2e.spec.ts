/**
 * Regie over HTTP: transfers (on behalf of the household, handover, reverse), accept, decline,
 * cancel, safety takeover and return to the household (DOMAIN.md invariants 2-7), and what the
 * read models show right after each write: regie history, the holder at a time, caseloads and the
 * auditors' handoff export.
 */
import { startTestApp, TestApp } from '../support/app';
import {
  auditor,
  expectProblem,
  getHousehold,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';
import { type Interval, regieApi } from './regie.fixtures';

let t: TestApp;
let team: SeededTeam;
let lead: Person;
let w1: Person;
let w2: Person;
let w3: Person;
let elsewhere: SeededTeam;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 3 });
  ({ lead } = team);
  [w1, w2, w3] = team.workers;
  elsewhere = await seedTeam(t, { workers: 1 });
});
afterAll(async () => {
  await t?.close();
});

const {
  post,
  requestTransfer,
  accept,
  decline,
  cancel,
  takeover,
  returnToHousehold,
  history,
  holderAt,
  caseload,
  heldBy,
  pendingTransfer,
} = regieApi(
  () => t,
  () => team,
);

const workerHolder = (p: Person, teamId = team.teamId) => ({ kind: 'worker', id: p.id, teamId });

describe('on behalf of the household: a warm handover (invariants 3 and 5)', () => {
  it('regie stays with the household until the receiver accepts; every read shows each step at once', async () => {
    const householdId = await seedHousehold(t, team);
    const transferId = uniq('tr');

    const requested = await requestTransfer(householdId, w1, {
      transferId,
      to: { kind: 'worker', id: w2.id },
      handoverNotes: 'Moeder wil liefst ochtendafspraken',
      agreedBy: PARENT,
    });

    expect(requested.status).toBe(201);
    expect(requested.headers.etag).toBe('"2"');
    expect(requested.body).toEqual({
      householdId,
      transferId,
      variant: 'on-behalf',
      status: 'pending',
      version: 2,
      position: expect.any(String),
    });
    const pending = (await getHousehold(t, householdId, w1)).body;
    expect(pending.regie.holder).toEqual({ kind: 'household', id: householdId });
    expect(pending.pendingTransfer).toEqual({
      transferId,
      to: workerHolder(w2),
      requestedBy: w1.id,
      variant: 'on-behalf',
      requestedAt: expect.any(String),
      reason: 'Specialistische hulp nodig',
    });
    // Invariant 3: the giver (here the household) still holds regie, in every read model.
    expect((await holderAt(householdId)).body).toMatchObject({
      holder: { kind: 'household', id: householdId },
      cause: 'registration',
    });
    expect(await history(householdId)).toEqual([
      expect.objectContaining({ holder: { kind: 'household', id: householdId }, to: null }),
    ]);
    const receiverCaseload = await caseload(w2);
    expect(receiverCaseload.households).toEqual([
      expect.objectContaining({
        householdId,
        roles: ['pending-receiver'],
        pendingTransfer: expect.objectContaining({ transferId, receiverId: w2.id }),
      }),
    ]);

    t.clock.advance(90 * 60_000);
    const accepted = await accept(householdId, transferId, w2);

    expect(accepted.status).toBe(200);
    expect(accepted.headers.etag).toBe('"3"');
    expect(accepted.body).toEqual({
      householdId,
      transferId,
      status: 'accepted',
      holder: workerHolder(w2),
      version: 3,
      position: expect.any(String),
    });
    const after = (await getHousehold(t, householdId, w1)).body;
    expect(after.regie.holder).toEqual(workerHolder(w2));
    expect(after.pendingTransfer).toBeNull();
    expect(
      Date.parse(after.regie.since) - Date.parse(pending.pendingTransfer.requestedAt),
    ).toBeGreaterThanOrEqual(90 * 60_000);

    const intervals = await history(householdId);
    expect(intervals).toEqual([
      {
        holder: { kind: 'household', id: householdId },
        from: expect.any(String),
        to: intervals[1].from,
        cause: 'registration',
      },
      {
        holder: workerHolder(w2),
        from: after.regie.since,
        to: null,
        cause: 'transfer',
        transferId,
        requestedBy: w1.id,
        acceptedBy: w2.id,
        reason: 'Specialistische hulp nodig',
        // From the request to the accept, as the app recorded them (90 minutes and the clock's ticks).
        handoverSeconds:
          (Date.parse(after.regie.since) - Date.parse(pending.pendingTransfer.requestedAt)) / 1000,
      },
    ]);
    // Point in time: while the transfer was pending the household held regie; from the accept on, w2.
    expect((await holderAt(householdId, pending.pendingTransfer.requestedAt)).body.holder).toEqual({
      kind: 'household',
      id: householdId,
    });
    expect((await holderAt(householdId, after.regie.since)).body).toMatchObject({
      holder: workerHolder(w2),
      since: after.regie.since,
      cause: 'transfer',
    });
    expect((await caseload(w2)).households).toEqual([
      expect.objectContaining({
        householdId,
        roles: ['regie-holder'],
        regieSince: after.regie.since,
        pendingTransfer: null,
      }),
    ]);
  });

  it('invariant 5: without agreedBy it is 409 with invariant 5, and nothing is written', async () => {
    const householdId = await seedHousehold(t, team);

    const res = await requestTransfer(householdId, w1, { to: { kind: 'worker', id: w2.id } });

    const problem = expectProblem(res, 409, 'AgreedByRequired', 5);
    expect(problem.detail).toContain('agreedBy');
    const got = await getHousehold(t, householdId, w1);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body.pendingTransfer).toBeNull();
  });

  it('invariant 5: agreedBy must be a member of the household (400 naming agreedBy)', async () => {
    const householdId = await seedHousehold(t, team);

    const res = await requestTransfer(householdId, w1, {
      to: { kind: 'worker', id: w2.id },
      agreedBy: 'm-buurman',
    });

    const problem = expectProblem(res, 400, 'UnknownMember');
    expect(problem.errors).toEqual([{ field: 'agreedBy', reason: expect.stringContaining('m-buurman') }]);
  });

  it("invariant 5: a worker outside the household's team cannot request on its behalf (403, invariant 5)", async () => {
    const householdId = await seedHousehold(t, team);

    const res = await requestTransfer(householdId, elsewhere.workers[0], {
      to: { kind: 'worker', id: elsewhere.workers[0].id },
      agreedBy: PARENT,
    });

    // A worker may ask for regie unseen (the reverse request), but a refusal tells them nothing (issue 16).
    expectProblem(res, 404, 'HouseholdNotFound');
  });
});

describe('handover by the holder: pending, decline, cancel (invariants 2 and 4)', () => {
  it('the receiver declines with a reason (200); regie stays with the giver and nothing is pending', async () => {
    const householdId = await heldBy(w1);
    const transferId = uniq('tr');
    const requested = await requestTransfer(householdId, w1, {
      transferId,
      to: { kind: 'worker', id: w2.id },
    });
    expect(requested.body.variant).toBe('handover');

    const res = await decline(householdId, transferId, w2);

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.body).toEqual({
      householdId,
      transferId,
      status: 'declined',
      version: 3,
      position: expect.any(String),
    });
    const got = (await getHousehold(t, householdId, w1)).body;
    expect(got.regie.holder).toEqual(workerHolder(w1));
    expect(got.pendingTransfer).toBeNull();
    expect(await history(householdId)).toHaveLength(1);
    expect((await caseload(w2)).households.map((h: { householdId: string }) => h.householdId)).not.toContain(
      householdId,
    );
  });

  it('invariant 2: a second request while one is pending is 409 with invariant 2, naming the pending one', async () => {
    const { householdId, transferId } = await pendingTransfer(w1, w1, w2);

    const second = await requestTransfer(householdId, w1, { to: { kind: 'worker', id: w3.id } });

    const problem = expectProblem(second, 409, 'TransferAlreadyPending', 2);
    expect(problem.pendingTransferId).toBe(transferId);
    const got = await getHousehold(t, householdId, w1);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.pendingTransfer.transferId).toBe(transferId);
  });

  it("invariant 4: a worker who is neither the receiver nor a lead of the receiver's team cannot accept or decline (403, invariant 4)", async () => {
    const { householdId, transferId } = await pendingTransfer(w1, w1, w2);

    expectProblem(await accept(householdId, transferId, w3), 403, 'NotTransferDecider', 4);
    expectProblem(await decline(householdId, transferId, w3), 403, 'NotTransferDecider', 4);
    // A lead of another team may not even see the household: the one 404 (issue 16).
    expectProblem(await accept(householdId, transferId, elsewhere.lead), 404, 'HouseholdNotFound');
    const got = await getHousehold(t, householdId, w1);
    expect(got.headers.etag).toBe('"2"');
    expect(got.body.regie.holder).toEqual(workerHolder(w1));
  });

  it("a team lead of the receiver's team may accept for the receiver", async () => {
    const { householdId, transferId } = await pendingTransfer(w1, w1, w2);

    const res = await accept(householdId, transferId, lead);

    expect(res.status).toBe(200);
    expect(res.body.holder).toEqual(workerHolder(w2));
    expect((await history(householdId))[1]).toMatchObject({ requestedBy: w1.id, acceptedBy: lead.id });
  });

  it('invariant 4: a team lead who requested the handover cannot also accept it (403, invariant 4)', async () => {
    const { householdId, transferId } = await pendingTransfer(lead, lead, w2);

    expectProblem(await accept(householdId, transferId, lead), 403, 'NotTransferDecider', 4);
    await accept(householdId, transferId, w2).expect(200);
  });

  it('invariant 4: the requester cancels (200); someone who neither requested nor holds regie cannot (403, invariant 4)', async () => {
    const { householdId, transferId } = await pendingTransfer(null, w1, w2, { agreedBy: PARENT });

    expectProblem(await cancel(householdId, transferId, w3), 403, 'NotTransferCanceller', 4);
    const res = await cancel(householdId, transferId, w1);

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.body).toEqual({
      householdId,
      transferId,
      status: 'cancelled',
      version: 3,
      position: expect.any(String),
    });
    expect((await getHousehold(t, householdId, w1)).body.pendingTransfer).toBeNull();
  });

  it('the holder may cancel a reverse request made by someone else', async () => {
    const { householdId, transferId } = await pendingTransfer(w1, w2, w2);

    await cancel(householdId, transferId, w1).expect(200);
  });

  it('a transfer that was decided cannot be decided again (409, invariant 2); an unknown one is 404', async () => {
    const { householdId, transferId } = await pendingTransfer(w1, w1, w2);
    await accept(householdId, transferId, w2).expect(200);

    expectProblem(await accept(householdId, transferId, w2), 409, 'TransferNotPending', 2);
    expectProblem(await cancel(householdId, transferId, w2), 409, 'TransferNotPending', 2);
    expectProblem(await accept(householdId, uniq('tr'), w2), 404, 'TransferNotFound');
    // Nor can its id be used for a new request: a retried request is refused rather than confused.
    expectProblem(
      await requestTransfer(householdId, w2, { transferId, to: { kind: 'worker', id: w3.id } }),
      409,
      'TransferIdAlreadyUsed',
    );
    expect((await getHousehold(t, householdId, w1)).headers.etag).toBe('"3"');
  });
});

describe('the reverse request (invariant 5)', () => {
  it('a worker asks the holder for regie; the holder accepts; the history says reverse-request', async () => {
    const householdId = await heldBy(w1);
    const transferId = uniq('tr');

    const requested = await requestTransfer(householdId, w2, {
      transferId,
      to: { kind: 'worker', id: w2.id },
    });
    expect(requested.status).toBe(201);
    expect(requested.body.variant).toBe('reverse');
    // Only the holder decides on a reverse request, not the one who asked.
    expectProblem(await accept(householdId, transferId, w2), 403, 'NotTransferDecider', 5);

    const res = await accept(householdId, transferId, w1);

    expect(res.status).toBe(200);
    expect(res.body.holder).toEqual(workerHolder(w2));
    expect((await history(householdId))[1]).toMatchObject({
      holder: workerHolder(w2),
      cause: 'reverse-request',
      transferId,
      requestedBy: w2.id,
      acceptedBy: w1.id,
    });
  });

  it('a worker who does not hold regie cannot hand it to a third worker (403, invariant 5)', async () => {
    const householdId = await heldBy(w1);

    expectProblem(
      await requestTransfer(householdId, w2, { to: { kind: 'worker', id: w3.id } }),
      403,
      'NotRegieHolder',
      5,
    );
  });

  it('a transfer to the worker who already holds regie is 409 with invariant 1', async () => {
    const householdId = await heldBy(w1);

    expectProblem(
      await requestTransfer(householdId, w2, { to: { kind: 'worker', id: w1.id } }),
      409,
      'AlreadyRegieHolder',
      1,
    );
  });
});

describe('safety takeover (invariant 6; the whole break-glass flow: safety-takeover.e2e.spec.ts)', () => {
  it('takes regie at once without an approver, cancels the pending transfer, and is marked in the history', async () => {
    const { householdId, transferId } = await pendingTransfer(w1, w1, w2);

    const res = await takeover(householdId, w3);

    expect(res.status).toBe(200);
    // Two events: the pending transfer cancelled, then the takeover.
    expect(res.headers.etag).toBe('"4"');
    expect(res.body).toEqual({
      householdId,
      takeoverId: expect.any(String),
      holder: workerHolder(w3),
      cause: 'safety-takeover',
      confirmation: 'awaiting-confirmation',
      version: 4,
      position: expect.any(String),
    });
    const got = (await getHousehold(t, householdId, w3)).body;
    expect(got.regie.holder).toEqual(workerHolder(w3));
    expect(got.pendingTransfer).toBeNull();
    const [, taken] = await history(householdId);
    expect(taken).toMatchObject({
      holder: workerHolder(w3),
      to: null,
      cause: 'safety-takeover',
      requestedBy: w3.id,
      takeoverId: res.body.takeoverId,
      confirmation: 'awaiting-confirmation',
      confirmationOverdue: false,
      reason: 'Acute zorgen om veiligheid kinderen',
    });
    // Nobody approved anything yet.
    expect(taken).not.toHaveProperty('approvedBy');
    expect((await caseload(w2)).households.map((h: { householdId: string }) => h.householdId)).not.toContain(
      householdId,
    );
    expectProblem(await accept(householdId, transferId, w2), 409, 'TransferNotPending', 2);
  });

  it('an approvedBy in the body is a 400 that says why, and nothing is written', async () => {
    const householdId = await heldBy(w1);

    const problem = expectProblem(
      await post(`/v1/households/${householdId}/regie/safety-takeover`, w3, {
        reason: 'Acute zorgen',
        approvedBy: lead.id,
      }),
      400,
      'ValidationFailed',
    );

    expect(problem.errors).toEqual([
      { field: 'approvedBy', reason: expect.stringMatching(/confirms or rejects/) },
    ]);
    expect(problem.detail).toMatch(/approvedBy is not accepted: a safety takeover is break-glass/);
    expect((await getHousehold(t, householdId, w1)).headers.etag).toBe('"1"');
  });

  it('the holder cannot take over their own regie: 409 with invariant 1', async () => {
    const householdId = await heldBy(w1);
    expectProblem(await takeover(householdId, w1), 409, 'AlreadyRegieHolder', 1);
  });
});

describe('return to the household (invariant 7)', () => {
  it('the holder returns regie with the member who agreed (200); the household holds it from then on', async () => {
    const householdId = await heldBy(w1);

    const res = await returnToHousehold(householdId, w1);

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toEqual({
      householdId,
      holder: { kind: 'household', id: householdId },
      version: 2,
      position: expect.any(String),
    });
    expect((await getHousehold(t, householdId, w1)).body.regie.holder).toEqual({
      kind: 'household',
      id: householdId,
    });
    const intervals = await history(householdId);
    expect(intervals[1]).toMatchObject({
      holder: { kind: 'household', id: householdId },
      cause: 'return-to-household',
      requestedBy: w1.id,
      agreedBy: PARENT,
      to: null,
    });
    expect(intervals[0].to).toBe(intervals[1].from);
    expect((await caseload(w1)).households.map((h: { householdId: string }) => h.householdId)).not.toContain(
      householdId,
    );
  });

  it('while the household already holds regie it is 409 with invariant 7', async () => {
    const householdId = await seedHousehold(t, team);

    expectProblem(await returnToHousehold(householdId, w1), 409, 'HouseholdHoldsRegie', 7);
    expect((await getHousehold(t, householdId, w1)).headers.etag).toBe('"1"');
  });

  it('only the holder returns regie: 403 with invariant 7', async () => {
    const householdId = await heldBy(w1);
    expectProblem(await returnToHousehold(householdId, w2), 403, 'NotRegieHolder', 7);
  });

  it('not while a transfer is pending: 409 (invariant 2); and agreedBy must be a member (400)', async () => {
    const { householdId, transferId } = await pendingTransfer(w1, w1, w2);

    expectProblem(await returnToHousehold(householdId, w1), 409, 'TransferPending', 2);
    await cancel(householdId, transferId, w1).expect(200);
    const problem = expectProblem(
      await returnToHousehold(householdId, w1, 'm-buurman'),
      400,
      'UnknownMember',
    );
    expect(problem.errors).toEqual([{ field: 'agreedBy', reason: expect.any(String) }]);
  });
});

describe('invariant 1: one holder at every instant', () => {
  it('through every kind of handoff the history has no gaps and no overlaps, and ends open', async () => {
    const householdId = await seedHousehold(t, team);
    const onBehalf = uniq('tr');
    await requestTransfer(householdId, w1, {
      transferId: onBehalf,
      to: { kind: 'worker', id: w1.id },
      agreedBy: PARENT,
    }).expect(201);
    await accept(householdId, onBehalf, w1).expect(200);
    const handover = uniq('tr');
    await requestTransfer(householdId, w1, {
      transferId: handover,
      to: { kind: 'worker', id: w2.id },
    }).expect(201);
    await accept(householdId, handover, w2).expect(200);
    const reverse = uniq('tr');
    await requestTransfer(householdId, w3, { transferId: reverse, to: { kind: 'worker', id: w3.id } }).expect(
      201,
    );
    await accept(householdId, reverse, w2).expect(200);
    await takeover(householdId, w1).expect(200);
    await returnToHousehold(householdId, w1).expect(200);
    await post(`/v1/households/${householdId}/regie/safety-takeover`, w2, {
      reason: 'Opnieuw zorgen',
    }).expect(200);
    await post(`/v1/households/${householdId}/close`, w2, { outcome: 'Afgerond' }).expect(200);

    const intervals = await history(householdId);

    expect(intervals.map((i) => [i.cause, i.holder.id])).toEqual([
      ['registration', householdId],
      ['transfer', w1.id],
      ['transfer', w2.id],
      ['reverse-request', w3.id],
      ['safety-takeover', w1.id],
      ['return-to-household', householdId],
      ['safety-takeover', w2.id],
      ['closure', householdId],
    ]);
    for (let i = 1; i < intervals.length; i++) {
      expect(intervals[i - 1].to).toBe(intervals[i].from);
      expect(Date.parse(intervals[i].from)).toBeGreaterThan(Date.parse(intervals[i - 1].from));
    }
    expect(intervals[intervals.length - 1].to).toBeNull();
  });
});

describe('GET /v1/regie/holder', () => {
  it('answers per instant with [from, to) intervals: 404 before registration, the household, then the receiver from the accept on', async () => {
    const { householdId, transferId } = await pendingTransfer(null, w1, w2, { agreedBy: PARENT });
    await accept(householdId, transferId, w2).expect(200);
    const [registered, transferred] = await history(householdId);
    const before = new Date(Date.parse(registered.from) - 1).toISOString();
    const lastMomentOfFirst = new Date(Date.parse(transferred.from) - 1).toISOString();

    expectProblem(await holderAt(householdId, before), 404, 'NoRegieHolder');
    expect((await holderAt(householdId, registered.from)).body).toEqual({
      householdId,
      at: registered.from,
      holder: { kind: 'household', id: householdId },
      since: registered.from,
      cause: 'registration',
    });
    expect((await holderAt(householdId, lastMomentOfFirst)).body.holder.kind).toBe('household');
    expect((await holderAt(householdId, transferred.from)).body).toMatchObject({
      holder: workerHolder(w2),
      since: transferred.from,
    });
    expect((await holderAt(householdId)).body.holder).toEqual(workerHolder(w2));
  });

  it('refuses a malformed instant, a missing household id, and answers 404 for an unknown household', async () => {
    const householdId = await seedHousehold(t, team);

    const bad = expectProblem(await holderAt(householdId, 'yesterday'), 400, 'InvalidInstant');
    expect(bad.errors).toEqual([{ field: 'at', reason: expect.any(String) }]);
    const missing = expectProblem(
      await t.http().get('/v1/regie/holder').set(auditor(t).as),
      400,
      'ValidationFailed',
    );
    expect(missing.errors).toEqual([{ field: 'householdId', reason: 'is required' }]);
    expectProblem(await holderAt(uniq('hh')), 404, 'HouseholdNotFound');
  });

  it('refuses an impossible calendar date (2026-02-30) as 400 InvalidInstant', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(await holderAt(householdId, '2026-02-30T10:00:00Z'), 400, 'InvalidInstant');
  });
});

describe('caseloads', () => {
  it("a worker's caseload lists regie, pending receipt and open actions with counts, right after each write", async () => {
    const own = await seedTeam(t, { workers: 2 });
    const [a, b] = own.workers;
    const held = await seedHousehold(t, own, { regieWorker: a });
    const incoming = await seedHousehold(t, own);
    const transferId = uniq('tr');
    await requestTransfer(incoming, b, {
      transferId,
      to: { kind: 'worker', id: a.id },
      agreedBy: PARENT,
    }).expect(201);
    const goalId = uniq('g');
    await post(`/v1/households/${held}/goals`, b, {
      goalId,
      lifeDomain: 'housing',
      description: 'Woning',
    }).expect(201);
    const actionId = uniq('a');
    await post(`/v1/households/${held}/actions`, b, {
      actionId,
      goalId,
      description: 'Bellen',
      owner: { kind: 'worker', id: a.id },
    }).expect(201);

    const before = await caseload(a);

    expect(before).toMatchObject({
      workerId: a.id,
      teamId: own.teamId,
      counts: { households: 2, regie: 1, pendingReceiver: 1, actionOwner: 1, openActions: 1 },
    });
    expect(before.households).toHaveLength(2);
    expect(before.households).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          householdId: held,
          roles: ['regie-holder', 'action-owner'],
          openActions: 1,
        }),
        expect.objectContaining({ householdId: incoming, roles: ['pending-receiver'], regieSince: null }),
      ]),
    );

    await post(`/v1/households/${held}/actions/${actionId}/complete`, a).expect(200);
    expect((await caseload(a)).counts).toMatchObject({ actionOwner: 0, openActions: 0 });
  });

  it("a team lead sees the team's caseload: households, holders, pending transfers and per-worker counts", async () => {
    const own = await seedTeam(t, { workers: 2 });
    const [a, b] = own.workers;
    const held = await seedHousehold(t, own, { regieWorker: a });
    const eigen = await seedHousehold(t, own);
    const transferId = uniq('tr');
    await requestTransfer(eigen, a, {
      transferId,
      to: { kind: 'worker', id: b.id },
      agreedBy: PARENT,
    }).expect(201);

    const res = await t.http().get(`/v1/caseloads/teams/${own.teamId}`).set(own.lead.as).expect(200);

    expect(res.body.teamId).toBe(own.teamId);
    expect(res.body.counts).toEqual({
      households: 2,
      active: 2,
      eigenRegie: 1,
      pendingTransfers: 1,
      overdueCheckIns: 0,
      openAssignments: 0,
      openReferrals: 0,
    });
    expect(res.body.households).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          householdId: held,
          regieHolder: { kind: 'worker', id: a.id },
          pendingTransfer: null,
        }),
        expect.objectContaining({
          householdId: eigen,
          regieHolder: { kind: 'household', id: eigen },
          pendingTransfer: expect.objectContaining({ transferId, receiverId: b.id, requestedBy: a.id }),
        }),
      ]),
    );
    expect(res.body.workers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ workerId: a.id, regie: 1, pendingReceiver: 0, openActions: 0 }),
        expect.objectContaining({ workerId: b.id, regie: 0, pendingReceiver: 1, openActions: 0 }),
      ]),
    );
  });
});

describe('GET /v1/audit/handoffs', () => {
  /** Two handoffs of one household: on behalf of it to `a`, then a safety takeover by `b`. */
  const twoHandoffs = async () => {
    const own = await seedTeam(t, { workers: 2 });
    const [a, b] = own.workers;
    const householdId = await seedHousehold(t, own);
    const transferId = uniq('tr');
    await requestTransfer(householdId, a, {
      transferId,
      to: { kind: 'worker', id: a.id },
      agreedBy: PARENT,
      // A spreadsheet must never run this, and a quote must survive the CSV quoting.
      reason: '=HYPERLINK("http://example.org") "dringend"',
    }).expect(201);
    await accept(householdId, transferId, a).expect(200);
    await takeover(householdId, b).expect(200);
    const intervals = await history(householdId);
    return { own, a, b, householdId, transferId, intervals };
  };

  it('lists handoffs as JSON, filtered by worker and [from, to)', async () => {
    const { own, a, b, householdId, transferId, intervals } = await twoHandoffs();

    const all = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ workerId: a.id })
      .set(auditor(t).as)
      .expect(200);

    expect(all.headers['content-type']).toMatch(/^application\/json/);
    expect(all.headers.vary).toMatch(/Accept/);
    expect(all.body.next).toBeNull();
    expect(all.body.handoffs).toEqual([
      expect.objectContaining({
        householdId,
        previousHolder: { kind: 'household', id: householdId },
        holder: workerHolder(a, own.teamId),
        cause: 'transfer',
        transferId,
        requestedBy: a.id,
        acceptedBy: a.id,
      }),
      expect.objectContaining({
        householdId,
        previousHolder: expect.objectContaining({ kind: 'worker', id: a.id }),
        holder: expect.objectContaining({ kind: 'worker', id: b.id }),
        cause: 'safety-takeover',
      }),
    ]);
    // [from, to): from the second handoff's instant on, only the takeover is left.
    const fromSecond = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ workerId: a.id, from: intervals[2].from })
      .set(auditor(t).as)
      .expect(200);
    expect(fromSecond.body.handoffs.map((r: Interval) => r.cause)).toEqual(['safety-takeover']);
    const toSecond = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ workerId: a.id, to: intervals[2].from })
      .set(auditor(t).as)
      .expect(200);
    expect(toSecond.body.handoffs.map((r: Interval) => r.cause)).toEqual(['transfer']);
    const byTeam = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ teamId: own.teamId })
      .set(auditor(t).as)
      .expect(200);
    expect(byTeam.body.handoffs.map((r: Interval) => r.cause)).toEqual(['transfer', 'safety-takeover']);
  });

  it('exports CSV with Accept: text/csv: a header row, one quoted row per handoff, formulas neutralised', async () => {
    const { a, b, householdId, transferId, intervals } = await twoHandoffs();

    const res = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ workerId: b.id })
      .set(auditor(t).as)
      .set('Accept', 'text/csv')
      .expect(200);

    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'householdId,from,cause,previousHolderKind,previousHolderId,holderKind,holderId,transferId,requestedBy,acceptedBy,approvedBy,agreedBy,handoverSeconds,reason,' +
        'takeoverId,confirmation,confirmationOverdue,confirmedAt,rejectedBy,rejectedAt,rejectionReason,' +
        'previousHolderOrganisationId,holderOrganisationId',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      [
        householdId,
        intervals[2].from,
        'safety-takeover',
        'worker',
        a.id,
        'worker',
        b.id,
        '',
        b.id,
        '',
        // Not confirmed by a lead (yet): no approver.
        '',
        '',
        '',
        'Acute zorgen om veiligheid kinderen',
        intervals[2].takeoverId,
        'awaiting-confirmation',
        'false',
        '',
        '',
        '',
        '',
        // Workers: no organisation (issue 19).
        '',
        '',
      ]
        .map((v) => `"${String(v)}"`)
        .join(','),
    );

    const transfer = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ workerId: a.id, to: intervals[2].from })
      .set(auditor(t).as)
      .set('Accept', 'text/csv');
    const row = transfer.text.trimEnd().split('\r\n')[1]!;
    expect(row).toContain(`"${transferId}"`);
    // The reason column, the seven break-glass columns (empty for a transfer), the two organisation columns (issue 19).
    expect(row.endsWith(`"'=HYPERLINK(""http://example.org"") ""dringend""",${'"",'.repeat(8)}""`)).toBe(
      true,
    );
  });

  it('refuses a malformed period bound: 400 naming it', async () => {
    const problem = expectProblem(
      await t.http().get('/v1/audit/handoffs').query({ from: 'last week' }).set(auditor(t).as),
      400,
      'InvalidInstant',
    );
    expect(problem.errors).toEqual([{ field: 'from', reason: expect.any(String) }]);
  });
});

// Last in the file: it moves the shared clock years ahead.
describe('the holder "now"', () => {
  it('without `at`, answers for the same "now" the writes are recorded with', async () => {
    t.clock.advance(Date.now() + 10 * 365 * 24 * 3600_000 - t.clock.peek().getTime());
    const householdId = await seedHousehold(t, team);

    const res = await holderAt(householdId);

    expect(res.status).toBe(200);
    expect(res.body.holder).toEqual({ kind: 'household', id: householdId });
  });
});
