/**
 * The consent register (issue 18) over HTTP: a member's consent for one purpose and one recipient,
 * given and withdrawn under the capacity rules, listed with how it stands; and the household-wide
 * UWV consent stored before the register, read as the consent of the member who gave it.
 */
import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import {
  auditor,
  CHILD,
  etagOf,
  expectProblem,
  householdBody,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
} from './fixtures';

let t: TestApp;
let team: SeededTeam;
let other: SeededTeam;
let worker: Person;
beforeAll(async () => {
  t = await startTestApp({ checkInSweepMs: 0 });
  team = await seedTeam(t, { workers: 1 });
  other = await seedTeam(t, { workers: 1 });
  worker = team.workers[0]!;
});
afterAll(async () => {
  await t?.close();
});

const post = (path: string, body: Record<string, unknown>, who: Person = worker) =>
  t.http().post(path).set(who.as).send(body);
const list = (householdId: string, query = '', who: Person = worker) =>
  t.http().get(`/v1/households/${householdId}/consents${query}`).set(who.as);
const give = (householdId: string, body: Record<string, unknown> = {}, who: Person = worker) =>
  post(
    `/v1/households/${householdId}/consents`,
    { memberId: PARENT, purpose: 'referral', recipient: 'org-1', givenBy: [{ memberId: PARENT }], ...body },
    who,
  );
const withdraw = (householdId: string, consentId: string, body: Record<string, unknown> = {}) =>
  post(`/v1/households/${householdId}/consents/${consentId}/withdraw`, {
    withdrawnBy: [{ memberId: PARENT }],
    ...body,
  });
const eventsOf = async (householdId: string, type: string) =>
  (await t.app.get<EventStore>(EVENT_STORE).readStream(householdStream(householdId))).filter(
    (e) => e.type === type,
  );
/** The test clock's day, in the Dutch calendar (its instants are mornings UTC). */
const today = () => t.clock.peek().toISOString().slice(0, 10);

