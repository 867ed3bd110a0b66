import { conflict, forbidden, notFound } from '../shared/domain-error';
import type { CommandActor, Decider, DomainEvent } from '../shared/event';

export const volunteerStream = (volunteerId: string) => `volunteer-${volunteerId}`;

/**
 * A volunteer's hours are committed here, in the volunteer's own stream, before an assignment is
 * recorded in a household's stream: this stream is the one place where every household's claim on
 * the volunteer's hours meets, so an append with the expected version serialises those claims and
 * invariant 12 (assigned hours never exceed available hours) holds across households under
 * concurrency. A commitment is keyed by household and assignment id (assignment ids are unique per
 * household only).
 */
export const commitmentKey = (householdId: string, assignmentId: string) => `${householdId}/${assignmentId}`;

// ---- events -------------------------------------------------------------------------------------

/** The name is personal data; skills, hours and the VOG date are not. */
export type VolunteerRegistered = DomainEvent<
  'VolunteerRegistered',
  {
    volunteerId: string;
    skills: string[];
    hoursPerWeek: number;
    /** Last day (YYYY-MM-DD) the certificate of conduct (VOG) is valid; null: none on file. */
    vogValidUntil: string | null;
    registeredBy: string;
    registeredAt: string;
  }
>;
export type VolunteerVogUpdated = DomainEvent<
  'VolunteerVogUpdated',
  { volunteerId: string; vogValidUntil: string | null; updatedBy: string }
>;
export type VolunteerDeactivated = DomainEvent<
  'VolunteerDeactivated',
  { volunteerId: string; deactivatedBy: string; deactivatedAt: string }
>;
export type VolunteerHoursCommitted = DomainEvent<
  'VolunteerHoursCommitted',
  { volunteerId: string; householdId: string; assignmentId: string; hoursPerWeek: number }
>;
/**
 * assignment-ended: the household ended the assignment (by a worker or by closing the plan);
 * assignment-not-recorded: the household refused the assignment after the hours were committed
 * (the compensation of a two-stream write).
 */
export type HoursReleaseCause = 'assignment-ended' | 'assignment-not-recorded';
export type VolunteerHoursReleased = DomainEvent<
  'VolunteerHoursReleased',
  {
    volunteerId: string;
    householdId: string;
    assignmentId: string;
    hoursPerWeek: number;
    cause: HoursReleaseCause;
  }
>;

export type VolunteerEvent =
  | VolunteerRegistered
  | VolunteerVogUpdated
  | VolunteerDeactivated
  | VolunteerHoursCommitted
  | VolunteerHoursReleased;

// ---- state --------------------------------------------------------------------------------------

export interface HoursCommitment {
  readonly householdId: string;
  readonly assignmentId: string;
  readonly hoursPerWeek: number;
}

export interface VolunteerState {
  readonly exists: boolean;
  readonly volunteerId: string;
  readonly active: boolean;
  readonly skills: readonly string[];
  readonly hoursPerWeek: number;
  readonly vogValidUntil: string | null;
  /** Open commitments by commitmentKey. */
  readonly commitments: Readonly<Record<string, HoursCommitment>>;
}

export const committedHours = (state: VolunteerState, except: readonly string[]) =>
  Object.entries(state.commitments)
    .filter(([key]) => !except.includes(key))
    .reduce((sum, [, c]) => sum + c.hoursPerWeek, 0);

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  readonly volunteerId: string;
  readonly actor: CommandActor;
  readonly at: string;
}

export interface RegisterVolunteer extends Base {
  readonly type: 'RegisterVolunteer';
  readonly name: string;
  readonly skills: readonly string[];
  readonly hoursPerWeek: number;
  readonly vogValidUntil?: string;
}

export interface UpdateVolunteerVog extends Base {
  readonly type: 'UpdateVolunteerVog';
  readonly vogValidUntil: string | null;
}

export interface DeactivateVolunteer extends Base {
  readonly type: 'DeactivateVolunteer';
}

export interface CommitVolunteerHours extends Base {
  readonly type: 'CommitVolunteerHours';
  readonly householdId: string;
  readonly assignmentId: string;
  readonly hoursPerWeek: number;
  /**
   * Commitments (by commitmentKey) whose household has since ended the assignment, looked up by
   * the caller in those households' streams: released here, so a release that was never written
   * (a crash after the household's end) does not hold hours forever.
   */
  readonly endedElsewhere: readonly string[];
}

export interface ReleaseVolunteerHours extends Base {
  readonly type: 'ReleaseVolunteerHours';
  readonly householdId: string;
  readonly assignmentId: string;
  readonly cause: HoursReleaseCause;
}

export type VolunteerCommand =
  RegisterVolunteer | UpdateVolunteerVog | DeactivateVolunteer | CommitVolunteerHours | ReleaseVolunteerHours;

// ---- decider ------------------------------------------------------------------------------------

const initialState = (): VolunteerState => ({
  exists: false,
  volunteerId: '',
  active: false,
  skills: [],
  hoursPerWeek: 0,
  vogValidUntil: null,
  commitments: {},
});

const without = <T>(record: Readonly<Record<string, T>>, key: string) => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};

