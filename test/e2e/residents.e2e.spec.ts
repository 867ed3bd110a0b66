/**
 * The household's own way in (issue 20): a resident (household and member ids in the token) reads
 * their plan with names, regie holder and history by name, records their own agreement under the
 * capacity rules, proposes a goal, sees who viewed their file, downloads their own data; a resident
 * of another household gets the one 404 on every route, bad input is a 400 that changes nothing.
 * Runs on PGlite (e2e) and PostgreSQL (e2e-postgres).
 */
import { bearer, startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { admin, auditor, expectProblem, type Person, seedTeam, type SeededTeam, uniq } from './fixtures';

let t: TestApp;
let team: SeededTeam;
let elsewhere: SeededTeam;

beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 2 });
  elsewhere = await seedTeam(t, { workers: 1 });
});
afterAll(async () => {
  await t?.close();
});

// The test clock starts on 2026-01-05: ages on that day.
const PARENT = { memberId: 'm-sanne', role: 'parent', birthYear: 1984, name: 'Sanne Akkerman' }; // 41
const ADULT = { memberId: 'm-joris', role: 'adult', birthYear: 1990, name: 'Joris Akkerman' }; // 35
const TEEN = { memberId: 'm-tess', role: 'child', birthYear: 2011, birthMonth: 3, name: 'Tess Akkerman' }; // 14
const SIXTEEN = { memberId: 'm-bo', role: 'child', birthYear: 2009, birthMonth: 6, name: 'Bo Akkerman' }; // 16
const GOAL = 'Schulden op een rij en een betalingsregeling';
const ACTION = 'Afspraak maken bij de schuldhulp';

const resident = (householdId: string, memberId: string, sub = `login-${memberId}`): Person => ({
  id: sub,
  as: bearer(t.token(sub, ['resident'], [], { household: householdId, member: memberId })),
});

/** A household of `team` with four members, a goal with an action owned by its regie holder. */
async function household(
  options: { members?: Record<string, unknown>[]; regie?: Person; goal?: boolean } = {},
): Promise<string> {
  const worker = team.workers[0]!;
  const householdId = uniq('hh');
  await t
    .http()
    .post('/v1/households')
    .set(worker.as)
    .send({
      householdId,
      teamId: team.teamId,
      district: team.district,
      members: options.members ?? [PARENT, ADULT, TEEN, SIXTEEN],
      ...(options.regie ? { regie: { workerId: options.regie.id } } : {}),
    })
    .expect(201);
  if (options.goal !== false) {
    const goal = await t
      .http()
      .post(`/v1/households/${householdId}/goals`)
      .set(worker.as)
      .send({ lifeDomain: 'finances', description: GOAL })
      .expect(201);
    await t
      .http()
      .post(`/v1/households/${householdId}/actions`)
      .set(worker.as)
      .send({
        goalId: goal.body.goalId,
        description: ACTION,
        owner: { kind: 'worker', id: (options.regie ?? worker).id },
      })
      .expect(201);
  }
  return householdId;
}

const myPlan = (householdId: string, who: Person) =>
  t.http().get(`/v1/households/${householdId}/my-plan`).set(who.as);

