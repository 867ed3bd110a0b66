import { Decider } from '../shared/event';
import { HouseholdCommand } from './household.commands';
import { decideHousehold } from './household.decide';
import { HouseholdEvent } from './household.events';
import { evolveHousehold, HouseholdState, initialHouseholdState } from './household.state';

export const householdDecider: Decider<HouseholdCommand, HouseholdState, HouseholdEvent> = {
  initialState: initialHouseholdState,
  evolve: evolveHousehold,
  decide: decideHousehold,
};
