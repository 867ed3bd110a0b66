/**
 * Issue 19, the specialist circle over HTTP: an organisation's professionals are registered by an
 * admin, admitted by their organisation's registry (not their token), receive regie by the warm
 * handover and hand it back, see a household while they hold its regie or a referral to their
 * organisation is open, answer those referrals, and have a caseload per organisation.
 */
import { startTestApp, TestApp, bearer } from '../support/app';
import {
  admin,
  auditor,
  CHILD,
  expectProblem,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  setParentAuthority,
  uniq,
} from './fixtures';
import { regieApi } from './regie.fixtures';

let t: TestApp;
let team: SeededTeam;
let w1: Person;
let w2: Person;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  [w1, w2] = team.workers;
});
afterAll(async () => {
  await t?.close();
});

const { post, requestTransfer, accept, decline, cancel, returnToHousehold, history } = regieApi(
  () => t,
  () => team,
);

/** A professional's token: the role alone and the organisation claim. */
const professional = (id: string, organisationId: string | undefined): Person => ({
  id,
  as: bearer(
    t.token(id, ['professional'], [], organisationId === undefined ? {} : { organisation: organisationId }),
  ),
});

const registerOrganisation = async () => {
  const organisationId = uniq('org');
  await post('/v1/organisations', admin(t), {
    organisationId,
    name: `Jeugdbescherming ${organisationId}`,
    expertise: { lifeDomains: ['domestic-relations'], tags: ['jeugdbescherming'] },
    location: 'noord',
    waitingDays: 0,
  }).expect(201);
  return organisationId;
};

const registerProfessional = (organisationId: string, professionalId: string, kind = 'specialist') =>
  post(`/v1/organisations/${organisationId}/professionals`, admin(t), { professionalId, kind });

/** An organisation with one registered professional. */
const seedProfessional = async (kind = 'specialist') => {
  const organisationId = await registerOrganisation();
  const professionalId = uniq('pro');
  await registerProfessional(organisationId, professionalId, kind).expect(201);
  return { organisationId, pro: professional(professionalId, organisationId) };
};

/** Both members' consent to regie going to the organisation (the parent holds authority for the child). */
const consentFor = async (householdId: string, recipient: string, by: Person = w1) => {
  await setParentAuthority(t, householdId, by);
  for (const memberId of [PARENT, CHILD])
    await post(`/v1/households/${householdId}/consents`, by, {
      memberId,
      purpose: 'regie-outside-organisation',
      recipient,
      givenBy: [{ memberId: PARENT }],
    }).expect(201);
};

const toPro = (pro: Person, organisationId: string, transferId = uniq('tr')) => ({
  transferId,
  to: { kind: 'professional', id: pro.id, organisationId },
});

const readHousehold = (householdId: string, who: Person) =>
  t.http().get(`/v1/households/${householdId}`).set(who.as);

/** A household w1 holds, with consent for the organisation and a transfer to its professional accepted. */
const heldByProfessional = async () => {
  const { organisationId, pro } = await seedProfessional();
  const householdId = await seedHousehold(t, team, { regieWorker: w1 });
  await consentFor(householdId, organisationId);
  const body = toPro(pro, organisationId);
  await requestTransfer(householdId, w1, body).expect(201);
  await accept(householdId, body.transferId, pro).expect(200);
  return { organisationId, pro, householdId };
};

