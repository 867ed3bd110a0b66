import { addMonths, dateInNl, isCalendarDate } from '../shared/calendar';
import { conflict, invalid } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import type { ActionOwnerKind } from '../shared/life-domains';
import { requireOpenPlan, requirePlanWorker } from './household-access';
import type { HouseholdCommandBase, PlanLimits, WorkerFacts } from './household.commands';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';
import { type ActionAdded, actionAdded, evolvePlan, requireEvaluationSetter } from './plan';

/**
 * Review meetings (issue 19, "de voortgang bewaken door tussentijds bij te kunnen sturen"): who
 * attended, whether the household was there, what was decided. A decision that becomes an action
 * is added to the plan in the same command, by the plan's own action rules (invariant 10); a meeting
 * that evaluates the plan sets the next evaluation date. The notes and decisions' texts are personal.
 */

export const ATTENDEE_KINDS = ['worker', 'member', 'network-member', 'professional'] as const;
export type AttendeeKind = (typeof ATTENDEE_KINDS)[number];
export interface Attendee {
  readonly kind: AttendeeKind;
  /** A worker's id, a member's, a network member's; a professional from elsewhere by an id of the team's choosing. */
  readonly id: string;
}

export interface ReviewDecision {
  readonly decisionId: string;
  readonly text: string;
  /** The action it becomes, towards a goal of the plan; its description is the decision's text. */
  readonly action?: {
    readonly actionId: string;
    readonly goalId: string;
    readonly owner: { kind: ActionOwnerKind; id?: string };
  };
}

export interface RecordReviewMeeting extends HouseholdCommandBase {
  readonly type: 'RecordReviewMeeting';
  readonly meetingId: string;
  /** The day it was held (YYYY-MM-DD), today or before. */
  readonly on: string;
  readonly attendees: readonly Attendee[];
  readonly householdPresent: boolean;
  readonly notes?: string;
  readonly decisions: readonly ReviewDecision[];
  /** Present: the meeting evaluated the plan; the next evaluation by `nextEvaluateBy`, else the configured months after `on`. */
  readonly evaluation?: { readonly nextEvaluateBy?: string };
  /** PLAN_EVALUATION_AFTER, from the configuration. */
  readonly evaluationAfterMonths: number;
  readonly limits: PlanLimits;
  /** Looked up for each decision's action owned by a worker. */
  readonly ownerWorkers: Readonly<Record<string, WorkerFacts | undefined>>;
}

export type ReviewMeetingCommand = RecordReviewMeeting;
export const REVIEW_MEETING_COMMAND_TYPES = [
  'RecordReviewMeeting',
] as const satisfies readonly ReviewMeetingCommand['type'][];

/**
 * A review meeting held on `on`. `decisions` by id, with the action each became (null: none);
 * `nextEvaluateBy`: the plan's next evaluation date when the meeting evaluated it, else null.
 * Personal: `notes` and `decisions` (decisionId to text).
 */
export type ReviewMeetingHeld = DomainEvent<
  'ReviewMeetingHeld',
  {
    meetingId: string;
    on: string;
    attendees: Attendee[];
    householdPresent: boolean;
    decisions: { decisionId: string; actionId: string | null }[];
    nextEvaluateBy: string | null;
    recordedBy: string;
  }
>;

export type ReviewMeetingEvent = ReviewMeetingHeld;
export const REVIEW_MEETING_EVENT_TYPES = [
  'ReviewMeetingHeld',
] as const satisfies readonly ReviewMeetingEvent['type'][];

/** Each meeting as recorded (its data; the texts stay sealed), by id: the household view lists them. */
export type ReviewMeetingsState = Readonly<Record<string, ReviewMeetingHeld['data']>>;
export const initialReviewMeetingsState = (): ReviewMeetingsState => ({});

