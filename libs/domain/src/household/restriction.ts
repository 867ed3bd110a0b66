import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { erasureGroundProblem } from './erasure';
import type { HouseholdCommand, HouseholdCommandBase } from './household.commands';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/**
 * Restriction of processing (AVG art. 18): while a restriction is in force eenplan only stores
 * what it holds about the household, or about one person of it. The events stay, the audit trail
 * and the access logs stay readable to auditors, erasure (art. 17) stays possible; every other
 * change is refused with 409 ProcessingRestricted, naming the restriction. An administrator
 * restricts and lifts (there is no privacy-officer role; docs/WHO-MAY-DO-WHAT.md). The ground is
 * a reference (a request number, an article), never a name: the rule of erasureGroundProblem.
 */

// ---- commands
export interface RestrictProcessing extends HouseholdCommandBase {
  readonly type: 'RestrictProcessing';
  readonly restrictionId: string;
  /** The person whose processing is restricted; absent: the whole household. */
  readonly memberId?: string;
  readonly ground: string;
  /** An instant after which the restriction is no longer in force; absent: until lifted. */
  readonly until?: string;
}

export interface LiftRestriction extends HouseholdCommandBase {
  readonly type: 'LiftRestriction';
  readonly restrictionId: string;
}

export type RestrictionCommand = RestrictProcessing | LiftRestriction;

// ---- events
export type ProcessingRestricted = DomainEvent<
  'ProcessingRestricted',
  {
    restrictionId: string;
    memberId?: string;
    ground: string;
    until?: string;
    restrictedBy: string;
    at: string;
  }
>;
export type RestrictionLifted = DomainEvent<
  'RestrictionLifted',
  { restrictionId: string; liftedBy: string; at: string }
>;
export type RestrictionEvent = ProcessingRestricted | RestrictionLifted;

export const RESTRICTION_EVENT_TYPES = [
  'ProcessingRestricted',
  'RestrictionLifted',
] as const satisfies readonly RestrictionEvent['type'][];
export const RESTRICTION_COMMAND_TYPES = [
  'RestrictProcessing',
  'LiftRestriction',
] as const satisfies readonly RestrictionCommand['type'][];

// ---- state
export interface Restriction {
  readonly restrictionId: string;
  /** Absent: the whole household. */
  readonly memberId?: string;
  readonly ground: string;
  readonly until?: string;
  readonly restrictedBy: string;
  readonly at: string;
  readonly lifted?: { readonly by: string; readonly at: string };
}
/** Every restriction ever made, lifted ones included, by id (in the order they were made). */
export type RestrictionsState = Readonly<Record<string, Restriction>>;

/** In force at `at`: not lifted, and its `until` (if any) not reached. */
export const inForce = (r: Restriction, at: string): boolean =>
  r.lifted === undefined && (r.until === undefined || Date.parse(at) < Date.parse(r.until));

/** The restriction of the whole household in force at `at`, if any. */
export const householdRestrictionAt = (
  state: Pick<HouseholdState, 'restrictions'>,
  at: string,
): Restriction | undefined =>
  Object.values(state.restrictions).find((r) => r.memberId === undefined && inForce(r, at));

/** The restriction of this person in force at `at`, if any. */
export const personRestrictionAt = (
  state: Pick<HouseholdState, 'restrictions'>,
  memberId: string,
  at: string,
): Restriction | undefined =>
  Object.values(state.restrictions).find((r) => r.memberId === memberId && inForce(r, at));

// ---- which commands a restriction stops: the one list (docs/PERSONS.md)

/**
 * What goes on while processing is restricted, of the household or of a person: the restriction's
 * own commands, erasure (art. 17: a restriction never keeps data longer than asked), and the
 * withdrawal of a consent (art. 7(3): always possible, and it processes less, never more).
 */
export const GOES_ON_WHILE_RESTRICTED: readonly HouseholdCommand['type'][] = [
  'RestrictProcessing',
  'LiftRestriction',
  'EraseHouseholdData',
  'EraseMemberData',
  'WithdrawUwvConsent',
  // Consent can always be withdrawn (AVG art. 7(3)).
  'WithdrawConsent',
  // A member leaving is a fact that happened whatever eenplan does.
  'LeaveMember',
];

/**
 * The fields in which a command names a member it processes: `memberId` (agreeing to the plan for
 * them, their UWV consent, a correction about them, and any later command that names a member so:
 * an assessment of them, a consent of theirs), `agreedBy` (the member who agrees to a regie
 * transfer or to regie returning to the household), `givenBy` and `withdrawnBy` (who gives or
 * withdraws a consent) and `by` (who agrees to the plan): each an id, a party or a list of parties.
 */
export const PERSON_FIELDS = ['memberId', 'agreedBy', 'givenBy', 'by', 'withdrawnBy'] as const;

/**
 * The persons a command processes, so a person's restriction stops it: the members it names in
 * PERSON_FIELDS. A command that names nobody processes the household as a whole and is stopped by
 * a household restriction only. A command that records a fact that happened whatever eenplan does
 * (a member leaving) belongs in GOES_ON_WHILE_RESTRICTED.
 */
export const personsProcessedBy = (command: HouseholdCommand): readonly string[] => {
  const fields = command as unknown as Readonly<Record<string, unknown>>;
  return [...new Set(PERSON_FIELDS.flatMap((field) => membersIn(fields[field])))];
};