/** A household with a 17-year-old (birth year only: certainly 17 all this year) beside the parent. */
const TEEN = 'm-teen';
const seedWithTeen = async () => {
  const body = householdBody(team, {
    members: [
      { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
      { memberId: TEEN, role: 'child', birthYear: t.clock.peek().getUTCFullYear() - 18, name: 'Noor Jansen' },
    ],
  });
  await post('/v1/households', body).expect(201);
  return body.householdId;
};

describe('POST /v1/households/:id/consents and .../withdraw, GET .../consents', () => {
  it('records a consent, lists it in force, withdraws it, lists it withdrawn', async () => {
    const householdId = await seedHousehold(t, team);
    const given = await give(householdId, { consentId: 'c-1', until: '2099-12-31' });
    expect(given.status).toBe(201);
    expect(given.headers.etag).toEqual(expect.any(String));
    expect(given.body).toMatchObject({ householdId, consentId: 'c-1', status: 'in-force', version: 2 });

    const [event] = await eventsOf(householdId, 'ConsentGiven');
    expect(event!.data).toEqual({
      consentId: 'c-1',
      memberId: PARENT,
      purpose: 'referral',
      recipient: 'org-1',
      givenBy: [{ kind: 'member', memberId: PARENT }],
      from: today(),
      until: '2099-12-31',
      recordedBy: worker.id,
      givenAt: expect.any(String),
    });
    expect(event!.personal ?? null).toBeNull();

    const listed = await list(householdId).expect(200);
    expect(listed.body).toMatchObject({
      householdId,
      total: 1,
      next: null,
      consents: [{ consentId: 'c-1', memberId: PARENT, status: 'in-force', withdrawn: null, legacy: false }],
    });

    const withdrawn = await withdraw(householdId, 'c-1');
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ householdId, consentId: 'c-1', status: 'withdrawn' });
    const after = await list(householdId).expect(200);
    expect(after.body.consents[0]).toMatchObject({
      status: 'withdrawn',
      withdrawn: { on: today(), by: [{ kind: 'member', memberId: PARENT }] },
    });
  });

  it('a consent from a later day is not yet in force; the list is paged', async () => {
    const householdId = await seedHousehold(t, team);
    await give(householdId, { consentId: 'c-later', from: '2099-01-01' }).expect(201);
    await give(householdId, { consentId: 'c-now', recipient: 'org-2' }).expect(201);
    const first = await list(householdId, '?limit=1').expect(200);
    expect(first.body).toMatchObject({ total: 2, consents: [{ consentId: 'c-later', status: 'not-yet' }] });
    expect(first.body.next).toEqual(expect.any(String));
    const second = await list(householdId, `?limit=1&cursor=${first.body.next}`).expect(200);
    expect(second.body).toMatchObject({ next: null, consents: [{ consentId: 'c-now', status: 'in-force' }] });
    expectProblem(await list(householdId, '?cursor=c-now'), 400, 'InvalidCursor');
    expectProblem(await list(householdId, '?limit=0'), 400, 'InvalidLimit');
  });

  it('a 17-year-old consents alone; a parent alone cannot consent for them (409 naming who is missing)', async () => {
    const householdId = await seedWithTeen();
    const refused = expectProblem(
      await give(householdId, { memberId: TEEN, givenBy: [{ memberId: PARENT }] }),
      409,
      'NoCapacity',
    );
    expect(refused.detail).toContain(`member ${TEEN} is 17`);
    expect(refused).toMatchObject({ memberId: TEEN, age: 17, capacity: 'self' });
    await give(householdId, { consentId: 'c-teen', memberId: TEEN, givenBy: [{ memberId: TEEN }] }).expect(
      201,
    );
    // Withdrawal under the same rule: the parent cannot, the 17-year-old can.
    expectProblem(await withdraw(householdId, 'c-teen'), 409, 'NoCapacity');
    await withdraw(householdId, 'c-teen', { withdrawnBy: [{ memberId: TEEN }] }).expect(200);
  });

  it('409: a child under 12 without recorded authority, a used consent id, a withdrawal twice', async () => {
    const householdId = await seedHousehold(t, team);
    const child = expectProblem(
      await give(householdId, { memberId: CHILD, givenBy: [{ memberId: PARENT }] }),
      409,
      'NoCapacity',
    );
    expect(child.detail).toContain('set it first');
    await give(householdId, { consentId: 'c-1' }).expect(201);
    expectProblem(
      await give(householdId, { consentId: 'c-1', recipient: 'org-9' }),
      409,
      'ConsentIdAlreadyUsed',
    );
    await withdraw(householdId, 'c-1').expect(200);
    expectProblem(await withdraw(householdId, 'c-1'), 409, 'ConsentAlreadyWithdrawn');
  });

  it('400: bad purpose, a party with both ids, until before from, a backdated from, an unknown member; nothing written', async () => {
    const householdId = await seedHousehold(t, team);
    const before = await etagOf(t, householdId, worker);
    const purpose = expectProblem(await give(householdId, { purpose: 'marketing' }), 400, 'ValidationFailed');
    expect(purpose.errors).toEqual([expect.objectContaining({ field: 'purpose' })]);
    expectProblem(
      await give(householdId, { givenBy: [{ memberId: PARENT, holderId: 'g-1' }] }),
      400,
      'ValidationFailed',
    );
    expectProblem(await give(householdId, { givenBy: [] }), 400, 'ValidationFailed');
    expectProblem(await give(householdId, { givenBy: [{}] }), 400, 'ValidationFailed');
    expectProblem(
      await give(householdId, { from: '2099-02-01', until: '2099-01-31' }),
      400,
      'ConsentDateInvalid',
    );
    expectProblem(await give(householdId, { from: '2020-01-01' }), 400, 'ConsentDateInvalid');
    expectProblem(await give(householdId, { memberId: 'm-nobody' }), 400, 'UnknownMember');
    expectProblem(
      await give(householdId, { purpose: 'uwv-signals', recipient: 'org-1' }),
      400,
      'ConsentRecipientInvalid',
    );
    expectProblem(await withdraw(householdId, 'c-x', { withdrawnBy: 'm-parent' }), 400, 'ValidationFailed');
    expect(await etagOf(t, householdId, worker)).toBe(before);
    expect(await eventsOf(householdId, 'ConsentGiven')).toEqual([]);
  });

  it('403 for an auditor, 404 for another team and for an unknown consent or household', async () => {
    const householdId = await seedHousehold(t, team);
    expectProblem(await give(householdId, {}, auditor(t)), 403, 'Forbidden');
    expectProblem(await list(householdId, '', auditor(t)), 403, 'Forbidden');
    expectProblem(await give(householdId, {}, other.workers[0]), 404, 'HouseholdNotFound');
    expectProblem(await list(householdId, '', other.workers[0]), 404, 'HouseholdNotFound');
    expectProblem(await withdraw(householdId, 'c-none'), 404, 'ConsentNotFound');
    expectProblem(await give('hh-none', {}), 404, 'HouseholdNotFound');
  });
});

