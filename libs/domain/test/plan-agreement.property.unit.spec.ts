import fc from 'fast-check';
import { addDays, DomainError, type HouseholdEvent, householdDecider } from '@eenplan/domain';
import { agree, authoritySet, CHILD, goalAdded, PARENT, registered } from './fixtures';

/**
 * The plan's agreement at the capacity boundaries (issue 18; docs/PERSONS.md): a parent who holds
 * authority and a child whose age on the day of agreement lies around 12 and 16. The oracle is the
 * table, in words: under 12 the parent agrees for both and the child has no say of their own; from
 * 12 the child agrees as well, so both are needed. The child's birth (year and month) is drawn so
 * the day of agreement falls in the month of a birthday or next to it.
 */
const pad = (n: number) => String(n).padStart(2, '0');

const household = (birth: { year: number; month: number }): HouseholdEvent[] => {
  const [event] = [registered()];
  const members = event.data.members.map((m) =>
    m.memberId === CHILD ? { ...m, birthYear: birth.year, birthMonth: birth.month } : m,
  );
  return [{ ...event, data: { ...event.data, members } }, authoritySet(), goalAdded()];
};

/** Agreements in order; each refused one leaves the state as it was. What was written, and refused. */
const run = (history: HouseholdEvent[], who: string[], at: string) => {
  let state = history.reduce(householdDecider.evolve, householdDecider.initialState());
  const written: HouseholdEvent[] = [];
  const refused: string[] = [];
  for (const memberId of who) {
    try {
      const events = householdDecider.decide(agree({ memberId, at }), state);
      written.push(...events);
      state = events.reduce(householdDecider.evolve, state);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      refused.push(`${memberId}:${e.code}`);
    }
  }
  return { written, refused, agreed: state.agreedRevision === state.planRevision };
};

describe('plan agreement (property): who must agree, by the child age on the day', () => {
  it.each([
    [11, 'on the last day before turning 12', 12, -1],
    [12, 'on the first day of being 12', 12, 0],
    [15, 'on the last day before turning 16', 16, -1],
    [16, 'on the first day of being 16', 16, 0],
  ])('at %i (%s)', (age, _day, turns, offset) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2026, max: 2040 }),
        fc.integer({ min: 1, max: 12 }),
        fc.subarray([PARENT, CHILD]).chain((set) => fc.shuffledSubarray(set, { minLength: set.length })),
        (year, month, who) => {
          // The first day of the month after the birth month, `turns` years on, and the day before.
          const first = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
          const at = `${addDays(first, offset)}T10:00:00.000Z`;
          const { written, refused, agreed } = run(household({ year: year - turns, month }), who, at);
          const parent = who.includes(PARENT);
          const child = who.includes(CHILD);
          if (age < 12) {
            // The parent agrees for both; the child has no say of their own: refused, unless the
            // plan was agreed already by then.
            expect(agreed).toBe(parent);
            const afterParent = parent && who.indexOf(PARENT) < who.indexOf(CHILD);
            expect(refused).toEqual(
              child ? [`${CHILD}:${afterParent ? 'PlanAlreadyAgreed' : 'NoCapacity'}`] : [],
            );
          } else {
            expect(agreed).toBe(parent && child);
            expect(refused).toEqual([]);
          }
          // PlanAgreed comes once, with the agreement that completed it, never before.
          expect(written.filter((e) => e.type === 'PlanAgreed')).toHaveLength(agreed ? 1 : 0);
          if (agreed) expect(written[written.length - 1]!.type).toBe('PlanAgreed');
        },
      ),
    );
  });
});

describe('plan agreement (property): a holder of authority has a say until the child is 16', () => {
  it.each([
    [15, 'a say (recorded) on the last day before turning 16', -1],
    [16, 'no say (NoCapacity) from the first day of being 16', 0],
  ])('at %i an outside holder has %s', (age, _what, offset) => {
    fc.assert(
      fc.property(fc.integer({ min: 2026, max: 2040 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const first = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
        const at = `${addDays(first, offset)}T10:00:00.000Z`;
        const [reg, , goal] = household({ year: year - 16, month });
        const history = [reg!, authoritySet({ holders: [{ kind: 'external', holderId: 'gh1' }] }), goal!];
        const state = history.reduce(householdDecider.evolve, householdDecider.initialState());
        const decide = () => householdDecider.decide(agree({ holderId: 'gh1', at }), state);
        if (age < 16) expect(decide().map((e) => e.type)).toEqual(['PlanAgreementRecorded']);
        else {
          let code: string | undefined;
          try {
            decide();
          } catch (e) {
            code = (e as DomainError).code;
          }
          expect(code).toBe('NoCapacity');
        }
      }),
    );
  });
});
