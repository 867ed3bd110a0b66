import type { Decider } from '../shared/event';
import { ASSESSMENT_EVENT_TYPES, decideAssessments, evolveAssessments } from './assessments';
import { ASSIGNMENT_EVENT_TYPES, decideAssignments, evolveAssignments } from './assignments';
import { CHECK_IN_EVENT_TYPES, decideCheckIns, evolveCheckIns } from './check-ins';
import { decideErasure, ERASURE_EVENT_TYPES, refuseWhenErased } from './erasure';
import type { HouseholdCommand } from './household.commands';
import type { HouseholdEvent } from './household.events';
import { type HouseholdState, initialHouseholdState } from './household.state';
import {
  decideLifecycle,
  evolveLifecycle,
  LIFECYCLE_COMMAND_TYPES,
  LIFECYCLE_EVENT_TYPES,
} from './lifecycle';
import { decideNetwork, evolveNetwork, NETWORK_EVENT_TYPES } from './network';
import { decidePlan, evolvePlan, PLAN_COMMAND_TYPES, PLAN_EVENT_TYPES } from './plan';
import { decideQuestions, evolveQuestions, QUESTION_EVENT_TYPES } from './questions';
import { decideReferrals, evolveReferrals, REFERRAL_EVENT_TYPES } from './referrals';
import { decideRegie, evolveRegie, REGIE_COMMAND_TYPES, REGIE_EVENT_TYPES } from './regie';
import {
  decideSafetyTakeovers,
  evolveSafetyTakeovers,
  SAFETY_TAKEOVER_EVENT_TYPES,
} from './safety-takeovers';
import { decideSignals, evolveSignals, SIGNAL_EVENT_TYPES } from './signals';

/**
 * One capability of the household: the commands it decides and the events it evolves. The
 * household is the composition of its slices; adding a command or an event to a slice changes
 * that slice's file only (its type lists included), never this one.
 */
interface HouseholdSlice<C extends HouseholdCommand['type'], E extends HouseholdEvent['type']> {
  readonly commands: readonly C[];
  readonly events: readonly E[];
  decide(command: Extract<HouseholdCommand, { type: C }>, state: HouseholdState): HouseholdEvent[];
  evolve(state: HouseholdState, event: Extract<HouseholdEvent, { type: E }>): HouseholdState;
}
const slice = <C extends HouseholdCommand['type'], E extends HouseholdEvent['type']>(
  s: HouseholdSlice<C, E>,
) => s;

const SLICES = [
  slice({
    commands: LIFECYCLE_COMMAND_TYPES,
    events: LIFECYCLE_EVENT_TYPES,
    decide: decideLifecycle,
    evolve: evolveLifecycle,
  }),
  slice({ commands: PLAN_COMMAND_TYPES, events: PLAN_EVENT_TYPES, decide: decidePlan, evolve: evolvePlan }),
  slice({
    commands: REGIE_COMMAND_TYPES,
    events: REGIE_EVENT_TYPES,
    decide: decideRegie,
    evolve: evolveRegie,
  }),
  slice({
    commands: [
      'TakeOverRegieForSafety',
      'ConfirmSafetyTakeover',
      'RejectSafetyTakeover',
      'MarkUnconfirmedSafetyTakeovers',
    ],
    events: SAFETY_TAKEOVER_EVENT_TYPES,
    decide: decideSafetyTakeovers,
    evolve: evolveSafetyTakeovers,
  }),
  // Measurements and signals: they belong to the household and go on after the plan closes.
  slice({
    commands: ['ScheduleCheckIns', 'EndCheckIns', 'RecordCheckInContact', 'MarkOverdueCheckIns'],
    events: CHECK_IN_EVENT_TYPES,
    decide: decideCheckIns,
    evolve: (state, event) => ({ ...state, checkIns: evolveCheckIns(state.checkIns, event) }),
  }),
  slice({
    commands: ['RecordAssessment'],
    events: ASSESSMENT_EVENT_TYPES,
    decide: decideAssessments,
    evolve: (state, event) => ({ ...state, assessments: evolveAssessments(state.assessments, event) }),
  }),
  slice({
    commands: ['GiveUwvConsent', 'WithdrawUwvConsent', 'RecordWorkIncomeSignal'],
    events: SIGNAL_EVENT_TYPES,
    decide: decideSignals,
    evolve: (state, event) => ({ ...state, uwv: evolveSignals(state.uwv, event) }),
  }),
  slice({
    commands: ['RegisterQuestion'],
    events: QUESTION_EVENT_TYPES,
    decide: decideQuestions,
    evolve: (state, event) => ({ ...state, questionIds: evolveQuestions(state.questionIds, event) }),
  }),
  // The people around the household.
  slice({
    commands: ['AddNetworkMember', 'RemoveNetworkMember'],
    events: NETWORK_EVENT_TYPES,
    decide: decideNetwork,
    evolve: evolveNetwork,
  }),
  slice({
    commands: ['AssignVolunteer', 'EndVolunteerAssignment'],
    events: ASSIGNMENT_EVENT_TYPES,
    decide: decideAssignments,
    evolve: evolveAssignments,
  }),
  slice({
    commands: ['RequestReferral', 'AcceptReferral', 'CompleteReferral', 'WithdrawReferral'],
    events: REFERRAL_EVENT_TYPES,
    decide: decideReferrals,
    evolve: evolveReferrals,
  }),
  slice({
    commands: ['EraseHouseholdData'],
    events: ERASURE_EVENT_TYPES,
    decide: decideErasure,
    evolve: (state) => ({ ...state, erased: true }),
  }),
] as const;

type Slice = HouseholdSlice<HouseholdCommand['type'], HouseholdEvent['type']>;
type Covered<K extends 'commands' | 'events'> = (typeof SLICES)[number][K][number];
/** A command or event type no slice claims does not compile: the error names it. */
type NoneLeft<Unclaimed extends never> = Unclaimed;
const everyTypeHasASlice: [
  NoneLeft<Exclude<HouseholdCommand['type'], Covered<'commands'>>>,
  NoneLeft<Exclude<HouseholdEvent['type'], Covered<'events'>>>,
][] = [];
void everyTypeHasASlice;

const byType = (key: 'commands' | 'events'): ReadonlyMap<string, Slice> => {
  const map = new Map<string, Slice>();
  for (const s of SLICES as readonly {
    readonly commands: readonly string[];
    readonly events: readonly string[];
  }[]) {
    for (const type of s[key]) {
      if (map.has(type)) throw new Error(`household ${key}: ${type} belongs to two slices`);
      map.set(type, s as unknown as Slice);
    }
  }
  return map;
};
const SLICE_OF_COMMAND = byType('commands');
const SLICE_OF_EVENT = byType('events');

/** Every household event type, from the slices: the published contract has a schema for each. */
export const HOUSEHOLD_EVENT_TYPES: readonly HouseholdEvent['type'][] = [...SLICE_OF_EVENT.keys()] as never;

export const decideHousehold = (command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] => {
  refuseWhenErased(state);
  return SLICE_OF_COMMAND.get(command.type)!.decide(command, state);
};

export const evolveHousehold = (state: HouseholdState, event: HouseholdEvent): HouseholdState => {
  const owner = SLICE_OF_EVENT.get(event.type);
  return owner ? owner.evolve(state, event) : state;
};

export const householdDecider: Decider<HouseholdCommand, HouseholdState, HouseholdEvent> = {
  initialState: initialHouseholdState,
  evolve: evolveHousehold,
  decide: decideHousehold,
};