describe('registering professionals: POST /v1/organisations/:id/professionals and .../deactivate', () => {
  it('an admin registers one; the organisation lists them; refusals change nothing', async () => {
    const organisationId = await registerOrganisation();
    const created = await registerProfessional(organisationId, 'pro-a', 'jeugdbeschermer');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      organisationId,
      professionalId: 'pro-a',
      kind: 'jeugdbeschermer',
      active: true,
      version: 2,
    });
    expectProblem(await registerProfessional(organisationId, 'pro-a'), 409, 'ProfessionalAlreadyRegistered');
    const bad = expectProblem(
      await registerProfessional(organisationId, 'pro-b', 'therapeut'),
      400,
      'ValidationFailed',
    );
    expect(bad.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    expectProblem(
      await post(`/v1/organisations/${organisationId}/professionals`, w1, {
        professionalId: 'pro-c',
        kind: 'specialist',
      }),
      403,
      'Forbidden',
    );
    expectProblem(await registerProfessional(uniq('org-none'), 'pro-d'), 404, 'OrganisationNotFound');
    const got = await t.http().get(`/v1/organisations/${organisationId}`).set(w1.as).expect(200);
    expect(got.body.professionals).toEqual([
      { professionalId: 'pro-a', kind: 'jeugdbeschermer', active: true },
    ]);
    expect(got.headers.etag).toBe('"2"');
  });

  it('deactivation shuts their token out; twice is 409, an unknown one 404', async () => {
    const { organisationId, pro } = await seedProfessional();
    const caseload = () => t.http().get(`/v1/caseloads/organisations/${organisationId}`).set(pro.as);
    await caseload().expect(200);
    const off = await post(
      `/v1/organisations/${organisationId}/professionals/${pro.id}/deactivate`,
      admin(t),
    );
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ organisationId, professionalId: pro.id, active: false });
    expectProblem(
      await post(`/v1/organisations/${organisationId}/professionals/${pro.id}/deactivate`, admin(t)),
      409,
      'ProfessionalAlreadyInactive',
    );
    expectProblem(
      await post(`/v1/organisations/${organisationId}/professionals/nobody/deactivate`, admin(t)),
      404,
      'ProfessionalNotFound',
    );
    // Within REGISTRY_FRESH_MS in every process, as for workers (auth.e2e.spec.ts).
    const deadline = Date.now() + 1500;
    let res = await caseload();
    while (res.status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      res = await caseload();
    }
    expectProblem(res, 403, 'ProfessionalDeactivated');
  });

  it('a professional holding regie is not deactivated (invariant 8): 409 naming the household', async () => {
    const { organisationId, pro, householdId } = await heldByProfessional();
    const refused = expectProblem(
      await post(`/v1/organisations/${organisationId}/professionals/${pro.id}/deactivate`, admin(t)),
      409,
      'ProfessionalHoldsRegie',
      8,
    );
    expect(refused.households).toEqual([householdId]);
  });
});

describe('who a professional is: the organisation’s registry, not the token', () => {
  it('refuses a token without the organisation claim, naming another organisation, mixing roles, or of a worker id', async () => {
    const { organisationId, pro } = await seedProfessional();
    const other = await registerOrganisation();
    const caseload = (who: Person, org = organisationId) =>
      t.http().get(`/v1/caseloads/organisations/${org}`).set(who.as);
    const page = await caseload(pro).expect(200);
    expect(page.body).toEqual({ organisationId, households: [], next: null });
    expectProblem(await caseload(professional(pro.id, undefined)), 403, 'PrincipalNotRegistered');
    expectProblem(await caseload(professional(pro.id, other), other), 403, 'PrincipalNotRegistered');
    expectProblem(
      await caseload(professional(uniq('pro-unknown'), organisationId)),
      403,
      'PrincipalNotRegistered',
    );
    const mixed = {
      id: pro.id,
      as: bearer(
        t.token(pro.id, ['professional', 'worker'], [team.teamId], { organisation: organisationId }),
      ),
    };
    expectProblem(await caseload(mixed), 403, 'PrincipalKindConflict');
    // A worker's id registered as a professional too still acts as a worker only.
    await registerProfessional(organisationId, w2.id).expect(201);
    expectProblem(await caseload(professional(w2.id, organisationId)), 403, 'PrincipalKindConflict');
    // Another organisation's caseload is not theirs.
    expectProblem(await caseload(pro, other), 403, 'Forbidden');
  });
});

