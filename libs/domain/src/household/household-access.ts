import { forbidden, notFound } from '../shared/domain-error';
import { CommandActor } from '../shared/event';
import { HouseholdState } from './household.state';

/**
 * Guards shared by the household's measurements and signals (check-ins, assessments, consent,
 * signals, questions). These belong to the household, not to its plan: they go on after the plan
 * closes (invariant 16), so they need a registered household, never an open plan.
 */
export const requireRegistered = (state: HouseholdState) => {
  if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
};

/** The household's team works with it, and so does a worker from elsewhere who holds its regie. */
export const requireHouseholdWorker = (actor: CommandActor, state: HouseholdState, what: string) => {
  const holdsRegie = state.regie.kind === 'worker' && state.regie.id === actor.id;
  if (!actor.teams.includes(state.teamId) && !holdsRegie) {
    throw forbidden('NotHouseholdTeam', `only workers of team ${state.teamId} or the regie holder ${what}`);
  }
};
