import type { CommandActor } from '../shared/event';
import type { WorkerRole } from '../shared/life-domains';
import type { AssessmentCommand } from './assessments';
import type { AssignmentCommand } from './assignments';
import type { CheckInCommand } from './check-ins';
import type { CorrectionCommand } from './corrections';
import type { ChildProtectionCommand } from './child-protection';
import type { ConsentCommand } from './consents';
import type { ErasureCommand } from './erasure';
import type { LifecycleCommand } from './lifecycle';
import type { MeldcodeCommand } from './meldcode';
import type { MemberCommand } from './members';
import type { NetworkCommand } from './network';
import type { PlanCommand } from './plan';
import type { QuestionCommand } from './questions';
import type { ReferralCommand } from './referrals';
import type { RegieCommand } from './regie';
import type { ReviewMeetingCommand } from './review-meetings';
import type { PlanCycleCommand } from './plan-cycle';
import type { RestrictionCommand } from './restriction';
import type { SafetyTakeoverCommand } from './safety-takeovers';
import type { SignalCommand } from './signals';

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

/** The professional kinds of the specialist circle (issue 19). */
export const PROFESSIONAL_KINDS = [
  'specialist',
  'family-worker',
  'personal-supporter',
  'jeugdbeschermer',
] as const;
export type ProfessionalKind = (typeof PROFESSIONAL_KINDS)[number];

/**
 * Facts about a professional that the caller looks up before deciding (the organisation's stream):
 * undefined when no organisation has registered that professional id.
 */
export interface ProfessionalFacts {
  readonly professionalId: string;
  readonly organisationId: string;
  readonly kind: ProfessionalKind;
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

/** What every household command carries. */
export interface HouseholdCommandBase {
  readonly householdId: string;
  readonly actor: CommandActor;
  /** When the command is decided; the recorded time of its events. */
  readonly at: string;
}

/** Every command to a household: the union of its slices' commands. */
export type HouseholdCommand =
  | LifecycleCommand
  | MemberCommand
  | PlanCommand
  | RegieCommand
  | SafetyTakeoverCommand
  | MeldcodeCommand
  | CheckInCommand
  | AssessmentCommand
  | SignalCommand
  | QuestionCommand
  | NetworkCommand
  | AssignmentCommand
  | ReferralCommand
  | ConsentCommand
  | ErasureCommand
  | RestrictionCommand
  | CorrectionCommand
  | ChildProtectionCommand
  | ReviewMeetingCommand
  | PlanCycleCommand;