describe('regie to a worker outside the household’s team asks every member’s consent for that team', () => {
  it('409 ConsentRequired naming the members without; with both consents the transfer is requested', async () => {
    const householdId = await seedWithTeen();
    const receiver = other.workers[0]!;
    const transfer = () =>
      post(`/v1/households/${householdId}/regie/transfers`, {
        to: { kind: 'worker', id: receiver.id },
        reason: 'Specialistische hulp',
        agreedBy: PARENT,
      });
    const consent = (memberId: string) =>
      give(householdId, {
        memberId,
        purpose: 'regie-outside-organisation',
        recipient: other.teamId,
        givenBy: [{ memberId }],
      }).expect(201);
    await consent(PARENT);
    const refused = expectProblem(await transfer(), 409, 'ConsentRequired');
    expect(refused).toMatchObject({
      purpose: 'regie-outside-organisation',
      recipient: other.teamId,
      members: [TEEN],
    });
    await consent(TEEN);
    await transfer().expect(201);
  });
});

describe('household-wide UWV consent stored before the register (the upcaster, on stored events)', () => {
  it('is read as the consent of the member who gave it, for uwv-signals to uwv, and withdrawn through the register', async () => {
    const householdId = await seedHousehold(t, team);
    const store = t.app.get<EventStore>(EVENT_STORE);
    const version = await store.streamVersion(householdStream(householdId));
    const givenAt = t.clock.now().toISOString();
    const metadata = {
      schemaVersion: 1,
      actor: { kind: 'worker' as const, id: worker.id, roles: ['worker'] },
      recordedAt: givenAt,
      correlationId: randomUUID(),
      causationId: randomUUID(),
    };
    // Exactly as SignalsController wrote it before issue 18.
    await store.append(
      householdStream(householdId),
      [
        {
          eventId: randomUUID(),
          type: 'UwvConsentGiven',
          data: { agreedBy: PARENT, recordedBy: worker.id, givenAt },
          personal: null,
          metadata,
        },
      ],
      version,
    );

    const listed = await list(householdId).expect(200);
    expect(listed.body.consents).toEqual([
      expect.objectContaining({
        consentId: 'uwv-consent-1',
        memberId: PARENT,
        purpose: 'uwv-signals',
        recipient: 'uwv',
        givenBy: [{ kind: 'member', memberId: PARENT }],
        from: today(),
        until: null,
        status: 'in-force',
        legacy: true,
      }),
    ]);
    const signals = await t
      .http()
      .get(`/v1/households/${householdId}/work-income-signals`)
      .set(worker.as)
      .expect(200);
    expect(signals.body.consent).toMatchObject({ status: 'given', agreedBy: PARENT, members: [PARENT] });

    // The parent's consent publishes a signal about the parent, not one about the child.
    const about = (memberId: string) =>
      post(`/v1/households/${householdId}/work-income-signals`, {
        category: 'work-started',
        memberId,
        description: 'Begonnen bij de bakker',
      }).expect(201);
    expect((await about(PARENT)).body.publication).toEqual({ publish: true, basis: 'consent' });
    expect((await about(CHILD)).body.publication).toMatchObject({ publish: false });

    await withdraw(householdId, 'uwv-consent-1').expect(200);
    expect((await about(PARENT)).body.publication).toMatchObject({
      publish: false,
      internalReason: expect.stringContaining('withdrawn'),
    });
    const after = await list(householdId).expect(200);
    expect(after.body.consents[0]).toMatchObject({ consentId: 'uwv-consent-1', status: 'withdrawn' });
  });

  it('the deprecated /uwv-consent route writes the member’s consent in the register', async () => {
    const householdId = await seedHousehold(t, team);
    await post(`/v1/households/${householdId}/uwv-consent`, { memberId: PARENT }).expect(201);
    const [event] = await eventsOf(householdId, 'ConsentGiven');
    expect(event!.data).toMatchObject({ memberId: PARENT, purpose: 'uwv-signals', recipient: 'uwv' });
    expect(await eventsOf(householdId, 'UwvConsentGiven')).toEqual([]);
    // A child of 10 cannot consent for themselves, as it could before issue 18.
    expectProblem(
      await post(`/v1/households/${householdId}/uwv-consent`, { memberId: CHILD }),
      409,
      'NoCapacity',
    );
  });
});
