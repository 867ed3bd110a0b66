import { dateInNl } from '../shared/calendar';
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

export type PlanCycleCommand = MarkOverduePlanEvaluation;
export const PLAN_CYCLE_COMMAND_TYPES = [
  'MarkOverduePlanEvaluation',
] as const satisfies readonly PlanCycleCommand['type'][];

/** The plan was not evaluated by `evaluateBy`; `detectedAt`: when the sweep saw it. */
export type PlanEvaluationOverdue = DomainEvent<
  'PlanEvaluationOverdue',
  { evaluateBy: string; detectedAt: string }
>;

export type PlanCycleEvent = PlanEvaluationOverdue;
export const PLAN_CYCLE_EVENT_TYPES = [
  'PlanEvaluationOverdue',
] as const satisfies readonly PlanCycleEvent['type'][];

export const decidePlanCycle = (command: PlanCycleCommand, state: HouseholdState): HouseholdEvent[] => {
  // A sweep refuses nothing: a household with nothing overdue, or not open, gets no event.
  const { evaluateBy } = state;
  if (state.status !== 'active' || state.erased || evaluateBy === null) return [];
  if (evaluateBy >= dateInNl(command.at) || state.evaluationOverdueFor === evaluateBy) return [];
  return [{ type: 'PlanEvaluationOverdue', data: { evaluateBy, detectedAt: command.at } }];
};

export const evolvePlanCycle = (state: HouseholdState, event: PlanCycleEvent): HouseholdState => ({
  ...state,
  evaluationOverdueFor: event.data.evaluateBy,
});

export const planCycleSlice = householdSlice({
  commands: PLAN_CYCLE_COMMAND_TYPES,
  events: PLAN_CYCLE_EVENT_TYPES,
  decide: decidePlanCycle,
  evolve: evolvePlanCycle,
});
