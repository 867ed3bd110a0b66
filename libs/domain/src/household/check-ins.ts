import { addDays, daysBetween, dateInNl } from '../shared/calendar';
import { conflict, invalid } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import { requireHouseholdWorker, requireRegistered } from './household-access';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/**
 * Check-ins (vinger aan de pols), invariant 16: a cadence of every N weeks from a start date, due on
 * the start date and every N weeks after it. A contact on or after a due date satisfies it (and
 * every earlier one); a due date whose day is over without such a contact is overdue. Cadences
 * belong to the household, not to its plan, so they go on after the plan closes.
 */

export const MAX_CADENCE_WEEKS = 52;

// ---- events -------------------------------------------------------------------------------------

export type CheckInCadenceScheduled = DomainEvent<
  'CheckInCadenceScheduled',
  {
    cadenceId: string;
    everyWeeks: number;
    startsOn: string;
    /** The cadence this one replaces, if one was running. */
    replaces: string | null;
    scheduledBy: string;
    scheduledAt: string;
  }
>;
export type CheckInCadenceEnded = DomainEvent<
  'CheckInCadenceEnded',
  { cadenceId: string; endedBy: string; endedAt: string }
>;
export type CheckInContactRecorded = DomainEvent<
  'CheckInContactRecorded',
  {
    contactId: string;
    cadenceId: string;
    contactOn: string;
    recordedBy: string;
    recordedAt: string;
    /** The earliest due date this contact leaves without a contact on or after it. */
    nextDueOn: string;
    /** The earliest due date still overdue (and already announced) after this contact, if any. */
    overdueDueOn: string | null;
  }
>;
/** A due date passed without a contact; recorded once per missed due date by the sweep. */
export type CheckInOverdue = DomainEvent<
  'CheckInOverdue',
  { cadenceId: string; dueOn: string; everyWeeks: number; detectedAt: string }
>;

export type CheckInEvent =
  CheckInCadenceScheduled | CheckInCadenceEnded | CheckInContactRecorded | CheckInOverdue;
export const CHECK_IN_EVENT_TYPES = [
  'CheckInCadenceScheduled',
  'CheckInCadenceEnded',
  'CheckInContactRecorded',
  'CheckInOverdue',
] as const satisfies readonly CheckInEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
export interface ScheduleCheckIns extends Base {
  readonly type: 'ScheduleCheckIns';
  readonly cadenceId: string;
  readonly everyWeeks: number;
  /** YYYY-MM-DD; today when absent. */
  readonly startsOn?: string;
}
export interface EndCheckIns extends Base {
  readonly type: 'EndCheckIns';
  readonly reason: string;
}
export interface RecordCheckInContact extends Base {
  readonly type: 'RecordCheckInContact';
  readonly contactId: string;
  /** YYYY-MM-DD; today when absent. */
  readonly contactOn?: string;
  readonly notes?: string;
}
/** Issued by the time-driven sweep (actor: the system), never over HTTP by a person. */
export interface MarkOverdueCheckIns extends Base {
  readonly type: 'MarkOverdueCheckIns';
}
export type CheckInCommand = ScheduleCheckIns | EndCheckIns | RecordCheckInContact | MarkOverdueCheckIns;
export const CHECK_IN_COMMAND_TYPES = [
  'ScheduleCheckIns',
  'EndCheckIns',
  'RecordCheckInContact',
  'MarkOverdueCheckIns',
] as const satisfies readonly CheckInCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface CheckInState {
  readonly cadence: { cadenceId: string; everyWeeks: number; startsOn: string } | null;
  /** Earliest due date without a contact on or after it. */
  readonly nextDueOn: string | null;
  /** Latest due date of the running cadence already announced overdue. */
  readonly overdueThrough: string | null;
  readonly cadenceIds: readonly string[];
  readonly contactIds: readonly string[];
}

export const initialCheckInState = (): CheckInState => ({
  cadence: null,
  nextDueOn: null,
  overdueThrough: null,
  cadenceIds: [],
  contactIds: [],
});

export const evolveCheckIns = (state: CheckInState, event: CheckInEvent): CheckInState => {
  switch (event.type) {
    case 'CheckInCadenceScheduled': {
      const { cadenceId, everyWeeks, startsOn } = event.data;
      return {
        ...state,
        cadence: { cadenceId, everyWeeks, startsOn },
        nextDueOn: startsOn,
        overdueThrough: null,
        cadenceIds: [...state.cadenceIds, cadenceId],
      };
    }
    case 'CheckInCadenceEnded':
      return { ...state, cadence: null, nextDueOn: null, overdueThrough: null };
    case 'CheckInContactRecorded':
      return {
        ...state,
        nextDueOn: event.data.nextDueOn,
        contactIds: [...state.contactIds, event.data.contactId],
      };
    case 'CheckInOverdue':
      return { ...state, overdueThrough: event.data.dueOn };
  }
};

// ---- due dates ----------------------------------------------------------------------------------

/** The first due date of the cadence strictly after `date`. */
export const firstDueAfter = (cadence: { everyWeeks: number; startsOn: string }, date: string): string => {
  const period = cadence.everyWeeks * 7;
  const elapsed = daysBetween(cadence.startsOn, date);
  if (elapsed < 0) return cadence.startsOn;
  return addDays(cadence.startsOn, (Math.floor(elapsed / period) + 1) * period);
};