describe('regie to a professional: request, accept, decline, cancel, hand back (invariants 1-5, 7)', () => {
  it('the holder hands regie to a professional, who accepts; history, holder and caseloads show them with their organisation', async () => {
    const { organisationId, pro } = await seedProfessional();
    const householdId = await seedHousehold(t, team, { regieWorker: w1 });
    await consentFor(householdId, organisationId);
    // Not theirs to see before they hold regie: the one 404.
    expectProblem(await readHousehold(householdId, pro), 404, 'HouseholdNotFound');
    const body = toPro(pro, organisationId);
    const requested = await requestTransfer(householdId, w1, body);
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      transferId: body.transferId,
      variant: 'handover',
      status: 'pending',
    });
    const accepted = await accept(householdId, body.transferId, pro);
    expect(accepted.status).toBe(200);
    const holder = { kind: 'professional', id: pro.id, organisationId };
    expect(accepted.body).toMatchObject({ status: 'accepted', holder });

    const read = await readHousehold(householdId, pro).expect(200);
    expect(read.body.regie.holder).toEqual(holder);
    // Holding regie, they work on the plan as a regie holder from elsewhere does.
    const goal = await post(`/v1/households/${householdId}/goals`, pro, {
      lifeDomain: 'mental-health',
      description: 'Behandeling gestart',
    });
    expect(goal.status).toBe(201);
    const goals = await t.http().get(`/v1/households/${householdId}/goals`).set(pro.as).expect(200);
    expect(goals.body.goals).toEqual([expect.objectContaining({ goalId: goal.body.goalId })]);
    const intervals = await history(householdId, pro);
    expect(intervals.at(-1)).toMatchObject({
      holder,
      cause: 'transfer',
      requestedBy: w1.id,
      acceptedBy: pro.id,
      to: null,
    });
    const now = await t.http().get('/v1/regie/holder').query({ householdId }).set(auditor(t).as).expect(200);
    expect(now.body.holder).toEqual(holder);

    const orgCaseload = await t
      .http()
      .get(`/v1/caseloads/organisations/${organisationId}`)
      .set(pro.as)
      .expect(200);
    expect(orgCaseload.body.households).toEqual([
      expect.objectContaining({ householdId, teamId: team.teamId, regieHolder: holder, openReferrals: [] }),
    ]);
    const teamCaseload = await t
      .http()
      .get(`/v1/caseloads/teams/${team.teamId}`)
      .set(team.lead.as)
      .expect(200);
    expect(
      teamCaseload.body.households.find((h: { householdId: string }) => h.householdId === householdId),
    ).toMatchObject({ regieHolder: holder });

    const handoffs = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ from: intervals.at(-1)!.from })
      .set(auditor(t).as)
      .expect(200);
    expect(handoffs.body.handoffs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          householdId,
          holder,
          previousHolder: expect.objectContaining({ kind: 'worker', id: w1.id }),
        }),
      ]),
    );
    const csv = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ from: intervals.at(-1)!.from })
      .set({ ...auditor(t).as, Accept: 'text/csv' })
      .expect(200);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    expect(header!.split(',').slice(-2)).toEqual(['previousHolderOrganisationId', 'holderOrganisationId']);
    expect(
      lines
        .find((l) => l.startsWith(`"${householdId}"`))!
        .split(',')
        .slice(-2),
    ).toEqual(['""', `"${organisationId}"`]);
  });

  it('the professional hands regie back to a worker, who accepts; the professional no longer sees the household', async () => {
    const { pro, householdId } = await heldByProfessional();
    const back = uniq('tr');
    await requestTransfer(householdId, pro, { transferId: back, to: { kind: 'worker', id: w2.id } }).expect(
      201,
    );
    // The giver keeps regie until the receiver accepts (invariant 3).
    await readHousehold(householdId, pro).expect(200);
    await accept(householdId, back, w2).expect(200);
    expectProblem(await readHousehold(householdId, pro), 404, 'HouseholdNotFound');
    const intervals = await history(householdId);
    expect(intervals.at(-1)).toMatchObject({ holder: { kind: 'worker', id: w2.id }, requestedBy: pro.id });
  });

  it('the professional returns regie to the household; declines and cancels as anyone else', async () => {
    const { organisationId, pro, householdId } = await heldByProfessional();
    const returned = await returnToHousehold(householdId, pro);
    expect(returned.status).toBe(200);
    expect(returned.body.holder).toEqual({ kind: 'household', id: householdId });

    const second = await seedHousehold(t, team, { regieWorker: w1 });
    await consentFor(second, organisationId);
    const declined = toPro(pro, organisationId);
    await requestTransfer(second, w1, declined).expect(201);
    await decline(second, declined.transferId, pro).expect(200);
    const cancelled = toPro(pro, organisationId);
    await requestTransfer(second, w1, cancelled).expect(201);
    await cancel(second, cancelled.transferId, w1).expect(200);
  });

  it('409: no consent for the organisation, or a transfer already pending; nothing is written', async () => {
    const { organisationId, pro } = await seedProfessional();
    const householdId = await seedHousehold(t, team, { regieWorker: w1 });
    const missing = expectProblem(
      await requestTransfer(householdId, w1, toPro(pro, organisationId)),
      409,
      'ConsentRequired',
    );
    expect(missing).toMatchObject({ purpose: 'regie-outside-organisation', recipient: organisationId });
    await consentFor(householdId, organisationId);
    await requestTransfer(householdId, w1, toPro(pro, organisationId)).expect(201);
    expectProblem(
      await requestTransfer(householdId, w1, toPro(pro, organisationId)),
      409,
      'TransferAlreadyPending',
      2,
    );
  });

  it('400: a professional without an organisation, a worker with one, an unknown professional', async () => {
    const { organisationId, pro } = await seedProfessional();
    const householdId = await seedHousehold(t, team, { regieWorker: w1 });
    const etag = (await readHousehold(householdId, w1)).headers.etag;
    const noOrg = expectProblem(
      await requestTransfer(householdId, w1, { to: { kind: 'professional', id: pro.id } }),
      400,
      'ValidationFailed',
    );
    expect(noOrg.errors).toEqual([expect.objectContaining({ field: 'to.organisationId' })]);
    expectProblem(
      await requestTransfer(householdId, w1, { to: { kind: 'worker', id: w2.id, organisationId } }),
      400,
      'ValidationFailed',
    );
    expectProblem(
      await requestTransfer(householdId, w1, { to: { kind: 'specialist', id: pro.id } }),
      400,
      'ValidationFailed',
    );
    await consentFor(householdId, organisationId);
    const etagAfterConsent = (await readHousehold(householdId, w1)).headers.etag;
    expect(etagAfterConsent).not.toBe(etag);
    expectProblem(
      await requestTransfer(householdId, w1, toPro(professional('nobody', organisationId), organisationId)),
      400,
      'UnknownProfessional',
    );
    expect((await readHousehold(householdId, w1)).headers.etag).toBe(etagAfterConsent);
  });

  it('403 and 404: another organisation’s professional cannot accept; a professional who does not hold regie cannot hand it on', async () => {
    const { organisationId, pro } = await seedProfessional();
    const stranger = await seedProfessional();
    const householdId = await seedHousehold(t, team, { regieWorker: w1 });
    await consentFor(householdId, organisationId);
    const body = toPro(pro, organisationId);
    await requestTransfer(householdId, w1, body).expect(201);
    // Not the receiver and not seeing the household: the one 404.
    expectProblem(await accept(householdId, body.transferId, stranger.pro), 404, 'HouseholdNotFound');
    // A team lead decides for their team's workers, never for a professional (invariant 4).
    expectProblem(await accept(householdId, body.transferId, team.lead), 403, 'NotTransferDecider', 4);
    await accept(householdId, body.transferId, pro).expect(200);
    // The former holder no longer holds regie: they may ask it back (reverse), not hand it on.
    expectProblem(
      await requestTransfer(householdId, w1, { to: { kind: 'worker', id: w2.id } }),
      403,
      'NotRegieHolder',
      5,
    );
    // Nor may the professional's organisation's other professional act on it: unseen, 404.
    expectProblem(
      await requestTransfer(householdId, stranger.pro, { to: { kind: 'worker', id: w1.id } }),
      404,
      'HouseholdNotFound',
    );
  });
});

