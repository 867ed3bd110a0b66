import { LIFE_DOMAINS } from '@eenplan/domain';
import type { Response } from 'supertest';
import type { TestApp } from '../support/app';
import {
  admin,
  CHILD,
  PARENT,
  type Person,
  seedHousehold,
  seedTeam,
  type SeededTeam,
  uniq,
} from './fixtures';

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
   * The shared household's circle (issue 20): a network member and a volunteer with an open
   * assignment there; a network member removed from it, a deactivated volunteer, and a second
   * household (for a token naming the wrong one).
   */
  circle: {
    networkMemberId: string;
    volunteerId: string;
    assignmentId: string;
    removedNetworkMemberId: string;
    deactivatedVolunteerId: string;
    otherHouseholdId: string;
  };
  /**
   * Residents (issue 20): a household of `team` whose member LEAVER (an adult) left, and one whose
   * data was erased; PARENT of each was a resident there.
   */
  leftHouseholdId: string;
  erasedHouseholdId: string;
  /**
   * Issue 19: a professional of another organisation than `organisationId` (whose referrals the
   * shared household gathers), so what they see does not depend on the order of the rows; one of
   * theirs deactivated, and an organisation that registered neither.
   */
  professional: {
    organisationId: string;
    professionalId: string;
    deactivatedProfessionalId: string;
    otherOrganisationId: string;
  };
  /** Issue 19: a jeugdbeschermer of `organisationId`, whom measureBody names. */
  jeugdbeschermerId: string;
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
  // Issue 19: the organisation's jeugdbeschermer, whom a child protection measure names.
  const jeugdbeschermerId = uniq('jb');
  await post(admin(t), `/v1/organisations/${organisation.organisationId}/professionals`, {
    professionalId: jeugdbeschermerId,
    kind: 'jeugdbeschermer',
  });
  const circle = {
    networkMemberId: uniq('nm'),
    volunteerId: uniq('vol'),
    assignmentId: uniq('as'),
    removedNetworkMemberId: uniq('nm-gone'),
    deactivatedVolunteerId: uniq('vol-gone'),
    otherHouseholdId: await household(),
  };
  const network = `/v1/households/${householdId}/network`;
  await post(worker, network, { networkMemberId: circle.networkMemberId, role: 'neighbour', name: 'Els' });
  await post(worker, network, {
    networkMemberId: circle.removedNetworkMemberId,
    role: 'other',
    name: 'Kees',
  });
  await post(worker, `${network}/${circle.removedNetworkMemberId}/remove`, undefined, 200);
  for (const volunteerId of [circle.volunteerId, circle.deactivatedVolunteerId])
    await post(team.lead, '/v1/volunteers', { ...volunteerBody(), volunteerId });
  await post(worker, `/v1/volunteers/${circle.deactivatedVolunteerId}/deactivate`, undefined, 200);
  await post(worker, `/v1/households/${householdId}/volunteer-assignments`, {
    assignmentId: circle.assignmentId,
    volunteerId: circle.volunteerId,
    hoursPerWeek: 1,
  });
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
  const professional = {
    organisationId: organisationBody().organisationId,
    professionalId: uniq('pro'),
    deactivatedProfessionalId: uniq('pro-gone'),
    otherOrganisationId: organisationBody().organisationId,
  };
  for (const organisationId of [professional.organisationId, professional.otherOrganisationId])
    await post(admin(t), '/v1/organisations', { ...organisationBody(), organisationId });
  for (const professionalId of [professional.professionalId, professional.deactivatedProfessionalId])
    await post(admin(t), `/v1/organisations/${professional.organisationId}/professionals`, {
      professionalId,
      kind: 'specialist',
    });
  await post(
    admin(t),
    `/v1/organisations/${professional.organisationId}/professionals/${professional.deactivatedProfessionalId}/deactivate`,
    undefined,
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
    jeugdbeschermerId,
    circle,
    leftHouseholdId,
    erasedHouseholdId,
    professional,
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

/**
 * A referral in the shared household to the world's organisation; for the professional (issue 19),
 * one in a fresh household to their own organisation, which they answer themselves.
 */
export const referral = async (w: World, forProfessional = false) => {
  const referralId = uniq('ref');
  const householdId = forProfessional ? await w.household() : w.householdId;
  await w.post(w.worker, `/v1/households/${householdId}/referrals`, {
    referralId,
    organisationId: forProfessional ? w.professional.organisationId : w.organisationId,
    legalGround: 'wmo-art-5-2-1',
  });
  return `/v1/households/${householdId}/referrals/${referralId}`;
};

/** Issue 19: an OTS on a fresh household of the team, the world's organisation as its institution. */
export const measureBody = (w: World) => {
  const today = w.t.clock.peek().toISOString().slice(0, 10);
  return {
    measureId: uniq('ots'),
    kind: 'OTS',
    courtOrderReference: 'C/16/1 / JE RK 25-1',
    from: today,
    until: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
    organisationId: w.organisationId,
    minors: [CHILD],
    jeugdbeschermerId: w.jeugdbeschermerId,
  };
};

export const zrmScores = () => Object.fromEntries(LIFE_DOMAINS.map((d) => [d, 3]));
