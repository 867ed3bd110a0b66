import { conflict, invalid, notFound } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import { dateInNl } from '../shared/calendar';
import { requireActiveVolunteer } from '../volunteer/volunteer';
import { requireOpenPlan, requirePlanWorker } from './household-access';
import type { HouseholdEvent } from './household.events';
import { birthOf, currentMembers, type HouseholdState } from './household.state';
import { isMinorOn } from './persons';
import { householdSlice } from './household.slice';

// ---- events -------------------------------------------------------------------------------------

export type VolunteerAssigned = DomainEvent<
  'VolunteerAssigned',
  {
    assignmentId: string;
    volunteerId: string;
    actionId: string | null;
    hoursPerWeek: number;
    assignedBy: string;
    assignedAt: string;
  }
>;
/** ended: a worker ended it (the reason is free text, so personal); plan-closed: invariant 13. */
export type AssignmentEndCause = 'ended' | 'plan-closed';
export type VolunteerAssignmentEnded = DomainEvent<
  'VolunteerAssignmentEnded',
  {
    assignmentId: string;
    volunteerId: string;
    hoursPerWeek: number;
    cause: AssignmentEndCause;
    endedBy: string;
    endedAt: string;
  }
>;
export type AssignmentEvent = VolunteerAssigned | VolunteerAssignmentEnded;
export const ASSIGNMENT_EVENT_TYPES = [
  'VolunteerAssigned',
  'VolunteerAssignmentEnded',
] as const satisfies readonly AssignmentEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

/**
 * Facts about the volunteer, read from the volunteer's stream by the caller. `assignedHours` are the
 * hours committed to other open assignments (in any household), excluding this one.
 */
export interface VolunteerFacts {
  readonly volunteerId: string;
  readonly active: boolean;
  readonly hoursPerWeek: number;
  readonly vogValidUntil: string | null;
  readonly assignedHours: number;
}

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
export interface AssignVolunteer extends Base {
  readonly type: 'AssignVolunteer';
  readonly assignmentId: string;
  readonly volunteerId: string;
  readonly actionId?: string;
  readonly hoursPerWeek: number;
  /** Undefined when no volunteer with that id is registered. */
  readonly volunteer?: VolunteerFacts;
}
export interface EndVolunteerAssignment extends Base {
  readonly type: 'EndVolunteerAssignment';
  readonly assignmentId: string;
  readonly reason: string;
}
export type AssignmentCommand = AssignVolunteer | EndVolunteerAssignment;
export const ASSIGNMENT_COMMAND_TYPES = [
  'AssignVolunteer',
  'EndVolunteerAssignment',
] as const satisfies readonly AssignmentCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface Assignment {
  readonly assignmentId: string;
  readonly volunteerId: string;
  readonly actionId: string | null;
  readonly hoursPerWeek: number;
  readonly assignedAt: string;
  readonly status: 'open' | 'ended';
}
export type AssignmentsState = Readonly<Record<string, Assignment>>;

export const openAssignments = (state: HouseholdState) =>
  Object.values(state.assignments).filter((a) => a.status === 'open');

export const evolveAssignments = (state: HouseholdState, event: AssignmentEvent): HouseholdState => {
  switch (event.type) {
    case 'VolunteerAssigned': {
      const { assignmentId, volunteerId, actionId, hoursPerWeek, assignedAt } = event.data;
      return {
        ...state,
        assignments: {
          ...state.assignments,
          [assignmentId]: { assignmentId, volunteerId, actionId, hoursPerWeek, assignedAt, status: 'open' },
        },
      };
    }
    case 'VolunteerAssignmentEnded': {
      const assignment = state.assignments[event.data.assignmentId];
      return assignment
        ? {
            ...state,
            assignments: {
              ...state.assignments,
              [assignment.assignmentId]: { ...assignment, status: 'ended' },
            },
          }
        : state;
    }
  }
};

// ---- decide -------------------------------------------------------------------------------------

/**
 * A minor is a current member with role child, or one who may be under 18 on the date
 * (persons.ts isMinorOn: with only a year known, someone who turns 18 during that year is still
 * counted; with the month, until the month after their birth month), so the VOG rule errs on the
 * side of the child. A member who left the household is no longer in it.
 */
export const minorsOn = (state: HouseholdState, at: string): string[] =>
  currentMembers(state)
    .filter((m) => m.role === 'child' || isMinorOn(birthOf(m), at))
    .map((m) => m.memberId);

