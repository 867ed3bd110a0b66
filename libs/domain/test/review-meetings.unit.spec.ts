import { householdDecider, type RecordReviewMeeting, type ReviewMeetingHeld } from '@eenplan/domain';
import {
  actionAdded,
  actor,
  agreed,
  closed,
  EVALUATE_BY,
  facts,
  goalAdded,
  HH,
  household,
  householdState,
  inactive,
  LIMITS,
  PARENT,
  registered,
  T,
} from './fixtures';
import { networkMemberAdded } from './people-around.fixtures';

/** Review meetings (issue 19): who attended, what was decided, decisions that become actions. */

const TODAY = '2025-03-03'; // T(30) in NL

const record = (o: Partial<RecordReviewMeeting> & { by?: 'anna' | 'karim' } = {}): RecordReviewMeeting => {
  const { by, ...rest } = o;
  return {
    type: 'RecordReviewMeeting',
    householdId: HH,
    actor: actor(by ?? 'anna'),
    at: T(30),
    meetingId: 'rm1',
    on: '2025-03-01',
    attendees: [
      { kind: 'worker', id: 'anna' },
      { kind: 'member', id: PARENT },
    ],
    householdPresent: true,
    decisions: [{ decisionId: 'd1', text: 'Over drie maanden opnieuw kijken naar de schulden' }],
    evaluationAfterMonths: 6,
    limits: LIMITS,
    ownerWorkers: {},
    ...rest,
  };
};

const held = (
  o: Partial<ReviewMeetingHeld['data']> & { personal?: Record<string, unknown> } = {},
): ReviewMeetingHeld => {
  const { personal, ...data } = o;
  return {
    type: 'ReviewMeetingHeld',
    data: {
      meetingId: 'rm1',
      on: '2025-03-01',
      attendees: [
        { kind: 'worker', id: 'anna' },
        { kind: 'member', id: PARENT },
      ],
      householdPresent: true,
      decisions: [{ decisionId: 'd1', actionId: null }],
      nextEvaluateBy: null,
      recordedBy: 'anna',
      ...data,
    },
    personal: personal ?? { decisions: { d1: 'Over drie maanden opnieuw kijken naar de schulden' } },
  };
};

