import { conflict, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import type { ActionOwnerKind, LifeDomain } from '../shared/life-domains';
import { requireActiveWorker, requireMember, requireOpenPlan, requirePlanWorker } from './household-access';
import type { HouseholdCommandBase, PlanLimits, WorkerFacts } from './household.commands';
import type { ActionOwner, HouseholdEvent } from './household.events';
import { type HouseholdState, isAgreed } from './household.state';
import { resolveLinkedOwner } from './linked-owners';
import { householdSlice } from './household.slice';

/** The plan: goals, actions and their owners, agreement per revision (invariants 10, 11), and the caps on its size. */

// ---- commands
export interface AddGoal extends HouseholdCommandBase {
  readonly type: 'AddGoal';
  readonly goalId: string;
  readonly lifeDomain: LifeDomain;
  readonly description: string;
  readonly limits: PlanLimits;
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

export interface AgreePlan extends HouseholdCommandBase {
  readonly type: 'AgreePlan';
  readonly memberId: string;
}

export type PlanCommand = AddGoal | AddAction | AddGoalNote | CompleteAction | AgreePlan;

// ---- events
export type GoalAdded = DomainEvent<
  'GoalAdded',
  { goalId: string; lifeDomain: LifeDomain; planRevision: number }
>;
export type ActionAdded = DomainEvent<
  'ActionAdded',
  { actionId: string; goalId: string; owner: ActionOwner; planRevision: number }
>;
export type GoalNoteAdded = DomainEvent<'GoalNoteAdded', { noteId: string; goalId: string; addedBy: string }>;
export type ActionCompleted = DomainEvent<'ActionCompleted', { actionId: string; completedBy: string }>;
export type PlanAgreed = DomainEvent<
  'PlanAgreed',
  { planRevision: number; agreedBy: string; recordedBy: string }
>;

export type PlanEvent = GoalAdded | ActionAdded | GoalNoteAdded | ActionCompleted | PlanAgreed;

export const PLAN_EVENT_TYPES = [
  'GoalAdded',
  'ActionAdded',
  'GoalNoteAdded',
  'ActionCompleted',
  'PlanAgreed',
] as const satisfies readonly PlanEvent['type'][];
export const PLAN_COMMAND_TYPES = [
  'AddGoal',
  'AddAction',
  'AddGoalNote',
  'CompleteAction',
  'AgreePlan',
] as const satisfies readonly PlanCommand['type'][];

// ---- decide
export const decidePlan = (command: PlanCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor } = command;
  switch (command.type) {
    case 'AddGoal': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (state.goals[command.goalId])
        throw conflict('GoalAlreadyExists', `goal ${command.goalId} already exists`);
      requireRoom('goals', Object.keys(state.goals).length, command.limits.maxGoals);
      return [
        {
          type: 'GoalAdded',
          data: {
            goalId: command.goalId,
            lifeDomain: command.lifeDomain,
            planRevision: nextChangeRevision(state),
          },
          personal: { description: command.description },
        },
      ];
    }
    case 'AddAction': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (state.actions[command.actionId])
        throw conflict('ActionAlreadyExists', `action ${command.actionId} already exists`);
      requireRoom('actions', Object.keys(state.actions).length, command.limits.maxActions);
      if (!state.goals[command.goalId]) {
        throw conflict(
          'GoalNotFound',
          `invariant 10: an action belongs to a goal, and goal ${command.goalId} does not exist`,
          10,
        );
      }
      const owner = resolveOwner(command, state);
      return [
        {
          type: 'ActionAdded',
          data: {
            actionId: command.actionId,
            goalId: command.goalId,
            owner,
            planRevision: nextChangeRevision(state),
          },
          personal: { description: command.description },
        },
      ];
    }
    case 'AddGoalNote': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (!state.goals[command.goalId]) {
        throw conflict(
          'GoalNotFound',
          `invariant 10: a note belongs to a goal, and goal ${command.goalId} does not exist`,
          10,
        );
      }
      if (state.goalNotes[command.noteId])
        throw conflict('GoalNoteAlreadyExists', `note ${command.noteId} already exists`);
      return [
        {
          type: 'GoalNoteAdded',
          data: { noteId: command.noteId, goalId: command.goalId, addedBy: actor.id },
          personal: { text: command.text },
        },
      ];
    }
    case 'CompleteAction': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      const action = state.actions[command.actionId];
      if (!action) throw notFound('ActionNotFound', `action ${command.actionId} does not exist`);
      if (action.completed)
        throw conflict('ActionAlreadyCompleted', `action ${command.actionId} is already completed`);
      return [{ type: 'ActionCompleted', data: { actionId: command.actionId, completedBy: actor.id } }];
    }
    case 'AgreePlan': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      requireMember(state, command.memberId, 'memberId');
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
      return [
        {
          type: 'PlanAgreed',
          data: { planRevision: state.planRevision, agreedBy: command.memberId, recordedBy: actor.id },
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
          [event.data.goalId]: { goalId: event.data.goalId, lifeDomain: event.data.lifeDomain },
        },
      };
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
      return { ...state, agreedRevision: event.data.planRevision };
  }
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

/** Invariant 11: a change after the plan was agreed starts the next revision, which needs agreement again. */
const nextChangeRevision = (state: HouseholdState) =>
  isAgreed(state) ? state.planRevision + 1 : state.planRevision;

const resolveOwner = (command: AddAction, state: HouseholdState) => {
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
