import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import type { ActionOwnerKind, LifeDomain } from '../shared/life-domains';
import { addMonths, dateInNl, isCalendarDate } from '../shared/calendar';
import {
  holderName,
  holdsRegie,
  inHouseholdTeam,
  requireActiveWorker,
  requireOpenPlan,
  requirePlanWorker,
  requireResident,
  residentMember,
} from './household-access';
import type { HouseholdCommandBase, PlanLimits, WorkerFacts } from './household.commands';
import type { ActionOwner, HouseholdEvent } from './household.events';
import {
  birthOf,
  currentMembers,
  gatheredAgreements,
  type HouseholdState,
  isAgreed,
  type MemberState,
} from './household.state';
import { checkCapacity, type Party, partyName, sameParty } from './persons';
import { resolveLinkedOwner } from './linked-owners';
import { householdSlice } from './household.slice';
import { actsInCircle, type CircleOwner, requireOwnAction } from './circle';

/** The plan: goals, actions and their owners, agreement per revision (invariants 10, 11), and the caps on its size. */

// ---- commands
export interface AddGoal extends HouseholdCommandBase {
  readonly type: 'AddGoal';
  readonly goalId: string;
  readonly lifeDomain: LifeDomain;
  readonly description: string;
  /** The day the goal should be reached by (YYYY-MM-DD), not before today; none: no target date. */
  readonly targetDate?: string;
  readonly limits: PlanLimits;
}

