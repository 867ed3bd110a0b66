import { dateInNl, isCalendarDate } from '../shared/calendar';
import { conflict, invalid } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import type { LifeDomain } from '../shared/life-domains';
import { requireHouseholdWorker, requireRegistered } from './household-access';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/**
 * Questions and needs a household brings, each in one life domain: the material of the district
 * analysis (wijkanalyse). The district is recorded with the question so the analysis never needs
 * the household's personal data.
 */

export type QuestionRegistered = DomainEvent<
  'QuestionRegistered',
  { questionId: string; lifeDomain: LifeDomain; district: string; askedOn: string; registeredBy: string }
>;
export type QuestionEvent = QuestionRegistered;
export const QUESTION_EVENT_TYPES = [
  'QuestionRegistered',
] as const satisfies readonly QuestionEvent['type'][];

export interface RegisterQuestion {
  readonly type: 'RegisterQuestion';
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
  readonly questionId: string;
  readonly lifeDomain: LifeDomain;
  /** YYYY-MM-DD; today when absent. */
  readonly askedOn?: string;
  readonly description: string;
}
export type QuestionCommand = RegisterQuestion;
export const QUESTION_COMMAND_TYPES = [
  'RegisterQuestion',
] as const satisfies readonly QuestionCommand['type'][];

export const evolveQuestions = (questionIds: readonly string[], event: QuestionEvent): readonly string[] => [
  ...questionIds,
  event.data.questionId,
];

export const decideQuestions = (command: QuestionCommand, state: HouseholdState): QuestionEvent[] => {
  requireRegistered(state);
  requireHouseholdWorker(command.actor, state, 'register questions');
  if (state.questionIds.includes(command.questionId)) {
    throw conflict('QuestionAlreadyRegistered', `question ${command.questionId} is already registered`);
  }
  const today = dateInNl(command.at);
  const askedOn = command.askedOn ?? today;
  if (!isCalendarDate(askedOn) || askedOn > today) {
    throw invalid('InvalidQuestionDate', `askedOn: ${askedOn} is not a date on or before today (${today})`, {
      field: 'askedOn',
    });
  }
  return [
    {
      type: 'QuestionRegistered',
      data: {
        questionId: command.questionId,
        lifeDomain: command.lifeDomain,
        district: state.district,
        askedOn,
        registeredBy: command.actor.id,
      },
      personal: { description: command.description },
    },
  ];
};

// ---- the slice ---------------------------------------------------------------------------------

export const questionSlice = householdSlice({
  commands: QUESTION_COMMAND_TYPES,
  events: QUESTION_EVENT_TYPES,
  decide: decideQuestions,
  evolve: (state, event) => ({ ...state, questionIds: evolveQuestions(state.questionIds, event) }),
});
