import type {
  ActionOwner,
  HouseholdEvent,
  MemberData,
  RegieHolder,
  TransferVariant,
} from './household.events';
import type { LifeDomain } from '../shared/life-domains';
import type { AssessmentState } from './assessments';
import { evolveAssessments, initialAssessmentState } from './assessments';
import type { CheckInState } from './check-ins';
import { evolveCheckIns, initialCheckInState } from './check-ins';
import { evolveQuestions } from './questions';
import type { UwvState } from './signals';
import { evolveSignals, initialUwvState } from './signals';
import type { NetworkState } from './network';
import { evolveNetwork } from './network';
import type { AssignmentsState } from './assignments';
import { evolveAssignments } from './assignments';
import type { ReferralsState } from './referrals';
import { evolveReferrals } from './referrals';
import type { SafetyTakeoversState } from './safety-takeovers';
import { evolveSafetyTakeovers, initialSafetyTakeoversState } from './safety-takeovers';

export interface PendingTransfer {
  readonly transferId: string;
  readonly to: { kind: 'worker'; id: string; teamId: string };
  readonly requestedBy: string;
  readonly variant: TransferVariant;
  readonly requestedAt: string;
}

export interface HouseholdState {
  readonly status: 'unregistered' | 'active' | 'closed';
  readonly householdId: string;
  readonly teamId: string;
  readonly district: string;
  readonly members: Readonly<Record<string, MemberData>>;
  readonly goals: Readonly<Record<string, { goalId: string; lifeDomain: LifeDomain }>>;
  readonly actions: Readonly<
    Record<string, { actionId: string; goalId: string; owner: ActionOwner; completed: boolean }>
  >;
  /** Revision of the plan's goals and actions; a change after an agreement starts the next one (invariant 11). */
  readonly planRevision: number;
  readonly agreedRevision: number | null;
  readonly regie: RegieHolder;
  readonly regieSince: string;
  readonly pendingTransfer: PendingTransfer | null;
  /** Every transfer id ever used, so a retried or reused id is refused rather than confused. */
  readonly transferIds: readonly string[];
  /** Break-glass takeovers and their confirmation (invariant 6). */
  readonly safetyTakeovers: SafetyTakeoversState;
  /** Measurements and signals: they belong to the household and go on after the plan closes. */
  readonly checkIns: CheckInState;
  readonly assessments: AssessmentState;
  readonly uwv: UwvState;
  readonly questionIds: readonly string[];
  /** The people around the household: its network, volunteer assignments and referrals. */
  readonly network: NetworkState;
  readonly assignments: AssignmentsState;
  readonly referrals: ReferralsState;
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
  planRevision: 1,
  agreedRevision: null,
  regie: { kind: 'household' },
  regieSince: '',
  pendingTransfer: null,
  transferIds: [],
  safetyTakeovers: initialSafetyTakeoversState(),
  checkIns: initialCheckInState(),
  assessments: initialAssessmentState(),
  uwv: initialUwvState(),
  questionIds: [],
  network: {},
  assignments: {},
  referrals: {},
});

/** Regie changed hands by another act: a later rejection of the takeover no longer gives it back. */
const noLongerByTakeover = (state: HouseholdState): SafetyTakeoversState =>
  state.safetyTakeovers.regieBy === null
    ? state.safetyTakeovers
    : { ...state.safetyTakeovers, regieBy: null };

export const isAgreed = (s: HouseholdState) => s.agreedRevision === s.planRevision;

export const evolveHousehold = (state: HouseholdState, event: HouseholdEvent): HouseholdState => {
  switch (event.type) {
    case 'HouseholdRegistered': {
      const d = event.data;
      return {
        ...initialHouseholdState(),
        status: 'active',
        householdId: d.householdId,
        teamId: d.teamId,
        district: d.district,
        members: Object.fromEntries(d.members.map((m) => [m.memberId, m])),
        regie: d.regie,
        regieSince: d.registeredAt,
      };
    }
    case 'GoalAdded':
      return {
        ...state,
        planRevision: event.data.planRevision,
        goals: {
          ...state.goals,
          [event.data.goalId]: { goalId: event.data.goalId, lifeDomain: event.data.lifeDomain },
        },
      };
    case 'ActionAdded': {
      const { actionId, goalId, owner, planRevision } = event.data;
      return {
        ...state,
        planRevision,
        actions: { ...state.actions, [actionId]: { actionId, goalId, owner, completed: false } },
      };
    }
    case 'ActionCompleted': {
      const action = state.actions[event.data.actionId];
      return action
        ? { ...state, actions: { ...state.actions, [action.actionId]: { ...action, completed: true } } }
        : state;
    }
    case 'PlanAgreed':
      return { ...state, agreedRevision: event.data.planRevision };
    case 'RegieTransferRequested': {
      const { transferId, to, requestedBy, variant, requestedAt } = event.data;
      return {
        ...state,
        pendingTransfer: { transferId, to, requestedBy, variant, requestedAt },
        transferIds: [...state.transferIds, transferId],
      };
    }
    case 'RegieTransferAccepted':
      return {
        ...state,
        regie: event.data.to,
        regieSince: event.data.acceptedAt,
        pendingTransfer: null,
        safetyTakeovers: noLongerByTakeover(state),
      };
    case 'RegieTransferDeclined':
    case 'RegieTransferCancelled':
      return { ...state, pendingTransfer: null };
    case 'RegieTakenOverForSafety':
    case 'SafetyTakeoverConfirmed':
    case 'SafetyTakeoverRejected':
    case 'SafetyTakeoverConfirmationOverdue':
      return evolveSafetyTakeovers(state, event);
    case 'RegieReturnedToHousehold':
      return {
        ...state,
        regie: { kind: 'household' },
        regieSince: event.data.returnedAt,
        safetyTakeovers: noLongerByTakeover(state),
      };
    case 'PlanClosed': {
      const holderChanges = state.regie.kind !== 'household';
      return {
        ...state,
        status: 'closed',
        regie: { kind: 'household' },
        safetyTakeovers: noLongerByTakeover(state),
        regieSince: holderChanges ? event.data.closedAt : state.regieSince,
      };
    }
    case 'PlanReopened':
      return { ...state, status: 'active' };
    case 'CheckInCadenceScheduled':
    case 'CheckInCadenceEnded':
    case 'CheckInContactRecorded':
    case 'CheckInOverdue':
      return { ...state, checkIns: evolveCheckIns(state.checkIns, event) };
    case 'AssessmentRecorded':
      return { ...state, assessments: evolveAssessments(state.assessments, event) };
    case 'UwvConsentGiven':
    case 'UwvConsentWithdrawn':
    case 'WorkIncomeSignalRecorded':
    case 'InboundSignalRefused':
      return { ...state, uwv: evolveSignals(state.uwv, event) };
    case 'QuestionRegistered':
      return { ...state, questionIds: evolveQuestions(state.questionIds, event) };
    case 'NetworkMemberAdded':
    case 'NetworkMemberRemoved':
      return evolveNetwork(state, event);
    case 'VolunteerAssigned':
    case 'VolunteerAssignmentEnded':
      return evolveAssignments(state, event);
    case 'ReferralRequested':
    case 'ReferralAccepted':
    case 'ReferralCompleted':
    case 'ReferralWithdrawn':
      return evolveReferrals(state, event);
    case 'HouseholdDataErased':
      return { ...state, erased: true };
  }
};
