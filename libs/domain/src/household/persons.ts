import { dateInNl } from '../shared/calendar';
import type { MemberData } from './household.events';

/**
 * Persons in a household: how old they are on the day of an act, and who may decide for them.
 * Written once, cited, and used by every rule that asks "may this person agree, consent or take
 * regie back?" (the plan's agreement, the consent register, regie returning to the household).
 * docs/PERSONS.md explains the rules to people.
 */

/**
 * A birth date as far as eenplan keeps it: the year, and the month where known. eenplan needs no
 * day (data minimisation, AVG art. 5(1)(c)); the BRP has it when it matters.
 */
export interface BirthDate {
  readonly year: number;
  /** 1..12, when known. */
  readonly month?: number;
}

/** A member's birth date as the events give it: the year, and the month where known. */
export const birthOf = (m: MemberData): BirthDate =>
  m.birthMonth === undefined ? { year: m.birthYear } : { year: m.birthYear, month: m.birthMonth };

/**
 * The age a person certainly has on `on` (an instant or a YYYY-MM-DD date, read as the Dutch
 * calendar date). With the month known, a birthday counts from the first day of the month after
 * the birth month (the last day of the birth month is the latest it can be); with only the year,
 * from 1 January of the year after. So a person is never given a capacity before they certainly
 * have it: the rules err on the side of the child, as the law does (a 12-year-old is asked along
 * with their parents, rather than left out).
 */
export const ageOn = (birth: BirthDate, on: string): number => {
  const day = on.length === 10 ? on : dateInNl(on);
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const years = year - birth.year;
  if (birth.month === undefined) return years - 1;
  return month > birth.month ? years : years - 1;
};

/**
 * Whether a birth date can be real on `on`: not in a later month than `on`'s (not in a later year
 * when the month is unknown), and not before 1900. The check uses the day of the act, never a
 * year fixed when the process started: a long-running API takes a newborn after New Year.
 */
export const birthDateProblem = (birth: BirthDate, on: string): string | null => {
  const day = on.length === 10 ? on : dateInNl(on);
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (!Number.isInteger(birth.year) || birth.year < 1900) return 'the birth year must be 1900 or later';
  if (birth.month !== undefined && (!Number.isInteger(birth.month) || birth.month < 1 || birth.month > 12))
    return 'the birth month must be 1 to 12';
  if (birth.year > year) return `the birth year ${birth.year} is after ${year}, the year of ${day}`;
  if (birth.month !== undefined && birth.year === year && birth.month > month)
    return `the birth month ${birth.year}-${String(birth.month).padStart(2, '0')} is after ${day}`;
  return null;
};

/**
 * Who decides for a person, by age on the day of the act (WGBO art. 7:450 and 7:465 BW for care,
 * Jeugdwet art. 7.3.4 for youth aid, UAVG art. 5 for consent to processing):
 * - under 12: the holders of parental authority (gezag) decide for the child;
 * - 12 to 15: the child and a holder of authority both;
 * - 16 and over: the person alone.
 */
export type Capacity = 'authority-holders' | 'child-and-holder' | 'self';

export const CAPACITY_AGES = { childAndHolderFrom: 12, selfFrom: 16, adultFrom: 18 } as const;

export const capacityAt = (age: number): Capacity =>
  age >= CAPACITY_AGES.selfFrom
    ? 'self'
    : age >= CAPACITY_AGES.childAndHolderFrom
      ? 'child-and-holder'
      : 'authority-holders';

/** A minor: under 18 on the day (art. 1:233 BW); parental authority ends at 18 (art. 1:246 BW). */
export const isMinorOn = (birth: BirthDate, on: string): boolean =>
  ageOn(birth, on) < CAPACITY_AGES.adultFrom;

/**
 * Who holds parental authority over a minor: a member of the household, or someone outside it (a
 * parent living elsewhere, a guardian), known to eenplan by an id; their name is personal data.
 */
export type AuthorityHolder =
  | { readonly kind: 'member'; readonly memberId: string }
  | { readonly kind: 'external'; readonly holderId: string };

/** Who gives an agreement or a consent: a member, or an outside holder of authority. */
export type Party = AuthorityHolder;

export const sameParty = (a: Party, b: Party): boolean =>
  a.kind === b.kind &&
  (a.kind === 'member' ? a.memberId === (b as typeof a).memberId : a.holderId === (b as typeof a).holderId);

export const partyName = (p: Party): string =>
  p.kind === 'member' ? `member ${p.memberId}` : `authority holder ${p.holderId}`;

/** What the capacity rule asks of a person on a day, given who has agreed. */
export interface CapacityCheck {
  readonly subject: string;
  readonly age: number;
  readonly capacity: Capacity;
  /** Null when the parties suffice; otherwise what is missing, in words (for the 409's detail). */
  readonly missing: string | null;
}

/**
 * Whether `parties` (who agreed or consented) suffice for `subject` on `on`, under the capacity
 * rules. One holder of authority suffices where holders decide: with joint authority, one parent
 * acts and the other's agreement is presumed (art. 1:253a BW names the dispute route). A minor with
 * no recorded holder of authority cannot be decided for at all: set the authority first.
 */
export const checkCapacity = (
  subject: {
    readonly memberId: string;
    readonly birth: BirthDate;
    readonly authority: readonly AuthorityHolder[];
  },
  parties: readonly Party[],
  on: string,
): CapacityCheck => {
  const age = ageOn(subject.birth, on);
  const capacity = capacityAt(age);
  const self = parties.some((p) => p.kind === 'member' && p.memberId === subject.memberId);
  const holder = parties.some((p) => subject.authority.some((h) => sameParty(h, p)));
  const base = { subject: subject.memberId, age, capacity };
  const noHolders = subject.authority.length === 0;
  const holderWanted = noHolders
    ? `a holder of parental authority, and none is recorded for member ${subject.memberId} (set it first)`
    : `one of its holders of parental authority (${subject.authority.map(partyName).join(', ')})`;
  switch (capacity) {
    case 'self':
      return {
        ...base,
        missing: self
          ? null
          : `member ${subject.memberId} is ${age} (16 or over): only they decide for themselves`,
      };
    case 'child-and-holder':
      if (self && holder) return { ...base, missing: null };
      return {
        ...base,
        missing: `member ${subject.memberId} is ${age} (12 to 15): they and ${holderWanted} both decide; missing: ${[
          self ? null : 'the member themselves',
          holder ? null : 'a holder of authority',
        ]
          .filter(Boolean)
          .join(' and ')}`,
      };
    case 'authority-holders':
      return {
        ...base,
        missing: holder ? null : `member ${subject.memberId} is ${age} (under 12): ${holderWanted} decides`,
      };
  }
};