describe('who may come in as a resident', () => {
  let id: string;
  beforeAll(async () => {
    id = await household();
  });

  it('GET /v1/me answers as the registry admitted them', async () => {
    const res = await t.http().get('/v1/me').set(resident(id, PARENT.memberId).as).expect(200);
    expect(res.body).toEqual({
      sub: `login-${PARENT.memberId}`,
      roles: ['resident'],
      household: id,
      member: PARENT.memberId,
      teams: [],
    });
    const worker = await t.http().get('/v1/me').set(team.workers[0]!.as).expect(200);
    expect(worker.body).toEqual({ sub: team.workers[0]!.id, roles: ['worker'], teams: [team.teamId] });
  });

  it('a member of 16 is admitted; a 14-year-old is not (their holders of authority act for them)', async () => {
    await t.http().get('/v1/me').set(resident(id, SIXTEEN.memberId).as).expect(200);
    expectProblem(
      await t.http().get('/v1/me').set(resident(id, TEEN.memberId).as),
      403,
      'PrincipalNotRegistered',
    );
  });

  it('refuses tokens the household does not back, all alike', async () => {
    const crafted = [
      bearer(t.token('x', ['resident'], [], { member: PARENT.memberId })),
      bearer(t.token('x', ['resident'], [], { household: id })),
      resident('no-such-household', PARENT.memberId).as,
      resident(id, 'm-nobody').as,
    ];
    const details = new Set<string>();
    for (const as of crafted) {
      const body = expectProblem(await t.http().get('/v1/me').set(as), 403, 'PrincipalNotRegistered');
      details.add(body.detail);
    }
    expect(details.size).toBe(1);
  });

  it('a resident token with any other role is refused', async () => {
    const mixed = bearer(
      t.token(team.workers[0]!.id, ['resident', 'worker'], [team.teamId], {
        household: id,
        member: PARENT.memberId,
      }),
    );
    expectProblem(await t.http().get('/v1/me').set(mixed), 403, 'PrincipalKindConflict');
  });

  it('a member who left, and a household erased, back nobody any more', async () => {
    const left = await household({ goal: false });
    const bo = resident(left, SIXTEEN.memberId);
    await t.http().get('/v1/me').set(bo.as).expect(200);
    await t
      .http()
      .post(`/v1/households/${left}/members/${SIXTEEN.memberId}/leave`)
      .set(team.workers[0]!.as)
      .send({ reason: 'moved-out', on: '2026-01-05' })
      .expect(200);
    await eventually(async () =>
      expectProblem(await t.http().get('/v1/me').set(bo.as), 403, 'PrincipalNotRegistered'),
    );

    const erased = await household({ goal: false });
    const sanne = resident(erased, PARENT.memberId);
    await t.http().get('/v1/me').set(sanne.as).expect(200);
    await t
      .http()
      .post(`/v1/households/${erased}/close`)
      .set(team.workers[0]!.as)
      .send({ outcome: 'verhuisd naar een andere gemeente' })
      .expect(200);
    // A closed plan is still the resident's to read.
    await myPlan(erased, sanne).expect(200);
    await t
      .http()
      .post(`/v1/households/${erased}/erasure`)
      .set(admin(t).as)
      .send({ reason: 'verzoek van het huishouden (AVG art. 17)' })
      .expect(200);
    await eventually(async () =>
      expectProblem(await t.http().get('/v1/me').set(sanne.as), 403, 'PrincipalNotRegistered'),
    );
  });
});

