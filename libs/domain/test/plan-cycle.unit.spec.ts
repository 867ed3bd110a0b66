import {
  type AssessmentRecorded,
  LIFE_DOMAINS,
  type MarkOverdueReassessments,
  type MemberLeft,
  type PersonAssessmentData,
  type ReassessmentOverdue,
  type ZrmScores,
  addMonths,
  type MarkOverduePlanEvaluation,
  type PlanEvaluationOverdue,
  type PlanEvaluationDateSet,
  type SetPlanEvaluationDate,
  type GoalStatusSet,
  type GoalTargetDateSet,
  type SetGoalStatus,
  type SetGoalTargetDate,
  isAgreed,
} from '@eenplan/domain';
import {
  actor,
  addGoal,
  agree,
  agreed,
  agreementRecorded,
  authoritySet,
  EVALUATE_BY,
  closed,
  goalAdded,
  HH,
  household,
  householdState,
  PARENT,
  registered,
  T,
} from './fixtures';

/** The plan's cycle (issue 19): where each goal stands and by when it should be reached. */

const TODAY = '2025-03-03'; // the fixtures' command day, T(30), in NL

const setStatus = (
  o: Partial<Pick<SetGoalStatus, 'goalId' | 'status' | 'reason'>> & { by?: 'anna' | 'karim' } = {},
): SetGoalStatus => ({
  type: 'SetGoalStatus',
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: T(30),
  goalId: o.goalId ?? 'g1',
  status: o.status ?? 'achieved',
  ...(o.reason !== undefined ? { reason: o.reason } : {}),
});
const statusSet = (
  o: { status?: GoalStatusSet['data']['status']; reason?: string; by?: string } = {},
): GoalStatusSet => ({
  type: 'GoalStatusSet',
  data: { goalId: 'g1', status: o.status ?? 'achieved', on: TODAY, setBy: o.by ?? 'anna' },
  ...(o.reason !== undefined ? { personal: { reason: o.reason } } : {}),
});
const setTarget = (
  targetDate: string | null,
  o: { goalId?: string; by?: 'anna' | 'karim' } = {},
): SetGoalTargetDate => ({
  type: 'SetGoalTargetDate',
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: T(30),
  goalId: o.goalId ?? 'g1',
  targetDate,
});
const targetSet = (targetDate: string | null, revision = 1): GoalTargetDateSet => ({
  type: 'GoalTargetDateSet',
  data: { goalId: 'g1', targetDate, setBy: 'anna', planRevision: revision },
});

describe('a goal added with a target date', () => {
  it('records the target date in the event, and the goal starts open', () => {
    const withTarget = { ...goalAdded(), data: { ...goalAdded().data, targetDate: '2025-09-01' } };
    household
      .given([registered()])
      .when({ ...addGoal(), targetDate: '2025-09-01' })
      .then([withTarget]);
    expect(householdState([registered(), withTarget]).goals['g1']).toEqual({
      goalId: 'g1',
      lifeDomain: 'finances',
      status: 'open',
      targetDate: '2025-09-01',
    });
  });

  it('reads a goal added before issue 19 as open, without a target date', () => {
    expect(householdState([registered(), goalAdded()]).goals['g1']).toMatchObject({
      status: 'open',
      targetDate: null,
    });
  });

  it('accepts today as target date', () => {
    household
      .given([registered()])
      .when({ ...addGoal(), targetDate: TODAY })
      .then([{ ...goalAdded(), data: { ...goalAdded().data, targetDate: TODAY } }]);
  });

  it.each(['2025-03-02', '2025-02-30', 'soon'])(
    'refuses target date %s (past or not a day)',
    (targetDate) => {
      household
        .given([registered()])
        .when({ ...addGoal(), targetDate })
        .thenRefuses({ code: 'InvalidTargetDate', kind: 'invalid', details: { field: 'targetDate' } });
    },
  );
});

