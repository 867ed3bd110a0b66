import type { ActionOwnerKind, MemberRole } from '../shared/life-domains';
import type { AssessmentEvent } from './assessments';
import type { AssignmentEvent } from './assignments';
import type { CheckInEvent } from './check-ins';
import type { CorrectionEvent } from './corrections';
import type { ConsentEvent } from './consents';
import type { ErasureEvent } from './erasure';
import type { LifecycleEvent } from './lifecycle';
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

/** The one party that directs the plan: the household itself (eigen regie) or one worker. */
export type RegieHolder =
  { readonly kind: 'household' } | { readonly kind: 'worker'; readonly id: string; readonly teamId: string };

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
  | ReviewMeetingEvent
  | PlanCycleEvent;