describe('GET /v1/households/:id/my-plan', () => {
  it('shows the plan with names, the regie holder by name, team and contact, and the history', async () => {
    const holderId = uniq('w-contact');
    await t
      .http()
      .post(`/v1/teams/${team.teamId}/workers`)
      .set(admin(t).as)
      .send({
        workerId: holderId,
        name: 'Fatima de Vries',
        role: 'generalist',
        hoursPerWeek: 32,
        contact: { phone: '+31 20 555 0101', email: 'f.devries@wijkteam.example' },
      })
      .expect(201);
    const holder: Person = { id: holderId, as: bearer(t.token(holderId, ['worker'], [team.teamId])) };
    const id = await household({ regie: holder });
    const res = await myPlan(id, resident(id, PARENT.memberId)).expect(200);
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    expect(res.body).toMatchObject({
      householdId: id,
      status: 'open',
      you: { memberId: PARENT.memberId, name: PARENT.name },
      members: expect.arrayContaining([
        { memberId: TEEN.memberId, name: TEEN.name, role: 'child' },
        { memberId: ADULT.memberId, name: ADULT.name, role: 'adult' },
      ]),
      goals: [
        {
          lifeDomain: 'finances',
          text: GOAL,
          actions: [
            {
              text: ACTION,
              completed: false,
              owner: { kind: 'worker', id: holderId, name: 'Fatima de Vries' },
            },
          ],
        },
      ],
      agreement: { revision: 1, agreed: false, agreedAt: null, youAgreed: false, youMayAgree: true },
      regie: {
        holder: {
          kind: 'worker',
          name: 'Fatima de Vries',
          team: `Wijkteam ${team.teamId}`,
          contact: { phone: '+31 20 555 0101', email: 'f.devries@wijkteam.example' },
        },
      },
      regieHistory: [{ holder: { kind: 'worker', name: 'Fatima de Vries' }, to: null }],
      proposals: [],
    });
    expect(res.body.members).toHaveLength(4);
    expect(res.body.regie.since).toBe(res.body.regieHistory[0].from);

    // Regie handed to a colleague: the resident sees who holds it now, and who held it before.
    const colleague = team.workers[1]!;
    const transfer = await t
      .http()
      .post(`/v1/households/${id}/regie/transfers`)
      .set(holder.as)
      .send({ to: { kind: 'worker', id: colleague.id }, reason: 'overdracht na verhuizing' })
      .expect(201);
    await t
      .http()
      .post(`/v1/households/${id}/regie/transfers/${transfer.body.transferId}/accept`)
      .set(colleague.as)
      .expect(200);
    const after = await myPlan(id, resident(id, PARENT.memberId)).expect(200);
    expect(after.body.regie.holder).toEqual({
      kind: 'worker',
      name: `Naam ${colleague.id}`,
      team: `Wijkteam ${team.teamId}`,
      contact: null,
    });
    expect(after.body.regieHistory).toEqual([
      {
        holder: { kind: 'worker', name: 'Fatima de Vries' },
        from: res.body.regie.since,
        to: after.body.regie.since,
      },
      { holder: { kind: 'worker', name: `Naam ${colleague.id}` }, from: after.body.regie.since, to: null },
    ]);
  });

  it('stays readable to the resident while processing is restricted (AVG art. 18), not to its workers', async () => {
    const id = await household();
    await t
      .http()
      .post(`/v1/households/${id}/restrictions`)
      .set(admin(t).as)
      .send({ restrictionId: uniq('r'), ground: 'bezwaar tegen de verwerking (AVG art. 21), in behandeling' })
      .expect(201);
    expectProblem(
      await t.http().get(`/v1/households/${id}`).set(team.workers[0]!.as),
      409,
      'ProcessingRestricted',
    );
    const sanne = resident(id, PARENT.memberId);
    expect((await myPlan(id, sanne).expect(200)).body.goals[0].text).toBe(GOAL);
    await t.http().get(`/v1/households/${id}/access-log`).set(sanne.as).expect(200);
    await t.http().get(`/v1/households/${id}/members/${PARENT.memberId}/export`).set(sanne.as).expect(200);
  });

  it("a worker's contact is validated when the team registers it", async () => {
    for (const contact of [{ phone: 'bel me' }, { email: 'geen-adres' }, { email: 42 }]) {
      const res = expectProblem(
        await t
          .http()
          .post(`/v1/teams/${team.teamId}/workers`)
          .set(admin(t).as)
          .send({ workerId: uniq('w'), name: 'Naam', role: 'generalist', hoursPerWeek: 8, contact }),
        400,
        'ValidationFailed',
      );
      expect(res.errors?.[0]?.field).toMatch(/^contact\./);
    }
  });

  it('is for residents only: a worker is refused by role', async () => {
    const id = await household({ goal: false });
    expectProblem(await myPlan(id, team.workers[0]!), 403, 'Forbidden');
  });
});