/** Invariant 12: an active volunteer; a VOG valid on the assignment date where there are minors; hours within availability. */
const requireAssignable = (command: AssignVolunteer, state: HouseholdState) => {
  const volunteer = command.volunteer;
  if (!volunteer) {
    throw invalid('UnknownVolunteer', `volunteerId: no volunteer ${command.volunteerId} is registered`, {
      field: 'volunteerId',
    });
  }
  requireActiveVolunteer(volunteer);
  const minors = minorsOn(state, command.at);
  // The Dutch calendar date, as every date rule: in UTC a VOG that ended yesterday would still pass
  // for the first hour or two after midnight.
  const day = dateInNl(command.at);
  if (minors.length > 0 && (volunteer.vogValidUntil === null || volunteer.vogValidUntil < day)) {
    throw conflict(
      'VogRequired',
      volunteer.vogValidUntil === null
        ? `invariant 12: the household has minors and volunteer ${volunteer.volunteerId} has no VOG on file`
        : `invariant 12: the household has minors and the VOG of volunteer ${volunteer.volunteerId} expired on ${volunteer.vogValidUntil}`,
      12,
      { vogValidUntil: volunteer.vogValidUntil, assignmentDate: day },
    );
  }
  if (volunteer.assignedHours + command.hoursPerWeek > volunteer.hoursPerWeek) {
    throw conflict(
      'VolunteerHoursExceeded',
      `invariant 12: volunteer ${volunteer.volunteerId} has ${volunteer.hoursPerWeek} hours a week, ${volunteer.assignedHours} of them assigned; ${command.hoursPerWeek} more would exceed that`,
      12,
      {
        availableHours: volunteer.hoursPerWeek,
        assignedHours: volunteer.assignedHours,
        requestedHours: command.hoursPerWeek,
      },
    );
  }
};

export const decideAssignments = (command: AssignmentCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  switch (command.type) {
    case 'AssignVolunteer': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (state.assignments[command.assignmentId]) {
        throw conflict(
          'AssignmentAlreadyExists',
          `assignment ${command.assignmentId} already exists in this household`,
        );
      }
      if (command.actionId !== undefined) {
        const action = state.actions[command.actionId];
        if (!action) {
          throw invalid(
            'UnknownAction',
            `actionId: action ${command.actionId} does not exist in this household`,
            {
              field: 'actionId',
            },
          );
        }
        if (action.completed) {
          throw conflict('ActionAlreadyCompleted', `action ${command.actionId} is already completed`);
        }
      }
      requireAssignable(command, state);
      return [
        {
          type: 'VolunteerAssigned',
          data: {
            assignmentId: command.assignmentId,
            volunteerId: command.volunteerId,
            actionId: command.actionId ?? null,
            hoursPerWeek: command.hoursPerWeek,
            assignedBy: actor.id,
            assignedAt: at,
          },
        },
      ];
    }
    case 'EndVolunteerAssignment': {
      if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
      requirePlanWorker(actor, state);
      const assignment = state.assignments[command.assignmentId];
      if (!assignment) {
        throw notFound(
          'AssignmentNotFound',
          `assignment ${command.assignmentId} does not exist in this household`,
        );
      }
      if (assignment.status === 'ended') {
        throw conflict('AssignmentAlreadyEnded', `assignment ${command.assignmentId} has already ended`);
      }
      return [
        {
          type: 'VolunteerAssignmentEnded',
          data: {
            assignmentId: assignment.assignmentId,
            volunteerId: assignment.volunteerId,
            hoursPerWeek: assignment.hoursPerWeek,
            cause: 'ended',
            endedBy: actor.id,
            endedAt: at,
          },
          personal: { reason: command.reason },
        },
      ];
    }
  }
};

/** Invariant 13: closing the plan ends every open assignment, one event each, after PlanClosed. */
export const assignmentsEndedByClosure = (
  state: HouseholdState,
  actor: CommandActor,
  at: string,
): HouseholdEvent[] =>
  openAssignments(state).map((a) => ({
    type: 'VolunteerAssignmentEnded',
    data: {
      assignmentId: a.assignmentId,
      volunteerId: a.volunteerId,
      hoursPerWeek: a.hoursPerWeek,
      cause: 'plan-closed',
      endedBy: actor.id,
      endedAt: at,
    },
  }));

// ---- the slice ---------------------------------------------------------------------------------

export const assignmentSlice = householdSlice({
  commands: ASSIGNMENT_COMMAND_TYPES,
  events: ASSIGNMENT_EVENT_TYPES,
  decide: decideAssignments,
  evolve: evolveAssignments,
});
