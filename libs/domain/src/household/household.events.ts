import type { DomainEvent } from '../shared/event';
import type { ActionOwnerKind, LifeDomain, MemberRole } from '../shared/life-domains';
import type { AssessmentEvent } from './assessments';
import { ASSESSMENT_EVENT_TYPES } from './assessments';
import type { CheckInEvent } from './check-ins';
import { CHECK_IN_EVENT_TYPES } from './check-ins';
import type { QuestionEvent } from './questions';
import { QUESTION_EVENT_TYPES } from './questions';
import type { ErasureEvent } from './erasure';
import { ERASURE_EVENT_TYPES } from './erasure';
import type { SignalEvent } from './signals';
import { SIGNAL_EVENT_TYPES } from './signals';
import type { NetworkEvent } from './network';
import { NETWORK_EVENT_TYPES } from './network';
import type { AssignmentEvent } from './assignments';
import { ASSIGNMENT_EVENT_TYPES } from './assignments';
import type { ReferralEvent } from './referrals';
import { REFERRAL_EVENT_TYPES } from './referrals';
import type { SafetyTakeoverEvent } from './safety-takeovers';
import { SAFETY_TAKEOVER_EVENT_TYPES } from './safety-takeovers';

export const householdStream = (householdId: string) => `household-${householdId}`;

/** The one party that directs the plan: the household itself (eigen regie) or one worker. */
export type RegieHolder =
  { readonly kind: 'household' } | { readonly kind: 'worker'; readonly id: string; readonly teamId: string };

export interface MemberData {
  readonly memberId: string;
  readonly role: MemberRole;
  readonly birthYear: number;
}

export interface ActionOwner {
  readonly kind: ActionOwnerKind;
  readonly id: string;
}

/**
 * handover: the holder hands regie to another worker; on-behalf: a worker asks on the household's
 * behalf while it holds regie (invariant 5); reverse: a worker asks the holder for regie for themselves.
 */
export type TransferVariant = 'handover' | 'on-behalf' | 'reverse';

export type HouseholdRegistered = DomainEvent<
  'HouseholdRegistered',
  {
    householdId: string;
    teamId: string;
    district: string;
    members: MemberData[];
    regie: RegieHolder;
    registeredAt: string;
  }
>;
export type GoalAdded = DomainEvent<
  'GoalAdded',
  { goalId: string; lifeDomain: LifeDomain; planRevision: number }
>;
export type ActionAdded = DomainEvent<
  'ActionAdded',
  { actionId: string; goalId: string; owner: ActionOwner; planRevision: number }
>;
export type ActionCompleted = DomainEvent<'ActionCompleted', { actionId: string; completedBy: string }>;
export type PlanAgreed = DomainEvent<
  'PlanAgreed',
  { planRevision: number; agreedBy: string; recordedBy: string }
>;
export type RegieTransferRequested = DomainEvent<
  'RegieTransferRequested',
  {
    transferId: string;
    from: RegieHolder;
    to: { kind: 'worker'; id: string; teamId: string };
    requestedBy: string;
    variant: TransferVariant;
    agreedBy: string | null;
    requestedAt: string;
  }
>;
export type RegieTransferAccepted = DomainEvent<
  'RegieTransferAccepted',
  {
    transferId: string;
    from: RegieHolder;
    to: { kind: 'worker'; id: string; teamId: string };
    variant: TransferVariant;
    requestedBy: string;
    acceptedBy: string;
    requestedAt: string;
    acceptedAt: string;
    handoverSeconds: number;
  }
>;
export type RegieTransferDeclined = DomainEvent<
  'RegieTransferDeclined',
  { transferId: string; declinedBy: string }
>;
/** cause safety-takeover: a safety takeover overtook the transfer, or the rejection of one gave regie back. */
export type RegieTransferCancelled = DomainEvent<
  'RegieTransferCancelled',
  { transferId: string; cancelledBy: string; cause: 'cancelled' | 'safety-takeover' }
>;
export type RegieReturnedToHousehold = DomainEvent<
  'RegieReturnedToHousehold',
  { from: RegieHolder; returnedBy: string; agreedBy: string; returnedAt: string }
>;
export type PlanClosed = DomainEvent<
  'PlanClosed',
  { closedBy: string; regieEndedFor: RegieHolder; closedAt: string }
>;
export type PlanReopened = DomainEvent<'PlanReopened', { reopenedBy: string }>;

export type HouseholdEvent =
  | HouseholdRegistered
  | GoalAdded
  | ActionAdded
  | ActionCompleted
  | PlanAgreed
  | RegieTransferRequested
  | RegieTransferAccepted
  | RegieTransferDeclined
  | RegieTransferCancelled
  | SafetyTakeoverEvent
  | RegieReturnedToHousehold
  | PlanClosed
  | PlanReopened
  | CheckInEvent
  | AssessmentEvent
  | SignalEvent
  | QuestionEvent
  | NetworkEvent
  | AssignmentEvent
  | ReferralEvent
  | ErasureEvent;

export const HOUSEHOLD_EVENT_TYPES: readonly HouseholdEvent['type'][] = [
  'HouseholdRegistered',
  'GoalAdded',
  'ActionAdded',
  'ActionCompleted',
  'PlanAgreed',
  'RegieTransferRequested',
  'RegieTransferAccepted',
  'RegieTransferDeclined',
  'RegieTransferCancelled',
  ...SAFETY_TAKEOVER_EVENT_TYPES,
  'RegieReturnedToHousehold',
  'PlanClosed',
  'PlanReopened',
  ...CHECK_IN_EVENT_TYPES,
  ...ASSESSMENT_EVENT_TYPES,
  ...SIGNAL_EVENT_TYPES,
  ...QUESTION_EVENT_TYPES,
  ...NETWORK_EVENT_TYPES,
  ...ASSIGNMENT_EVENT_TYPES,
  ...REFERRAL_EVENT_TYPES,
  ...ERASURE_EVENT_TYPES,
];
