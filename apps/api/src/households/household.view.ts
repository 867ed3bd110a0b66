import {
  gatheredAgreements,
  isAgreed,
  stepNumber,
  type HouseholdState,
  type MemberState,
} from '@eenplan/domain';
import { HOUSEHOLD_SECTIONS, HouseholdFold, HouseholdSection } from '../common/household-fold';
import { pageOf } from '../common/paging';

// A household as the answers show it, made of its fold (common/household-fold.ts), which every
// read of a household gets from HouseholdAccess.view.

/**
 * How many items of each section GET /v1/households/:id shows (the first ones, in the order they were
 * added), and the largest page of a section's own endpoint. With every text at its longest these
 * keep each answer under 1 MB whatever the household holds (household.view.unit.spec.ts computes it).
 */
export const SECTION_PREVIEW = 25;
export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 100;
/**
 * Review meetings are the largest items (attendees, decisions and notes): their own endpoint pages
 * at most 25, and the household answer's preview leaves their texts out (notes, each decision's
 * text), which that endpoint shows.
 */
export const MEETINGS_PAGE_LIMIT_MAX = 25;
export const pageLimitMax = (section: HouseholdSection) =>
  section === 'meetings' ? MEETINGS_PAGE_LIMIT_MAX : PAGE_LIMIT_MAX;

/** A meeting as the household answer previews it: without its texts. */
const meetingSummary = (m: Record<string, unknown>) => {
  const { notes: _notes, decisions, ...rest } = m as { notes: unknown; decisions: { text: unknown }[] };
  return { ...rest, decisions: decisions.map(({ text: _text, ...d }) => d) };
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
    case 'meetings': {
      // Each decision with its text (null once erased) and the action it became.
      const meeting = state.reviewMeetings[id]!;
      const t = texts.meetings.get(id) ?? null;
      return {
        ...meeting,
        notes: t?.notes ?? null,
        decisions: meeting.decisions.map((d) => ({ ...d, text: t?.decisions[d.decisionId] ?? null })),
      };
    }
  }
};

/**
 * A member as the household view shows it (issue 18): birth year and month, the holders of
 * parental authority with their names, and `left` (who left stays listed, with the day and why).
 */
const memberItem = (fold: HouseholdFold, m: MemberState) => ({
  memberId: m.memberId,
  role: m.role,
  birthYear: m.birthYear,
  birthMonth: m.birthMonth ?? null,
  name: fold.memberNames[m.memberId] ?? null,
  authority: (m.authority ?? []).map((h) =>
    h.kind === 'member'
      ? { kind: h.kind, memberId: h.memberId, name: fold.memberNames[h.memberId] ?? null }
      : { kind: h.kind, holderId: h.holderId, name: fold.holderNames[h.holderId] ?? null },
  ),
  left: m.left ?? null,
  // Once this member's own data was erased (MemberDataErased): their name is null from then on.
  ...(m.dataErasedAt === undefined ? {} : { dataErasedAt: m.dataErasedAt }),
});

/**
 * The meldcode's open track and the safety plan as the household view shows them (docs/MELDCODE.md):
 * where they stand, from the state, no texts; the steps and agreements are at their own routes.
 */
const meldcodeSummary = ({ meldcode }: HouseholdState) => {
  const open = meldcode.openTrackId === null ? undefined : meldcode.tracks[meldcode.openTrackId];
  const plan = meldcode.safetyPlan;
  return {
    openTrack: open
      ? {
          trackId: open.trackId,
          step: open.step,
          stepNumber: stepNumber(open.step),
          stepSince: open.stepSince,
          takeoverId: open.takeoverId,
        }
      : null,
    safetyPlan: plan
      ? { revision: plan.revision, reviewOn: plan.reviewOn, agreements: plan.agreements }
      : null,
  };
};

/**
 * Issue 19: the child protection measures recorded and not ended, with their period (the reader
 * compares it with today: the answer is made once per version, so it holds no clock), without the
 * court order's reference (sealed personal data).
 */
const childProtectionSummary = ({ childProtection }: HouseholdState) =>
  Object.values(childProtection ?? {})
    .filter((m) => m.endedAt === null)
    .map((m) => ({
      measureId: m.measureId,
      kind: m.kind,
      from: m.from,
      until: m.until,
      organisationId: m.organisationId,
      minors: [...m.minors],
      jeugdbeschermerId: m.jeugdbeschermerId,
    }));

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
    state.regie.kind === 'household' ? { kind: 'household', id: state.householdId } : state.regie;
  const pages = Object.fromEntries(
    HOUSEHOLD_SECTIONS.map((s) => [s, sectionPage(fold, s, SECTION_PREVIEW)] as const),
  ) as Record<HouseholdSection, ReturnType<typeof sectionPage>>;
  return {
    householdId: state.householdId,
    teamId: state.teamId,
    district: state.district,
    status: state.status,
    members: Object.values(state.members).map((m) => memberItem(fold, m)),
    goals: pages.goals.items,
    actions: pages.actions.items,
    notes: pages.notes.items,
    revision: state.planRevision,
    agreed: isAgreed(state),
    agreedRevision: state.agreedRevision,
    evaluateBy: state.evaluateBy,
    // Issue 18: the parties who agreed with the current revision so far (docs/PERSONS.md).
    agreements: gatheredAgreements(state),
    regie: { holder, since: state.regieSince },
    pendingTransfer: state.pendingTransfer && { ...state.pendingTransfer, reason: fold.pendingReason },
    network: pages.network.items,
    assignments: pages.assignments.items,
    // One entry per person assessed (the ZRM measures one adult), not a page: at most one per member.
    assessments: fold.assessments.map((a) => ({
      memberId: a.memberId,
      total: a.total,
      firstAssessedOn: a.firstAssessedOn,
      latest: a.latest,
    })),
    referrals: pages.referrals.items,
    meldcode: meldcodeSummary(state),
    childProtectionMeasures: childProtectionSummary(state),
    meetings: pages.meetings.items.map(meetingSummary),
    sections: Object.fromEntries(
      HOUSEHOLD_SECTIONS.map((s) => [s, { total: pages[s].total, next: pages[s].next }]),
    ) as Record<HouseholdSection, { total: number; next: string | null }>,
    version: fold.version,
  };
};
