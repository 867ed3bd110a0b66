import fc from 'fast-check';
import { ConfigError, loadConfig } from './app-config';
import {
  addRetentionPeriod,
  formatRetentionPeriod,
  parseRetentionPeriod,
  retentionDue,
  retentionPeriodProblem,
  retentionPolicy,
  retentionQueryBound,
} from './retention';

const P20Y = { years: 20, months: 0 };

describe('retention period arithmetic', () => {
  test('a plan closed 20 years ago minus a day is kept; on the day it is due; after it too', () => {
    expect(retentionDue('2026-03-15', P20Y, '2046-03-14')).toBe(false);
    expect(retentionDue('2026-03-15', P20Y, '2046-03-15')).toBe(true);
    expect(retentionDue('2026-03-15', P20Y, '2046-03-16')).toBe(true);
    expect(retentionDue('2026-03-15', P20Y, '2026-03-15')).toBe(false);
  });

  test('leap days: 29 February plus whole years lands on 29 February in a leap year, else on 1 March', () => {
    expect(addRetentionPeriod('2024-02-29', P20Y)).toBe('2044-02-29');
    expect(addRetentionPeriod('2024-02-29', { years: 1, months: 0 })).toBe('2025-03-01');
    expect(retentionDue('2024-02-29', { years: 1, months: 0 }, '2025-02-28')).toBe(false);
    expect(retentionDue('2024-02-29', { years: 1, months: 0 }, '2025-03-01')).toBe(true);
    // Across a leap day the count is by calendar date, not by 365-day years.
    expect(addRetentionPeriod('2023-03-01', { years: 1, months: 0 })).toBe('2024-03-01');
    expect(addRetentionPeriod('2024-02-28', { years: 1, months: 0 })).toBe('2025-02-28');
  });

  test('months: a missing day rolls forward; the count crosses the end of the year', () => {
    expect(addRetentionPeriod('2026-01-31', { years: 0, months: 1 })).toBe('2026-03-01');
    expect(addRetentionPeriod('2026-08-31', { years: 0, months: 1 })).toBe('2026-10-01');
    expect(addRetentionPeriod('2026-11-30', { years: 0, months: 2 })).toBe('2027-01-30');
    expect(addRetentionPeriod('2026-10-31', { years: 1, months: 2 })).toBe('2027-12-31');
    expect(addRetentionPeriod('2026-11-30', { years: 1, months: 3 })).toBe('2028-03-01');
    expect(addRetentionPeriod('2026-12-15', { years: 0, months: 1 })).toBe('2027-01-15');
  });

  test('never a day short: the due date is at least the period after, and monotonic', () => {
    const date = fc
      .date({
        min: new Date('1990-01-01T00:00:00Z'),
        max: new Date('2100-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    const period = fc
      .record({ years: fc.integer({ min: 0, max: 100 }), months: fc.integer({ min: 0, max: 11 }) })
      .filter((p) => p.years * 12 + p.months >= 1);
    fc.assert(
      fc.property(date, date, period, (a, b, p) => {
        const due = addRetentionPeriod(a, p);
        // The same day of the month or later, in the month the period reaches (or the first after).
        const [y, m, d] = a.split('-').map(Number) as [number, number, number];
        const months = y * 12 + m - 1 + p.years * 12 + p.months;
        const target = `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}`;
        expect(due.slice(0, 7) === target ? Number(due.slice(8)) === d : due.endsWith('-01')).toBe(true);
        if (a <= b) expect(addRetentionPeriod(a, p) <= addRetentionPeriod(b, p)).toBe(true);
        // The query bound never leaves out a due record.
        const today = due;
        expect(a <= retentionQueryBound(today, p)).toBe(true);
        expect(retentionDue(a, p, today)).toBe(true);
      }),
    );
  });

  test('periods are whole years and months, 1 month to 100 years', () => {
    expect(parseRetentionPeriod('P20Y')).toEqual(P20Y);
    expect(parseRetentionPeriod('P6M')).toEqual({ years: 0, months: 6 });
    expect(parseRetentionPeriod('P1Y6M')).toEqual({ years: 1, months: 6 });
    expect(formatRetentionPeriod({ years: 0, months: 18 })).toBe('P1Y6M');
    expect(formatRetentionPeriod(P20Y)).toBe('P20Y');
    for (const bad of [
      '20',
      'P',
      'P0Y',
      'P0M',
      'P101Y',
      'P20D',
      'P2W',
      'PT1H',
      'p20y',
      'P-1Y',
      'P1.5Y',
      '20Y',
    ])
      expect(retentionPeriodProblem(bad)).not.toBeNull();
    expect(retentionPeriodProblem('P100Y')).toBeNull();
    expect(retentionPeriodProblem('P1M')).toBeNull();
  });
});

describe('retention settings', () => {
  test('defaults: the household file 20 years after closure, a member 20 years after leaving, daily', () => {
    const { retention } = loadConfig({});
    expect(retentionPolicy(retention, 'household-closed')).toMatchObject({
      period: P20Y,
      setting: 'RETENTION_HOUSEHOLD_CLOSED',
      enforced: true,
    });
    expect(retentionPolicy(retention, 'household-closed').source).toMatch(/Jeugdwet art\. 7\.3\.8/);
    expect(retentionPolicy(retention, 'member-left')).toMatchObject({ period: P20Y, enforced: true });
    expect(retention.sweepMs).toBe(86_400_000);
  });

  test('set per kind', () => {
    const { retention } = loadConfig({
      RETENTION_HOUSEHOLD_CLOSED: 'P15Y',
      RETENTION_MEMBER_LEFT: 'P5Y6M',
      RETENTION_SWEEP_MS: '0',
    });
    expect(retentionPolicy(retention, 'household-closed').period).toEqual({ years: 15, months: 0 });
    expect(retentionPolicy(retention, 'member-left').period).toEqual({ years: 5, months: 6 });
    expect(retention.sweepMs).toBe(0);
  });

  test.each([
    ['RETENTION_HOUSEHOLD_CLOSED', '20', /RETENTION_HOUSEHOLD_CLOSED must be an ISO 8601 period.*got "20"/],
    ['RETENTION_HOUSEHOLD_CLOSED', 'P20D', /RETENTION_HOUSEHOLD_CLOSED must be an ISO 8601 period/],
    ['RETENTION_HOUSEHOLD_CLOSED', 'P0Y', /RETENTION_HOUSEHOLD_CLOSED must be from 1 month/],
    ['RETENTION_MEMBER_LEFT', 'P200Y', /RETENTION_MEMBER_LEFT must be from 1 month .* to 100 years/],
    ['RETENTION_SWEEP_MS', '-1', /RETENTION_SWEEP_MS must be a whole number from 0 to 604800000/],
    ['RETENTION_SWEEP_MS', '1d', /RETENTION_SWEEP_MS must be a whole number/],
  ])('a wrong %s (%s) refuses to start, naming it', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