describe('agreeing with the plan as a resident', () => {
  it('records their own agreement; a 14-year-old and a holder for them are waited for', async () => {
    const id = await household();
    const worker = team.workers[0]!;
    await t
      .http()
      .put(`/v1/households/${id}/members/${TEEN.memberId}/authority`)
      .set(worker.as)
      .send({ holders: [{ memberId: PARENT.memberId }] })
      .expect(200);
    const sanne = resident(id, PARENT.memberId);
    const agreed = await t
      .http()
      .post(`/v1/households/${id}/plan/agreements`)
      .set(sanne.as)
      .send({})
      .expect(201);
    expect(agreed.body).toMatchObject({
      householdId: id,
      agreedBy: PARENT.memberId,
      by: { kind: 'member', memberId: PARENT.memberId },
      agreed: false,
    });
    const plan = (await myPlan(id, sanne).expect(200)).body;
    expect(plan.agreement).toMatchObject({ youAgreed: true, youMayAgree: false, agreed: false });
    // Sanne holds authority over Tess (14): Tess's own agreement is still missing, and Joris's and Bo's.
    expect(plan.agreement.waitingFor.map((w: { memberId: string }) => w.memberId).sort()).toEqual(
      [ADULT.memberId, SIXTEEN.memberId, TEEN.memberId].sort(),
    );
    expect(plan.agreement.waitingFor).toContainEqual({ memberId: TEEN.memberId, name: TEEN.name });
    // Twice: the plan names it.
    expectProblem(
      await t.http().post(`/v1/households/${id}/plan/agreements`).set(sanne.as).send({}),
      409,
      'PlanAgreementAlreadyRecorded',
    );

    // Joris and Bo agree themselves (Bo with their own member id in the body); the worker records Tess's.
    const joris = resident(id, ADULT.memberId);
    expect((await myPlan(id, joris).expect(200)).body.agreement.youMayAgree).toBe(true);
    await t.http().post(`/v1/households/${id}/plan/agreements`).set(joris.as).send({}).expect(201);
    await t
      .http()
      .post(`/v1/households/${id}/plan/agreements`)
      .set(resident(id, SIXTEEN.memberId).as)
      .send({ memberId: SIXTEEN.memberId })
      .expect(201);
    const last = await t
      .http()
      .post(`/v1/households/${id}/plan/agreements`)
      .set(worker.as)
      .send({ memberId: TEEN.memberId })
      .expect(201);
    expect(last.body.agreed).toBe(true);
    const done = (await myPlan(id, joris).expect(200)).body.agreement;
    expect(done).toMatchObject({ agreed: true, youAgreed: true, youMayAgree: false, waitingFor: [] });
    expect(done.agreedAt).toEqual(expect.stringMatching(/^2026-/));
  });

  it('agreeing for someone else is refused, and changes nothing', async () => {
    const id = await household();
    const joris = resident(id, ADULT.memberId);
    const before = (await myPlan(id, joris).expect(200)).body.version;
    for (const body of [{ memberId: PARENT.memberId }, { holderId: 'gh-1' }])
      expectProblem(
        await t.http().post(`/v1/households/${id}/plan/agreements`).set(joris.as).send(body),
        403,
        'AgreeOnlyForYourself',
      );
    expect((await myPlan(id, joris).expect(200)).body.version).toBe(before);
  });

  it('a worker still names who agreed: an empty body is a 400', async () => {
    const id = await household();
    const res = expectProblem(
      await t.http().post(`/v1/households/${id}/plan/agreements`).set(team.workers[0]!.as).send({}),
      400,
      'ValidationFailed',
    );
    expect(res.errors?.map((e) => e.field)).toEqual(['memberId']);
  });
});

describe('POST /v1/households/:id/goal-proposals', () => {
  it('records a proposal the resident and the workers then see; the plan revision stays', async () => {
    const id = await household();
    const sanne = resident(id, PARENT.memberId);
    const revision = (await myPlan(id, sanne).expect(200)).body.agreement.revision;
    const res = await t
      .http()
      .post(`/v1/households/${id}/goal-proposals`)
      .set(sanne.as)
      .send({
        proposalId: 'gp-werk',
        text: 'Weer aan het werk, drie dagen per week',
        lifeDomain: 'work-and-education',
      })
      .expect(201);
    expect(res.body).toMatchObject({ proposalId: 'gp-werk', householdId: id, version: expect.any(Number) });
    const plan = (await myPlan(id, sanne).expect(200)).body;
    expect(plan.proposals).toEqual([
      {
        proposalId: 'gp-werk',
        text: 'Weer aan het werk, drie dagen per week',
        lifeDomain: 'work-and-education',
        proposedAt: expect.stringMatching(/^2026-/),
        by: PARENT.memberId,
      },
    ]);
    expect(plan.agreement.revision).toBe(revision);
    const listed = await t
      .http()
      .get(`/v1/households/${id}/goal-proposals`)
      .set(team.workers[0]!.as)
      .expect(200);
    expect(listed.body.proposals).toEqual(plan.proposals);
    // Without a life domain, and with an id the server chooses.
    const bare = await t
      .http()
      .post(`/v1/households/${id}/goal-proposals`)
      .set(sanne.as)
      .send({ text: 'Meer rust in huis' })
      .expect(201);
    expect(bare.body.proposalId).toEqual(expect.any(String));
    expectProblem(
      await t
        .http()
        .post(`/v1/households/${id}/goal-proposals`)
        .set(sanne.as)
        .send({ proposalId: 'gp-werk', text: 'nogmaals' }),
      409,
      'GoalProposalAlreadyExists',
    );
  });

  it('bad input is a 400 problem that changes nothing', async () => {
    const id = await household();
    const sanne = resident(id, PARENT.memberId);
    const before = (await myPlan(id, sanne).expect(200)).body.version;
    for (const [body, field] of [
      [{}, 'text'],
      [{ text: '' }, 'text'],
      [{ text: 'x'.repeat(501) }, 'text'],
      [{ text: 'ok', lifeDomain: 'astrology' }, 'lifeDomain'],
      [{ text: 'ok', proposalId: 'not an id!' }, 'proposalId'],
    ] as const) {
      const problem = expectProblem(
        await t.http().post(`/v1/households/${id}/goal-proposals`).set(sanne.as).send(body),
        400,
        'ValidationFailed',
      );
      expect(problem.errors?.map((e) => e.field)).toContain(field);
    }
    expect((await myPlan(id, sanne).expect(200)).body.version).toBe(before);
  });
});

