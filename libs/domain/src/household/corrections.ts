import { conflict, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { erasureGroundProblem } from './erasure';
import { requireHouseholdWorker, requireRegistered } from './household-access';
import type { HouseholdCommandBase } from './household.commands';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';
import { type BirthDate, birthDateProblem } from './persons';

/**
 * Corrections (AVG art. 16, rectification): an event that supersedes one field. Reads show the
 * corrected value from then on; the history keeps both (the first event and the correction). A
 * new value that is personal data (a name, a free text) goes in `personal`, sealed and erased with
 * the household (a name in `personal.persons[memberId]`, the place of a person's own data); one
 * that is not (a birth year and month) goes in `data`, like the registration's.
 */

export const CORRECTION_FIELDS = [
  'memberName',
  'memberBirth',
  'goalDescription',
  'actionDescription',
] as const;
export type CorrectionField = (typeof CORRECTION_FIELDS)[number];

/** The longest value of each text field: those of registration, AddGoal and AddAction. */
export const CORRECTION_MAX_LENGTH: Readonly<Record<CorrectionField, number>> = {
  memberName: 200,
  memberBirth: 7,
  goalDescription: 2000,
  actionDescription: 2000,
};

// ---- commands
export interface CorrectPersonalData extends HouseholdCommandBase {
  readonly type: 'CorrectPersonalData';
  readonly correctionId: string;
  readonly field: CorrectionField;
  /** The member whose name or birth is corrected (memberName, memberBirth). */
  readonly memberId?: string;
  readonly goalId?: string;
  readonly actionId?: string;
  /** The correct value: a name or a text; a birth as YYYY or YYYY-MM. */
  readonly value: string;
  /** Why, as a reference (a request number); optional: a worker may correct a typo. */
  readonly ground?: string;
  /**
   * The text the reads show now, looked up by the caller: names and texts are sealed, so the
   * decider never holds them. Undefined where not looked up; then only the birth is compared.
   */
  readonly current?: string | null;
}
export type CorrectionCommand = CorrectPersonalData;
export const CORRECTION_COMMAND_TYPES = [
  'CorrectPersonalData',
] as const satisfies readonly CorrectionCommand['type'][];

// ---- events
export type PersonalDataCorrected = DomainEvent<
  'PersonalDataCorrected',
  {
    correctionId: string;
    field: CorrectionField;
    memberId?: string;
    goalId?: string;
    actionId?: string;
    /** memberBirth only: the corrected birth (not personal data by itself, as at registration). */
    birth?: BirthDate;
    ground?: string;
    correctedBy: string;
    at: string;
  }
>;
export type CorrectionEvent = PersonalDataCorrected;
export const CORRECTION_EVENT_TYPES = [
  'PersonalDataCorrected',
] as const satisfies readonly CorrectionEvent['type'][];

/** A birth written as YYYY or YYYY-MM, or null when it is not one. */
export const parseBirth = (value: string): BirthDate | null => {
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(value);
  if (!m) return null;
  return m[2] === undefined ? { year: Number(m[1]) } : { year: Number(m[1]), month: Number(m[2]) };
};

const sameBirth = (a: BirthDate, b: BirthDate) => a.year === b.year && a.month === b.month;

const badValue = (reason: string) =>
  invalid('InvalidCorrectionValue', `value: ${reason}`, { field: 'value' });

// ---- decide
export const decideCorrection = (command: CorrectionCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at, field, value } = command;
  requireRegistered(state);
  requireHouseholdWorker(actor, state, 'correct its data');
  if (command.ground !== undefined) {
    const problem = erasureGroundProblem(command.ground);
    if (problem) throw invalid('GroundNotAReference', `ground: the ground ${problem}`, { field: 'ground' });
  }
  const max = CORRECTION_MAX_LENGTH[field];
  if (value.trim() === '' || value.length > max) throw badValue(`must be 1 to ${max} characters`);
  if (state.correctionIds.includes(command.correctionId)) {
    throw conflict('CorrectionAlreadyExists', `correction ${command.correctionId} already exists`);
  }
  const target = (key: 'memberId' | 'goalId' | 'actionId', exists: (id: string) => boolean): string => {
    const id = command[key];
    if (id === undefined) {
      throw invalid(
        'CorrectionTargetRequired',
        `${key}: a correction of ${field} names the ${key.slice(0, -2)}`,
        {
          field: key,
        },
      );
    }
    if (!exists(id)) {
      throw notFound('CorrectionTargetNotFound', `${key}: this household has no ${key.slice(0, -2)} ${id}`);
    }
    return id;
  };
  const unchanged = () =>
    conflict('NothingToCorrect', `${field} is ${JSON.stringify(value)} already: there is nothing to correct`);
  const base = {
    correctionId: command.correctionId,
    field,
    ...(command.ground === undefined ? {} : { ground: command.ground }),
  };
  const done = { correctedBy: actor.id, at };
  switch (field) {
    case 'memberName': {
      const memberId = target('memberId', (id) => state.members[id] !== undefined);
      if (command.current === value) throw unchanged();
      return [
        {
          type: 'PersonalDataCorrected',
          data: { ...base, memberId, ...done },
          personal: { persons: { [memberId]: { name: value } } },
        },
      ];
    }
    case 'memberBirth': {
      const memberId = target('memberId', (id) => state.members[id] !== undefined);
      const birth = parseBirth(value);
      if (!birth) throw badValue('a birth is written YYYY or YYYY-MM');
      const problem = birthDateProblem(birth, at);
      if (problem) throw badValue(problem);
      const member = state.members[memberId]!;
      const now: BirthDate =
        member.birthMonth === undefined
          ? { year: member.birthYear }
          : { year: member.birthYear, month: member.birthMonth };
      if (sameBirth(now, birth)) throw unchanged();
      return [{ type: 'PersonalDataCorrected', data: { ...base, memberId, birth, ...done } }];
    }
    case 'goalDescription': {
      const goalId = target('goalId', (id) => state.goals[id] !== undefined);
      if (command.current === value) throw unchanged();
      return [
        {
          type: 'PersonalDataCorrected',
          data: { ...base, goalId, ...done },
          personal: { description: value },
        },
      ];
    }
    case 'actionDescription': {
      const actionId = target('actionId', (id) => state.actions[id] !== undefined);
      if (command.current === value) throw unchanged();
      return [
        {
          type: 'PersonalDataCorrected',
          data: { ...base, actionId, ...done },
          personal: { description: value },
        },
      ];
    }
  }
};

// ---- evolve
export const evolveCorrection = (state: HouseholdState, event: CorrectionEvent): HouseholdState => {
  const { correctionId, memberId, birth } = event.data;
  const correctionIds = [...state.correctionIds, correctionId];
  const member = memberId === undefined ? undefined : state.members[memberId];
  if (birth === undefined || member === undefined) return { ...state, correctionIds };
  const { birthMonth: _old, ...rest } = member;
  void _old;
  return {
    ...state,
    correctionIds,
    members: {
      ...state.members,
      [member.memberId]: {
        ...rest,
        birthYear: birth.year,
        ...(birth.month === undefined ? {} : { birthMonth: birth.month }),
      },
    },
  };
};

// ---- the slice ---------------------------------------------------------------------------------

export const correctionSlice = householdSlice({
  commands: CORRECTION_COMMAND_TYPES,
  events: CORRECTION_EVENT_TYPES,
  decide: decideCorrection,
  evolve: evolveCorrection,
});
