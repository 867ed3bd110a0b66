import {
  capacitySubject,
  checkCapacity,
  currentMembers,
  dateInNl,
  gatheredAgreements,
  householdDecider,
  type HouseholdEvent,
  type HouseholdState,
  isAgreed,
  type RegieHolder,
} from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import type { HouseholdFold } from '../common/household-fold';
import type { WorkerCard } from '../common/worker-names';

/** Who held regie from when to when, as the household's own events say (never a read model that lags). */
export interface RegieSpell {
  readonly holder: RegieHolder;
  readonly from: string;
  readonly to: string | null;
}

/** The household's regie intervals, oldest first, folded from its events. */
export const regieSpells = (events: readonly RecordedEvent[]): RegieSpell[] => {
  const spells: { holder: RegieHolder; from: string; to: string | null }[] = [];
  let state = householdDecider.initialState();
  for (const event of events) {
    const before = state;
    state = householdDecider.evolve(state, event as unknown as HouseholdEvent);
    if (state.status === 'unregistered') continue;
    if (before.status !== 'unregistered' && sameHolder(before.regie, state.regie)) continue;
    const last = spells.at(-1);
    if (last) last.to = state.regieSince;
    spells.push({ holder: state.regie, from: state.regieSince, to: null });
  }
  return spells;
};

const sameHolder = (a: RegieHolder, b: RegieHolder) =>
  a.kind === b.kind && (a.kind === 'household' || (b.kind !== 'household' && a.id === b.id));

/** When the current revision was agreed: its PlanAgreed event's instant, null while it is not. */
const agreedAt = (events: readonly RecordedEvent[], state: HouseholdState): string | null => {
  if (!isAgreed(state)) return null;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'PlanAgreed' && (e.data as { planRevision?: unknown }).planRevision === state.planRevision)
      return e.metadata.recordedAt;
  }
  return null;
};

export interface MyPlanInput {
  readonly fold: HouseholdFold;
  readonly events: readonly RecordedEvent[];
  readonly spells: readonly RegieSpell[];
  readonly memberId: string;
  readonly today: string;
  /** Name, team and contact of the workers named (regie holders now and before, action owners). */
  readonly workers: ReadonlyMap<string, WorkerCard>;
}

/**
 * GET /v1/households/:id/my-plan: the household's plan as its resident sees it (docs/RESIDENTS.md).
 * Texts and names as the workers see them (the fold: corrections applied, erased ones null); the
 * worker holding regie by name, team and contact; who held regie before by name only.
 */
export const myPlan = ({ fold, events, spells, memberId, today, workers }: MyPlanInput) => {
  const { state } = fold;
  const day = today.length === 10 ? today : dateInNl(today);
  const name = (id: string) => fold.memberNames[id] ?? null;
  const members = currentMembers(state);
  const parties = gatheredAgreements(state);
  const youAgreed = parties.some((p) => p.kind === 'member' && p.memberId === memberId);
  const agreed = isAgreed(state);
  const waitingFor = agreed
    ? []
    : members
        .filter((m) => checkCapacity(capacitySubject(m), parties, day).missing !== null)
        .map((m) => ({ memberId: m.memberId, name: name(m.memberId) }));
  const holder = state.regie;
  const card = holder.kind === 'worker' ? workers.get(holder.id) : undefined;
  const ownerName = (owner: { kind: string; id: string }): string | null => {
    switch (owner.kind) {
      case 'worker':
        return workers.get(owner.id)?.name ?? null;
      case 'network':
        return fold.texts.network.get(owner.id) ?? null;
      default:
        // The household itself; a volunteer or organisation through an assignment or referral id,
        // whose names live outside the household's stream: not shown here (docs/RESIDENTS.md).
        return null;
    }
  };
  return {
    householdId: state.householdId,
    version: fold.version,
    status: state.status === 'closed' ? ('closed' as const) : ('open' as const),
    you: { memberId, name: name(memberId) },
    members: members.map((m) => ({ memberId: m.memberId, name: name(m.memberId), role: m.role })),
    goals: fold.order.goals.map((goalId) => ({
      goalId,
      lifeDomain: state.goals[goalId]!.lifeDomain,
      text: fold.texts.goals.get(goalId) ?? null,
      actions: fold.order.actions
        .filter((actionId) => state.actions[actionId]?.goalId === goalId)
        .map((actionId) => {
          const action = state.actions[actionId]!;
          return {
            actionId,
            text: fold.texts.actions.get(actionId) ?? null,
            completed: action.completed,
            owner: { kind: action.owner.kind, id: action.owner.id, name: ownerName(action.owner) },
          };
        }),
    })),
    agreement: {
      revision: state.planRevision,
      agreed,
      agreedAt: agreedAt(events, state),
      youAgreed,
      youMayAgree:
        state.status === 'active' &&
        !agreed &&
        !youAgreed &&
        Object.keys(state.goals).length > 0 &&
        members.some((m) => m.memberId === memberId),
      waitingFor,
    },
    regie: {
      holder:
        holder.kind === 'worker'
          ? {
              kind: 'worker' as const,
              name: card?.name ?? null,
              team: card?.teamName ?? null,
              contact: card?.contact ?? null,
            }
          : { kind: 'household' as const },
      since: state.regieSince,
    },
    regieHistory: spells.map((spell) => ({
      holder:
        spell.holder.kind === 'worker'
          ? { kind: 'worker' as const, name: workers.get(spell.holder.id)?.name ?? null }
          : { kind: 'household' as const },
      from: spell.from,
      to: spell.to,
    })),
    proposals: Object.values(state.goalProposals).map((p) => ({
      proposalId: p.proposalId,
      text: fold.texts.proposals.get(p.proposalId) ?? null,
      lifeDomain: p.lifeDomain,
      proposedAt: p.proposedAt,
      by: p.by,
    })),
  };
};
