import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import type { LifeDomain } from '../shared/life-domains';
import { actsAsProfessional, requireOpenPlan, requirePlanWorker } from './household-access';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';
import { currentMembers } from './household.state';
import { consentInForce, membersWithoutConsent } from './consents';
import { dateInNl } from '../shared/calendar';
import { runningMeasure } from './child-protection';

/**
 * A referral (verwijzing) of the household to an organisation of the social map. It involves the
 * organisation in the plan but never moves regie: none of these events touches the regie holder.
 * Issue 19: a professional of the organisation accepts and completes it themselves.
 */
export type ReferralStatus = 'requested' | 'accepted' | 'completed' | 'withdrawn';

// ---- events -------------------------------------------------------------------------------------

export type ReferralRequested = DomainEvent<
  'ReferralRequested',
  {
    referralId: string;
    organisationId: string;
    lifeDomain: LifeDomain | null;
    /** The organisation's waiting time when the referral was made, as the worker saw it. */
    waitingDays: number;
    requestedBy: string;
    requestedAt: string;
    /**
     * v2 (issue 18): what allows sharing the household with the organisation: the consents of every
     * current member ('referral' to this organisation, in force that day), or a configured legal
     * ground (then consentIds is empty). v1 events carry neither: read as null and [].
     */
    legalGround?: string | null;
    consentIds?: string[];
  }
>;
export type ReferralAccepted = DomainEvent<
  'ReferralAccepted',
  { referralId: string; organisationId: string; recordedBy: string; acceptedAt: string }
>;
export type ReferralCompleted = DomainEvent<
  'ReferralCompleted',
  { referralId: string; organisationId: string; recordedBy: string; completedAt: string }
>;
export type ReferralWithdrawn = DomainEvent<
  'ReferralWithdrawn',
  { referralId: string; organisationId: string; withdrawnBy: string; withdrawnAt: string }
>;
export type ReferralEvent = ReferralRequested | ReferralAccepted | ReferralCompleted | ReferralWithdrawn;
export const REFERRAL_EVENT_TYPES = [
  'ReferralRequested',
  'ReferralAccepted',
  'ReferralCompleted',
  'ReferralWithdrawn',
] as const satisfies readonly ReferralEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

/** Facts about the organisation from its own stream; undefined when it is not registered. */
export interface OrganisationFacts {
  readonly organisationId: string;
  readonly waitingDays: number;
}

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
export interface RequestReferral extends Base {
  readonly type: 'RequestReferral';
  readonly referralId: string;
  readonly organisationId: string;
  readonly lifeDomain?: LifeDomain;
  /** Free text about the household: personal data. */
  readonly note?: string;
  readonly organisation?: OrganisationFacts;
  /** The legal ground named instead of consent: one of `legalGrounds`. */
  readonly legalGround?: string;
  /** The configured legal grounds (REFERRAL_LEGAL_GROUNDS), carried like the plan limits. */
  readonly legalGrounds?: readonly string[];
}
export interface AcceptReferral extends Base {
  readonly type: 'AcceptReferral';
  readonly referralId: string;
}
export interface CompleteReferral extends Base {
  readonly type: 'CompleteReferral';
  readonly referralId: string;
}
export interface WithdrawReferral extends Base {
  readonly type: 'WithdrawReferral';
  readonly referralId: string;
  readonly reason: string;
}
export type ReferralCommand = RequestReferral | AcceptReferral | CompleteReferral | WithdrawReferral;
export const REFERRAL_COMMAND_TYPES = [
  'RequestReferral',
  'AcceptReferral',
  'CompleteReferral',
  'WithdrawReferral',
] as const satisfies readonly ReferralCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface Referral {
  readonly referralId: string;
  readonly organisationId: string;
  readonly lifeDomain: LifeDomain | null;
  readonly status: ReferralStatus;
  readonly requestedAt: string;
}
export type ReferralsState = Readonly<Record<string, Referral>>;

/** An open referral can own actions (invariant 10). */
export const isOpenReferral = (r: Referral | undefined) =>
  r?.status === 'requested' || r?.status === 'accepted';

const STATUS_AFTER: Record<Exclude<ReferralEvent['type'], 'ReferralRequested'>, ReferralStatus> = {
  ReferralAccepted: 'accepted',
  ReferralCompleted: 'completed',
  ReferralWithdrawn: 'withdrawn',
};

export const evolveReferrals = (state: HouseholdState, event: ReferralEvent): HouseholdState => {
  if (event.type === 'ReferralRequested') {
    const { referralId, organisationId, lifeDomain, requestedAt } = event.data;
    return {
      ...state,
      referrals: {
        ...state.referrals,
        [referralId]: { referralId, organisationId, lifeDomain, requestedAt, status: 'requested' },
      },
    };
  }
  const referral = state.referrals[event.data.referralId];
  return referral
    ? {
        ...state,
        referrals: {
          ...state.referrals,
          [referral.referralId]: { ...referral, status: STATUS_AFTER[event.type] },
        },
      }
    : state;
};

// ---- decide -------------------------------------------------------------------------------------

/**
 * Issue 18: a referral shares the household with an organisation, so it needs, for every current
 * member, a 'referral' consent to that organisation in force today, or a legal ground from the
 * configured list. Neither: 409 ConsentRequired naming the members without consent.
 */
/** The legal ground a referral records for the minors a running child protection measure concerns (issue 19). */
export const CHILD_PROTECTION_GROUND = 'child-protection-measure';

