import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { erasureGroundProblem, type HouseholdState, RETENTION_SWEEP_ACTOR } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { householdClosedRule } from './retention-sweep';

const P20Y = { years: 20, months: 0 };
const rule = (period = P20Y) =>
  householdClosedRule({ closedBefore: async () => [] }, period, async () => undefined);

const event = (type: string, data: Record<string, unknown>) =>
  ({ type, data, metadata: { recordedAt: '2026-01-01T00:00:00.000Z' } }) as unknown as RecordedEvent;
const closedState = { status: 'closed' } as HouseholdState;
const on = (today: string) => ({ today, at: `${today}T09:00:00.000Z`, ground: 'g 1' });

describe('the household-closed rule', () => {
  test('its ground is a reference the erasure decider accepts, for any period and run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 11 }),
        fc.constant(null).map(() => randomUUID()),
        (years, months, runId) => {
          fc.pre(years * 12 + months >= 1);
          expect(erasureGroundProblem(rule({ years, months }).ground(runId))).toBeNull();
        },
      ),
    );
    expect(rule().ground('1a2b3c4d-0000')).toBe(
      'bewaartermijn P20Y na afsluiting plan, jeugdwet art. 7.3.8, run 1a2b3c4d',
    );
    // Another period is not the statute's: the ground does not claim it.
    expect(rule({ years: 7, months: 0 }).ground('1a2b3c4d')).toBe(
      'bewaartermijn P7Y na afsluiting plan, vastgesteld door de gemeente, run 1a2b3c4d',
    );
  });

  test('due on the day the period after the last closure ends, as the system', () => {
    const history = [
      event('PlanClosed', { closedAt: '2020-05-01T10:00:00.000Z' }),
      event('PlanReopened', {}),
      // Just before midnight UTC: already 10 May in the Netherlands.
      event('PlanClosed', { closedAt: '2026-05-09T22:30:00.000Z' }),
    ];
    const target = { householdId: 'h-1' };
    expect(rule().command(target, closedState, history, on('2046-05-09'))).toBeNull();
    expect(rule().command(target, closedState, history, on('2046-05-10'))).toEqual({
      type: 'EraseHouseholdData',
      householdId: 'h-1',
      actor: RETENTION_SWEEP_ACTOR,
      at: '2046-05-10T09:00:00.000Z',
      ground: 'g 1',
    });
  });

  test('not an open plan, nor an erased one', () => {
    const history = [
      event('PlanClosed', { closedAt: '2020-05-01T10:00:00.000Z' }),
      event('PlanReopened', {}),
    ];
    const target = { householdId: 'h-1' };
    expect(
      rule().command(target, { status: 'active' } as HouseholdState, history, on('2046-01-01')),
    ).toBeNull();
    expect(
      rule().command(target, { ...closedState, erased: true } as HouseholdState, history, on('2046-01-01')),
    ).toBeNull();
  });
});