/** Where a goal stands (the plan's cycle, issue 19). Goals written before it read as `open`. */
export const GOAL_STATUSES = ['open', 'achieved', 'partly-achieved', 'not-achieved', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/**
 * A plan worker records where a goal stands, as judged on the command's day (e.g. at a review):
 * progress, not a change of what was agreed (no new revision). The reason is personal.
 */
export interface SetGoalStatus extends HouseholdCommandBase {
  readonly type: 'SetGoalStatus';
  readonly goalId: string;
  readonly status: GoalStatus;
  readonly reason?: string;
}

/**
 * A plan worker sets or clears a goal's target date: a change of what was agreed, so a new revision
 * (invariant 11), like adding a goal.
 */
export interface SetGoalTargetDate extends HouseholdCommandBase {
  readonly type: 'SetGoalTargetDate';
  readonly goalId: string;
  readonly targetDate: string | null;
}

export interface AddAction extends HouseholdCommandBase {
  readonly type: 'AddAction';
  readonly actionId: string;
  readonly goalId: string;
  readonly description: string;
  readonly owner: { kind: ActionOwnerKind; id?: string };
  /** Looked up when the owner is a worker. */
  readonly ownerWorker?: WorkerFacts;
  readonly limits: PlanLimits;
}

/** A worker's note on a goal: how it goes, what was tried. Not a change of the plan (no new revision). */
export interface AddGoalNote extends HouseholdCommandBase {
  readonly type: 'AddGoalNote';
  readonly noteId: string;
  readonly goalId: string;
  readonly text: string;
}

export interface CompleteAction extends HouseholdCommandBase {
  readonly type: 'CompleteAction';
  readonly actionId: string;
}

/** Agreement of one party: a member, or an outside holder of authority (issue 18). */
export interface AgreePlan extends HouseholdCommandBase {
  readonly type: 'AgreePlan';
  readonly by: Party;
  /**
   * Issue 19: months after the agreement that the plan is evaluated, unless an evaluation date
   * still lies ahead (PLAN_EVALUATION_AFTER, from the configuration).
   */
  readonly evaluationAfterMonths: number;
}

/**
 * The regie holder (while the household holds regie: a worker of its team) sets the day the plan is
 * evaluated by, today or later: the plan's cycle (issue 19). Not a change of what was agreed.
 */
export interface SetPlanEvaluationDate extends HouseholdCommandBase {
  readonly type: 'SetPlanEvaluationDate';
  readonly evaluateBy: string;
}

/**
 * A resident proposes a goal for the plan (issue 20): a suggestion for the household's workers, not
 * a change of the plan (no new revision); they may take it up as a goal. `by` is the resident's own
 * member id (the token's), never chosen by the body.
 */
export interface ProposeGoal extends HouseholdCommandBase {
  readonly type: 'ProposeGoal';
  readonly proposalId: string;
  readonly text: string;
  readonly lifeDomain?: LifeDomain;
  readonly limits: PlanLimits;
}

export type PlanCommand =
  | AddGoal
  | AddAction
  | AddGoalNote
  | CompleteAction
  | AgreePlan
  | ProposeGoal
  | SetGoalStatus
  | SetGoalTargetDate
  | SetPlanEvaluationDate;

// ---- events
/** `targetDate` (issue 19) only when one was given; goals added before it have none. */
export type GoalAdded = DomainEvent<
  'GoalAdded',
  { goalId: string; lifeDomain: LifeDomain; planRevision: number; targetDate?: string }
>;
/** A goal's status as judged on `on` (the day in NL) by worker `setBy`; a reason, if any, in personal. */
export type GoalStatusSet = DomainEvent<
  'GoalStatusSet',
  { goalId: string; status: GoalStatus; on: string; setBy: string }
>;
/** A goal's target date set, changed or cleared (null): the plan's revision `planRevision`. */
export type GoalTargetDateSet = DomainEvent<
  'GoalTargetDateSet',
  { goalId: string; targetDate: string | null; setBy: string; planRevision: number }
>;
export type ActionAdded = DomainEvent<
  'ActionAdded',
  { actionId: string; goalId: string; owner: ActionOwner; planRevision: number }
>;
export type GoalNoteAdded = DomainEvent<'GoalNoteAdded', { noteId: string; goalId: string; addedBy: string }>;
/**
 * `completedBy`: who completed it: a worker's id, or a network member's networkMemberId or a
 * volunteer's id (their login, the token's subject, is only in the event's metadata).
 * `by` (issue 20, absent before and when a worker completes): the owner who completed their own
 * action, a network member (networkMemberId) or a volunteer (volunteerId).
 */
export type ActionCompleted = DomainEvent<
  'ActionCompleted',
  { actionId: string; completedBy: string; by?: CircleOwner }
>;
/**
 * The plan (revision N) is agreed: every current member has agreement from parties with capacity
 * for them. `agreedBy` is the id (member id or outside holder id) of the party whose agreement
 * completed it; the PlanAgreementRecorded events before it name every party. Events before issue 18
 * were written on one member's agreement alone, and still read as agreed.
 */
export type PlanAgreed = DomainEvent<
  'PlanAgreed',
  {
    planRevision: number;
    agreedBy: string;
    recordedBy: string;
    /**
     * Issue 19: the day the plan is to be evaluated by from this agreement on: the date set before
     * if it still lies ahead, else the configured period after the agreement. Absent before issue 19.
     */
    evaluateBy?: string;
  }
>;
/** The regie holder set the day the plan is evaluated by (issue 19); `setBy` the worker. */
export type PlanEvaluationDateSet = DomainEvent<
  'PlanEvaluationDateSet',
  { evaluateBy: string; setBy: string }
>;
/** One party's agreement with revision N; followed by PlanAgreed when it completes the agreement. */
export type PlanAgreementRecorded = DomainEvent<
  'PlanAgreementRecorded',
  { planRevision: number; by: Party; recordedBy: string }
>;

/**
 * A resident proposed a goal (issue 20). The text is the proposing member's own personal part
 * (`personal.persons[by].text`): sealed under their key too, and erased with them.
 */
export type GoalProposed = DomainEvent<
  'GoalProposed',
  { proposalId: string; lifeDomain: LifeDomain | null; by: string; proposedAt: string }
>;

export type PlanEvent =
  | GoalAdded
  | ActionAdded
  | GoalNoteAdded
  | ActionCompleted
  | PlanAgreed
  | PlanAgreementRecorded
  | GoalProposed
  | GoalStatusSet
  | GoalTargetDateSet
  | PlanEvaluationDateSet;

export const PLAN_EVENT_TYPES = [
  'GoalAdded',
  'ActionAdded',
  'GoalNoteAdded',
  'ActionCompleted',
  'PlanAgreed',
  'PlanAgreementRecorded',
  'GoalProposed',
  'GoalStatusSet',
  'GoalTargetDateSet',
  'PlanEvaluationDateSet',
] as const satisfies readonly PlanEvent['type'][];
export const PLAN_COMMAND_TYPES = [
  'AddGoal',
  'AddAction',
  'AddGoalNote',
  'CompleteAction',
  'AgreePlan',
  'ProposeGoal',
  'SetGoalStatus',
  'SetGoalTargetDate',
  'SetPlanEvaluationDate',
] as const satisfies readonly PlanCommand['type'][];

// ---- decide
export const decidePlan = (command: PlanCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor } = command;
  switch (command.type) {
    case 'AddGoal': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (Object.hasOwn(state.goals, command.goalId))
        throw conflict('GoalAlreadyExists', `goal ${command.goalId} already exists`);
      requireRoom('goals', Object.keys(state.goals).length, command.limits.maxGoals);
      if (command.targetDate !== undefined) requireTargetDate(command.targetDate, command.at);
      return [
        {
          type: 'GoalAdded',
          data: {
            goalId: command.goalId,
            lifeDomain: command.lifeDomain,
            planRevision: nextChangeRevision(state),
            ...(command.targetDate !== undefined ? { targetDate: command.targetDate } : {}),
          },
          personal: { description: command.description },
        },
      ];
    }
    case 'AddAction': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      return [actionAdded(command, state)];
    }
    case 'AddGoalNote': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (!Object.hasOwn(state.goals, command.goalId)) {
        throw conflict(
          'GoalNotFound',
          `invariant 10: a note belongs to a goal, and goal ${command.goalId} does not exist`,
          10,
        );
      }
      if (Object.hasOwn(state.goalNotes, command.noteId))
        throw conflict('GoalNoteAlreadyExists', `note ${command.noteId} already exists`);
      return [
        {
          type: 'GoalNoteAdded',
          data: { noteId: command.noteId, goalId: command.goalId, addedBy: actor.id },
          personal: { text: command.text },
        },
      ];
    }
    case 'SetGoalStatus': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      const goal = requireGoal(state, command.goalId, 'a status');
      if ((goal.status ?? 'open') === command.status)
        throw conflict('GoalStatusUnchanged', `goal ${command.goalId} is ${command.status} already`);
      return [
        {
          type: 'GoalStatusSet',
          data: { goalId: command.goalId, status: command.status, on: dateInNl(command.at), setBy: actor.id },
          ...(command.reason !== undefined ? { personal: { reason: command.reason } } : {}),
        },
      ];
    }
    case 'SetGoalTargetDate': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      const goal = requireGoal(state, command.goalId, 'a target date');
      if (command.targetDate !== null) requireTargetDate(command.targetDate, command.at);
      if ((goal.targetDate ?? null) === command.targetDate)
        throw conflict(
          'GoalTargetDateUnchanged',
          `goal ${command.goalId} has target date ${command.targetDate ?? 'none'} already`,
        );
      return [
        {
          type: 'GoalTargetDateSet',
          data: {
            goalId: command.goalId,
            targetDate: command.targetDate,
            setBy: actor.id,
            planRevision: nextChangeRevision(state),
          },
        },
      ];
    }
    case 'SetPlanEvaluationDate': {
      requireOpenPlan(state);
      requireEvaluationSetter(actor, state);
      const today = dateInNl(command.at);
      if (!isCalendarDate(command.evaluateBy) || command.evaluateBy < today)
        throw invalid(
          'InvalidEvaluationDate',
          `evaluateBy: ${command.evaluateBy} is not a date on or after today (${today})`,
          { field: 'evaluateBy' },
        );
      if (state.evaluateBy === command.evaluateBy)
        throw conflict(
          'PlanEvaluationDateUnchanged',
          `the plan is to be evaluated by ${command.evaluateBy} already`,
        );
      return [{ type: 'PlanEvaluationDateSet', data: { evaluateBy: command.evaluateBy, setBy: actor.id } }];
    }
    case 'CompleteAction': {
      requireOpenPlan(state);
      if (actsInCircle(actor)) {
        // A network member or volunteer completes their own action, and learns nothing of the others.
        const { by } = requireOwnAction(actor, state, command.actionId);
        return [
          {
            type: 'ActionCompleted',
            // completedBy names them by the id the household knows them by, never their login
            // (published: it may be anything the identity provider uses).
            data: { actionId: command.actionId, completedBy: by.id, by: { kind: by.kind, id: by.id } },
          },
        ];
      }
      requirePlanWorker(actor, state);
      const action = state.actions[command.actionId];
      if (!action) throw notFound('ActionNotFound', `action ${command.actionId} does not exist`);
      if (action.completed)
        throw conflict('ActionAlreadyCompleted', `action ${command.actionId} is already completed`);
      return [{ type: 'ActionCompleted', data: { actionId: command.actionId, completedBy: actor.id } }];
    }
    case 'AgreePlan': {
      requireOpenPlan(state);
      // A resident (issue 20) records their own agreement only; the household's workers record anyone's.
      const resident = residentMember(actor, state);
      if (resident !== undefined) {
        if (command.by.kind !== 'member' || command.by.memberId !== resident)
          throw forbidden(
            'AgreeOnlyForYourself',
            `a resident records only their own agreement (member ${resident}); the household's workers record the others'`,
          );
      } else requirePlanWorker(actor, state);
      const party = command.by;
      // A member who left may still hold authority over a child (in effect from outside).
      if (party.kind === 'member' && !state.members[party.memberId]) {
        throw invalid('UnknownMember', `memberId: ${party.memberId} is not a member of this household`, {
          field: 'memberId',
        });
      }
      if (Object.keys(state.goals).length === 0) {
        throw conflict('PlanEmpty', 'invariant 11: a plan without goals cannot be agreed', 11);
      }
      if (isAgreed(state)) {
        throw conflict(
          'PlanAlreadyAgreed',
          `invariant 11: revision ${state.planRevision} is already agreed`,
          11,
        );
      }
      // recordedBy is published: a resident's login id must not be (it may say who they are); their
      // member id is in the event already.
      return agreement(state, party, resident ?? actor.id, command.at, command.evaluationAfterMonths);
    }
    case 'ProposeGoal': {
      requireOpenPlan(state);
      const by = requireResident(actor, state, 'proposes goals');
      if (state.goalProposals[command.proposalId])
        throw conflict('GoalProposalAlreadyExists', `goal proposal ${command.proposalId} already exists`);
      const count = Object.keys(state.goalProposals).length;
      if (count >= command.limits.maxGoals)
        throw conflict(
          'GoalProposalLimitReached',
          `a household holds at most ${command.limits.maxGoals} goal proposals, and this one has ${count}`,
          undefined,
          { maxGoalsPerHousehold: command.limits.maxGoals },
        );
      return [
        {
          type: 'GoalProposed',
          data: {
            proposalId: command.proposalId,
            lifeDomain: command.lifeDomain ?? null,
            by,
            proposedAt: command.at,
          },
          personal: { persons: { [by]: { text: command.text } } },
        },
      ];
    }
  }
};