const evolve = (state: VolunteerState, event: VolunteerEvent): VolunteerState => {
  switch (event.type) {
    case 'VolunteerRegistered': {
      const d = event.data;
      return {
        ...initialState(),
        exists: true,
        volunteerId: d.volunteerId,
        active: true,
        skills: d.skills,
        hoursPerWeek: d.hoursPerWeek,
        vogValidUntil: d.vogValidUntil,
      };
    }
    case 'VolunteerVogUpdated':
      return { ...state, vogValidUntil: event.data.vogValidUntil };
    case 'VolunteerDeactivated':
      return { ...state, active: false };
    case 'VolunteerHoursCommitted': {
      const { householdId, assignmentId, hoursPerWeek } = event.data;
      return {
        ...state,
        commitments: {
          ...state.commitments,
          [commitmentKey(householdId, assignmentId)]: { householdId, assignmentId, hoursPerWeek },
        },
      };
    }
    case 'VolunteerHoursReleased':
      return {
        ...state,
        commitments: without(
          state.commitments,
          commitmentKey(event.data.householdId, event.data.assignmentId),
        ),
      };
  }
};

/**
 * A VOG date lets a volunteer work with children (invariant 12), so it is set by a team lead, who
 * answers for having seen the certificate; any worker may still register a volunteer without one.
 */
const requireVogKeeper = (actor: CommandActor) => {
  if (!actor.roles.includes('team-lead'))
    throw forbidden('NotTeamLead', "only a team lead records a volunteer's VOG date", 12);
};

/** Invariant 12, the volunteer's half: an active volunteer, hours within availability. */
const decide = (command: VolunteerCommand, state: VolunteerState): VolunteerEvent[] => {
  const { actor, at } = command;
  if (command.type === 'RegisterVolunteer') {
    if (command.vogValidUntil !== undefined) requireVogKeeper(actor);
    if (state.exists) {
      throw conflict('VolunteerAlreadyRegistered', `volunteer ${command.volunteerId} is already registered`);
    }
    return [
      {
        type: 'VolunteerRegistered',
        data: {
          volunteerId: command.volunteerId,
          skills: [...command.skills],
          hoursPerWeek: command.hoursPerWeek,
          vogValidUntil: command.vogValidUntil ?? null,
          registeredBy: actor.id,
          registeredAt: at,
        },
        personal: { name: command.name },
      },
    ];
  }
  if (!state.exists)
    throw notFound('VolunteerNotFound', `volunteer ${command.volunteerId} is not registered`);
  switch (command.type) {
    case 'UpdateVolunteerVog':
      requireVogKeeper(actor);
      return [
        {
          type: 'VolunteerVogUpdated',
          data: { volunteerId: state.volunteerId, vogValidUntil: command.vogValidUntil, updatedBy: actor.id },
        },
      ];
    case 'DeactivateVolunteer':
      if (!state.active) {
        throw conflict('VolunteerAlreadyInactive', `volunteer ${state.volunteerId} is already inactive`);
      }
      return [
        {
          type: 'VolunteerDeactivated',
          data: { volunteerId: state.volunteerId, deactivatedBy: actor.id, deactivatedAt: at },
        },
      ];
    case 'CommitVolunteerHours': {
      const key = commitmentKey(command.householdId, command.assignmentId);
      const existing = state.commitments[key];
      // A retry of the same assignment after a crash between the two appends: already committed.
      if (existing && existing.hoursPerWeek === command.hoursPerWeek) return [];
      if (existing) {
        throw conflict(
          'AssignmentIdAlreadyUsed',
          `assignment ${command.assignmentId} of household ${command.householdId} already holds ${existing.hoursPerWeek} hours of volunteer ${state.volunteerId}`,
        );
      }
      requireActiveVolunteer(state);
      const stale = command.endedElsewhere.filter((k) => state.commitments[k]);
      requireHoursAvailable(state, command.hoursPerWeek, stale);
      return [
        ...stale.map((k): VolunteerEvent => ({
          type: 'VolunteerHoursReleased',
          data: { volunteerId: state.volunteerId, ...state.commitments[k]!, cause: 'assignment-ended' },
        })),
        {
          type: 'VolunteerHoursCommitted',
          data: {
            volunteerId: state.volunteerId,
            householdId: command.householdId,
            assignmentId: command.assignmentId,
            hoursPerWeek: command.hoursPerWeek,
          },
        },
      ];
    }
    case 'ReleaseVolunteerHours': {
      const commitment = state.commitments[commitmentKey(command.householdId, command.assignmentId)];
      // Released already (a retry, or a later commitment released it as ended): nothing to do.
      if (!commitment) return [];
      return [
        {
          type: 'VolunteerHoursReleased',
          data: { volunteerId: state.volunteerId, ...commitment, cause: command.cause },
        },
      ];
    }
  }
};

export const requireActiveVolunteer = (facts: { volunteerId: string; active: boolean }) => {
  if (!facts.active) {
    throw conflict(
      'VolunteerNotActive',
      `invariant 12: volunteer ${facts.volunteerId} is not active and cannot be assigned`,
      12,
    );
  }
};

export const requireHoursAvailable = (state: VolunteerState, hours: number, except: readonly string[]) => {
  const committed = committedHours(state, except);
  if (committed + hours > state.hoursPerWeek) {
    throw conflict(
      'VolunteerHoursExceeded',
      `invariant 12: volunteer ${state.volunteerId} has ${state.hoursPerWeek} hours a week, ${committed} of them assigned; ${hours} more would exceed that`,
      12,
      { availableHours: state.hoursPerWeek, assignedHours: committed, requestedHours: hours },
    );
  }
};

export const volunteerDecider: Decider<VolunteerCommand, VolunteerState, VolunteerEvent> = {
  initialState,
  evolve,
  decide,
};
