import fc from 'fast-check';
import {
  addDays,
  ageOn,
  type AuthorityHolder,
  birthDateProblem,
  capacityAt,
  checkCapacity,
  type Party,
} from '@eenplan/domain';

/**
 * The capacity rules at their boundaries (WGBO 7:450, Jeugdwet 7.3.4, UAVG 5), on the day of the
 * act: a person born in month M of year Y is A years old from the first day of month M+1 of year
 * Y+A, and A-1 on the last day of month M. The oracle is that sentence, for every birth month and
 * year; the rule under test computes it from the date.
 */
const pad = (n: number) => String(n).padStart(2, '0');
/** The first day of the month after (year, month). */
const firstAfter = (year: number, month: number) =>
  month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;

const birth = fc.record({
  year: fc.integer({ min: 1990, max: 2030 }),
  month: fc.integer({ min: 1, max: 12 }),
});
const BOUNDARIES = [12, 16, 18] as const;

const holder: AuthorityHolder = { kind: 'member', memberId: 'parent' };
const outsideHolder: AuthorityHolder = { kind: 'external', holderId: 'father-elsewhere' };
const child: Party = { kind: 'member', memberId: 'kid' };
const stranger: Party = { kind: 'member', memberId: 'aunt' };

describe('ageOn (property): an age counts from the day it is certain', () => {
  it.each(BOUNDARIES)('is %i from the first day after the birth month, one less on its last day', (age) => {
    fc.assert(
      fc.property(birth, (b) => {
        const reached = firstAfter(b.year + age, b.month);
        expect(ageOn(b, reached)).toBe(age);
        expect(ageOn(b, addDays(reached, -1))).toBe(age - 1);
      }),
    );
  });

  it('with only the year known, counts the birthday from 1 January of the next year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 1, max: 30 }), (year, age) => {
        expect(ageOn({ year }, `${year + age}-12-31`)).toBe(age - 1);
        expect(ageOn({ year }, `${year + age + 1}-01-01`)).toBe(age);
      }),
    );
  });

  it('reads an instant as the Dutch calendar date (late evening UTC is the next day in Amsterdam)', () => {
    // 22:30 UTC on 31 May is 00:30 on 1 June in Amsterdam (CEST): the 12th birthday month has passed.
    expect(ageOn({ year: 2014, month: 5 }, '2026-05-31T22:30:00.000Z')).toBe(12);
    expect(ageOn({ year: 2014, month: 5 }, '2026-05-31T21:30:00.000Z')).toBe(11);
  });
});