// ---- evolve
export const evolvePlan = (state: HouseholdState, event: PlanEvent): HouseholdState => {
  switch (event.type) {
    case 'GoalAdded':
      return {
        ...state,
        planRevision: event.data.planRevision,
        goals: {
          ...state.goals,
          [event.data.goalId]: {
            goalId: event.data.goalId,
            lifeDomain: event.data.lifeDomain,
            status: 'open',
            targetDate: event.data.targetDate ?? null,
          },
        },
      };
    case 'GoalStatusSet': {
      const goal = Object.hasOwn(state.goals, event.data.goalId) ? state.goals[event.data.goalId] : undefined;
      return goal
        ? { ...state, goals: { ...state.goals, [goal.goalId]: { ...goal, status: event.data.status } } }
        : state;
    }
    case 'GoalTargetDateSet': {
      const goal = Object.hasOwn(state.goals, event.data.goalId) ? state.goals[event.data.goalId] : undefined;
      return goal
        ? {
            ...state,
            planRevision: event.data.planRevision,
            goals: { ...state.goals, [goal.goalId]: { ...goal, targetDate: event.data.targetDate } },
          }
        : state;
    }
    case 'ActionAdded': {
      const { actionId, goalId, owner, planRevision } = event.data;
      return {
        ...state,
        planRevision,
        actions: { ...state.actions, [actionId]: { actionId, goalId, owner, completed: false } },
      };
    }
    case 'GoalNoteAdded': {
      const { noteId, goalId, addedBy } = event.data;
      return { ...state, goalNotes: { ...state.goalNotes, [noteId]: { noteId, goalId, addedBy } } };
    }
    case 'ActionCompleted': {
      const action = state.actions[event.data.actionId];
      return action
        ? { ...state, actions: { ...state.actions, [action.actionId]: { ...action, completed: true } } }
        : state;
    }
    case 'PlanAgreed':
      return {
        ...state,
        agreedRevision: event.data.planRevision,
        evaluateBy: event.data.evaluateBy ?? state.evaluateBy,
      };
    case 'PlanEvaluationDateSet':
      return { ...state, evaluateBy: event.data.evaluateBy };
    case 'PlanAgreementRecorded': {
      const { planRevision, by } = event.data;
      const parties = state.planAgreement.revision === planRevision ? state.planAgreement.parties : [];
      return { ...state, planAgreement: { revision: planRevision, parties: [...parties, by] } };
    }
    case 'GoalProposed': {
      const { proposalId, lifeDomain, by, proposedAt } = event.data;
      return {
        ...state,
        goalProposals: { ...state.goalProposals, [proposalId]: { proposalId, lifeDomain, by, proposedAt } },
      };
    }
  }
};

