import { addMonths, dateInNl } from '../shared/calendar';
import type { DomainEvent } from '../shared/event';
import type { HouseholdCommandBase } from './household.commands';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/**
 * The plan's cycle over time (issue 19): once the day of the plan's evaluation date is over in the
 * Netherlands without a new one, the plan's evaluation is overdue, recorded once per date as an
 * event by a time-driven sweep (actor: the system), like an overdue check-in (invariant 16).
 * A new date (an agreement, the regie holder, an evaluating review meeting) can be overdue in turn.
 */

/** Issued by the time-driven sweep (actor: the system), never over HTTP by a person. */
export interface MarkOverduePlanEvaluation extends HouseholdCommandBase {
  readonly type: 'MarkOverduePlanEvaluation';
}

/**
 * Issued by the same sweep: a ZRM re-assessment is due `reassessmentAfterMonths` (REASSESSMENT_AFTER)
 * after a person's latest assessment; overdue once that day is over, recorded once per assessment.
 */
export interface MarkOverdueReassessments extends HouseholdCommandBase {
  readonly type: 'MarkOverdueReassessments';
  readonly reassessmentAfterMonths: number;
}

export type PlanCycleCommand = MarkOverduePlanEvaluation | MarkOverdueReassessments;
export const PLAN_CYCLE_COMMAND_TYPES = [
  'MarkOverduePlanEvaluation',
  'MarkOverdueReassessments',
] as const satisfies readonly PlanCycleCommand['type'][];

/** The plan was not evaluated by `evaluateBy`; `detectedAt`: when the sweep saw it. */
export type PlanEvaluationOverdue = DomainEvent<
  'PlanEvaluationOverdue',
  { evaluateBy: string; detectedAt: string }
>;

/** Member `memberId`, last assessed on `lastAssessedOn`, was due a re-assessment on `dueOn`. */
export type ReassessmentOverdue = DomainEvent<
  'ReassessmentOverdue',
  { memberId: string; lastAssessedOn: string; dueOn: string; detectedAt: string }
>;

export type PlanCycleEvent = PlanEvaluationOverdue | ReassessmentOverdue;
export const PLAN_CYCLE_EVENT_TYPES = [
  'PlanEvaluationOverdue',
  'ReassessmentOverdue',
] as const satisfies readonly PlanCycleEvent['type'][];

/** The day a person's ZRM re-assessment is due: the configured months after their latest assessment. */
export const reassessmentDueOn = (lastAssessedOn: string, reassessmentAfterMonths: number): string =>
  addMonths(lastAssessedOn, reassessmentAfterMonths);

export const decidePlanCycle = (command: PlanCycleCommand, state: HouseholdState): HouseholdEvent[] => {
  // A sweep refuses nothing: a household with nothing overdue, or not open, gets no event.
  if (state.status !== 'active' || state.erased) return [];
  const today = dateInNl(command.at);
  if (command.type === 'MarkOverdueReassessments') {
    // Per current member whose data is kept, their latest assessment; household-wide ones (schema
    // v1) start no series that is due again.
    return Object.entries(state.assessments.lastAssessedOn).flatMap(([memberId, lastAssessedOn]) => {
      const member = state.members[memberId];
      if (!member || member.left !== undefined || member.dataErasedAt !== undefined) return [];
      const dueOn = reassessmentDueOn(lastAssessedOn, command.reassessmentAfterMonths);
      if (dueOn >= today || state.reassessmentOverdueFor[memberId] === lastAssessedOn) return [];
      return [
        {
          type: 'ReassessmentOverdue' as const,
          data: { memberId, lastAssessedOn, dueOn, detectedAt: command.at },
        },
      ];
    });
  }
  const { evaluateBy } = state;
  if (evaluateBy === null) return [];
  if (evaluateBy >= today || state.evaluationOverdueFor === evaluateBy) return [];
  return [{ type: 'PlanEvaluationOverdue', data: { evaluateBy, detectedAt: command.at } }];
};

export const evolvePlanCycle = (state: HouseholdState, event: PlanCycleEvent): HouseholdState =>
  event.type === 'PlanEvaluationOverdue'
    ? { ...state, evaluationOverdueFor: event.data.evaluateBy }
    : {
        ...state,
        reassessmentOverdueFor: {
          ...state.reassessmentOverdueFor,
          [event.data.memberId]: event.data.lastAssessedOn,
        },
      };

export const planCycleSlice = householdSlice({
  commands: PLAN_CYCLE_COMMAND_TYPES,
  events: PLAN_CYCLE_EVENT_TYPES,
  decide: decidePlanCycle,
  evolve: evolvePlanCycle,
});