describe('recording a review meeting', () => {
  it('records who attended, whether the household was there and the decisions; the texts are personal', () => {
    household
      .given([registered(), goalAdded()])
      .when(record({ notes: 'Goed gesprek, moeder was positief' }))
      .then([
        held({
          personal: {
            notes: 'Goed gesprek, moeder was positief',
            decisions: { d1: 'Over drie maanden opnieuw kijken naar de schulden' },
          },
        }),
      ]);
    const state = householdState([registered(), goalAdded(), agreed(), held()]);
    expect(state.reviewMeetings).toEqual({ rm1: held().data });
    // A meeting that did not evaluate the plan leaves its evaluation date, revision and agreement.
    expect([state.evaluateBy, state.planRevision, state.agreedRevision]).toEqual([EVALUATE_BY, 1, 1]);
  });

  it('records a meeting without the household, with a network member and a professional from elsewhere', () => {
    const attendees = [
      { kind: 'worker', id: 'anna' },
      { kind: 'network-member', id: 'n1' },
      { kind: 'professional', id: 'ggz-42' },
    ] as const;
    household
      .given([registered(), networkMemberAdded()])
      .when(record({ attendees: [...attendees], householdPresent: false, decisions: [] }))
      .then([
        held({
          attendees: [...attendees],
          householdPresent: false,
          decisions: [],
          personal: { decisions: {} },
        }),
      ]);
  });

  it('a decision that becomes an action adds it to the plan in the same command, by the action rules', () => {
    const decisions = [
      {
        decisionId: 'd1',
        text: 'Budgetcoach inschakelen',
        action: { actionId: 'a1', goalId: 'g1', owner: { kind: 'worker' as const, id: 'bas' } },
      },
      {
        decisionId: 'd2',
        text: 'Moeder belt de woningcorporatie',
        action: { actionId: 'a2', goalId: 'g1', owner: { kind: 'household' as const } },
      },
    ];
    const added = (actionId: string, owner: { kind: 'worker' | 'household'; id: string }, text: string) => ({
      ...actionAdded({ actionId, owner, revision: 2 }),
      personal: { description: text },
    });
    household
      .given([registered(), goalAdded(), agreed()])
      .when(record({ decisions, ownerWorkers: { bas: facts('bas') } }))
      .then([
        held({
          decisions: [
            { decisionId: 'd1', actionId: 'a1' },
            { decisionId: 'd2', actionId: 'a2' },
          ],
          personal: { decisions: { d1: 'Budgetcoach inschakelen', d2: 'Moeder belt de woningcorporatie' } },
        }),
        added('a1', { kind: 'worker', id: 'bas' }, 'Budgetcoach inschakelen'),
        added('a2', { kind: 'household', id: HH }, 'Moeder belt de woningcorporatie'),
      ]);
  });

  it("refuses the whole meeting when a decision's action breaks a rule: its goal, its id, its owner, the plan's room", () => {
    const withAction = (action: Partial<NonNullable<RecordReviewMeeting['decisions'][number]['action']>>) =>
      record({
        decisions: [
          {
            decisionId: 'd1',
            text: 'Actie',
            action: { actionId: 'a9', goalId: 'g1', owner: { kind: 'household' }, ...action },
          },
        ],
      });
    household
      .given([registered(), goalAdded()])
      .when(withAction({ goalId: 'g9' }))
      .thenRefuses({ code: 'GoalNotFound', kind: 'conflict', invariant: 10 });
    household
      .given([registered(), goalAdded(), actionAdded({ actionId: 'a9' })])
      .when(withAction({}))
      .thenRefuses({ code: 'ActionAlreadyExists', kind: 'conflict' });
    household
      .given([registered(), goalAdded()])
      .when(withAction({ owner: { kind: 'network', id: 'n9' } }))
      .thenRefuses({ code: 'OwnerNotLinked', kind: 'conflict', invariant: 10 });
    household
      .given([registered(), goalAdded()])
      .when({
        ...withAction({ owner: { kind: 'worker', id: 'bas' } }),
        ownerWorkers: { bas: inactive('bas') },
      })
      .thenRefuses({ code: 'WorkerNotActive', kind: 'conflict', invariant: 1 });
    household
      .given([registered(), goalAdded(), actionAdded()])
      .when({ ...withAction({}), limits: { maxGoals: 50, maxActions: 1 } })
      .thenRefuses({ code: 'ActionLimitReached', kind: 'conflict', details: { maxActionsPerHousehold: 1 } });
    // Two decisions that would add the same action: the second sees the first.
    household
      .given([registered(), goalAdded()])
      .when(
        record({
          decisions: [
            {
              decisionId: 'd1',
              text: 'Een',
              action: { actionId: 'a9', goalId: 'g1', owner: { kind: 'household' } },
            },
            {
              decisionId: 'd2',
              text: 'Twee',
              action: { actionId: 'a9', goalId: 'g1', owner: { kind: 'household' } },
            },
          ],
        }),
      )
      .thenRefuses({ code: 'ActionAlreadyExists', kind: 'conflict' });
  });

  it('a meeting that evaluates the plan sets the next evaluation date: the one given, else the configured months on', () => {
    household
      .given([registered(), goalAdded(), agreed()])
      .when(record({ evaluation: { nextEvaluateBy: '2025-06-01' } }))
      .then([held({ nextEvaluateBy: '2025-06-01' })]);
    household
      .given([registered(), goalAdded(), agreed()])
      .when(record({ evaluation: {} }))
      .then([held({ nextEvaluateBy: '2025-09-01' })]);
    expect(
      householdState([registered(), goalAdded(), agreed(), held({ nextEvaluateBy: '2025-06-01' })])
        .evaluateBy,
    ).toBe('2025-06-01');
  });

  it("a team worker who does not hold regie records a meeting, but not one that sets the plan's evaluation date (403 NotRegieHolder)", () => {
    const history = [registered({ regie: 'bas' }), goalAdded(), agreed()];
    household
      .given(history)
      .when(record({ evaluation: {} }))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden' });
    household.given(history).when(record()).then([held()]);
  });

  it('refuses a meeting id used before, a day after today or no day, and a next evaluation before today', () => {
    household
      .given([registered(), held()])
      .when(record())
      .thenRefuses({ code: 'ReviewMeetingAlreadyRecorded', kind: 'conflict' });
    for (const on of ['2025-03-04', '2025-02-29'])
      household
        .given([registered()])
        .when(record({ on }))
        .thenRefuses({ code: 'InvalidMeetingDate', kind: 'invalid', details: { field: 'on' } });
    household
      .given([registered()])
      .when(record({ on: TODAY, evaluation: { nextEvaluateBy: '2025-03-02' } }))
      .thenRefuses({
        code: 'InvalidEvaluationDate',
        kind: 'invalid',
        details: { field: 'evaluation.nextEvaluateBy' },
      });
  });

  it('refuses an attendee the household does not know, and a decision id named twice', () => {
    household
      .given([registered()])
      .when(record({ attendees: [{ kind: 'member', id: 'p9' }] }))
      .thenRefuses({ code: 'UnknownAttendee', kind: 'invalid', details: { field: 'attendees[0].id' } });
    household
      .given([registered()])
      .when(
        record({
          attendees: [
            { kind: 'worker', id: 'anna' },
            { kind: 'network-member', id: 'n1' },
          ],
        }),
      )
      .thenRefuses({ code: 'UnknownAttendee', kind: 'invalid', details: { field: 'attendees[1].id' } });
    household
      .given([registered()])
      .when(
        record({
          decisions: [
            { decisionId: 'd1', text: 'Een' },
            { decisionId: 'd1', text: 'Twee' },
          ],
        }),
      )
      .thenRefuses({ code: 'DuplicateDecision', kind: 'invalid', details: { field: 'decisions' } });
  });

  it("refuses a member who left and an id of Object.prototype's as attendees; a meeting id 'constructor' is a new one", () => {
    const leftC1 = {
      type: 'MemberLeft' as const,
      data: { memberId: 'c1', reason: 'moved-out' as const, on: '2025-03-01', recordedBy: 'anna' },
    };
    household
      .given([registered(), leftC1])
      .when(record({ attendees: [{ kind: 'member', id: 'c1' }] }))
      .thenRefuses({ code: 'UnknownAttendee', kind: 'invalid', details: { field: 'attendees[0].id' } });
    household
      .given([registered()])
      .when(record({ attendees: [{ kind: 'member', id: 'toString' }] }))
      .thenRefuses({ code: 'UnknownAttendee', kind: 'invalid', details: { field: 'attendees[0].id' } });
    const events = householdDecider.decide(
      record({ meetingId: 'constructor' }),
      householdState([registered()]),
    );
    expect(events.map((e) => e.type)).toEqual(['ReviewMeetingHeld']);
  });

  it('refuses a worker who may not change the plan, and a closed plan; the regie holder from elsewhere records one', () => {
    household
      .given([registered()])
      .when(record({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
    household
      .given([registered(), closed()])
      .when(record())
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
    household
      .given([registered({ regie: 'karim' })])
      .when(record({ by: 'karim' }))
      .then([held({ recordedBy: 'karim' })]);
  });
});