/**
 * Who sets the plan's evaluation date, here and by a meeting that evaluates the plan
 * (review-meetings.ts): the regie holder; while the household holds regie, a worker of its team.
 */
export const requireEvaluationSetter = (actor: CommandActor, state: HouseholdState): void => {
  const allowed = state.regie.kind === 'household' ? inHouseholdTeam(actor, state) : holdsRegie(actor, state);
  if (!allowed)
    throw forbidden(
      'NotRegieHolder',
      `only the regie holder (${holderName(state.regie)}) sets the plan's evaluation date`,
    );
};

/** The goal a status or target date is about; missing: refused as for an action (invariant 10). */
const requireGoal = (state: HouseholdState, goalId: string, what: string) => {
  // Own keys only: an id such as `constructor` is no goal (it would be Object.prototype's).
  const goal = Object.hasOwn(state.goals, goalId) ? state.goals[goalId] : undefined;
  if (!goal)
    throw conflict(
      'GoalNotFound',
      `invariant 10: ${what} belongs to a goal, and goal ${goalId} does not exist`,
      10,
    );
  return goal;
};

/** A target date is a calendar day, today or later (in NL): a goal is not planned for the past. */
const requireTargetDate = (targetDate: string, at: string) => {
  const today = dateInNl(at);
  if (!isCalendarDate(targetDate) || targetDate < today)
    throw invalid(
      'InvalidTargetDate',
      `targetDate: ${targetDate} is not a date on or after today (${today})`,
      {
        field: 'targetDate',
      },
    );
};

