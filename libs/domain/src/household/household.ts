import type { Decider } from '../shared/event';
import type { HouseholdCommand } from './household.commands';
import { decideHousehold } from './household.decide';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { evolveHousehold, initialHouseholdState } from './household.state';

export const householdDecider: Decider<HouseholdCommand, HouseholdState, HouseholdEvent> = {
  initialState: initialHouseholdState,
  evolve: evolveHousehold,
  decide: decideHousehold,
};
