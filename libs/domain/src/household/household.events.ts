import type { ActionOwnerKind, MemberRole } from '../shared/life-domains';
import type { AssessmentEvent } from './assessments';
import type { AssignmentEvent } from './assignments';
import type { CheckInEvent } from './check-ins';
import type { CorrectionEvent } from './corrections';
import type { ChildProtectionEvent } from './child-protection';
import type { ConsentEvent } from './consents';
import type { ErasureEvent } from './erasure';
import type { LifecycleEvent } from './lifecycle';
import type { MeldcodeEvent } from './meldcode';
import type { MemberEvent } from './members';
import type { NetworkEvent } from './network';
import type { PlanEvent } from './plan';
import type { QuestionEvent } from './questions';
import type { ReferralEvent } from './referrals';
import type { RegieEvent } from './regie';
import type { ReviewMeetingEvent } from './review-meetings';
import type { PlanCycleEvent } from './plan-cycle';
import type { RestrictionEvent } from './restriction';
import type { SafetyTakeoverEvent } from './safety-takeovers';
import type { SignalEvent } from './signals';

export const householdStream = (householdId: string) => `household-${householdId}`;

export interface WorkerHolder {
  readonly kind: 'worker';
  readonly id: string;
  readonly teamId: string;
}
/**
 * Issue 19: a professional of an organisation on the social map (a specialist, family worker,
 * personal supporter or jeugdbeschermer), registered by that organisation; outside every team.
 */
export interface ProfessionalHolder {
  readonly kind: 'professional';
  readonly id: string;
  readonly organisationId: string;
}
/** Who a transfer hands regie to: a worker of a team or a professional of an organisation. */
export type TransferReceiver = WorkerHolder | ProfessionalHolder;

/** The one party that directs the plan: the household itself (eigen regie), one worker or one professional. */
export type RegieHolder = { readonly kind: 'household' } | TransferReceiver;

export interface MemberData {
  readonly memberId: string;
  readonly role: MemberRole;
  readonly birthYear: number;
  /** 1..12 where known (persons.ts BirthDate); events before issue 18 carry the year only. */
  readonly birthMonth?: number;
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

/** Every event of a household: the union of its slices' events. */
export type HouseholdEvent =
  | LifecycleEvent
  | MemberEvent
  | PlanEvent
  | RegieEvent
  | SafetyTakeoverEvent
  | MeldcodeEvent
  | CheckInEvent
  | AssessmentEvent
  | SignalEvent
  | QuestionEvent
  | NetworkEvent
  | AssignmentEvent
  | ReferralEvent
  | ConsentEvent
  | ErasureEvent
  | RestrictionEvent
  | CorrectionEvent
  | ChildProtectionEvent
  | ReviewMeetingEvent
  | PlanCycleEvent;