/**
 * A plan holds at most the configured number of goals and of actions, completed ones included (they
 * stay in the plan): one household must not make every read of it large. The refusal names the cap.
 */
const requireRoom = (section: 'goals' | 'actions', count: number, max: number) => {
  if (count < max) return;
  const [code, setting] =
    section === 'goals'
      ? (['GoalLimitReached', 'maxGoalsPerHousehold'] as const)
      : (['ActionLimitReached', 'maxActionsPerHousehold'] as const);
  throw conflict(
    code,
    `a household's plan holds at most ${max} ${section}, and this one has ${count}`,
    undefined,
    {
      [setting]: max,
    },
  );
};

/**
 * Invariant 11: a change after the plan was agreed starts the next revision, which needs agreement
 * again; so does a change after some parties agreed (they agreed with what the plan was), which
 * clears the agreements gathered so far.
 */
const nextChangeRevision = (state: HouseholdState) =>
  isAgreed(state) || gatheredAgreements(state).length > 0 ? state.planRevision + 1 : state.planRevision;

/** A member as the capacity rules see them (persons.ts checkCapacity). */
export const capacitySubject = (m: MemberState) => ({
  memberId: m.memberId,
  birth: birthOf(m),
  authority: m.authority ?? [],
});

/**
 * Whether `party` counts in deciding for `member` on `day`: the member themselves from 12, a holder
 * of their authority while they are under 16 (persons.ts capacityAt).
 */
export const speaksFor = (party: Party, member: MemberState, day: string): boolean => {
  const { capacity } = checkCapacity(capacitySubject(member), [], day);
  const self = party.kind === 'member' && party.memberId === member.memberId;
  const holder = (member.authority ?? []).some((h) => sameParty(h, party));
  return (self && capacity !== 'authority-holders') || (holder && capacity !== 'self');
};