/** Due dates from `from` (a due date) up to but not including `before`. */
export const dueDatesBetween = (
  cadence: { everyWeeks: number; startsOn: string },
  from: string,
  before: string,
): string[] => {
  const dates: string[] = [];
  for (let d = from; d < before; d = addDays(d, cadence.everyWeeks * 7)) dates.push(d);
  return dates;
};

// ---- decide -------------------------------------------------------------------------------------

export const decideCheckIns = (command: CheckInCommand, state: HouseholdState): CheckInEvent[] => {
  const { actor, at } = command;
  const today = dateInNl(at);
  const checkIns = state.checkIns;
  requireRegistered(state);
  switch (command.type) {
    case 'ScheduleCheckIns': {
      requireHouseholdWorker(actor, state, 'schedule check-ins');
      if (checkIns.cadenceIds.includes(command.cadenceId)) {
        throw conflict('CadenceIdAlreadyUsed', `cadence id ${command.cadenceId} was used before`);
      }
      if (
        !Number.isInteger(command.everyWeeks) ||
        command.everyWeeks < 1 ||
        command.everyWeeks > MAX_CADENCE_WEEKS
      ) {
        throw invalid(
          'InvalidCadence',
          `everyWeeks: must be a whole number of weeks from 1 to ${MAX_CADENCE_WEEKS}`,
          {
            field: 'everyWeeks',
          },
        );
      }
      const startsOn = command.startsOn ?? today;
      if (startsOn < today) {
        throw invalid('CadenceStartsInPast', `startsOn: ${startsOn} is before today (${today})`, {
          field: 'startsOn',
        });
      }
      return [
        {
          type: 'CheckInCadenceScheduled',
          data: {
            cadenceId: command.cadenceId,
            everyWeeks: command.everyWeeks,
            startsOn,
            replaces: checkIns.cadence?.cadenceId ?? null,
            scheduledBy: actor.id,
            scheduledAt: at,
          },
        },
      ];
    }

    case 'EndCheckIns': {
      requireHouseholdWorker(actor, state, 'end check-ins');
      const cadence = requireCadence(checkIns);
      return [
        {
          type: 'CheckInCadenceEnded',
          data: { cadenceId: cadence.cadenceId, endedBy: actor.id, endedAt: at },
          personal: { reason: command.reason },
        },
      ];
    }

    case 'RecordCheckInContact': {
      requireHouseholdWorker(actor, state, 'record check-in contacts');
      const cadence = requireCadence(checkIns);
      if (checkIns.contactIds.includes(command.contactId)) {
        throw conflict('ContactAlreadyRecorded', `contact ${command.contactId} is already recorded`);
      }
      const contactOn = command.contactOn ?? today;
      if (contactOn > today) {
        throw invalid('ContactInFuture', `contactOn: ${contactOn} is after today (${today})`, {
          field: 'contactOn',
        });
      }
      const due = checkIns.nextDueOn ?? cadence.startsOn;
      // Invariant 16: a contact on or after a due date satisfies it, and every due date before it.
      const nextDueOn = contactOn >= due ? firstDueAfter(cadence, contactOn) : due;
      const stillOverdue = checkIns.overdueThrough !== null && nextDueOn <= checkIns.overdueThrough;
      return [
        {
          type: 'CheckInContactRecorded',
          data: {
            contactId: command.contactId,
            cadenceId: cadence.cadenceId,
            contactOn,
            recordedBy: actor.id,
            recordedAt: at,
            nextDueOn,
            overdueDueOn: stillOverdue ? nextDueOn : null,
          },
          ...(command.notes !== undefined ? { personal: { notes: command.notes } } : {}),
        },
      ];
    }

    case 'MarkOverdueCheckIns': {
      const cadence = checkIns.cadence;
      if (!cadence || checkIns.nextDueOn === null) return [];
      // Invariant 16: every due date whose day is over without a contact, announced once.
      const from =
        checkIns.overdueThrough !== null && checkIns.overdueThrough >= checkIns.nextDueOn
          ? firstDueAfter(cadence, checkIns.overdueThrough)
          : checkIns.nextDueOn;
      return dueDatesBetween(cadence, from, today).map((dueOn) => ({
        type: 'CheckInOverdue' as const,
        data: { cadenceId: cadence.cadenceId, dueOn, everyWeeks: cadence.everyWeeks, detectedAt: at },
      }));
    }
  }
};

const requireCadence = (checkIns: CheckInState) => {
  if (!checkIns.cadence) {
    throw conflict('NoCheckInCadence', 'invariant 16: the household has no check-in cadence running', 16);
  }
  return checkIns.cadence;
};

// ---- the slice ---------------------------------------------------------------------------------

export const checkInSlice = householdSlice({
  commands: CHECK_IN_COMMAND_TYPES,
  events: CHECK_IN_EVENT_TYPES,
  decide: decideCheckIns,
  evolve: (state, event) => ({ ...state, checkIns: evolveCheckIns(state.checkIns, event) }),
});
