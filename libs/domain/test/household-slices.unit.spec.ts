import {
  composeSlices,
  HOUSEHOLD_EVENT_TYPES,
  householdDecider,
  householdSlice,
  lifecycleSlice,
  planSlice,
} from '@eenplan/domain';
import { addGoal, closed, goalAdded, registered } from './fixtures';
import { stateAfter } from './given-when-then';

/** A slice that claims the given types and does nothing with them. */
const claiming = (commands: ('AddGoal' | 'AgreePlan')[], events: ('GoalAdded' | 'PlanAgreed')[]) =>
  householdSlice({ commands, events, decide: () => [], evolve: (state) => state });

describe('the household as a composition of slices', () => {
  it('refuses two slices that claim one command type, naming the type', () => {
    expect(() =>
      composeSlices([claiming(['AgreePlan'], []), claiming(['AddGoal', 'AgreePlan'], [])]),
    ).toThrow('household commands: AgreePlan belongs to two slices');
  });

  it('refuses two slices that claim one event type, naming the type', () => {
    expect(() =>
      composeSlices([claiming([], ['GoalAdded', 'PlanAgreed']), claiming([], ['PlanAgreed'])]),
    ).toThrow('household events: PlanAgreed belongs to two slices');
  });

  it('a type claimed by one slice only composes, and a command and an event of one name do not clash', () => {
    const composed = composeSlices([claiming(['AddGoal'], []), claiming([], ['GoalAdded'])]);
    expect(composed.commandTypes).toEqual(['AddGoal']);
    expect(composed.eventTypes).toEqual(['GoalAdded']);
  });

  it('an event type no slice claims leaves the state as it is', () => {
    const state = stateAfter(householdDecider, [registered()]);
    const planOnly = composeSlices([planSlice]);
    expect(planOnly.evolve(state, closed())).toBe(state);
    // The slice that claims it does change the state.
    expect(composeSlices([lifecycleSlice]).evolve(state, closed()).status).toBe('closed');
  });

  it('sends each command and event to the slice that claims it', () => {
    const state = stateAfter(householdDecider, [registered()]);
    const composed = composeSlices([lifecycleSlice, planSlice]);
    expect(composed.decide(addGoal(), state)).toEqual([goalAdded()]);
    expect(Object.keys(composed.evolve(state, goalAdded()).goals)).toEqual(['g1']);
  });

  it('the household lists every event type of every slice, each once', () => {
    expect(new Set(HOUSEHOLD_EVENT_TYPES).size).toBe(HOUSEHOLD_EVENT_TYPES.length);
    expect(HOUSEHOLD_EVENT_TYPES).toEqual(
      expect.arrayContaining([...planSlice.events, ...lifecycleSlice.events]),
    );
  });
});