describe('who viewed my file, and my own data', () => {
  it("shows a worker's read by name, the resident's own reads too", async () => {
    const id = await household();
    const worker = team.workers[0]!;
    const sanne = resident(id, PARENT.memberId);
    await t.http().get(`/v1/households/${id}`).set(worker.as).expect(200);
    await myPlan(id, sanne).expect(200);
    type Entry = { actorId: string; action: string; actorName: string | null; actorLabel: string };
    let entries: Entry[] = [];
    await eventually(async () => {
      const res = await t.http().get(`/v1/households/${id}/access-log`).set(sanne.as).expect(200);
      entries = res.body.entries as Entry[];
      expect(entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['GET /v1/households/:id', 'GET /v1/households/:id/my-plan']),
      );
    });
    expect(entries.find((e) => e.action === 'GET /v1/households/:id')).toMatchObject({
      actorId: worker.id,
      actorName: `Naam ${worker.id}`,
      actorLabel: 'medewerker van het wijkteam',
    });
    expect(entries.find((e) => e.action === 'GET /v1/households/:id/my-plan')).toMatchObject({
      actorId: sanne.id,
      actorName: null,
      actorLabel: 'u zelf',
    });
    // The team reads the same entries, without the names and labels meant for the resident.
    const team_ = await t.http().get(`/v1/households/${id}/access-log`).set(worker.as).expect(200);
    expect(team_.body.entries[0]).not.toHaveProperty('actorLabel');
  });

  it('names nobody else by id: an auditor by role, a resident of another household who probed as not let in', async () => {
    const id = await household();
    const other = await household();
    const sanne = resident(id, PARENT.memberId);
    const prober = resident(other, PARENT.memberId, 'prober@example.org');
    await t.http().get(`/v1/households/${id}/restrictions`).set(auditor(t).as).expect(200);
    await myPlan(id, prober).expect(404);
    type Entry = { actorId: string | null; onBehalfOf: string | null; action: string; actorLabel: string };
    let entries: Entry[] = [];
    await eventually(async () => {
      const res = await t.http().get(`/v1/households/${id}/access-log`).set(sanne.as).expect(200);
      entries = res.body.entries as Entry[];
      expect(entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['GET /v1/households/:id/restrictions', 'GET /v1/households/:id/my-plan']),
      );
    });
    expect(entries.find((e) => e.action === 'GET /v1/households/:id/restrictions')).toMatchObject({
      actorId: null,
      actorLabel: 'toezichthouder (controle)',
    });
    expect(entries.find((e) => e.action === 'GET /v1/households/:id/my-plan')).toMatchObject({
      actorId: null,
      onBehalfOf: null,
      actorLabel: 'onbekend (niet toegelaten)',
    });
    // Nor in the resident's own copy of their data.
    const copy = await t
      .http()
      .get(`/v1/households/${id}/members/${PARENT.memberId}/export`)
      .set(sanne.as)
      .expect(200);
    expect(JSON.stringify(copy.body)).not.toContain('prober@example.org');
    expect(JSON.stringify(copy.body)).not.toContain(auditor(t).id);
  });

  it('is not told of safety work on the file: a meldcode track and its reads are "dossier bijgewerkt" and "dossier geraadpleegd"', async () => {
    const id = await household();
    const worker = team.workers[0]!;
    const sanne = resident(id, PARENT.memberId);
    await t
      .http()
      .post(`/v1/households/${id}/meldcode-tracks`)
      .set(worker.as)
      .send({ signals: 'Zorgen over de veiligheid thuis' })
      .expect(201);
    await t.http().get(`/v1/households/${id}/meldcode-tracks`).set(worker.as).expect(200);
    let entries: { action: string; actorLabel: string }[] = [];
    await eventually(async () => {
      const res = await t.http().get(`/v1/households/${id}/access-log`).set(sanne.as).expect(200);
      entries = res.body.entries as typeof entries;
      expect(entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['dossier bijgewerkt', 'dossier geraadpleegd']),
      );
    });
    expect(JSON.stringify(entries)).not.toMatch(/meldcode|safety/i);
    const copy = await t
      .http()
      .get(`/v1/households/${id}/members/${PARENT.memberId}/export`)
      .set(sanne.as)
      .expect(200);
    expect(JSON.stringify(copy.body.inzageInHetDossier)).toContain('dossier bijgewerkt');
    expect(JSON.stringify(copy.body.inzageInHetDossier)).not.toMatch(/meldcode-tracks|safety/i);
    // The team still reads the route itself.
    const team_ = await t.http().get(`/v1/households/${id}/access-log`).set(worker.as).expect(200);
    expect(team_.body.entries.map((e: { action: string }) => e.action)).toContain(
      'POST /v1/households/:id/meldcode-tracks',
    );
  });

  it("downloads their own data; another member's is as absent as a member who is not there", async () => {
    const id = await household();
    const sanne = resident(id, PARENT.memberId);
    await t
      .http()
      .post(`/v1/households/${id}/goal-proposals`)
      .set(sanne.as)
      .send({ text: 'Een vaste plek voor het huiswerk' })
      .expect(201);
    const own = await t
      .http()
      .get(`/v1/households/${id}/members/${PARENT.memberId}/export`)
      .set(sanne.as)
      .expect(200);
    expect(own.body.persoon).toMatchObject({ lidId: PARENT.memberId, naam: PARENT.name });
    expect(own.body.gebeurtenissen).toContainEqual(
      expect.objectContaining({
        soort: 'Doel voorgesteld voor het plan',
        gegevens: expect.objectContaining({ tekst: 'Een vaste plek voor het huiswerk' }),
      }),
    );
    expect(JSON.stringify(own.body)).not.toContain(ADULT.name);
    const other = expectProblem(
      await t.http().get(`/v1/households/${id}/members/${ADULT.memberId}/export`).set(sanne.as),
      404,
      'MemberNotFound',
    );
    const absent = expectProblem(
      await t.http().get(`/v1/households/${id}/members/m-nobody/export`).set(sanne.as),
      404,
      'MemberNotFound',
    );
    expect(other.detail.replace(ADULT.memberId, 'X')).toBe(absent.detail.replace('m-nobody', 'X'));
  });
});