describe('referrals answered by the organisation’s professional', () => {
  it('sees the household while a referral to their organisation is open, accepts and completes it', async () => {
    const { organisationId, pro } = await seedProfessional();
    const stranger = await seedProfessional();
    const householdId = await seedHousehold(t, team);
    await setParentAuthority(t, householdId, w1);
    for (const memberId of [PARENT, CHILD])
      await post(`/v1/households/${householdId}/consents`, w1, {
        memberId,
        purpose: 'referral',
        recipient: organisationId,
        givenBy: [{ memberId: PARENT }],
      }).expect(201);
    expectProblem(await readHousehold(householdId, pro), 404, 'HouseholdNotFound');
    await post(`/v1/households/${householdId}/referrals`, w1, { referralId: 'r-1', organisationId }).expect(
      201,
    );
    await readHousehold(householdId, pro).expect(200);
    const orgCaseload = await t
      .http()
      .get(`/v1/caseloads/organisations/${organisationId}`)
      .set(pro.as)
      .expect(200);
    expect(orgCaseload.body.households).toEqual([
      expect.objectContaining({
        householdId,
        regieHolder: { kind: 'household', id: householdId },
        openReferrals: ['r-1'],
      }),
    ]);
    expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-1/accept`, stranger.pro),
      404,
      'HouseholdNotFound',
    );
    await post(`/v1/households/${householdId}/referrals/r-1/accept`, pro)
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ referralId: 'r-1', status: 'accepted' }));
    expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-1/accept`, pro),
      409,
      'ReferralStatusConflict',
    );
    expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-2/accept`, pro),
      404,
      'ReferralNotFound',
    );
    expectProblem(
      await post(`/v1/households/${householdId}/referrals/r-1/withdraw`, pro, { reason: 'x' }),
      403,
      'Forbidden',
    );
    await post(`/v1/households/${householdId}/referrals/r-1/complete`, pro).expect(200);
    // Completed: no referral open, so the household is no longer theirs to see.
    expectProblem(await readHousehold(householdId, pro), 404, 'HouseholdNotFound');
  });
});

describe('compulsory frameworks: POST /v1/households/:id/child-protection-measures and .../:measureId/end', () => {
  it('an OTS names the institution’s jeugdbeschermer and requests regie for them in the same write, without consent; nothing else while it runs', async () => {
    const { organisationId, pro: jeugdbeschermer } = await seedProfessional('jeugdbeschermer');
    const householdId = await seedHousehold(t, team, { regieWorker: w1 });
    const today = t.clock.peek().toISOString().slice(0, 10);
    const until = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
    const path = `/v1/households/${householdId}/child-protection-measures`;
    const body = {
      measureId: 'ots-1',
      kind: 'OTS',
      courtOrderReference: 'C/16/123456 / JE RK 25-100',
      from: today,
      until,
      organisationId,
      minors: [CHILD],
      jeugdbeschermerId: jeugdbeschermer.id,
    };
    // A transfer pending to a colleague: recording the measure cancels it.
    const toW2 = { transferId: uniq('tr'), to: { kind: 'worker', id: w2.id } };
    await requestTransfer(householdId, w1, toW2).expect(201);
    // 400: no such kind, no minors, no jeugdbeschermer; 403: an auditor by role; 404: another team's worker.
    expectProblem(await post(path, w1, { ...body, kind: 'GS' }), 400, 'ValidationFailed');
    expectProblem(await post(path, w1, { ...body, minors: [] }), 400, 'ValidationFailed');
    expectProblem(await post(path, w1, { ...body, jeugdbeschermerId: undefined }), 400, 'ValidationFailed');
    expectProblem(await post(path, w1, { ...body, minors: [PARENT] }), 409, 'NotAMinor');
    expectProblem(
      await post(path, w1, { ...body, organisationId: 'org-nowhere' }),
      400,
      'UnknownOrganisation',
    );
    // The jeugdbeschermer: registered by that institution, active, of that kind.
    expectProblem(
      await post(path, w1, { ...body, jeugdbeschermerId: 'pro-nowhere' }),
      400,
      'UnknownProfessional',
    );
    const specialistId = uniq('pro');
    await registerProfessional(organisationId, specialistId, 'specialist').expect(201);
    const notJb = expectProblem(
      await post(path, w1, { ...body, jeugdbeschermerId: specialistId }),
      409,
      'NotAJeugdbeschermer',
    );
    expect(notJb).toMatchObject({ professionalId: specialistId, kind: 'specialist' });
    const gone = uniq('pro');
    await registerProfessional(organisationId, gone, 'jeugdbeschermer').expect(201);
    await post(`/v1/organisations/${organisationId}/professionals/${gone}/deactivate`, admin(t)).expect(200);
    expectProblem(await post(path, w1, { ...body, jeugdbeschermerId: gone }), 409, 'ProfessionalNotActive');
    expectProblem(await post(path, auditor(t), body), 403, 'Forbidden');
    const outsider = (await seedTeam(t, { workers: 1 })).workers[0]!;
    expectProblem(await post(path, outsider, body), 404, 'HouseholdNotFound');
    const recorded = await post(path, w1, body);
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ householdId, measureId: 'ots-1', status: 'recorded' });
    const transferId = recorded.body.transferId as string;
    expect(typeof transferId).toBe('string');
    expectProblem(await post(path, w1, body), 409, 'MeasureIdAlreadyUsed');

    // The household answer: the measure (no court order reference), the transfer to the jeugdbeschermer pending.
    const read = await readHousehold(householdId, w1).expect(200);
    expect(read.body.childProtectionMeasures).toEqual([
      {
        measureId: 'ots-1',
        kind: 'OTS',
        from: today,
        until,
        organisationId,
        minors: [CHILD],
        jeugdbeschermerId: jeugdbeschermer.id,
      },
    ]);
    expect(JSON.stringify(read.body)).not.toContain('JE RK 25-100');
    expect(read.body.pendingTransfer).toMatchObject({
      transferId,
      to: { kind: 'professional', id: jeugdbeschermer.id, organisationId },
      requestedBy: w1.id,
    });
    expectProblem(await accept(householdId, toW2.transferId, w2), 409, 'TransferNotPending');

    // The measure is the legal ground for the child's part of a referral; the parent still consents.
    const referrals = `/v1/households/${householdId}/referrals`;
    const missing = expectProblem(await post(referrals, w1, { organisationId }), 409, 'ConsentRequired');
    expect(missing).toMatchObject({ members: [PARENT] });
    await post(`/v1/households/${householdId}/consents`, w1, {
      memberId: PARENT,
      purpose: 'referral',
      recipient: organisationId,
      givenBy: [{ memberId: PARENT }],
    }).expect(201);
    await post(referrals, w1, { referralId: 'r-ots', organisationId }).expect(201);

    // Only the jeugdbeschermer accepts; then regie lies with them.
    expectProblem(await accept(householdId, transferId, w1), 403, 'NotTransferDecider');
    await accept(householdId, transferId, jeugdbeschermer).expect(200);
    expect((await history(householdId)).at(-1)).toMatchObject({
      holder: { kind: 'professional', id: jeugdbeschermer.id, organisationId },
    });

    // While it runs: not to a worker, not back to the household.
    const refused = expectProblem(
      await requestTransfer(householdId, jeugdbeschermer, { to: { kind: 'worker', id: w2.id } }),
      409,
      'ChildProtectionMeasureRuns',
    );
    expect(refused).toMatchObject({ measureId: 'ots-1', organisationId });
    expectProblem(await returnToHousehold(householdId, jeugdbeschermer), 409, 'ChildProtectionMeasureRuns');

    // Ended (by the jeugdbeschermer, who holds regie now): regie moves as always again.
    expectProblem(await post(`${path}/ots-9/end`, jeugdbeschermer, { reason: 'x' }), 404, 'MeasureNotFound');
    const ended = await post(`${path}/ots-1/end`, jeugdbeschermer, { reason: 'OTS opgeheven' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ measureId: 'ots-1', status: 'ended' });
    expectProblem(
      await post(`${path}/ots-1/end`, jeugdbeschermer, { reason: 'x' }),
      409,
      'MeasureAlreadyEnded',
    );
    await returnToHousehold(householdId, jeugdbeschermer).expect(200);
  });
});