/** What is still missing for each current member, given the parties who agreed (empty: agreed). */
export const missingAgreement = (state: HouseholdState, parties: readonly Party[], day: string): string[] =>
  currentMembers(state)
    .map((m) => checkCapacity(capacitySubject(m), parties, day).missing)
    .filter((m): m is string => m !== null);

/**
 * Issue 18: an agreement is recorded per party for the current revision; the plan is agreed when
 * every current member has agreement from parties with capacity for them. A party who decides for
 * nobody in the household (a 10-year-old alone) is refused, naming what each member needs.
 */
const agreement = (
  state: HouseholdState,
  party: Party,
  recordedBy: string,
  at: string,
  evaluationAfterMonths: number,
): HouseholdEvent[] => {
  const day = dateInNl(at);
  const members = currentMembers(state);
  if (!members.some((m) => speaksFor(party, m, day))) {
    const missing = missingAgreement(state, [party], day);
    throw conflict(
      'NoCapacity',
      `${partyName(party)} decides for nobody in this household on ${day}: ${missing.join('; ')}`,
      undefined,
      { missing },
    );
  }
  const gathered = gatheredAgreements(state);
  const already = gathered.some((p) => sameParty(p, party));
  const parties = already ? gathered : [...gathered, party];
  const missing = missingAgreement(state, parties, day);
  if (already && missing.length > 0) {
    throw conflict(
      'PlanAgreementAlreadyRecorded',
      `invariant 11: ${partyName(party)} already agreed with revision ${state.planRevision}; still missing: ${missing.join('; ')}`,
      11,
      { missing },
    );
  }
  const planRevision = state.planRevision;
  const agreedBy = party.kind === 'member' ? party.memberId : party.holderId;
  // Issue 19: an evaluation date still ahead stays; otherwise the cycle starts again from today.
  const evaluateBy =
    state.evaluateBy !== null && state.evaluateBy > day
      ? state.evaluateBy
      : addMonths(day, evaluationAfterMonths);
  return [
    ...(already
      ? []
      : [{ type: 'PlanAgreementRecorded' as const, data: { planRevision, by: party, recordedBy } }]),
    ...(missing.length === 0
      ? [{ type: 'PlanAgreed' as const, data: { planRevision, agreedBy, recordedBy, evaluateBy } }]
      : []),
  ];
};

/** What an action needs: AddAction's, and a review meeting's decision that becomes one (issue 19). */
export type NewAction = Pick<
  AddAction,
  'actionId' | 'goalId' | 'description' | 'owner' | 'ownerWorker' | 'limits'
>;

/**
 * Invariant 10's rules for a new action (its id unused, room in the plan, its goal, one owner the
 * household knows), for an open plan and a plan worker the caller checked: the ActionAdded event.
 */
export const actionAdded = (command: NewAction, state: HouseholdState): ActionAdded => {
  if (Object.hasOwn(state.actions, command.actionId))
    throw conflict('ActionAlreadyExists', `action ${command.actionId} already exists`);
  requireRoom('actions', Object.keys(state.actions).length, command.limits.maxActions);
  if (!Object.hasOwn(state.goals, command.goalId)) {
    throw conflict(
      'GoalNotFound',
      `invariant 10: an action belongs to a goal, and goal ${command.goalId} does not exist`,
      10,
    );
  }
  const owner = resolveOwner(command, state);
  return {
    type: 'ActionAdded',
    data: {
      actionId: command.actionId,
      goalId: command.goalId,
      owner,
      planRevision: nextChangeRevision(state),
    },
    personal: { description: command.description },
  };
};

const resolveOwner = (command: NewAction, state: HouseholdState) => {
  const { kind, id } = command.owner;
  if (kind === 'household') return { kind, id: state.householdId };
  if (!id)
    throw invalid('OwnerIdRequired', `owner.id: an action owned by a ${kind} names it`, {
      field: 'owner.id',
    });
  if (kind === 'worker') {
    requireActiveWorker(command.ownerWorker, id, 'owner.id');
    return { kind, id };
  }
  return resolveLinkedOwner(kind, id, state);
};

// ---- the slice ---------------------------------------------------------------------------------

export const planSlice = householdSlice({
  commands: PLAN_COMMAND_TYPES,
  events: PLAN_EVENT_TYPES,
  decide: decidePlan,
  evolve: evolvePlan,
});
