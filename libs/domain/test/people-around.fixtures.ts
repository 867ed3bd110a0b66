import {
  AcceptReferral,
  AddNetworkMember,
  AssignVolunteer,
  CommitVolunteerHours,
  CompleteReferral,
  EndVolunteerAssignment,
  LifeDomain,
  NetworkMemberAdded,
  NetworkMemberRemoved,
  NetworkRole,
  organisationDecider,
  RemoveNetworkMember,
  ReferralAccepted,
  ReferralCompleted,
  ReferralRequested,
  ReferralWithdrawn,
  RequestReferral,
  VolunteerAssigned,
  VolunteerAssignmentEnded,
  volunteerDecider,
  VolunteerEvent,
  VolunteerFacts,
  WithdrawReferral,
} from '@eenplan/domain';
import { actor, HH, T, WorkerId } from './fixtures';
import { spec } from './given-when-then';

/**
 * Builders for the people around household h1 (its network, volunteer assignments and referrals),
 * and for the volunteer and organisation aggregates. Like fixtures.ts: each event builder produces
 * exactly what `decide` produces for the matching command builder with the same options.
 */

export const volunteer = spec(volunteerDecider);
export const organisation = spec(organisationDecider);

const DECIDED_AT = T(30);
interface CommandOptions {
  by?: WorkerId;
  at?: string;
}
const base = ({ by = 'anna', at = DECIDED_AT }: CommandOptions) => ({
  householdId: HH,
  actor: actor(by),
  at,
});

// ---- network ------------------------------------------------------------------------------------

export const addNetworkMember = (
  o: CommandOptions & { id?: string; role?: NetworkRole } = {},
): AddNetworkMember => ({
  type: 'AddNetworkMember',
  ...base(o),
  networkMemberId: o.id ?? 'n1',
  role: o.role ?? 'neighbour',
  name: 'Buurvrouw Els',
});
export const networkMemberAdded = (
  o: { id?: string; role?: NetworkRole; by?: WorkerId; at?: string } = {},
): NetworkMemberAdded => ({
  type: 'NetworkMemberAdded',
  data: {
    networkMemberId: o.id ?? 'n1',
    role: o.role ?? 'neighbour',
    addedBy: o.by ?? 'anna',
    addedAt: o.at ?? DECIDED_AT,
  },
  personal: { name: 'Buurvrouw Els' },
});
export const removeNetworkMember = (o: CommandOptions & { id?: string } = {}): RemoveNetworkMember => ({
  type: 'RemoveNetworkMember',
  ...base(o),
  networkMemberId: o.id ?? 'n1',
});
export const networkMemberRemoved = (
  o: { id?: string; by?: WorkerId; at?: string } = {},
): NetworkMemberRemoved => ({
  type: 'NetworkMemberRemoved',
  data: { networkMemberId: o.id ?? 'n1', removedBy: o.by ?? 'anna', removedAt: o.at ?? DECIDED_AT },
});

// ---- volunteer assignments ----------------------------------------------------------------------

/** Volunteer v1 as the household sees it: active, 8 hours a week, a VOG valid through 2026, nothing assigned. */
export const volunteerFacts = (overrides: Partial<VolunteerFacts> = {}): VolunteerFacts => ({
  volunteerId: 'v1',
  active: true,
  hoursPerWeek: 8,
  vogValidUntil: '2026-12-31',
  assignedHours: 0,
  ...overrides,
});

export const assign = (
  o: CommandOptions & {
    id?: string;
    hours?: number;
    actionId?: string;
    volunteer?: VolunteerFacts | undefined;
  } = {},
): AssignVolunteer => ({
  type: 'AssignVolunteer',
  ...base(o),
  assignmentId: o.id ?? 'as1',
  volunteerId: 'volunteer' in o ? (o.volunteer?.volunteerId ?? 'v1') : 'v1',
  actionId: o.actionId,
  hoursPerWeek: o.hours ?? 4,
  volunteer: 'volunteer' in o ? o.volunteer : volunteerFacts(),
});
export const assigned = (
  o: {
    id?: string;
    volunteerId?: string;
    hours?: number;
    actionId?: string;
    by?: WorkerId;
    at?: string;
  } = {},
): VolunteerAssigned => ({
  type: 'VolunteerAssigned',
  data: {
    assignmentId: o.id ?? 'as1',
    volunteerId: o.volunteerId ?? 'v1',
    actionId: o.actionId ?? null,
    hoursPerWeek: o.hours ?? 4,
    assignedBy: o.by ?? 'anna',
    assignedAt: o.at ?? DECIDED_AT,
  },
});
export const endAssignment = (o: CommandOptions & { id?: string } = {}): EndVolunteerAssignment => ({
  type: 'EndVolunteerAssignment',
  ...base(o),
  assignmentId: o.id ?? 'as1',
  reason: 'Klus afgerond',
});
export const assignmentEnded = (
  o: {
    id?: string;
    volunteerId?: string;
    hours?: number;
    cause?: 'ended' | 'plan-closed';
    by?: WorkerId;
    at?: string;
  } = {},
): VolunteerAssignmentEnded => ({
  type: 'VolunteerAssignmentEnded',
  data: {
    assignmentId: o.id ?? 'as1',
    volunteerId: o.volunteerId ?? 'v1',
    hoursPerWeek: o.hours ?? 4,
    cause: o.cause ?? 'ended',
    endedBy: o.by ?? 'anna',
    endedAt: o.at ?? DECIDED_AT,
  },
  ...((o.cause ?? 'ended') === 'ended' ? { personal: { reason: 'Klus afgerond' } } : {}),
});

// ---- referrals ----------------------------------------------------------------------------------