describe("a goal's status: a plan worker records where it stands; no change of the plan", () => {
  it('sets a status on the day of the command, the reason personal, and leaves revision and agreement', () => {
    household
      .given([registered(), goalAdded(), agreed()])
      .when(setStatus({ status: 'partly-achieved', reason: 'Schulden deels geregeld' }))
      .then([statusSet({ status: 'partly-achieved', reason: 'Schulden deels geregeld' })]);
    const state = householdState([
      registered(),
      goalAdded(),
      agreed(),
      statusSet({ status: 'partly-achieved' }),
    ]);
    expect(state.goals['g1']!.status).toBe('partly-achieved');
    expect(state.planRevision).toBe(1);
    expect(isAgreed(state)).toBe(true);
  });

  it.each(['achieved', 'partly-achieved', 'not-achieved', 'dropped'] as const)('sets status %s', (status) => {
    household
      .given([registered(), goalAdded()])
      .when(setStatus({ status }))
      .then([statusSet({ status })]);
  });

  it('sets a goal back to open, without a reason', () => {
    household
      .given([registered(), goalAdded(), statusSet({ status: 'dropped' })])
      .when(setStatus({ status: 'open' }))
      .then([statusSet({ status: 'open' })]);
  });

  it('refuses the status the goal has already (a new goal is open)', () => {
    household
      .given([registered(), goalAdded()])
      .when(setStatus({ status: 'open' }))
      .thenRefuses({ code: 'GoalStatusUnchanged', kind: 'conflict' });
    household
      .given([registered(), goalAdded(), statusSet()])
      .when(setStatus())
      .thenRefuses({ code: 'GoalStatusUnchanged', kind: 'conflict' });
  });

  it('refuses a goal that does not exist (invariant 10)', () => {
    household
      .given([registered(), goalAdded()])
      .when(setStatus({ goalId: 'g9' }))
      .thenRefuses({ code: 'GoalNotFound', kind: 'conflict', invariant: 10 });
  });

  it("refuses an id of Object.prototype's ('constructor', 'toString') as a goal: no phantom goal, so an empty plan stays unagreeable", () => {
    for (const goalId of ['constructor', 'toString', '__proto__'])
      household
        .given([registered()])
        .when(setStatus({ goalId }))
        .thenRefuses({ code: 'GoalNotFound', kind: 'conflict', invariant: 10 });
    household
      .given([registered()])
      .when(setTarget('2025-06-01', { goalId: 'constructor' }))
      .thenRefuses({ code: 'GoalNotFound', kind: 'conflict', invariant: 10 });
    // Even an event naming such a goal (as one written before this check) adds none.
    const state = householdState([
      registered(),
      { ...statusSet(), data: { ...statusSet().data, goalId: 'constructor' } },
    ]);
    expect(Object.keys(state.goals)).toEqual([]);
  });

  it('refuses a worker who may not change the plan, and a closed plan', () => {
    household
      .given([registered(), goalAdded()])
      .when(setStatus({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
    household
      .given([registered(), goalAdded(), closed()])
      .when(setStatus())
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });

  it('lets the regie holder from another team set one', () => {
    household
      .given([registered({ regie: 'karim' }), goalAdded()])
      .when(setStatus({ by: 'karim' }))
      .then([statusSet({ by: 'karim' })]);
  });
});

describe("a goal's target date: part of what was agreed, so a change is a new revision (invariant 11)", () => {
  it('sets a target date in the same revision while nothing is agreed', () => {
    household
      .given([registered(), goalAdded()])
      .when(setTarget('2025-09-01'))
      .then([targetSet('2025-09-01', 1)]);
    expect(householdState([registered(), goalAdded(), targetSet('2025-09-01')]).goals['g1']!.targetDate).toBe(
      '2025-09-01',
    );
  });

  it('changes it after the agreement as the next revision, which needs agreement again', () => {
    household
      .given([registered(), goalAdded(), agreed()])
      .when(setTarget('2025-09-01'))
      .then([targetSet('2025-09-01', 2)]);
    const state = householdState([registered(), goalAdded(), agreed(), targetSet('2025-09-01', 2)]);
    expect([state.planRevision, isAgreed(state)]).toEqual([2, false]);
  });

  it('clears a target date', () => {
    household
      .given([registered(), goalAdded(), targetSet('2025-09-01')])
      .when(setTarget(null))
      .then([targetSet(null)]);
    expect(
      householdState([registered(), goalAdded(), targetSet('2025-09-01'), targetSet(null)]).goals['g1']!
        .targetDate,
    ).toBeNull();
  });

  it('refuses the target date the goal has already, and clearing none', () => {
    household
      .given([registered(), goalAdded(), targetSet('2025-09-01')])
      .when(setTarget('2025-09-01'))
      .thenRefuses({ code: 'GoalTargetDateUnchanged', kind: 'conflict' });
    household
      .given([registered(), goalAdded()])
      .when(setTarget(null))
      .thenRefuses({ code: 'GoalTargetDateUnchanged', kind: 'conflict' });
  });

  it('refuses a date before today, a goal that does not exist, another team and a closed plan', () => {
    household
      .given([registered(), goalAdded()])
      .when(setTarget('2025-03-02'))
      .thenRefuses({ code: 'InvalidTargetDate', kind: 'invalid', details: { field: 'targetDate' } });
    household
      .given([registered(), goalAdded()])
      .when(setTarget('2025-09-01', { goalId: 'g9' }))
      .thenRefuses({ code: 'GoalNotFound', kind: 'conflict', invariant: 10 });
    household
      .given([registered(), goalAdded()])
      .when(setTarget('2025-09-01', { by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
    household
      .given([registered(), goalAdded(), closed()])
      .when(setTarget('2025-09-01'))
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });
});

describe("the plan's evaluation date: set when the plan is agreed, changeable by the regie holder", () => {
  const setEvaluation = (
    evaluateBy: string,
    by: 'anna' | 'bas' | 'karim' = 'anna',
  ): SetPlanEvaluationDate => ({
    type: 'SetPlanEvaluationDate',
    householdId: HH,
    actor: actor(by),
    at: T(30),
    evaluateBy,
  });
  const evaluationSet = (evaluateBy: string, setBy = 'anna'): PlanEvaluationDateSet => ({
    type: 'PlanEvaluationDateSet',
    data: { evaluateBy, setBy },
  });

  it('the agreement sets it the configured months after the day of agreement', () => {
    household
      .given([registered(), authoritySet(), goalAdded()])
      .when(agree())
      .then([agreementRecorded(), agreed({ evaluateBy: '2025-09-03' })]);
    household
      .given([registered(), authoritySet(), goalAdded()])
      .when({ ...agree(), evaluationAfterMonths: 12 })
      .then([agreementRecorded(), agreed({ evaluateBy: '2026-03-03' })]);
    expect(householdState([registered(), authoritySet(), goalAdded(), agreed()]).evaluateBy).toBe(
      EVALUATE_BY,
    );
  });

  it('a later agreement keeps an evaluation date still ahead, and starts again from one that passed', () => {
    const agreedAndChanged = [
      registered(),
      authoritySet(),
      goalAdded(),
      agreed(),
      goalAdded({ goalId: 'g2', revision: 2 }),
    ];
    household
      .given([...agreedAndChanged, evaluationSet('2025-04-01')])
      .when(agree())
      .then([agreementRecorded({ revision: 2 }), agreed({ revision: 2, evaluateBy: '2025-04-01' })]);
    household
      .given([...agreedAndChanged, evaluationSet('2025-03-03')])
      .when(agree())
      .then([agreementRecorded({ revision: 2 }), agreed({ revision: 2, evaluateBy: '2025-09-03' })]);
  });

  it('reads an agreement from before issue 19 as setting no evaluation date', () => {
    const old = agreed();
    const { evaluateBy: _none, ...data } = old.data;
    expect(householdState([registered(), goalAdded(), { ...old, data }]).evaluateBy).toBeNull();
  });

  it('the regie holder changes it to today or later; while the household holds regie, a worker of its team', () => {
    household
      .given([registered(), goalAdded(), agreed()])
      .when(setEvaluation('2025-06-01'))
      .then([evaluationSet('2025-06-01')]);
    household
      .given([registered({ regie: 'karim' }), goalAdded()])
      .when(setEvaluation('2025-03-03', 'karim'))
      .then([evaluationSet('2025-03-03', 'karim')]);
    expect(householdState([registered(), agreed(), evaluationSet('2025-06-01')]).evaluateBy).toBe(
      '2025-06-01',
    );
  });

  it('refuses a worker who does not hold regie (403 NotRegieHolder)', () => {
    household
      .given([registered({ regie: 'karim' }), goalAdded()])
      .when(setEvaluation('2025-06-01', 'anna'))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden' });
    household
      .given([registered(), goalAdded()])
      .when(setEvaluation('2025-06-01', 'karim'))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden' });
  });

  it('refuses a date before today or no date, the date it has already, and a closed plan', () => {
    for (const date of ['2025-03-02', '2025-13-01'])
      household
        .given([registered(), goalAdded(), agreed()])
        .when(setEvaluation(date))
        .thenRefuses({ code: 'InvalidEvaluationDate', kind: 'invalid', details: { field: 'evaluateBy' } });
    household
      .given([registered(), goalAdded(), agreed()])
      .when(setEvaluation(EVALUATE_BY))
      .thenRefuses({ code: 'PlanEvaluationDateUnchanged', kind: 'conflict' });
    household
      .given([registered(), goalAdded(), closed()])
      .when(setEvaluation('2025-06-01'))
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });
});

describe('addMonths: the calendar date some months on, never a period cut short', () => {
  it.each([
    ['2025-03-03', 6, '2025-09-03'],
    ['2025-08-31', 6, '2026-03-01'],
    ['2025-08-31', 1, '2025-10-01'],
    ['2024-02-29', 12, '2025-03-01'],
    ['2025-12-15', 1, '2026-01-15'],
  ])('%s plus %i months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe("the plan's evaluation overdue: recorded once per date by the sweep, as the system", () => {
  const sweep = (day: string): MarkOverduePlanEvaluation => ({
    type: 'MarkOverduePlanEvaluation',
    householdId: HH,
    actor: { id: 'plan-cycle-sweep', roles: [], teams: [] },
    at: `${day}T10:00:00.000Z`,
  });
  const overdue = (evaluateBy: string, day: string): PlanEvaluationOverdue => ({
    type: 'PlanEvaluationOverdue',
    data: { evaluateBy, detectedAt: `${day}T10:00:00.000Z` },
  });
  const agreedPlan = [registered(), goalAdded(), agreed()]; // to be evaluated by 2025-09-03

  it('records it once the day of the evaluation date is over in the Netherlands', () => {
    household.given(agreedPlan).when(sweep('2025-09-03')).then([]);
    household
      .given(agreedPlan)
      .when(sweep('2025-09-04'))
      .then([overdue(EVALUATE_BY, '2025-09-04')]);
    expect(householdState([...agreedPlan, overdue(EVALUATE_BY, '2025-09-04')]).evaluationOverdueFor).toBe(
      EVALUATE_BY,
    );
  });

  it('records a date once: a rerun adds nothing; a new date can be overdue in turn', () => {
    const recorded = [...agreedPlan, overdue(EVALUATE_BY, '2025-09-04')];
    household.given(recorded).when(sweep('2025-10-01')).then([]);
    const moved = [
      ...recorded,
      { type: 'PlanEvaluationDateSet' as const, data: { evaluateBy: '2025-10-01', setBy: 'anna' } },
    ];
    household.given(moved).when(sweep('2025-10-01')).then([]);
    household
      .given(moved)
      .when(sweep('2025-10-02'))
      .then([overdue('2025-10-01', '2025-10-02')]);
  });

  it('records nothing for a plan without an evaluation date, a closed plan or an unregistered household', () => {
    household.given([registered(), goalAdded()]).when(sweep('2030-01-01')).then([]);
    household
      .given([...agreedPlan, closed()])
      .when(sweep('2030-01-01'))
      .then([]);
    household.given([]).when(sweep('2030-01-01')).then([]);
  });
});

describe('a ZRM re-assessment overdue: recorded once per assessment by the sweep', () => {
  const sweep = (day: string, months = 6): MarkOverdueReassessments => ({
    type: 'MarkOverdueReassessments',
    householdId: HH,
    actor: { id: 'plan-cycle-sweep', roles: [], teams: [] },
    at: `${day}T10:00:00.000Z`,
    reassessmentAfterMonths: months,
  });
  const assessed = (on: string, memberId = PARENT): AssessmentRecorded => ({
    type: 'AssessmentRecorded',
    data: {
      assessmentId: `z-${on}`,
      memberId,
      assessedOn: on,
      scores: Object.fromEntries(LIFE_DOMAINS.map((d) => [d, 3])) as unknown as ZrmScores,
      assessedBy: 'anna',
      recordedAt: `${on}T10:00:00.000Z`,
    },
  });
  const overdue = (lastAssessedOn: string, dueOn: string, day: string): ReassessmentOverdue => ({
    type: 'ReassessmentOverdue',
    data: { memberId: PARENT, lastAssessedOn, dueOn, detectedAt: `${day}T10:00:00.000Z` },
  });

  it('records it once the day the configured months after the latest assessment is over', () => {
    const history = [registered(), assessed('2025-03-03')];
    household.given(history).when(sweep('2025-09-03')).then([]);
    household
      .given(history)
      .when(sweep('2025-09-04'))
      .then([overdue('2025-03-03', '2025-09-03', '2025-09-04')]);
    household
      .given(history)
      .when(sweep('2025-06-04', 3))
      .then([overdue('2025-03-03', '2025-06-03', '2025-06-04')]);
    expect(
      householdState([...history, overdue('2025-03-03', '2025-09-03', '2025-09-04')]).reassessmentOverdueFor,
    ).toEqual({
      [PARENT]: '2025-03-03',
    });
  });

  it('records an assessment once; a new assessment starts the period again', () => {
    const recorded = [
      registered(),
      assessed('2025-03-03'),
      overdue('2025-03-03', '2025-09-03', '2025-09-04'),
    ];
    household.given(recorded).when(sweep('2025-12-01')).then([]);
    household
      .given([...recorded, assessed('2025-10-01')])
      .when(sweep('2026-04-01'))
      .then([]);
    household
      .given([...recorded, assessed('2025-10-01')])
      .when(sweep('2026-04-02'))
      .then([overdue('2025-10-01', '2026-04-01', '2026-04-02')]);
  });

  it('records nothing for a member who left, a closed plan, or assessments of the household as a whole', () => {
    const left: MemberLeft = {
      type: 'MemberLeft',
      data: { memberId: PARENT, reason: 'moved-out', on: '2025-04-01', recordedBy: 'anna' },
    };
    household
      .given([registered(), assessed('2025-03-03'), left])
      .when(sweep('2026-01-01'))
      .then([]);
    household
      .given([registered(), assessed('2025-03-03'), closed()])
      .when(sweep('2026-01-01'))
      .then([]);
    const { memberId: _m, ...householdWide } = assessed('2025-03-03').data as PersonAssessmentData;
    household
      .given([registered(), { type: 'AssessmentRecorded', data: householdWide }])
      .when(sweep('2026-01-01'))
      .then([]);
  });
});
