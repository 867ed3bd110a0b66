import type { HouseholdCommand } from './household.commands';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';

/**
 * One capability of the household: the commands it decides and the events it evolves, over the
 * whole household state. Each slice's file exports one (`planSlice`, `checkInSlice`, …);
 * household.ts only lists them. This module imports types only, so a slice that uses it never
 * loads the household it is part of.
 */
export interface HouseholdSlice<C extends HouseholdCommand['type'], E extends HouseholdEvent['type']> {
  readonly commands: readonly C[];
  readonly events: readonly E[];
  decide(command: HouseholdCommand & { readonly type: C }, state: HouseholdState): HouseholdEvent[];
  evolve(state: HouseholdState, event: HouseholdEvent & { readonly type: E }): HouseholdState;
}

/** Any slice, as the composition sees it. */
export type AnyHouseholdSlice = HouseholdSlice<HouseholdCommand['type'], HouseholdEvent['type']>;

/**
 * Declares a slice and keeps its literal type lists, so household.ts can check at compile time
 * that every command and event type has a slice.
 */
export const householdSlice = <
  const C extends HouseholdCommand['type'],
  const E extends HouseholdEvent['type'],
>(
  slice: HouseholdSlice<C, E>,
): HouseholdSlice<C, E> => slice;
