import type { ErasureCommand } from './erasure';
import type { CommandActor } from '../shared/event';
import type { ActionOwnerKind, LifeDomain, MemberRole, WorkerRole } from '../shared/life-domains';
import type { TeamState } from '../team/team';
import type { AssessmentCommand } from './assessments';
import type { CheckInCommand } from './check-ins';
import type { QuestionCommand } from './questions';
import type { SignalCommand } from './signals';
import type { NetworkCommand } from './network';
import type { AssignmentCommand } from './assignments';
import type { ReferralCommand } from './referrals';
import type { SafetyTakeoverCommand } from './safety-takeovers';

/**
 * Facts about a worker that the caller looks up before deciding (the worker's team stream):
 * undefined when no team has registered that worker id.
 */
export interface WorkerFacts {
  readonly workerId: string;
  readonly teamId: string;
  readonly role: WorkerRole;
  readonly active: boolean;
}

/**
 * How large a household's plan may grow, as configured (MAX_GOALS_PER_HOUSEHOLD,
 * MAX_ACTIONS_PER_HOUSEHOLD): carried by the command like any other fact the decider cannot know.
 */
export interface PlanLimits {
  readonly maxGoals: number;
  readonly maxActions: number;
}

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  /** When the command is decided; the recorded time of its events. */
  readonly at: string;
}

export interface RegisterHousehold extends Base {
  readonly type: 'RegisterHousehold';
  readonly team: TeamState;
  readonly district: string;
  readonly members: readonly { memberId: string; role: MemberRole; birthYear: number; name: string }[];
  /** Set when a worker takes regie from the start; undefined means eigen regie. */
  readonly regieWorkerId?: string;
  readonly regieWorker?: WorkerFacts;
}

export interface AddGoal extends Base {
  readonly type: 'AddGoal';
  readonly goalId: string;
  readonly lifeDomain: LifeDomain;
  readonly description: string;
  readonly limits: PlanLimits;
}

export interface AddAction extends Base {
  readonly type: 'AddAction';
  readonly actionId: string;
  readonly goalId: string;
  readonly description: string;
  readonly owner: { kind: ActionOwnerKind; id?: string };
  /** Looked up when the owner is a worker. */
  readonly ownerWorker?: WorkerFacts;
  readonly limits: PlanLimits;
}

export interface CompleteAction extends Base {
  readonly type: 'CompleteAction';
  readonly actionId: string;
}

export interface AgreePlan extends Base {
  readonly type: 'AgreePlan';
  readonly memberId: string;
}

export interface RequestRegieTransfer extends Base {
  readonly type: 'RequestRegieTransfer';
  readonly transferId: string;
  readonly toWorkerId: string;
  readonly receiver?: WorkerFacts;
  readonly reason: string;
  readonly handoverNotes?: string;
  readonly agreedBy?: string;
}

export interface AcceptRegieTransfer extends Base {
  readonly type: 'AcceptRegieTransfer';
  readonly transferId: string;
  /** The receiver as they are now: a receiver deactivated since the request cannot take regie. */
  readonly receiver?: WorkerFacts;
}

export interface DeclineRegieTransfer extends Base {
  readonly type: 'DeclineRegieTransfer';
  readonly transferId: string;
  readonly reason: string;
}

export interface CancelRegieTransfer extends Base {
  readonly type: 'CancelRegieTransfer';
  readonly transferId: string;
  readonly reason: string;
}

export interface ReturnRegieToHousehold extends Base {
  readonly type: 'ReturnRegieToHousehold';
  readonly agreedBy: string;
}

export interface ClosePlan extends Base {
  readonly type: 'ClosePlan';
  readonly outcome: string;
}

export interface ReopenPlan extends Base {
  readonly type: 'ReopenPlan';
  readonly reason: string;
}

export type HouseholdCommand =
  | RegisterHousehold
  | AddGoal
  | AddAction
  | CompleteAction
  | AgreePlan
  | RequestRegieTransfer
  | AcceptRegieTransfer
  | DeclineRegieTransfer
  | CancelRegieTransfer
  | SafetyTakeoverCommand
  | ReturnRegieToHousehold
  | ClosePlan
  | ReopenPlan
  | CheckInCommand
  | AssessmentCommand
  | SignalCommand
  | QuestionCommand
  | NetworkCommand
  | AssignmentCommand
  | ReferralCommand
  | ErasureCommand;
