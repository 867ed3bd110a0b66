import fc from 'fast-check';
import { addDays, CheckInEvent, HouseholdEvent, householdDecider, HouseholdState } from '@eenplan/domain';
import { actor, HH, registered } from './fixtures';

/**
 * Invariant 16 as a property: for any cadence and any order of days passing, contacts and sweeps,
 * the sweep records a due date overdue exactly when its day is over without a contact on or after
 * it so far, and never records a due date twice. The oracle is a plain list of contact dates.
 */
const START = '2025-03-10';
const at = (day: number) => `${addDays(START, day)}T11:00:00.000Z`;

type Step = { kind: 'wait'; days: number } | { kind: 'contact' } | { kind: 'sweep' };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 20 }) }),
  fc.constant({ kind: 'contact' as const }),
  fc.constant({ kind: 'sweep' as const }),
);

describe('invariant 16 (property): overdue check-ins are announced once, exactly when missed', () => {
  it('matches the oracle for every cadence and sequence of contacts and sweeps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(step, { maxLength: 40, size: 'max' }),
        (weeks, steps) => {
          let state: HouseholdState = [registered()].reduce(
            householdDecider.evolve,
            householdDecider.initialState(),
          );
          let day = 0;
          const run = (command: Parameters<typeof householdDecider.decide>[0]) => {
            const events = householdDecider.decide(command, state);
            state = events.reduce(householdDecider.evolve, state);
            return events;
          };
          run({
            type: 'ScheduleCheckIns',
            householdId: HH,
            actor: actor('anna'),
            at: at(0),
            cadenceId: 'c1',
            everyWeeks: weeks,
            startsOn: START,
          });
          const contacts: string[] = [];
          const announced: string[] = [];
          for (const [i, s] of steps.entries()) {
            if (s.kind === 'wait') day += s.days;
            else if (s.kind === 'contact') {
              run({
                type: 'RecordCheckInContact',
                householdId: HH,
                actor: actor('anna'),
                at: at(day),
                contactId: `k${i}`,
              });
              contacts.push(addDays(START, day));
            } else {
              const events = run({
                type: 'MarkOverdueCheckIns',
                householdId: HH,
                actor: { id: 'system', roles: [], teams: [] },
                at: at(day),
              }) as (HouseholdEvent & CheckInEvent)[];
              const today = addDays(START, day);
              const expected: string[] = [];
              for (let due = START; due < today; due = addDays(due, weeks * 7)) {
                const missed = !contacts.some((c) => c >= due);
                if (missed && !announced.includes(due)) expected.push(due);
              }
              expect(events.map((e) => (e.type === 'CheckInOverdue' ? e.data.dueOn : e.type))).toEqual(
                expected,
              );
              announced.push(...expected);
            }
          }
          expect(new Set(announced).size).toBe(announced.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
