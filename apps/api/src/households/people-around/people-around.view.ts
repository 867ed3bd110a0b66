import { HouseholdEvent, HouseholdState } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';

/**
 * The people around the household as GET /v1/households/:id shows them to its team: the network
 * with names (personal data, kept in the events' personal part), assignments with their hours, and
 * referrals with their status.
 */
export const peopleAroundView = (events: readonly RecordedEvent[], state: HouseholdState) => {
  const names: Record<string, string | null> = {};
  for (const recorded of events) {
    const e = recorded as unknown as HouseholdEvent;
    if (e.type === 'NetworkMemberAdded') {
      const name = (e.personal as { name?: unknown } | undefined)?.name;
      names[e.data.networkMemberId] = typeof name === 'string' ? name : null;
    }
  }
  return {
    network: Object.values(state.network).map((m) => ({ ...m, name: names[m.networkMemberId] ?? null })),
    assignments: Object.values(state.assignments),
    referrals: Object.values(state.referrals),
  };
};
