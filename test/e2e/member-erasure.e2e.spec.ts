import { randomUUID } from 'node:crypto';
import { householdStream } from '@eenplan/domain';
import type { SealedEventStore } from '@eenplan/security';
import { SEALED_EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, type TestApp } from '../support/app';
import {
  admin,
  auditor,
  CHILD,
  etagOf,
  expectProblem,
  PARENT,
  seedHousehold,
  seedTeam,
  type SeededTeam,
} from './fixtures';

/**
 * Erasure of one member (issue 18, AVG art. 17): POST /v1/households/:id/members/:memberId/erasure
 * and its status. Every refusal is here; the erasure itself needs a member who left, which the
 * members' leave route makes (branch `persons`): it is shown end to end, on disk and against a
 * backup, in person-erasure-on-disk.e2e.spec.ts. Runs on PGlite and PostgreSQL.
 */

let t: TestApp;
let team: SeededTeam;
const GROUND = 'AVG art. 17, verzoek 2026-119';

beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 1 });
});
afterAll(async () => {
  await t?.close();
});

const erase = (householdId: string, memberId: string) =>
  t.http().post(`/v1/households/${householdId}/members/${memberId}/erasure`);
const status = (householdId: string, memberId: string) =>
  t.http().get(`/v1/households/${householdId}/members/${memberId}/erasure`);

describe('erasing one member: the refusals, each changing nothing', () => {
  let householdId: string;
  beforeAll(async () => {
    householdId = await seedHousehold(t, team);
  });

  const unchanged = async (before: string | undefined) =>
    expect(await etagOf(t, householdId, team.workers[0]!)).toBe(before);

  it('409 MemberStillInHousehold for a member who has not left: they leave first', async () => {
    const before = await etagOf(t, householdId, team.workers[0]!);
    const body = expectProblem(
      await erase(householdId, CHILD).set(admin(t).as).send({ ground: GROUND }),
      409,
      'MemberStillInHousehold',
    );
    expect(body.detail).toContain(CHILD);
    await unchanged(before);
  });

  it('400 UnknownMember for a member the household never had', async () => {
    const before = await etagOf(t, householdId, team.workers[0]!);
    expectProblem(
      await erase(householdId, 'm-nobody').set(admin(t).as).send({ ground: GROUND }),
      400,
      'UnknownMember',
    );
    await unchanged(before);
  });

  it.each([
    ['a ground naming someone', { ground: 'verzoek 2026-119 van Jan Jansen' }],
    ['a ground without a reference', { ground: 'zomaar' }],
    ['no ground', {}],
    ['a ground that is no string', { ground: 17 }],
    ['the household erasure’s field instead', { reason: GROUND }],
  ])('400 for %s', async (_label, body) => {
    const before = await etagOf(t, householdId, team.workers[0]!);
    const res = await erase(householdId, CHILD).set(admin(t).as).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await unchanged(before);
  });

  it('400 InvalidId for a member id that is not an id', async () => {
    expectProblem(
      await erase(householdId, 'm%20x').set(admin(t).as).send({ ground: GROUND }),
      400,
      'InvalidId',
    );
  });

  it('403 for anyone but an administrator, the team included', async () => {
    const before = await etagOf(t, householdId, team.workers[0]!);
    for (const who of [team.workers[0]!, team.lead, auditor(t)])
      expectProblem(await erase(householdId, CHILD).set(who.as).send({ ground: GROUND }), 403, 'Forbidden');
    await unchanged(before);
  });

  it('404 HouseholdNotFound for a household that is not registered', async () => {
    expectProblem(
      await erase('hh-nowhere', CHILD).set(admin(t).as).send({ ground: GROUND }),
      404,
      'HouseholdNotFound',
    );
  });
});

describe("a member's erasure status", () => {
  let householdId: string;
  beforeAll(async () => {
    householdId = await seedHousehold(t, team);
  });

  it('says not-erased for a member never erased, to an administrator and an auditor', async () => {
    for (const who of [admin(t), auditor(t)]) {
      const res = await status(householdId, PARENT).set(who.as).expect(200);
      expect(res.body).toEqual({
        householdId,
        memberId: PARENT,
        status: 'not-erased',
        erasedAt: null,
        ground: null,
        keyDestroyedAt: null,
        // Registered by this release: the name is in the member's own part only.
        nameUnderHouseholdKey: false,
      });
    }
  });

  it('404 MemberNotFound for a member the household never had, 404 HouseholdNotFound for no household', async () => {
    expectProblem(await status(householdId, 'm-nobody').set(auditor(t).as), 404, 'MemberNotFound');
    expectProblem(await status('hh-nowhere', PARENT).set(auditor(t).as), 404, 'HouseholdNotFound');
  });

  it("says so while a registration from before person parts holds the name under the household's key", async () => {
    // A household as the previous release registered it: every name in the household's own part.
    const oldId = `hh-old-${randomUUID().slice(0, 8)}`;
    const sealed = t.app.get<SealedEventStore>(SEALED_EVENT_STORE);
    await sealed.append(
      householdStream(oldId),
      [
        {
          eventId: randomUUID(),
          type: 'HouseholdRegistered',
          data: {
            householdId: oldId,
            teamId: team.teamId,
            district: team.district,
            members: [
              { memberId: PARENT, role: 'parent', birthYear: 1984 },
              { memberId: CHILD, role: 'child', birthYear: 2015 },
            ],
            regie: { kind: 'household' },
            registeredAt: t.clock.peek().toISOString(),
          },
          personal: { memberNames: { [PARENT]: 'Olga Oudregistratie', [CHILD]: 'Otto Oudregistratie' } },
          metadata: {
            schemaVersion: 1,
            actor: { kind: 'worker', id: team.workers[0]!.id, roles: ['worker'] },
            recordedAt: t.clock.now().toISOString(),
            correlationId: randomUUID(),
            causationId: randomUUID(),
          },
        },
      ],
      0,
    );
    // Read in the old shape as before.
    const view = await t.http().get(`/v1/households/${oldId}`).set(team.lead.as).expect(200);
    expect(view.body.members.map((m: { name: string }) => m.name)).toEqual([
      'Olga Oudregistratie',
      'Otto Oudregistratie',
    ]);
    const res = await status(oldId, CHILD).set(auditor(t).as).expect(200);
    expect(res.body).toMatchObject({ status: 'not-erased', nameUnderHouseholdKey: true });
    expect(JSON.stringify(res.body)).not.toContain('Oudregistratie');
  });

  it('403 for the team: the status is for administrators and auditors', async () => {
    expectProblem(await status(householdId, PARENT).set(team.workers[0]!.as), 403, 'Forbidden');
  });
});