export const decideReviewMeetings = (
  command: ReviewMeetingCommand,
  state: HouseholdState,
): HouseholdEvent[] => {
  requireOpenPlan(state);
  requirePlanWorker(command.actor, state);
  if (Object.hasOwn(state.reviewMeetings, command.meetingId))
    throw conflict('ReviewMeetingAlreadyRecorded', `review meeting ${command.meetingId} is already recorded`);
  const today = dateInNl(command.at);
  if (!isCalendarDate(command.on) || command.on > today)
    throw invalid('InvalidMeetingDate', `on: ${command.on} is not a date on or before today (${today})`, {
      field: 'on',
    });
  command.attendees.forEach((a, i) => requireKnownAttendee(state, a, i));
  const ids = command.decisions.map((d) => d.decisionId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined)
    throw invalid('DuplicateDecision', `decisions: decision ${twice} is named twice`, { field: 'decisions' });
  // A meeting that evaluates the plan sets its next evaluation date: the regie holder's to set.
  if (command.evaluation !== undefined) requireEvaluationSetter(command.actor, state);
  const next = command.evaluation?.nextEvaluateBy;
  if (next !== undefined && (!isCalendarDate(next) || next < today))
    throw invalid('InvalidEvaluationDate', `evaluateBy: ${next} is not a date on or after today (${today})`, {
      field: 'evaluation.nextEvaluateBy',
    });
  // Each decision's action by the plan's rules, on the plan as the earlier ones left it.
  let plan = state;
  const actions: ActionAdded[] = [];
  for (const d of command.decisions) {
    if (!d.action) continue;
    const owner = d.action.owner;
    const added = actionAdded(
      {
        ...d.action,
        description: d.text,
        ownerWorker:
          owner.kind === 'worker' && owner.id !== undefined ? command.ownerWorkers[owner.id] : undefined,
        limits: command.limits,
      },
      plan,
    );
    plan = evolvePlan(plan, added);
    actions.push(added);
  }
  const nextEvaluateBy =
    command.evaluation === undefined ? null : (next ?? addMonths(command.on, command.evaluationAfterMonths));
  const held: ReviewMeetingHeld = {
    type: 'ReviewMeetingHeld',
    data: {
      meetingId: command.meetingId,
      on: command.on,
      attendees: command.attendees.map(({ kind, id }) => ({ kind, id })),
      householdPresent: command.householdPresent,
      decisions: command.decisions.map((d) => ({
        decisionId: d.decisionId,
        actionId: d.action?.actionId ?? null,
      })),
      nextEvaluateBy,
      recordedBy: command.actor.id,
    },
    personal: {
      ...(command.notes !== undefined ? { notes: command.notes } : {}),
      decisions: Object.fromEntries(command.decisions.map((d) => [d.decisionId, d.text])),
    },
  };
  return [held, ...actions];
};

/** A member or network member attends by the id the household knows them by; others by their own id. */
const requireKnownAttendee = (state: HouseholdState, a: Attendee, index: number) => {
  const known =
    a.kind === 'member'
      ? Object.hasOwn(state.members, a.id) && !state.members[a.id]!.left
      : a.kind === 'network-member'
        ? Object.hasOwn(state.network, a.id) && !state.network[a.id]!.removed
        : true;
  if (!known)
    throw invalid('UnknownAttendee', `attendees[${index}].id: ${a.id} is no ${a.kind} of this household`, {
      field: `attendees[${index}].id`,
    });
};

export const evolveReviewMeetings = (state: HouseholdState, event: ReviewMeetingEvent): HouseholdState => ({
  ...state,
  reviewMeetings: { ...state.reviewMeetings, [event.data.meetingId]: event.data },
  evaluateBy: event.data.nextEvaluateBy ?? state.evaluateBy,
});

// ---- the slice ---------------------------------------------------------------------------------

export const reviewMeetingSlice = householdSlice({
  commands: REVIEW_MEETING_COMMAND_TYPES,
  events: REVIEW_MEETING_EVENT_TYPES,
  decide: decideReviewMeetings,
  evolve: evolveReviewMeetings,
});
