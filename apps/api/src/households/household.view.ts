import { HouseholdEvent, householdDecider, HouseholdState, isAgreed } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { peopleAroundView } from './people-around/people-around.view';

/**
 * The plan as GET /v1/households/:id shows it: the decider's state folded from the stream, with
 * the personal parts (names, descriptions) that the decider never needs put back beside it.
 */
export const householdView = (events: RecordedEvent[]) => {
  const names: Record<string, string> = {};
  const goalText: Record<string, string> = {};
  const actionText: Record<string, string> = {};
  let state: HouseholdState = householdDecider.initialState();
  let pendingReason: string | null = null;
  for (const recorded of events) {
    const e = recorded as unknown as HouseholdEvent;
    state = householdDecider.evolve(state, e);
    const personal = (e.personal ?? {}) as Record<string, unknown>;
    if (e.type === 'HouseholdRegistered') Object.assign(names, personal.memberNames ?? {});
    if (e.type === 'GoalAdded') goalText[e.data.goalId] = String(personal.description ?? '');
    if (e.type === 'ActionAdded') actionText[e.data.actionId] = String(personal.description ?? '');
    if (e.type === 'RegieTransferRequested') pendingReason = (personal.reason as string) ?? null;
  }
  const holder =
    state.regie.kind === 'worker'
      ? { kind: 'worker', id: state.regie.id, teamId: state.regie.teamId }
      : { kind: 'household', id: state.householdId };
  return {
    state,
    body: {
      householdId: state.householdId,
      teamId: state.teamId,
      district: state.district,
      status: state.status,
      members: Object.values(state.members).map((m) => ({ ...m, name: names[m.memberId] ?? null })),
      goals: Object.values(state.goals).map((g) => ({ ...g, description: goalText[g.goalId] ?? null })),
      actions: Object.values(state.actions).map((a) => ({
        ...a,
        description: actionText[a.actionId] ?? null,
      })),
      revision: state.planRevision,
      agreed: isAgreed(state),
      agreedRevision: state.agreedRevision,
      regie: { holder, since: state.regieSince },
      pendingTransfer: state.pendingTransfer && { ...state.pendingTransfer, reason: pendingReason },
      ...peopleAroundView(events, state),
      version: events.length,
    },
  };
};
