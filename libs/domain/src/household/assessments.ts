import { dateInNl, isCalendarDate } from '../shared/calendar';
import { conflict, invalid } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import type { LifeDomain } from '../shared/life-domains';
import { LIFE_DOMAINS } from '../shared/life-domains';
import { requireHouseholdWorker, requireMember, requireRegistered } from './household-access';
import type { HouseholdState } from './household.state';
import { ageOn, birthOf, CAPACITY_AGES } from './persons';
import { householdSlice } from './household.slice';

/**
 * ZRM 2017 assessments (zelfredzaamheidsmatrix): a score from 1 (acute problems) to 5 (fully
 * self-sufficient) on every one of the 13 life domains. An assessment is a measurement: recorded
 * once, never changed; progress is the difference between assessments, in the order they were taken.
 *
 * The ZRM measures one adult person (issue 18): an assessment names the member it measures, a
 * current member (not one who left) aged 18 or over on the day of the assessment. Every rule that
 * compares assessments (their order, progress) compares those of one member.
 *
 * Events written before issue 18 (schema v1 of AssessmentRecorded) name no member: they measured
 * the household as a whole. They are read as such: a series of their own, "the household", shown
 * with `memberId: null`, never counted as a person (the district analysis leaves them out), and
 * never compared with a person's assessments. New assessments always name a member.
 */

export const ZRM_MIN = 1;
export const ZRM_MAX = 5;
export type ZrmScores = Readonly<Record<LifeDomain, number>>;

/** AssessmentRecorded as written since issue 18 (schema v2): the adult member it measures. */
export type PersonAssessmentData = {
  assessmentId: string;
  memberId: string;
  assessedOn: string;
  scores: ZrmScores;
  assessedBy: string;
  recordedAt: string;
};
/** AssessmentRecorded as written before issue 18 (schema v1): the household as a whole, no member. */
export type HouseholdAssessmentData = Omit<PersonAssessmentData, 'memberId'>;
export type AssessmentRecorded = DomainEvent<
  'AssessmentRecorded',
  PersonAssessmentData | HouseholdAssessmentData
>;

/** The member an assessment measures, or null for one of the household as a whole (schema v1). */
export const assessedMember = (data: AssessmentRecorded['data']): string | null =>
  typeof (data as Partial<PersonAssessmentData>).memberId === 'string'
    ? (data as PersonAssessmentData).memberId
    : null;

export type AssessmentEvent = AssessmentRecorded;
export const ASSESSMENT_EVENT_TYPES = [
  'AssessmentRecorded',
] as const satisfies readonly AssessmentEvent['type'][];

export interface RecordAssessment {
  readonly type: 'RecordAssessment';
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
  readonly assessmentId: string;
  /** The adult member assessed: a current member, 18 or over on assessedOn. */
  readonly memberId: string;
  /** YYYY-MM-DD; today when absent. */
  readonly assessedOn?: string;
  readonly scores: Readonly<Record<string, number>>;
  readonly notes?: string;
}
export type AssessmentCommand = RecordAssessment;
export const ASSESSMENT_COMMAND_TYPES = [
  'RecordAssessment',
] as const satisfies readonly AssessmentCommand['type'][];

export interface AssessmentState {
  readonly assessmentIds: readonly string[];
  /**
   * Per member, the date of their latest assessment. Household-wide assessments (schema v1) are a
   * series no new assessment continues, so they set none.
   */
  readonly lastAssessedOn: Readonly<Record<string, string>>;
}
export const initialAssessmentState = (): AssessmentState => ({ assessmentIds: [], lastAssessedOn: {} });

export const evolveAssessments = (state: AssessmentState, event: AssessmentEvent): AssessmentState => {
  const memberId = assessedMember(event.data);
  return {
    assessmentIds: [...state.assessmentIds, event.data.assessmentId],
    lastAssessedOn:
      memberId === null
        ? state.lastAssessedOn
        : { ...state.lastAssessedOn, [memberId]: event.data.assessedOn },
  };
};

