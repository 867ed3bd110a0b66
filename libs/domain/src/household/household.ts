import type { Decider } from '../shared/event';
import { assessmentSlice } from './assessments';
import { assignmentSlice } from './assignments';
import { checkInSlice } from './check-ins';
import { correctionSlice } from './corrections';
import { consentSlice } from './consents';
import { erasureSlice, refuseWhenErased } from './erasure';
import type { HouseholdCommand } from './household.commands';
import type { HouseholdEvent } from './household.events';
import type { AnyHouseholdSlice } from './household.slice';
import { type HouseholdState, initialHouseholdState } from './household.state';
import { lifecycleSlice } from './lifecycle';
import { meldcodeSlice } from './meldcode';
import { memberSlice } from './members';
import { networkSlice } from './network';
import { planSlice } from './plan';
import { reviewMeetingSlice } from './review-meetings';
import { planCycleSlice } from './plan-cycle';
import { questionSlice } from './questions';
import { referralSlice } from './referrals';
import { refuseWhenRestricted, restrictionSlice } from './restriction';
import { regieSlice } from './regie';
import { safetyTakeoverSlice } from './safety-takeovers';
import { signalSlice } from './signals';
import { childProtectionSlice } from './child-protection';

/**
 * The household is the composition of its slices. Each slice file declares its commands, events,
 * decide and evolve (household.slice.ts); adding a command or an event changes that file only.
 */
const SLICES = [
  // Regie: who directs the plan, and the break-glass takeover of it.
  regieSlice,
  safetyTakeoverSlice,
  // Safety beyond regie: the meldcode's five steps and the safety plan.
  meldcodeSlice,
  // The plan: its goals, actions and agreement, and its life from registration to closing.
  planSlice,
  lifecycleSlice,
  // The plan's cycle (issue 19): review meetings, whose decisions become actions.
  reviewMeetingSlice,
  planCycleSlice,
  // The household's members over time: who joins and leaves, who holds authority over a minor.
  memberSlice,
  // The people around the household: its network, volunteers and referrals.
  networkSlice,
  assignmentSlice,
  referralSlice,
  // Measurements: they belong to the household and go on after the plan closes.
  checkInSlice,
  assessmentSlice,
  questionSlice,
  // Signals (UWV consent and work-income signals), also after the plan closes.
  signalSlice,
  // The consent register: per member, purpose and recipient (issue 18).
  consentSlice,
  // Erasure of the household's personal data; after it, no slice decides anything.
  erasureSlice,
  // AVG art. 18 and 16: restriction of processing (it stops other slices' commands) and corrections.
  restrictionSlice,
  correctionSlice,
  // Compulsory frameworks (issue 19): child protection measures; regie.ts asks them.
  childProtectionSlice,
] as const;

type Covered<K extends 'commands' | 'events'> = (typeof SLICES)[number][K][number];
/** A command or event type no slice claims does not compile: the error names it. */
type NoneLeft<Unclaimed extends never> = Unclaimed;
const everyTypeHasASlice: [
  NoneLeft<Exclude<HouseholdCommand['type'], Covered<'commands'>>>,
  NoneLeft<Exclude<HouseholdEvent['type'], Covered<'events'>>>,
][] = [];
void everyTypeHasASlice;

/** The decide and evolve of a list of slices, each type dispatched to the one slice that claims it. */
export interface ComposedSlices {
  readonly commandTypes: readonly HouseholdCommand['type'][];
  readonly eventTypes: readonly HouseholdEvent['type'][];
  decide(command: HouseholdCommand, state: HouseholdState): HouseholdEvent[];
  /** An event no slice claims leaves the state as it is. */
  evolve(state: HouseholdState, event: HouseholdEvent): HouseholdState;
}

/** Throws when two slices claim one command or event type, naming the type. */
export const composeSlices = (slices: readonly AnyHouseholdSlice[]): ComposedSlices => {
  const byType = <T extends string>(key: 'commands' | 'events'): ReadonlyMap<T, AnyHouseholdSlice> => {
    const map = new Map<T, AnyHouseholdSlice>();
    for (const slice of slices) {
      for (const type of slice[key] as readonly T[]) {
        if (map.has(type)) throw new Error(`household ${key}: ${type} belongs to two slices`);
        map.set(type, slice);
      }
    }
    return map;
  };
  const sliceOfCommand = byType<HouseholdCommand['type']>('commands');
  const sliceOfEvent = byType<HouseholdEvent['type']>('events');
  return {
    commandTypes: [...sliceOfCommand.keys()],
    eventTypes: [...sliceOfEvent.keys()],
    decide: (command, state) => sliceOfCommand.get(command.type)!.decide(command, state),
    evolve: (state, event) => {
      const owner = sliceOfEvent.get(event.type);
      return owner ? owner.evolve(state, event) : state;
    },
  };
};

const HOUSEHOLD = composeSlices(SLICES);

/** Every household event type, from the slices: the published contract has a schema for each. */
export const HOUSEHOLD_EVENT_TYPES: readonly HouseholdEvent['type'][] = HOUSEHOLD.eventTypes;

export const decideHousehold = (command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] => {
  refuseWhenErased(state);
  refuseWhenRestricted(command, state);
  return HOUSEHOLD.decide(command, state);
};

export const evolveHousehold = (state: HouseholdState, event: HouseholdEvent): HouseholdState =>
  HOUSEHOLD.evolve(state, event);

export const householdDecider: Decider<HouseholdCommand, HouseholdState, HouseholdEvent> = {
  initialState: initialHouseholdState,
  evolve: evolveHousehold,
  decide: decideHousehold,
};