describe("another household's resident", () => {
  it('gets the one 404 on every resident route, and nothing is written', async () => {
    const id = await household();
    const stranger = resident(await household({ goal: false }), PARENT.memberId);
    const sanne = resident(id, PARENT.memberId);
    const before = (await myPlan(id, sanne).expect(200)).body.version;
    const calls = [
      t.http().get(`/v1/households/${id}/my-plan`),
      t.http().get(`/v1/households/${id}/goal-proposals`),
      t.http().get(`/v1/households/${id}/access-log`),
      t.http().get(`/v1/households/${id}/members/${PARENT.memberId}/export`),
      t.http().post(`/v1/households/${id}/plan/agreements`).send({}),
      t.http().post(`/v1/households/${id}/goal-proposals`).send({ text: 'inbreken' }),
    ];
    for (const call of calls) {
      const body = expectProblem(await call.set(stranger.as), 404, 'HouseholdNotFound');
      expect(body.detail).toBe(`there is no household ${id} that you may see`);
    }
    expect((await myPlan(id, sanne).expect(200)).body.version).toBe(before);
    // And the same for a household that does not exist.
    expectProblem(await myPlan('hh-nowhere', stranger), 404, 'HouseholdNotFound');
  });

  it("a worker of another team cannot read a household's proposals either", async () => {
    const id = await household({ goal: false });
    expectProblem(
      await t.http().get(`/v1/households/${id}/goal-proposals`).set(elsewhere.workers[0]!.as),
      404,
      'HouseholdNotFound',
    );
  });
});
