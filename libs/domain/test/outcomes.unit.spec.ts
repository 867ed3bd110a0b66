import { closureReasonOf, isRecurrence, type PlanClosed } from '@eenplan/domain';
import {
  close,
  closed,
  goalAdded,
  household,
  householdState,
  registered,
  reopen,
  reopened,
  T,
} from './fixtures';

/**
 * Issue 19, outcomes (docs/OUTCOMES.md): a closure carries a reason code and each goal's realisation,
 * so that closures can be counted; a reopen says whether it is a recurrence (within 12 months).
 */
describe('the coded closure', () => {
  const plan = [
    registered(),
    goalAdded({ goalId: 'g1' }),
    goalAdded({ goalId: 'g2', lifeDomain: 'housing' }),
  ];

  it('records the reason, the district and team, and every goal with its realisation', () => {
    household
      .given(plan)
      .when(
        close({
          reason: 'goals-achieved',
          goals: [
            { goalId: 'g2', realisation: 'partly-achieved' },
            { goalId: 'g1', realisation: 'achieved' },
          ],
        }),
      )
      .then([
        closed({
          reason: 'goals-achieved',
          goals: [
            { goalId: 'g1', lifeDomain: 'finances', realisation: 'achieved' },
            { goalId: 'g2', lifeDomain: 'housing', realisation: 'partly-achieved' },
          ],
        }),
      ]);
  });

  it('records a goal the closure leaves out as not-recorded, and no reason as unknown', () => {
    household
      .given(plan)
      .when(close({ goals: [{ goalId: 'g1', realisation: 'dropped' }] }))
      .then([
        closed({
          reason: 'unknown',
          goals: [
            { goalId: 'g1', lifeDomain: 'finances', realisation: 'dropped' },
            { goalId: 'g2', lifeDomain: 'housing', realisation: 'not-recorded' },
          ],
        }),
      ]);
  });

  it("takes a goal the closure leaves out from the status the team gave it; the closure's own word wins", () => {
    const statusSet = (goalId: string, status: 'achieved' | 'dropped') => ({
      type: 'GoalStatusSet' as const,
      data: { goalId, status, on: '2026-01-05', setBy: 'anna' },
    });
    household
      .given([...plan, statusSet('g1', 'achieved'), statusSet('g2', 'dropped')])
      .when(close({ goals: [{ goalId: 'g2', realisation: 'not-achieved' }] }))
      .then([
        closed({
          reason: 'unknown',
          goals: [
            { goalId: 'g1', lifeDomain: 'finances', realisation: 'achieved' },
            { goalId: 'g2', lifeDomain: 'housing', realisation: 'not-achieved' },
          ],
        }),
      ]);
  });

  it('refuses a goal the plan does not have, naming the field', () => {
    household
      .given(plan)
      .when(close({ reason: 'moved', goals: [{ goalId: 'g9', realisation: 'achieved' }] }))
      .thenRefuses({ code: 'UnknownGoal', kind: 'invalid', details: { field: 'goals[0].goalId' } });
  });

  it('refuses a goal named twice', () => {
    household
      .given(plan)
      .when(
        close({
          reason: 'moved',
          goals: [
            { goalId: 'g1', realisation: 'achieved' },
            { goalId: 'g1', realisation: 'dropped' },
          ],
        }),
      )
      .thenRefuses({ code: 'DuplicateGoal', kind: 'invalid', details: { field: 'goals[1].goalId' } });
  });

  it('still refuses a closed plan before looking at the goals (invariant 9)', () => {
    household
      .given([...plan, closed()])
      .when(close({ reason: 'moved', goals: [{ goalId: 'g9', realisation: 'achieved' }] }))
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });

  it('reads a closure written before the codes (schema v1) as reason unknown', () => {
    const legacy = closed({ legacy: true });
    expect(closureReasonOf(legacy.data)).toBe('unknown');
    expect(householdState([...plan, legacy]).lastClosure).toEqual({ closedAt: T(30), reason: 'unknown' });
    expect(closureReasonOf(closed({ reason: 'moved' }).data as PlanClosed['data'])).toBe('moved');
  });
});

describe('recurrence: a reopen within 12 months of the closure', () => {
  const closedAt = '2025-03-03T09:30:00.000Z';
  const history = [registered(), closed({ at: closedAt, reason: 'continues-without-help' })];

  it('a reopen the next month is a recurrence, and names the closure it undoes', () => {
    const at = '2025-04-10T08:00:00.000Z';
    household
      .given(history)
      .when(reopen({ at }))
      .then([reopened({ at, closedAt, closureReason: 'continues-without-help', recurrence: true })]);
  });

  it('a reopen on the day before the anniversary counts; on the anniversary it does not', () => {
    const dayBefore = '2026-03-02T10:00:00.000Z';
    const anniversary = '2026-03-03T10:00:00.000Z';
    household
      .given(history)
      .when(reopen({ at: dayBefore }))
      .then([
        reopened({ at: dayBefore, closedAt, closureReason: 'continues-without-help', recurrence: true }),
      ]);
    household
      .given(history)
      .when(reopen({ at: anniversary }))
      .then([
        reopened({ at: anniversary, closedAt, closureReason: 'continues-without-help', recurrence: false }),
      ]);
  });

  it('counts by the calendar in the Netherlands: 23:30 UTC on 31 December is already 1 January', () => {
    expect(isRecurrence('2024-12-31T23:30:00.000Z', '2025-12-31T12:00:00.000Z')).toBe(true);
    expect(isRecurrence('2024-12-31T22:30:00.000Z', '2025-12-31T12:00:00.000Z')).toBe(false);
  });

  it('a reopen after a closure written before the codes reads its reason as unknown', () => {
    const at = '2025-05-01T08:00:00.000Z';
    household
      .given([registered(), closed({ at: closedAt, legacy: true })])
      .when(reopen({ at }))
      .then([reopened({ at, closedAt, closureReason: 'unknown', recurrence: true })]);
  });

  it('after a reopen and a second closure, the next reopen is measured from the second', () => {
    const second = '2026-06-01T08:00:00.000Z';
    const at = '2026-07-01T08:00:00.000Z';
    household
      .given([...history, reopened({ legacy: true }), closed({ at: second, reason: 'moved' })])
      .when(reopen({ at }))
      .then([reopened({ at, closedAt: second, closureReason: 'moved', recurrence: true })]);
  });
});
