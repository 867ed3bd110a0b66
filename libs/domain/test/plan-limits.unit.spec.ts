import {
  actionAdded,
  actionCompleted,
  addAction,
  addGoal,
  goalAdded,
  household,
  registered,
} from './fixtures';

/** A plan of `goals` goals (g1..) and `actions` actions (a1.., all under g1). */
const planOf = (goals: number, actions: number, completed = 0) => [
  registered(),
  ...Array.from({ length: goals }, (_, i) => goalAdded({ goalId: `g${i + 1}` })),
  ...Array.from({ length: actions }, (_, i) => actionAdded({ actionId: `a${i + 1}` })),
  ...Array.from({ length: completed }, (_, i) => actionCompleted({ actionId: `a${i + 1}` })),
];

describe('a plan holds at most the configured number of goals and actions', () => {
  const limits = { maxGoals: 3, maxActions: 4 };

  it('adds the last goal that fits', () => {
    household
      .given(planOf(2, 0))
      .when(addGoal({ goalId: 'g3', limits }))
      .then([goalAdded({ goalId: 'g3' })]);
  });

  it('refuses a goal past the cap, naming the cap', () => {
    const error = household
      .given(planOf(3, 0))
      .when(addGoal({ goalId: 'g4', limits }))
      .thenRefuses({ code: 'GoalLimitReached', kind: 'conflict', details: { maxGoalsPerHousehold: 3 } });
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ maxGoalsPerHousehold: 3 });
    expect(error.message).toContain('at most 3 goals');
  });

  it('adds the last action that fits', () => {
    household
      .given(planOf(1, 3))
      .when(addAction({ actionId: 'a4', limits }))
      .then([actionAdded({ actionId: 'a4' })]);
  });

  it('refuses an action past the cap, naming the cap', () => {
    const error = household
      .given(planOf(1, 4))
      .when(addAction({ actionId: 'a5', limits }))
      .thenRefuses({ code: 'ActionLimitReached', kind: 'conflict', details: { maxActionsPerHousehold: 4 } });
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ maxActionsPerHousehold: 4 });
  });

  it('counts completed actions too: they stay in the plan', () => {
    household
      .given(planOf(1, 4, 4))
      .when(addAction({ actionId: 'a5', limits }))
      .thenRefuses({ code: 'ActionLimitReached', kind: 'conflict', details: { maxActionsPerHousehold: 4 } });
  });

  it('takes the cap from the command: a larger configured cap lets the same plan grow', () => {
    household
      .given(planOf(3, 4))
      .when(addGoal({ goalId: 'g4', limits: { maxGoals: 4, maxActions: 4 } }))
      .then([goalAdded({ goalId: 'g4' })]);
  });

  it('still refuses a reused goal id as such, not as a full plan', () => {
    household
      .given(planOf(3, 0))
      .when(addGoal({ goalId: 'g1', limits }))
      .thenRefuses({ code: 'GoalAlreadyExists', kind: 'conflict' });
  });
});