const referralGrounds = (
  command: RequestReferral,
  state: HouseholdState,
): { legalGround: string | null; consentIds: string[] } => {
  if (command.legalGround !== undefined) {
    const allowed = command.legalGrounds ?? [];
    if (!allowed.includes(command.legalGround)) {
      throw invalid(
        'UnknownLegalGround',
        `legalGround: ${command.legalGround} is not one of the configured legal grounds (${allowed.join(', ') || 'none'})`,
        { field: 'legalGround' },
      );
    }
    return { legalGround: command.legalGround, consentIds: [] };
  }
  const today = dateInNl(command.at);
  // Issue 19: a running child protection measure is the legal ground for the minors it concerns;
  // the other members still consent.
  const measure = runningMeasure(state, command.at);
  const byMeasure = (memberId: string) => measure?.minors.includes(memberId) === true;
  const missing = membersWithoutConsent(state, 'referral', command.organisationId, today).filter(
    (m) => !byMeasure(m),
  );
  if (missing.length > 0) {
    throw conflict(
      'ConsentRequired',
      `a referral to ${command.organisationId} shares the household: members ${missing.join(', ')} have no consent in force for it (purpose referral); record their consent, or name a legal ground`,
      undefined,
      { purpose: 'referral', recipient: command.organisationId, members: missing },
    );
  }
  const covered = currentMembers(state).filter((m) => byMeasure(m.memberId));
  const consentIds = currentMembers(state)
    .filter((m) => !byMeasure(m.memberId))
    .map((m) => consentInForce(state, m.memberId, 'referral', command.organisationId, today)!.consentId);
  return {
    legalGround: covered.length > 0 ? CHILD_PROTECTION_GROUND : null,
    consentIds,
  };
};

/** Which states each step may leave: requested -> accepted -> completed; requested|accepted -> withdrawn. */
const FROM: Record<Exclude<ReferralCommand['type'], 'RequestReferral'>, readonly ReferralStatus[]> = {
  AcceptReferral: ['requested'],
  CompleteReferral: ['accepted'],
  WithdrawReferral: ['requested', 'accepted'],
};

export const decideReferrals = (command: ReferralCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  if (command.type === 'RequestReferral') {
    requireOpenPlan(state);
    requirePlanWorker(actor, state);
    if (state.referrals[command.referralId]) {
      throw conflict(
        'ReferralAlreadyExists',
        `referral ${command.referralId} already exists in this household`,
      );
    }
    if (!command.organisation) {
      throw invalid(
        'UnknownOrganisation',
        `organisationId: organisation ${command.organisationId} is not on the social map`,
        {
          field: 'organisationId',
        },
      );
    }
    const grounds = referralGrounds(command, state);
    return [
      {
        type: 'ReferralRequested',
        data: {
          referralId: command.referralId,
          organisationId: command.organisationId,
          lifeDomain: command.lifeDomain ?? null,
          waitingDays: command.organisation.waitingDays,
          requestedBy: actor.id,
          requestedAt: at,
          ...grounds,
        },
        personal: { note: command.note ?? null },
      },
    ];
  }
  // A referral runs its course even after the plan closes: the organisation may still report back.
  if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
  // Issue 19: the organisation's own professional answers for it (accepts, completes); withdrawing is the plan's.
  const byProfessional = command.type !== 'WithdrawReferral' && actsAsProfessional(actor);
  if (!byProfessional) requirePlanWorker(actor, state);
  const referral = Object.hasOwn(state.referrals, command.referralId)
    ? state.referrals[command.referralId]
    : undefined;
  if (!referral)
    throw notFound('ReferralNotFound', `referral ${command.referralId} does not exist in this household`);
  if (byProfessional && referral.organisationId !== actor.organisation) {
    throw forbidden(
      'NotReferralOrganisation',
      `referral ${referral.referralId} is to organisation ${referral.organisationId}; only its own professionals answer it`,
    );
  }
  if (!FROM[command.type].includes(referral.status)) {
    throw conflict(
      'ReferralStatusConflict',
      `referral ${referral.referralId} is ${referral.status}; it can be ${verb[command.type]} only when ${FROM[command.type].join(' or ')}`,
      undefined,
      { referralStatus: referral.status },
    );
  }
  const { referralId, organisationId } = referral;
  switch (command.type) {
    case 'AcceptReferral':
      return [
        {
          type: 'ReferralAccepted',
          data: { referralId, organisationId, recordedBy: actor.id, acceptedAt: at },
        },
      ];
    case 'CompleteReferral':
      return [
        {
          type: 'ReferralCompleted',
          data: { referralId, organisationId, recordedBy: actor.id, completedAt: at },
        },
      ];
    case 'WithdrawReferral':
      return [
        {
          type: 'ReferralWithdrawn',
          data: { referralId, organisationId, withdrawnBy: actor.id, withdrawnAt: at },
          personal: { reason: command.reason },
        },
      ];
  }
};

const verb = {
  AcceptReferral: 'accepted',
  CompleteReferral: 'completed',
  WithdrawReferral: 'withdrawn',
} as const;

// ---- the slice ---------------------------------------------------------------------------------

export const referralSlice = householdSlice({
  commands: REFERRAL_COMMAND_TYPES,
  events: REFERRAL_EVENT_TYPES,
  decide: decideReferrals,
  evolve: evolveReferrals,
});
