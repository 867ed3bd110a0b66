import { HouseholdEvent, householdDecider, HouseholdState, isAgreed } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { pageOf } from '../common/paging';

/** The sections of a household that grow as it is worked on: shown in part, paged in full. */
export const HOUSEHOLD_SECTIONS = [
  'goals',
  'actions',
  'notes',
  'network',
  'assignments',
  'referrals',
] as const;
export type HouseholdSection = (typeof HOUSEHOLD_SECTIONS)[number];

/**
 * How many items of each section GET /v1/households/:id shows (the first ones, in the order they were
 * added), and the largest page of a section's own endpoint. With every text at its longest these
 * keep each answer under 1 MB whatever the household holds (household.view.unit.spec.ts computes it).
 */
export const SECTION_PREVIEW = 25;
export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 100;

/**
 * A household's stream folded for reading: the decider's state, the personal parts (names,
 * descriptions) that the decider never needs, and each section's ids in the order they were added
 * (the order of pages, which a later addition never shifts). Built from one version on by
 * `foldHousehold(newEvents, previous)`; never changed once built, so a cached one can be shared.
 */
export interface HouseholdFold {
  readonly state: HouseholdState;
  readonly version: number;
  readonly memberNames: Readonly<Record<string, string>>;
  readonly texts: {
    readonly goals: ReadonlyMap<string, string | null>;
    readonly actions: ReadonlyMap<string, string | null>;
    readonly notes: ReadonlyMap<string, string | null>;
    readonly network: ReadonlyMap<string, string | null>;
  };
  readonly pendingReason: string | null;
  readonly order: Readonly<Record<HouseholdSection, readonly string[]>>;
  /** About the memory it takes, in bytes (for the bound on remembered folds). */
  readonly weight: number;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const foldHousehold = (events: readonly RecordedEvent[], from?: HouseholdFold): HouseholdFold => {
  let state = from?.state ?? householdDecider.initialState();
  const memberNames: Record<string, string> = { ...from?.memberNames };
  const goals = new Map(from?.texts.goals);
  const actions = new Map(from?.texts.actions);
  const notes = new Map(from?.texts.notes);
  const network = new Map(from?.texts.network);
  let pendingReason = from?.pendingReason ?? null;
  let weight = from?.weight ?? 0;
  const order = {
    goals: [...(from?.order.goals ?? [])],
    actions: [...(from?.order.actions ?? [])],
    notes: [...(from?.order.notes ?? [])],
    network: [...(from?.order.network ?? [])],
    assignments: [...(from?.order.assignments ?? [])],
    referrals: [...(from?.order.referrals ?? [])],
  };
  for (const recorded of events) {
    const e = recorded as unknown as HouseholdEvent;
    state = householdDecider.evolve(state, e);
    const personal = (e.personal ?? {}) as Record<string, unknown>;
    weight += 200;
    switch (e.type) {
      case 'HouseholdRegistered':
        Object.assign(memberNames, personal.memberNames ?? {});
        for (const name of Object.values(memberNames)) weight += 2 * name.length;
        break;
      case 'GoalAdded':
        goals.set(e.data.goalId, text(personal.description));
        weight += 2 * (goals.get(e.data.goalId)?.length ?? 0);
        order.goals.push(e.data.goalId);
        break;
      case 'ActionAdded':
        actions.set(e.data.actionId, text(personal.description));
        weight += 2 * (actions.get(e.data.actionId)?.length ?? 0);
        order.actions.push(e.data.actionId);
        break;
      case 'GoalNoteAdded':
        notes.set(e.data.noteId, text(personal.text));
        weight += 2 * (notes.get(e.data.noteId)?.length ?? 0);
        order.notes.push(e.data.noteId);
        break;
      case 'NetworkMemberAdded':
        network.set(e.data.networkMemberId, text(personal.name));
        weight += 2 * (network.get(e.data.networkMemberId)?.length ?? 0);
        order.network.push(e.data.networkMemberId);
        break;
      case 'VolunteerAssigned':
        order.assignments.push(e.data.assignmentId);
        break;
      case 'ReferralRequested':
        order.referrals.push(e.data.referralId);
        break;
      case 'RegieTransferRequested':
        pendingReason = text(personal.reason);
        break;
    }
  }
  const version = (from?.version ?? 0) + events.length;
  // Erased, its key perhaps not destroyed yet (the erasure pending: the key store failed, or this
  // process still trusts a key another one destroyed): the texts may still open, but are not shown.
  if (state.erased) return { state, version, ...blankTexts(order), order, weight: 200 * version };
  return {
    state,
    version,
    memberNames,
    texts: { goals, actions, notes, network },
    pendingReason,
    order,
    weight,
  };
};

const blankTexts = (order: HouseholdFold['order']) => {
  const blank = (ids: readonly string[]) => new Map(ids.map((id) => [id, null] as const));
  return {
    memberNames: {},
    texts: {
      goals: blank(order.goals),
      actions: blank(order.actions),
      notes: blank(order.notes),
      network: blank(order.network),
    },
    pendingReason: null,
  };
};

/** One item of a section as the answers show it. */
const item = (fold: HouseholdFold, section: HouseholdSection, id: string): Record<string, unknown> => {
  const { state, texts } = fold;
  switch (section) {
    case 'goals':
      return { ...state.goals[id], description: texts.goals.get(id) ?? null };
    case 'actions':
      return { ...state.actions[id], description: texts.actions.get(id) ?? null };
    case 'notes':
      return { ...state.goalNotes[id], text: texts.notes.get(id) ?? null };
    case 'network':
      return { ...state.network[id], name: texts.network.get(id) ?? null };
    case 'assignments':
      return { ...state.assignments[id] };
    case 'referrals':
      return { ...state.referrals[id] };
  }
};

/**
 * Up to `limit` items of a section after the item named by `cursor` (from the first without one),
 * and `next`: the cursor of the page after this one, null on the last page.
 */
export const sectionPage = (
  fold: HouseholdFold,
  section: HouseholdSection,
  limit: number,
  cursor?: string,
): { items: Record<string, unknown>[]; total: number; next: string | null } => {
  const page = pageOf(fold.order[section], (id) => id, { limit, cursor });
  return { ...page, items: page.items.map((id) => item(fold, section, id)) };
};

/**
 * The household as GET /v1/households/:id shows it: the first SECTION_PREVIEW items of each section
 * that grows, and under `sections` each one's total and the cursor where its own endpoint goes on.
 */
export const householdBody = (fold: HouseholdFold) => {
  const { state } = fold;
  const holder =
    state.regie.kind === 'worker'
      ? { kind: 'worker', id: state.regie.id, teamId: state.regie.teamId }
      : { kind: 'household', id: state.householdId };
  const pages = Object.fromEntries(
    HOUSEHOLD_SECTIONS.map((s) => [s, sectionPage(fold, s, SECTION_PREVIEW)] as const),
  ) as Record<HouseholdSection, ReturnType<typeof sectionPage>>;
  return {
    householdId: state.householdId,
    teamId: state.teamId,
    district: state.district,
    status: state.status,
    members: Object.values(state.members).map((m) => ({ ...m, name: fold.memberNames[m.memberId] ?? null })),
    goals: pages.goals.items,
    actions: pages.actions.items,
    notes: pages.notes.items,
    revision: state.planRevision,
    agreed: isAgreed(state),
    agreedRevision: state.agreedRevision,
    regie: { holder, since: state.regieSince },
    pendingTransfer: state.pendingTransfer && { ...state.pendingTransfer, reason: fold.pendingReason },
    network: pages.network.items,
    assignments: pages.assignments.items,
    referrals: pages.referrals.items,
    sections: Object.fromEntries(
      HOUSEHOLD_SECTIONS.map((s) => [s, { total: pages[s].total, next: pages[s].next }]),
    ) as Record<HouseholdSection, { total: number; next: string | null }>,
    version: fold.version,
  };
};