export const requestReferral = (
  o: CommandOptions & {
    id?: string;
    lifeDomain?: LifeDomain;
    known?: boolean;
    legalGround?: string | null;
  } = {},
): RequestReferral => ({
  type: 'RequestReferral',
  ...base(o),
  referralId: o.id ?? 'r1',
  organisationId: 'org1',
  lifeDomain: o.lifeDomain ?? 'finances',
  note: 'Schulden boven de 10.000 euro',
  organisation: o.known === false ? undefined : { organisationId: 'org1', waitingDays: 21 },
  // Issue 18: a legal ground by default, so tests about other things need no consents.
  ...(o.legalGround === null ? {} : { legalGround: o.legalGround ?? REFERRAL_GROUND }),
  legalGrounds: [REFERRAL_GROUND, 'jeugdwet-art-7-4-0'],
});
/** A configured legal ground for referrals (Wmo 2015 art. 5.2.1). */
export const REFERRAL_GROUND = 'wmo-art-5-2-1';
export const referralRequested = (
  o: {
    id?: string;
    lifeDomain?: LifeDomain;
    by?: WorkerId;
    at?: string;
    legalGround?: string | null;
    consentIds?: string[];
  } = {},
): ReferralRequested => ({
  type: 'ReferralRequested',
  data: {
    referralId: o.id ?? 'r1',
    organisationId: 'org1',
    lifeDomain: o.lifeDomain ?? 'finances',
    waitingDays: 21,
    requestedBy: o.by ?? 'anna',
    requestedAt: o.at ?? DECIDED_AT,
    legalGround: o.legalGround === undefined ? REFERRAL_GROUND : o.legalGround,
    consentIds: o.consentIds ?? [],
  },
  personal: { note: 'Schulden boven de 10.000 euro' },
});
export const acceptReferral = (o: CommandOptions & { id?: string } = {}): AcceptReferral => ({
  type: 'AcceptReferral',
  ...base(o),
  referralId: o.id ?? 'r1',
});
export const referralAccepted = (o: { id?: string; by?: WorkerId; at?: string } = {}): ReferralAccepted => ({
  type: 'ReferralAccepted',
  data: {
    referralId: o.id ?? 'r1',
    organisationId: 'org1',
    recordedBy: o.by ?? 'anna',
    acceptedAt: o.at ?? DECIDED_AT,
  },
});
export const completeReferral = (o: CommandOptions & { id?: string } = {}): CompleteReferral => ({
  type: 'CompleteReferral',
  ...base(o),
  referralId: o.id ?? 'r1',
});
export const referralCompleted = (
  o: { id?: string; by?: WorkerId; at?: string } = {},
): ReferralCompleted => ({
  type: 'ReferralCompleted',
  data: {
    referralId: o.id ?? 'r1',
    organisationId: 'org1',
    recordedBy: o.by ?? 'anna',
    completedAt: o.at ?? DECIDED_AT,
  },
});
export const withdrawReferral = (o: CommandOptions & { id?: string } = {}): WithdrawReferral => ({
  type: 'WithdrawReferral',
  ...base(o),
  referralId: o.id ?? 'r1',
  reason: 'Gezin wil het zelf regelen',
});
export const referralWithdrawn = (
  o: { id?: string; by?: WorkerId; at?: string } = {},
): ReferralWithdrawn => ({
  type: 'ReferralWithdrawn',
  data: {
    referralId: o.id ?? 'r1',
    organisationId: 'org1',
    withdrawnBy: o.by ?? 'anna',
    withdrawnAt: o.at ?? DECIDED_AT,
  },
  personal: { reason: 'Gezin wil het zelf regelen' },
});

// ---- the volunteer aggregate --------------------------------------------------------------------

export const volunteerRegistered = (
  o: { id?: string; hours?: number; vogValidUntil?: string | null } = {},
): VolunteerEvent => ({
  type: 'VolunteerRegistered',
  data: {
    volunteerId: o.id ?? 'v1',
    skills: ['taal', 'administratie'],
    hoursPerWeek: o.hours ?? 8,
    vogValidUntil: o.vogValidUntil === undefined ? '2026-12-31' : o.vogValidUntil,
    registeredBy: 'anna',
    registeredAt: T(0),
  },
  personal: { name: 'Henk de Vrijwilliger' },
});
export const hoursCommitted = (
  o: { household?: string; id?: string; hours?: number } = {},
): VolunteerEvent => ({
  type: 'VolunteerHoursCommitted',
  data: {
    volunteerId: 'v1',
    householdId: o.household ?? HH,
    assignmentId: o.id ?? 'as1',
    hoursPerWeek: o.hours ?? 4,
  },
});
export const hoursReleased = (
  o: {
    household?: string;
    id?: string;
    hours?: number;
    cause?: 'assignment-ended' | 'assignment-not-recorded';
  } = {},
): VolunteerEvent => ({
  type: 'VolunteerHoursReleased',
  data: {
    volunteerId: 'v1',
    householdId: o.household ?? HH,
    assignmentId: o.id ?? 'as1',
    hoursPerWeek: o.hours ?? 4,
    cause: o.cause ?? 'assignment-ended',
  },
});
export const commitHours = (
  o: { household?: string; id?: string; hours?: number; endedElsewhere?: string[] } = {},
): CommitVolunteerHours => ({
  type: 'CommitVolunteerHours',
  volunteerId: 'v1',
  actor: actor('anna'),
  at: DECIDED_AT,
  householdId: o.household ?? HH,
  assignmentId: o.id ?? 'as1',
  hoursPerWeek: o.hours ?? 4,
  endedElsewhere: o.endedElsewhere ?? [],
});
