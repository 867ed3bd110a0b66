import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { CommandActor } from '../shared/event';
import type { ProfessionalFacts, WorkerFacts } from './household.commands';
import type { RegieHolder } from './household.events';
import type { HouseholdState } from './household.state';
import type { SafetyTakeoversState } from './safety-takeovers';

/**
 * Who works on a household, written once: the guards of every household command, and the rule the
 * API applies to every read (apps/api/src/common/household-access.ts).
 *
 * Rights that come from being a worker (of the household's team, or its regie holder) need the
 * worker role: an auditor, integrator or admin whose id happens to equal the regie holder's gets
 * none of them.
 */
export const actsAsWorker = (actor: CommandActor): boolean =>
  actor.roles.includes('worker') || actor.roles.includes('team-lead');

export const inHouseholdTeam = (actor: CommandActor, state: HouseholdState): boolean =>
  actsAsWorker(actor) && actor.teams.includes(state.teamId);

/**
 * A professional of an organisation on the social map (issue 19), as the registry admitted them:
 * the role `professional` and their organisation. Never a worker: the registry refuses a token
 * mixing the two kinds.
 */
export const actsAsProfessional = (actor: CommandActor): actor is CommandActor & { organisation: string } =>
  actor.roles.includes('professional') && actor.organisation !== undefined && !actsAsWorker(actor);

/** The actor is this professional holder (or receiver): the same id, of the same organisation. */
export const isProfessional = (actor: CommandActor, holder: RegieHolder): boolean =>
  holder.kind === 'professional' &&
  actsAsProfessional(actor) &&
  holder.id === actor.id &&
  holder.organisationId === actor.organisation;

export const holdsRegie = (actor: CommandActor, state: HouseholdState): boolean =>
  (actsAsWorker(actor) && state.regie.kind === 'worker' && state.regie.id === actor.id) ||
  isProfessional(actor, state.regie);

/** The household's team works with it, and so does a worker from elsewhere or a professional who holds its regie. */
export const worksOnHousehold = (actor: CommandActor, state: HouseholdState): boolean =>
  state.status !== 'unregistered' && (inHouseholdTeam(actor, state) || holdsRegie(actor, state));

/**
 * Issue 19: a professional sees a household while they hold its regie, or while a referral to
 * their organisation is open (requested or accepted). Seeing is reading: what they change is the
 * deciders' to say (the plan only while holding regie; referrals to their organisation).
 */
export const professionalSees = (actor: CommandActor, state: HouseholdState): boolean =>
  state.status !== 'unregistered' &&
  actsAsProfessional(actor) &&
  (holdsRegie(actor, state) ||
    Object.values(state.referrals).some(
      (r) => r.organisationId === actor.organisation && (r.status === 'requested' || r.status === 'accepted'),
    ));

/**
 * Guards shared by the household's measurements and signals (check-ins, assessments, consent,
 * signals, questions). These belong to the household, not to its plan: they go on after the plan
 * closes (invariant 16), so they need a registered household, never an open plan.
 */
export const requireRegistered = (state: HouseholdState) => {
  if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
};

export const requireHouseholdWorker = (actor: CommandActor, state: HouseholdState, what: string) => {
  if (!worksOnHousehold(actor, state)) {
    throw forbidden('NotHouseholdTeam', `only workers of team ${state.teamId} or the regie holder ${what}`);
  }
};

export const requireOpenPlan = (state: HouseholdState) => {
  requireRegistered(state);
  if (state.status === 'closed') {
    throw conflict('PlanClosed', 'invariant 9: the plan is closed; reopen it first', 9);
  }
};

/** The household's team works on its plan, and so does a worker from elsewhere who holds its regie. */
export const requirePlanWorker = (actor: CommandActor, state: HouseholdState) =>
  requireHouseholdWorker(actor, state, 'may change this plan');

/** Invariant 1: only an active, registered worker can hold (or be about to hold) regie. */
export const requireActiveWorker = (
  facts: WorkerFacts | undefined,
  workerId: string,
  field: string,
): WorkerFacts => {
  if (!facts)
    throw invalid('UnknownWorker', `${field}: no team has registered worker ${workerId}`, { field });
  if (!facts.active) {
    throw conflict(
      'WorkerNotActive',
      `invariant 1: worker ${workerId} is not active and cannot hold regie`,
      1,
    );
  }
  return facts;
};

/** Issue 19: only an active professional registered by an organisation can hold (or be about to hold) regie. */
export const requireActiveProfessional = (
  facts: ProfessionalFacts | undefined,
  professionalId: string,
  field: string,
): ProfessionalFacts => {
  if (!facts)
    throw invalid(
      'UnknownProfessional',
      `${field}: no organisation has registered professional ${professionalId}`,
      {
        field,
      },
    );
  if (!facts.active) {
    throw conflict(
      'ProfessionalNotActive',
      `invariant 1: professional ${professionalId} is not active and cannot hold regie`,
      1,
    );
  }
  return facts;
};

export const professionalHolder = (facts: ProfessionalFacts) => ({
  kind: 'professional' as const,
  id: facts.professionalId,
  organisationId: facts.organisationId,
});

export const workerHolder = (facts: WorkerFacts) => ({
  kind: 'worker' as const,
  id: facts.workerId,
  teamId: facts.teamId,
});

/** A current member: one who left the household (issue 18) no longer acts as its member (409 MemberHasLeft). */
export const requireMember = (state: HouseholdState, memberId: string, field: string) => {
  // Own properties only: `constructor` or `toString` is no member, though every object answers to it.
  const member = Object.hasOwn(state.members, memberId) ? state.members[memberId] : undefined;
  if (!member) {
    throw invalid('UnknownMember', `${field}: ${memberId} is not a member of this household`, { field });
  }
  // Known, but no longer part of the household: a conflict with its state, not a bad id.
  if (member.left) {
    throw conflict(
      'MemberHasLeft',
      `${field}: member ${memberId} left the household on ${member.left.on} and no longer acts as its member`,
      undefined,
      { field },
    );
  }
  return member;
};

export const holderName = (h: RegieHolder) =>
  h.kind === 'household'
    ? 'the household'
    : h.kind === 'worker'
      ? `worker ${h.id}`
      : `professional ${h.id} of organisation ${h.organisationId}`;

/** Regie changed hands by another act: a later rejection of the takeover no longer gives it back. */
export const noLongerByTakeover = (state: HouseholdState): SafetyTakeoversState =>
  state.safetyTakeovers.regieBy === null
    ? state.safetyTakeovers
    : { ...state.safetyTakeovers, regieBy: null };

/**
 * The member id of a resident acting on their own household (issue 20): the actor has the role
 * `resident`, the registry admitted their household and member claims, and the member still
 * belongs to this household. Undefined for anyone else.
 */
export const residentMember = (actor: CommandActor, state: HouseholdState): string | undefined => {
  if (!actor.roles.includes('resident') || actor.household !== state.householdId) return undefined;
  const member = actor.member === undefined ? undefined : state.members[actor.member];
  return member && member.left === undefined && member.dataErasedAt === undefined
    ? member.memberId
    : undefined;
};

export const requireResident = (actor: CommandActor, state: HouseholdState, what: string): string => {
  const member = residentMember(actor, state);
  if (member === undefined)
    throw forbidden('NotHouseholdResident', `only a resident of household ${state.householdId} ${what}`);
  return member;
};