/** Every life domain scored, each a whole number 1-5, and nothing else; otherwise names what is wrong. */
export const validateZrmScores = (
  scores: Readonly<Record<string, unknown>>,
): { field: string; reason: string }[] => {
  const errors: { field: string; reason: string }[] = [];
  for (const domain of LIFE_DOMAINS) {
    const score = scores[domain];
    if (score === undefined)
      errors.push({ field: `scores.${domain}`, reason: 'is required: every life domain is scored' });
    else if (typeof score !== 'number' || !Number.isInteger(score) || score < ZRM_MIN || score > ZRM_MAX) {
      errors.push({
        field: `scores.${domain}`,
        reason: `must be a whole number from ${ZRM_MIN} to ${ZRM_MAX}`,
      });
    }
  }
  for (const key of Object.keys(scores)) {
    if (!(LIFE_DOMAINS as readonly string[]).includes(key)) {
      errors.push({ field: `scores.${key}`, reason: 'is not a ZRM 2017 life domain' });
    }
  }
  return errors;
};

export const decideAssessments = (command: AssessmentCommand, state: HouseholdState): AssessmentEvent[] => {
  requireRegistered(state);
  requireHouseholdWorker(command.actor, state, 'record assessments');
  const errors = validateZrmScores(command.scores);
  if (errors.length > 0) {
    throw invalid(
      'IncompleteAssessment',
      `scores: ${errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`,
      {
        field: errors[0]!.field,
      },
    );
  }
  requireMember(state, command.memberId, 'memberId');
  const assessments = state.assessments;
  if (assessments.assessmentIds.includes(command.assessmentId)) {
    throw conflict(
      'AssessmentAlreadyRecorded',
      `assessment ${command.assessmentId} is already recorded; a measurement is never changed`,
    );
  }
  const today = dateInNl(command.at);
  const assessedOn = command.assessedOn ?? today;
  if (!isCalendarDate(assessedOn) || assessedOn > today) {
    throw invalid(
      'InvalidAssessmentDate',
      `assessedOn: ${assessedOn} is not a date on or before today (${today})`,
      {
        field: 'assessedOn',
      },
    );
  }
  const member = state.members[command.memberId]!;
  const age = ageOn(birthOf(member), assessedOn);
  if (!(age >= CAPACITY_AGES.adultFrom)) {
    throw conflict(
      'NotAnAdultMember',
      `member ${command.memberId} is under ${CAPACITY_AGES.adultFrom} on ${assessedOn} (age ${Math.max(age, 0)}); the ZRM measures one adult`,
    );
  }
  const latest = assessments.lastAssessedOn[command.memberId];
  if (latest !== undefined && assessedOn < latest) {
    throw conflict(
      'AssessmentOutOfOrder',
      `assessedOn: ${assessedOn} is before member ${command.memberId}'s latest assessment (${latest}); progress is measured in order`,
    );
  }
  const scores = Object.fromEntries(LIFE_DOMAINS.map((d) => [d, command.scores[d]!])) as unknown as ZrmScores;
  return [
    {
      type: 'AssessmentRecorded',
      data: {
        assessmentId: command.assessmentId,
        memberId: command.memberId,
        assessedOn,
        scores,
        assessedBy: command.actor.id,
        recordedAt: command.at,
      },
      ...(command.notes !== undefined ? { personal: { notes: command.notes } } : {}),
    },
  ];
};

/** Per life domain, the later score minus the earlier one (positive: more self-sufficient). */
export const zrmProgress = (earlier: ZrmScores, later: ZrmScores): Record<LifeDomain, number> =>
  Object.fromEntries(LIFE_DOMAINS.map((d) => [d, later[d] - earlier[d]])) as Record<LifeDomain, number>;

// ---- the slice ---------------------------------------------------------------------------------

export const assessmentSlice = householdSlice({
  commands: ASSESSMENT_COMMAND_TYPES,
  events: ASSESSMENT_EVENT_TYPES,
  decide: decideAssessments,
  evolve: (state, event) => ({ ...state, assessments: evolveAssessments(state.assessments, event) }),
});
