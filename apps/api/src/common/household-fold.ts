import { assessedMember, HouseholdEvent, householdDecider, HouseholdState, ZrmScores } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';

/** The sections of a household that grow as it is worked on: shown in part, paged in full. */
export const HOUSEHOLD_SECTIONS = [
  'goals',
  'actions',
  'notes',
  'network',
  'assignments',
  'referrals',
  'meetings',
] as const;
export type HouseholdSection = (typeof HOUSEHOLD_SECTIONS)[number];

/**
 * A household's stream folded for reading: the decider's state, the personal parts (names,
 * descriptions) that the decider never needs, and each section's ids in the order they were added
 * (the order of pages, which a later addition never shifts). Built from one version on by
 * `foldHousehold(newEvents, previous)`; never changed once built, so a cached one can be shared.
 */
/**
 * The ZRM assessments of one person (issue 18), or of the household as a whole (`memberId` null:
 * those recorded before assessments named a member): how many, and the first and latest.
 */
export interface AssessmentSeries {
  readonly memberId: string | null;
  readonly total: number;
  readonly firstAssessedOn: string;
  readonly latest: { readonly assessmentId: string; readonly assessedOn: string; readonly scores: ZrmScores };
}

export interface HouseholdFold {
  readonly state: HouseholdState;
  readonly version: number;
  readonly memberNames: Readonly<Record<string, string>>;
  /** Names of holders of parental authority outside the household, by holder id (AuthoritySet). */
  readonly holderNames: Readonly<Record<string, string>>;
  readonly texts: {
    readonly goals: ReadonlyMap<string, string | null>;
    readonly actions: ReadonlyMap<string, string | null>;
    readonly notes: ReadonlyMap<string, string | null>;
    readonly network: ReadonlyMap<string, string | null>;
    /** Goal proposals' texts (issue 20), from the proposer's own part: null once they are erased. */
    readonly proposals: ReadonlyMap<string, string | null>;
    /** Review meetings' notes and decisions' texts (issue 19): null once erased. */
    readonly meetings: ReadonlyMap<string, MeetingTexts | null>;
  };
  readonly pendingReason: string | null;
  readonly order: Readonly<Record<HouseholdSection, readonly string[]>>;
  /** The assessments per person, in the order of each one's first assessment. */
  readonly assessments: readonly AssessmentSeries[];
  /** About the memory it takes, in bytes (for the bound on remembered folds). */
  readonly weight: number;
}