/** The member ids in a field: an id, a party (`{kind: 'member', memberId}`), or a list of either. */
const membersIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(membersIn);
  if (value !== null && typeof value === 'object') {
    const party = value as { kind?: unknown; memberId?: unknown };
    if (party.kind === 'member' && typeof party.memberId === 'string') return [party.memberId];
  }
  return [];
};

/** The refusal while `r` is in force: of a command, and of a worker's read (the API). */
export const processingRestricted = (r: Restriction) =>
  conflict(
    'ProcessingRestricted',
    `processing of ${r.memberId === undefined ? 'this household' : `member ${r.memberId}`} is restricted (AVG art. 18, restriction ${r.restrictionId}, ground ${r.ground}${r.until === undefined ? '' : `, until ${r.until}`}); only storage, audit and erasure go on until it is lifted`,
    undefined,
    { restrictionId: r.restrictionId, ...(r.memberId === undefined ? {} : { memberId: r.memberId }) },
  );

/** Refuses a command that a restriction in force at the command's time stops. */
export const refuseWhenRestricted = (command: HouseholdCommand, state: HouseholdState): void => {
  if (GOES_ON_WHILE_RESTRICTED.includes(command.type)) return;
  const whole = householdRestrictionAt(state, command.at);
  if (whole) throw processingRestricted(whole);
  for (const memberId of personsProcessedBy(command)) {
    const person = personRestrictionAt(state, memberId, command.at);
    if (person) throw processingRestricted(person);
  }
};

// ---- decide
export const decideRestriction = (command: RestrictionCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  switch (command.type) {
    case 'RestrictProcessing': {
      const problem = erasureGroundProblem(command.ground);
      if (problem) {
        throw invalid('GroundNotAReference', `ground: the ground ${problem}`, { field: 'ground' });
      }
      if (command.until !== undefined && !(Date.parse(command.until) > Date.parse(at))) {
        throw invalid('RestrictionUntilNotLater', `until: ${command.until} is not after now (${at})`, {
          field: 'until',
        });
      }
      requireRegistered(state);
      requireAdmin(command);
      if (command.memberId !== undefined && !state.members[command.memberId]) {
        throw invalid('UnknownMember', `memberId: ${command.memberId} is not a member of this household`, {
          field: 'memberId',
        });
      }
      if (state.restrictions[command.restrictionId]) {
        throw conflict('RestrictionAlreadyExists', `restriction ${command.restrictionId} already exists`);
      }
      const same =
        command.memberId === undefined
          ? householdRestrictionAt(state, at)
          : personRestrictionAt(state, command.memberId, at);
      if (same) {
        throw conflict(
          'AlreadyRestricted',
          `restriction ${same.restrictionId} of the same ${command.memberId === undefined ? 'household' : 'member'} is in force already`,
          undefined,
          { restrictionId: same.restrictionId },
        );
      }
      return [
        {
          type: 'ProcessingRestricted',
          data: {
            restrictionId: command.restrictionId,
            ...(command.memberId === undefined ? {} : { memberId: command.memberId }),
            ground: command.ground,
            ...(command.until === undefined ? {} : { until: command.until }),
            restrictedBy: actor.id,
            at,
          },
        },
      ];
    }
    case 'LiftRestriction': {
      requireRegistered(state);
      requireAdmin(command);
      const restriction = state.restrictions[command.restrictionId];
      if (!restriction) {
        throw notFound('RestrictionNotFound', `restriction ${command.restrictionId} does not exist`);
      }
      if (!inForce(restriction, at)) {
        throw conflict(
          'RestrictionNotInForce',
          `restriction ${command.restrictionId} is no longer in force (${restriction.lifted ? `lifted at ${restriction.lifted.at}` : `it ended at ${restriction.until}`})`,
        );
      }
      return [
        { type: 'RestrictionLifted', data: { restrictionId: command.restrictionId, liftedBy: actor.id, at } },
      ];
    }
  }
};

const requireRegistered = (state: HouseholdState) => {
  if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
};

const requireAdmin = (command: RestrictionCommand) => {
  if (!command.actor.roles.includes('admin')) {
    throw forbidden('NotAdmin', 'only an administrator restricts processing or lifts a restriction');
  }
};

// ---- evolve
export const evolveRestriction = (state: HouseholdState, event: RestrictionEvent): HouseholdState => {
  switch (event.type) {
    case 'ProcessingRestricted': {
      const { restrictionId, memberId, ground, until, restrictedBy, at } = event.data;
      const restriction: Restriction = {
        restrictionId,
        ...(memberId === undefined ? {} : { memberId }),
        ground,
        ...(until === undefined ? {} : { until }),
        restrictedBy,
        at,
      };
      return { ...state, restrictions: { ...state.restrictions, [restrictionId]: restriction } };
    }
    case 'RestrictionLifted': {
      const restriction = state.restrictions[event.data.restrictionId];
      if (!restriction) return state;
      return {
        ...state,
        restrictions: {
          ...state.restrictions,
          [restriction.restrictionId]: {
            ...restriction,
            lifted: { by: event.data.liftedBy, at: event.data.at },
          },
        },
      };
    }
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const restrictionSlice = householdSlice({
  commands: RESTRICTION_COMMAND_TYPES,
  events: RESTRICTION_EVENT_TYPES,
  decide: decideRestriction,
  evolve: evolveRestriction,
});