describe('checkCapacity (property): who decides, on the day of the act', () => {
  const subject = (
    b: { year: number; month: number },
    authority: AuthorityHolder[] = [holder, outsideHolder],
  ) => ({
    memberId: 'kid',
    birth: b,
    authority,
  });

  it('11 / 12: a holder of authority alone decides at 11; at 12 the child must agree as well', () => {
    fc.assert(
      fc.property(birth, fc.constantFrom(holder, outsideHolder), (b, h) => {
        const twelve = firstAfter(b.year + 12, b.month);
        const eleven = addDays(twelve, -1);
        expect(checkCapacity(subject(b), [h], eleven).missing).toBeNull();
        expect(checkCapacity(subject(b), [child], eleven).missing).toMatch(/under 12/);
        expect(checkCapacity(subject(b), [h], twelve).missing).toMatch(/missing: the member themselves/);
        expect(checkCapacity(subject(b), [child], twelve).missing).toMatch(/missing: a holder of authority/);
        expect(checkCapacity(subject(b), [child, h], twelve).missing).toBeNull();
      }),
    );
  });

  it('15 / 16: the child and a holder both at 15; from 16 the person alone', () => {
    fc.assert(
      fc.property(birth, (b) => {
        const sixteen = firstAfter(b.year + 16, b.month);
        const fifteen = addDays(sixteen, -1);
        expect(checkCapacity(subject(b), [child], fifteen).missing).toMatch(/12 to 15/);
        expect(checkCapacity(subject(b), [child, holder], fifteen).missing).toBeNull();
        expect(checkCapacity(subject(b), [child], sixteen).missing).toBeNull();
        expect(checkCapacity(subject(b), [holder], sixteen).missing).toMatch(/16 or over/);
      }),
    );
  });

  it('17 / 18: the person alone on both sides of coming of age; nobody else decides for them', () => {
    fc.assert(
      fc.property(birth, (b) => {
        const eighteen = firstAfter(b.year + 18, b.month);
        for (const day of [addDays(eighteen, -1), eighteen]) {
          expect(checkCapacity(subject(b), [child], day).missing).toBeNull();
          expect(checkCapacity(subject(b), [holder, outsideHolder], day).missing).not.toBeNull();
        }
      }),
    );
  });

  it('someone who holds no authority never decides for a child, and a minor without holders cannot be decided for', () => {
    fc.assert(
      fc.property(birth, fc.integer({ min: 0, max: 15 }), (b, age) => {
        const day = firstAfter(b.year + age, b.month);
        expect(checkCapacity(subject(b), [stranger], day).missing).not.toBeNull();
        expect(checkCapacity(subject(b, []), [child, stranger], day).missing).toMatch(/none is recorded/);
      }),
    );
  });

  it('an outside holder of authority decides only for the child they hold authority over', () => {
    fc.assert(
      fc.property(birth, fc.integer({ min: 0, max: 11 }), (b, age) => {
        const day = firstAfter(b.year + age, b.month);
        const otherOutsider: Party = { kind: 'external', holderId: 'mother-of-another-child' };
        expect(checkCapacity(subject(b), [otherOutsider], day).missing).toMatch(/under 12/);
        expect(checkCapacity(subject(b), [outsideHolder], day).missing).toBeNull();
      }),
    );
  });

  it('says who is missing, naming the holders of authority', () => {
    const b = { year: 2014, month: 3 };
    expect(checkCapacity(subject(b), [], '2026-06-01').missing).toBe(
      'member kid is 12 (12 to 15): they and one of its holders of parental authority ' +
        '(member parent, authority holder father-elsewhere) both decide; missing: the member themselves and a holder of authority',
    );
    expect(checkCapacity(subject(b, []), [], '2026-01-01').missing).toBe(
      'member kid is 11 (under 12): a holder of parental authority, and none is recorded for member kid (set it first) decides',
    );
  });

  it('maps every age to exactly one capacity, changing only at 12 and 16', () => {
    for (let age = 0; age <= 100; age++) {
      expect(capacityAt(age)).toBe(age < 12 ? 'authority-holders' : age < 16 ? 'child-and-holder' : 'self');
    }
  });
});

describe('birthDateProblem: checked against the day of the act, not the start of the process', () => {
  it('takes a child born this month, refuses next month and next year', () => {
    expect(birthDateProblem({ year: 2027, month: 1 }, '2027-01-02T09:00:00.000Z')).toBeNull();
    expect(birthDateProblem({ year: 2027 }, '2027-01-02T09:00:00.000Z')).toBeNull();
    expect(birthDateProblem({ year: 2027, month: 2 }, '2027-01-31T09:00:00.000Z')).toMatch(
      /after 2027-01-31/,
    );
    expect(birthDateProblem({ year: 2028 }, '2027-12-31T09:00:00.000Z')).toMatch(/after 2027/);
  });

  it('takes the edges: 1900, January and December', () => {
    for (const birth of [
      { year: 1900 },
      { year: 1900, month: 1 },
      { year: 2020, month: 12 },
      { year: 2020, month: 1 },
    ])
      expect(birthDateProblem(birth, '2027-01-02')).toBeNull();
  });

  it('refuses a month outside 1..12 and a year before 1900', () => {
    expect(birthDateProblem({ year: 2020, month: 0 }, '2027-01-02')).toMatch(/1 to 12/);
    expect(birthDateProblem({ year: 2020, month: 13 }, '2027-01-02')).toMatch(/1 to 12/);
    expect(birthDateProblem({ year: 1899 }, '2027-01-02')).toMatch(/1900/);
  });
});