export interface MeetingTexts {
  readonly notes: string | null;
  readonly decisions: Readonly<Record<string, string | null>>;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const meetingTexts = (personal: Record<string, unknown>): MeetingTexts | null => {
  const decisions = personal.decisions;
  if (decisions === null || typeof decisions !== 'object') return null;
  return {
    notes: text(personal.notes),
    decisions: Object.fromEntries(
      Object.entries(decisions as Record<string, unknown>).map(([id, t]) => [id, text(t)]),
    ),
  };
};
const meetingWeight = (t: MeetingTexts | null | undefined) =>
  t
    ? 2 * ((t.notes?.length ?? 0) + Object.values(t.decisions).reduce((n, d) => n + (d?.length ?? 0) + 20, 0))
    : 0;

export const foldHousehold = (events: readonly RecordedEvent[], from?: HouseholdFold): HouseholdFold => {
  let state = from?.state ?? householdDecider.initialState();
  const memberNames: Record<string, string> = { ...from?.memberNames };
  const holderNames: Record<string, string> = { ...from?.holderNames };
  const goals = new Map(from?.texts.goals);
  const actions = new Map(from?.texts.actions);
  const notes = new Map(from?.texts.notes);
  const network = new Map(from?.texts.network);
  const proposals = new Map(from?.texts.proposals);
  const meetings = new Map(from?.texts.meetings);
  let pendingReason = from?.pendingReason ?? null;
  const assessments = new Map((from?.assessments ?? []).map((a) => [a.memberId, a] as const));
  let weight = from?.weight ?? 0;
  const order = {
    goals: [...(from?.order.goals ?? [])],
    actions: [...(from?.order.actions ?? [])],
    notes: [...(from?.order.notes ?? [])],
    network: [...(from?.order.network ?? [])],
    assignments: [...(from?.order.assignments ?? [])],
    referrals: [...(from?.order.referrals ?? [])],
    meetings: [...(from?.order.meetings ?? [])],
  };
  for (const recorded of events) {
    const e = recorded as unknown as HouseholdEvent;
    state = householdDecider.evolve(state, e);
    const personal = (e.personal ?? {}) as Record<string, unknown>;
    weight += 200;
    // Each person's own part (sealed under their key): a name there is the member's name from that
    // event on, whatever the event (registration, joining, a correction); null once erased.
    weight += takePersonNames(personal, memberNames);
    switch (e.type) {
      case 'HouseholdRegistered':
        // Registrations before person parts: every name in the household's own part.
        for (const [memberId, name] of Object.entries(
          (personal.memberNames ?? {}) as Record<string, unknown>,
        )) {
          if (typeof name !== 'string') continue;
          memberNames[memberId] = name;
          weight += 2 * name.length;
        }
        break;
      case 'AuthoritySet':
        for (const [holderId, name] of Object.entries(
          (personal.holderNames ?? {}) as Record<string, unknown>,
        )) {
          const value = text(name);
          if (value !== null) holderNames[holderId] = value;
          weight += 2 * (value?.length ?? 0);
        }
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
      case 'GoalProposed': {
        const own = (personal.persons as Record<string, { text?: unknown } | null> | undefined)?.[e.data.by];
        proposals.set(e.data.proposalId, text(own?.text));
        weight += 2 * (proposals.get(e.data.proposalId)?.length ?? 0);
        break;
      }
      case 'VolunteerAssigned':
        order.assignments.push(e.data.assignmentId);
        break;
      case 'ReviewMeetingHeld':
        meetings.set(e.data.meetingId, meetingTexts(personal));
        weight += meetingWeight(meetings.get(e.data.meetingId)) + 60 * e.data.attendees.length;
        order.meetings.push(e.data.meetingId);
        break;
      case 'ReferralRequested':
        order.referrals.push(e.data.referralId);
        break;
      case 'RegieTransferRequested':
        pendingReason = text(personal.reason);
        break;
      case 'AssessmentRecorded': {
        const memberId = assessedMember(e.data);
        const before = assessments.get(memberId);
        const latest = {
          assessmentId: e.data.assessmentId,
          assessedOn: e.data.assessedOn,
          scores: e.data.scores,
        };
        assessments.set(memberId, {
          memberId,
          total: (before?.total ?? 0) + 1,
          firstAssessedOn: before?.firstAssessedOn ?? e.data.assessedOn,
          latest,
        });
        break;
      }
      case 'PersonalDataCorrected': {
        // AVG art. 16: the corrected value supersedes the first one in every read from here on.
        // A corrected name is in the member's own part, which takePersonNames read above.
        const { goalId, actionId } = e.data;
        if (e.data.field === 'goalDescription' && goalId !== undefined) {
          goals.set(goalId, text(personal.description));
          weight += 2 * (goals.get(goalId)?.length ?? 0);
        } else if (e.data.field === 'actionDescription' && actionId !== undefined) {
          actions.set(actionId, text(personal.description));
          weight += 2 * (actions.get(actionId)?.length ?? 0);
        }
        break;
      }
    }
  }
  // A member whose data was erased shows no name, even where an event from before person parts
  // still holds it under the household's key (or this process still trusts the destroyed key);
  // nor the goals they proposed.
  for (const member of Object.values(state.members))
    if (member.dataErasedAt !== undefined) delete memberNames[member.memberId];
  for (const proposal of Object.values(state.goalProposals))
    if (state.members[proposal.by]?.dataErasedAt !== undefined) proposals.set(proposal.proposalId, null);
  const version = (from?.version ?? 0) + events.length;
  // Erased, its key perhaps not destroyed yet (the erasure pending: the key store failed, or this
  // process still trusts a key another one destroyed): the texts may still open, but are not shown.
  const series = [...assessments.values()];
  if (state.erased)
    return {
      state,
      version,
      ...blankTexts(order, Object.keys(state.goalProposals)),
      order,
      assessments: series,
      weight: 200 * version,
    };
  return {
    state,
    version,
    memberNames,
    holderNames,
    texts: { goals, actions, notes, network, proposals, meetings },
    pendingReason,
    order,
    assessments: series,
    weight,
  };
};

/**
 * The names in `personal.persons` (each member's own part) into `names`: a part with a name sets it,
 * a part read as null (that person's key destroyed) removes it. Returns the memory it added.
 */
const takePersonNames = (personal: Record<string, unknown>, names: Record<string, string>): number => {
  const persons = personal.persons;
  if (persons === null || typeof persons !== 'object') return 0;
  let weight = 0;
  for (const [memberId, part] of Object.entries(persons as Record<string, unknown>)) {
    if (part === null) {
      delete names[memberId];
      continue;
    }
    const name = (part as { name?: unknown }).name;
    if (typeof name !== 'string') continue;
    names[memberId] = name;
    weight += 2 * name.length;
  }
  return weight;
};

const blankTexts = (order: HouseholdFold['order'], proposalIds: readonly string[]) => {
  const blank = (ids: readonly string[]) => new Map(ids.map((id) => [id, null] as const));
  return {
    memberNames: {},
    holderNames: {},
    texts: {
      goals: blank(order.goals),
      actions: blank(order.actions),
      notes: blank(order.notes),
      network: blank(order.network),
      proposals: blank(proposalIds),
      meetings: blank(order.meetings) as Map<string, MeetingTexts | null>,
    },
    pendingReason: null,
  };
};
