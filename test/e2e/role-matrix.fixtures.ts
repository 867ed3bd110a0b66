import { LIFE_DOMAINS } from '@eenplan/domain';
import type { Response } from 'supertest';
import type { TestApp } from '../support/app';
import { admin, PARENT, type Person, seedHousehold, seedTeam, type SeededTeam, uniq } from './fixtures';

/** A member of the World's left household who left it (and so is a resident nowhere). */
export const LEAVER = 'm-leaver';

/** The world the role matrix (role-matrix.e2e.spec.ts) calls into, and the set-up its rows need. */

export /** What one call is: filled in per principal, after whatever it needs was seeded. */
interface Call {
  path: string;
  body?: object;
  query?: Record<string, string>;
}

export interface World {
  t: TestApp;
  team: SeededTeam;
  other: SeededTeam;
  /** The household's team's worker who plays `teamWorker`; `colleague` is a second worker of that team. */
  worker: Person;
  colleague: Person;
  /** A worker of the team, deactivated. */
  deactivated: string;
  /** Shared household of `team` (the household holds regie) with a goal, a check-in cadence. */
  householdId: string;
  goalId: string;
  organisationId: string;
  /**
   * Residents (issue 20): a household of `team` whose member LEAVER (an adult) left, and one whose
   * data was erased; PARENT of each was a resident there.
   */
  leftHouseholdId: string;
  erasedHouseholdId: string;
  /** A fresh household of `team`; `regieWorker` makes that person the holder. */
  household(regieWorker?: Person): Promise<string>;
  post(who: Person, path: string, body?: object, status?: number): Promise<Response>;
}

/**
 * Two teams (one with a deactivated worker), a household of the first with a goal and a check-in
 * cadence, another whose regie the team worker holds, and an organisation on the social map.
 */
export const seedWorld = async (t: TestApp): Promise<World> => {
  const post = async (who: Person, path: string, body?: object, status = 201) => {
    const res = await t.http().post(path).set(who.as).send(body);
    expect({ path, status: res.status, body: res.body }).toMatchObject({ status });
    return res;
  };
  const [team, other] = [await seedTeam(t), await seedTeam(t, { workers: 1 })];
  const deactivated = uniq('w-gone');
  await post(admin(t), `/v1/teams/${team.teamId}/workers`, {
    workerId: deactivated,
    name: 'Vertrokken',
    role: 'generalist',
    hoursPerWeek: 8,
  });
  await post(admin(t), `/v1/teams/${team.teamId}/workers/${deactivated}/deactivate`, undefined, 200);
  const worker = team.workers[0]!;
  const household = (regieWorker?: Person) => seedHousehold(t, team, { by: worker, regieWorker });
  const householdId = await household();
  // The worker holds regie somewhere: an auditor's token with that id must get none of it.
  await household(worker);
  const goalId = uniq('goal');
  await post(worker, `/v1/households/${householdId}/goals`, {
    goalId,
    lifeDomain: 'finances',
    description: 'Rust',
  });
  await post(worker, `/v1/households/${householdId}/check-ins/cadence`, { everyWeeks: 4 });
  const organisation = organisationBody();
  await post(admin(t), '/v1/organisations', organisation);
  const leftHouseholdId = uniq('hh-left');
  await post(worker, '/v1/households', {
    householdId: leftHouseholdId,
    teamId: team.teamId,
    district: team.district,
    members: [
      { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
      { memberId: LEAVER, role: 'adult', birthYear: 1980, name: 'Kees Jansen' },
    ],
  });
  await post(
    worker,
    `/v1/households/${leftHouseholdId}/members/${LEAVER}/leave`,
    { reason: 'moved-out', on: t.clock.peek().toISOString().slice(0, 10) },
    200,
  );
  const erasedHouseholdId = await household();
  await post(worker, `/v1/households/${erasedHouseholdId}/close`, { outcome: 'Afgerond' }, 200);
  await post(admin(t), `/v1/households/${erasedHouseholdId}/erasure`, { reason: 'Verzoek AVG art. 17' }, 200);
  return {
    t,
    team,
    other,
    worker,
    colleague: team.workers[1]!,
    deactivated,
    householdId,
    goalId,
    organisationId: organisation.organisationId,
    leftHouseholdId,
    erasedHouseholdId,
    household,
    post,
  };
};

/** A takeover by the team worker of a household its colleague held, and the lead's call deciding it. */
export const safetyTakeover = async (
  w: World,
  decision: 'confirm' | 'reject',
  body?: object,
): Promise<Call> => {
  const householdId = await w.household(w.colleague);
  const res = await w.post(
    w.worker,
    `/v1/households/${householdId}/regie/safety-takeover`,
    { reason: 'Acuut' },
    200,
  );
  return {
    path: `/v1/households/${householdId}/regie/safety-takeover/${res.body.takeoverId as string}/${decision}`,
    body,
  };
};

/** A transfer pending from `requester` to `receiver` (on the household's behalf), and the call deciding it. */
export const pendingTransfer = async (
  w: World,
  requester: Person,
  receiver: Person,
  decision: 'accept' | 'decline' | 'cancel',
  body?: object,
): Promise<Call> => {
  const householdId = await w.household();
  const transferId = uniq('tr');
  await w.post(requester, `/v1/households/${householdId}/regie/transfers`, {
    transferId,
    to: { kind: 'worker', id: receiver.id },
    reason: 'Specialistische hulp',
    agreedBy: PARENT,
  });
  return { path: `/v1/households/${householdId}/regie/transfers/${transferId}/${decision}`, body };
};

export const volunteerBody = () => ({
  volunteerId: uniq('vol'),
  name: 'Vrijwilliger Kees',
  skills: ['taal'],
  hoursPerWeek: 4,
  vogValidUntil: '2030-12-31',
});

export const volunteer = async (w: World) => {
  const body = volunteerBody();
  await w.post(w.team.lead, '/v1/volunteers', body);
  return body.volunteerId;
};

export const organisationBody = () => ({
  organisationId: uniq('org'),
  name: 'Schuldhulp Noord',
  expertise: { lifeDomains: ['finances'], tags: ['schuldhulp'] },
  location: 'noord',
  waitingDays: 21,
});

export const referral = async (w: World) => {
  const referralId = uniq('ref');
  await w.post(w.worker, `/v1/households/${w.householdId}/referrals`, {
    referralId,
    organisationId: w.organisationId,
    legalGround: 'wmo-art-5-2-1',
  });
  return `/v1/households/${w.householdId}/referrals/${referralId}`;
};

export const zrmScores = () => Object.fromEntries(LIFE_DOMAINS.map((d) => [d, 3]));
