import { startTestApp, type TestApp } from '../support/app';
import { admin, auditor, expectProblem, householdBody, seedTeam, type SeededTeam } from './fixtures';

/**
 * AVG art. 15 for one person (issue 18): GET /v1/households/:id/members/:memberId/export gives all
 * eenplan holds about that person and nothing about the other members. The household is filled with
 * two adults who each did something of their own (one agreed to the plan, the other consented to UWV
 * signals) and a goal of the household as a whole; each export is then searched, as text, for every
 * trace of the other member (id, name, birth year) and of the household's plan text.
 * Runs on PGlite (e2e) and PostgreSQL (e2e-postgres).
 */
let t: TestApp;
let team: SeededTeam;
let other: SeededTeam;

beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 1 });
  other = await seedTeam(t, { workers: 1 });
});
afterAll(async () => {
  await t?.close();
});

const A = { memberId: 'm-quirijn', role: 'adult', birthYear: 1971, name: 'Quirijn Ovaalmaker' };
const B = { memberId: 'm-berendina', role: 'adult', birthYear: 1983, name: 'Berendina Ploegvoeter' };
const GOAL = 'huurachterstand Ovaalmaker-Ploegvoeter oplossen';

const exportOf = (householdId: string, memberId: string, who = team.workers[0]!) =>
  t.http().get(`/v1/households/${householdId}/members/${memberId}/export`).set(who.as);

async function filledHousehold(): Promise<string> {
  const worker = team.workers[0]!;
  const body = householdBody(team, { members: [A, B] });
  const id = body.householdId as string;
  await t.http().post('/v1/households').set(worker.as).send(body).expect(201);
  await t
    .http()
    .post(`/v1/households/${id}/goals`)
    .set(worker.as)
    .send({ lifeDomain: 'finances', description: GOAL })
    .expect(201);
  await t
    .http()
    .post(`/v1/households/${id}/plan/agreements`)
    .set(worker.as)
    .send({ memberId: A.memberId })
    .expect(201);
  await t
    .http()
    .post(`/v1/households/${id}/uwv-consent`)
    .set(worker.as)
    .send({ memberId: B.memberId })
    .expect(201);
  return id;
}

describe('GET /v1/households/:id/members/:memberId/export (AVG art. 15)', () => {
  let id: string;
  beforeAll(async () => {
    id = await filledHousehold();
  });

  it("gives one member everything about them, in Dutch, and nothing of the other member's", async () => {
    const res = await exportOf(id, A.memberId).expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="inzage-${id}-${A.memberId}.json"`);
    expect(res.body.verzoek).toMatchObject({
      grondslag: expect.stringMatching(/artikel 15/),
      betrokkene: A.memberId,
    });
    expect(res.body.persoon).toMatchObject({
      lidId: A.memberId,
      naam: A.name,
      rol: 'volwassene',
      geboortejaar: 1971,
      vertrokken: null,
    });
    const kinds = res.body.gebeurtenissen.map((g: { soort: string }) => g.soort);
    expect(kinds).toContain('Aangemeld als lid van het huishouden');
    expect(kinds.some((k: string) => /Instemming met het plan/.test(k))).toBe(true);
    expect(JSON.stringify(res.body.gebeurtenissen)).not.toMatch(/UWV/);
    const registration = res.body.gebeurtenissen.find((g: { soort: string }) => /Aangemeld/.test(g.soort));
    expect(registration).toMatchObject({ vastgelegdDoor: team.workers[0]!.id, gegevens: { naam: A.name } });
    // Who viewed the file: the registration and the writes at least, by route, never by another's id.
    expect(res.body.inzageInHetDossier.regels.length).toBeGreaterThanOrEqual(3);
    expect(res.body.verwerking.rechten).toEqual(expect.arrayContaining([expect.stringMatching(/art\. 16/)]));

    const text = JSON.stringify(res.body);
    for (const trace of [B.memberId, B.name, 'Berendina', 'Ploegvoeter', String(B.birthYear), GOAL])
      expect({ trace, found: text.includes(trace) }).toEqual({ trace, found: false });
  });

  it("gives the other member their own (their UWV consent), and nothing of the first member's", async () => {
    const res = await exportOf(id, B.memberId).expect(200);
    expect(res.body.persoon).toMatchObject({ lidId: B.memberId, naam: B.name, geboortejaar: 1983 });
    const kinds = res.body.gebeurtenissen.map((g: { soort: string }) => g.soort);
    expect(res.body.gebeurtenissen).toContainEqual(
      expect.objectContaining({
        soort: 'Toestemming gegeven',
        gegevens: expect.objectContaining({ doel: 'signalen van en naar UWV', ontvanger: 'uwv' }),
      }),
    );
    expect(kinds.some((k: string) => /Instemming met het plan/.test(k))).toBe(false);
    const text = JSON.stringify(res.body);
    for (const trace of [A.memberId, A.name, 'Quirijn', 'Ovaalmaker', String(A.birthYear), GOAL])
      expect({ trace, found: text.includes(trace) }).toEqual({ trace, found: false });
  });

  it('is open to the household\u2019s workers and admins; the one 404 to others; 404 for a member it does not have', async () => {
    await exportOf(id, A.memberId, admin(t)).expect(200);
    expectProblem(await exportOf(id, A.memberId, other.workers[0]!), 404, 'HouseholdNotFound');
    expectProblem(await exportOf(id, A.memberId, auditor(t)), 403, 'Forbidden');
    expectProblem(await exportOf(id, 'm-nobody'), 404, 'MemberNotFound');
    expectProblem(await exportOf('hh-nowhere', A.memberId), 404, 'HouseholdNotFound');
    expectProblem(await exportOf(id, 'bad%20id'), 400, 'InvalidId');
    const unauthenticated = await t.http().get(`/v1/households/${id}/members/${A.memberId}/export`);
    expectProblem(unauthenticated, 401, 'Unauthenticated');
  });
});
