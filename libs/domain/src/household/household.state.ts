import type { LifeDomain } from '../shared/life-domains';
import type {
  ActionOwner,
  MemberData,
  RegieHolder,
  TransferReceiver,
  TransferVariant,
} from './household.events';
import type { GoalStatus } from './plan';
import { type AssessmentState, initialAssessmentState } from './assessments';
import { type CheckInState, initialCheckInState } from './check-ins';
import { type UwvState, initialUwvState } from './signals';
import type { NetworkState } from './network';
import type { AssignmentsState } from './assignments';
import type { ReferralsState } from './referrals';
import type { ConsentsState } from './consents';
import type { ClosureReason } from './lifecycle';
import type { ChildProtectionState } from './child-protection';
import type { RestrictionsState } from './restriction';
import type { AuthorityHolder, Party } from './persons';
import { type SafetyTakeoversState, initialSafetyTakeoversState } from './safety-takeovers';
import { type MeldcodeState, initialMeldcodeState } from './meldcode';
import { type ReviewMeetingsState, initialReviewMeetingsState } from './review-meetings';

export interface PendingTransfer {
  readonly transferId: string;
  readonly to: TransferReceiver;
  readonly requestedBy: string;
  readonly variant: TransferVariant;
  readonly requestedAt: string;
}

/**
 * A person of the household as the deciders know them: who they are (MemberData), who holds
 * parental authority over them while they are a minor, and, once they left, when and why. A member
 * who left stays in the state (history and erasure need them) but is no longer part of the
 * household: `currentMembers` leaves them out.
 */
export interface MemberState extends MemberData {
  readonly authority?: readonly AuthorityHolder[];
  readonly left?: { readonly on: string; readonly reason: string };
  /** Set by MemberDataErased: when that member's own key was destroyed (erasure.ts). */
  readonly dataErasedAt?: string;
}

export { birthOf } from './persons';

/** The members who belong to the household now (not those who left). */
export const currentMembers = (s: {
  readonly members: Readonly<Record<string, MemberState>>;
}): MemberState[] => Object.values(s.members).filter((m) => m.left === undefined);

export interface HouseholdState {
  readonly status: 'unregistered' | 'active' | 'closed';
  readonly householdId: string;
  readonly teamId: string;
  readonly district: string;
  readonly members: Readonly<Record<string, MemberState>>;
  /**
   * Goals with where they stand and their target date (issue 19); goals added before it read as
   * `open` with no target date.
   */
  readonly goals: Readonly<
    Record<string, { goalId: string; lifeDomain: LifeDomain; status: GoalStatus; targetDate: string | null }>
  >;
  readonly actions: Readonly<
    Record<string, { actionId: string; goalId: string; owner: ActionOwner; completed: boolean }>
  >;
  /** Notes on goals; they are no change of the plan, so they leave its revision as it is. */
  readonly goalNotes: Readonly<Record<string, { noteId: string; goalId: string; addedBy: string }>>;
  /** Goals residents proposed (issue 20): no change of the plan, so they leave its revision as it is. */
  readonly goalProposals: Readonly<
    Record<string, { proposalId: string; lifeDomain: LifeDomain | null; by: string; proposedAt: string }>
  >;
  /** Revision of the plan's goals and actions; a change after an agreement starts the next one (invariant 11). */
  readonly planRevision: number;
  readonly agreedRevision: number | null;
  /**
   * Issue 19: the day the plan is to be evaluated by; null until it is first agreed or set (an
   * agreement, the regie holder, or a review meeting that evaluated the plan sets it).
   */
  readonly evaluateBy: string | null;
  /** The evaluation date last recorded overdue (PlanEvaluationOverdue), so the sweep records each once. */
  readonly evaluationOverdueFor: string | null;
  /** Per member, the assessment (its date) whose re-assessment was recorded overdue (ReassessmentOverdue). */
  readonly reassessmentOverdueFor: Readonly<Record<string, string>>;
  /** Review meetings recorded (issue 19), so a retried or reused id is refused. */
  readonly reviewMeetings: ReviewMeetingsState;
  /**
   * The agreements gathered for a revision that is not agreed yet (issue 18): one per party, a
   * member or an outside holder of authority. They count only while `revision` is the plan's.
   */
  readonly planAgreement: { readonly revision: number; readonly parties: readonly Party[] };
  readonly regie: RegieHolder;
  readonly regieSince: string;
  readonly pendingTransfer: PendingTransfer | null;
  /** Every transfer id ever used, so a retried or reused id is refused rather than confused. */
  readonly transferIds: readonly string[];
  /** Break-glass takeovers and their confirmation (invariant 6). */
  readonly safetyTakeovers: SafetyTakeoversState;
  /** The meldcode's tracks and the safety plan (meldcode.ts): they go on after the plan closes. */
  readonly meldcode: MeldcodeState;
  /** Measurements and signals: they belong to the household and go on after the plan closes. */
  readonly checkIns: CheckInState;
  readonly assessments: AssessmentState;
  readonly uwv: UwvState;
  readonly questionIds: readonly string[];
  /** The people around the household: its network, volunteer assignments and referrals. */
  readonly network: NetworkState;
  readonly assignments: AssignmentsState;
  readonly referrals: ReferralsState;
  /** AVG art. 18 and 16 (restriction.ts, corrections.ts): restrictions, lifted ones too, and correction ids used. */
  readonly restrictions: RestrictionsState;
  readonly correctionIds: readonly string[];
  /** The consent register: per member, purpose and recipient (consents.ts), old UWV consent upcast. */
  readonly consents: ConsentsState;
  /** The last closure (lifecycle.ts), so that a reopen says which closure it undoes and whether it is a recurrence. */
  readonly lastClosure: { readonly closedAt: string; readonly reason: ClosureReason } | null;
  /** Child protection measures (issue 19, child-protection.ts), ended ones too. */
  readonly childProtection: ChildProtectionState;
  /** Set by HouseholdDataErased: no further commands. */
  readonly erased?: boolean;
}

export const initialHouseholdState = (): HouseholdState => ({
  status: 'unregistered',
  householdId: '',
  teamId: '',
  district: '',
  members: {},
  goals: {},
  actions: {},
  goalNotes: {},
  goalProposals: {},
  planRevision: 1,
  agreedRevision: null,
  evaluateBy: null,
  evaluationOverdueFor: null,
  reassessmentOverdueFor: {},
  reviewMeetings: initialReviewMeetingsState(),
  planAgreement: { revision: 0, parties: [] },
  regie: { kind: 'household' },
  regieSince: '',
  pendingTransfer: null,
  transferIds: [],
  safetyTakeovers: initialSafetyTakeoversState(),
  meldcode: initialMeldcodeState(),
  checkIns: initialCheckInState(),
  assessments: initialAssessmentState(),
  uwv: initialUwvState(),
  questionIds: [],
  network: {},
  assignments: {},
  referrals: {},
  restrictions: {},
  correctionIds: [],
  consents: {},
  lastClosure: null,
  childProtection: {},
});

export const isAgreed = (s: HouseholdState) => s.agreedRevision === s.planRevision;

/** The parties who agreed with the current revision so far (none once the plan changed). */
export const gatheredAgreements = (s: HouseholdState): readonly Party[] =>
  s.planAgreement.revision === s.planRevision ? s.planAgreement.parties : [];
