/**
 * Calendar dates (YYYY-MM-DD) as the teams live them: in the Netherlands. A due date "has passed"
 * once the day is over in Amsterdam, not in UTC, so an evening visit still counts for that day.
 */
const NL_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The Dutch calendar date of an instant. */
export const dateInNl = (instant: string): string => NL_DATE.format(new Date(instant));

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromDayNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** A real calendar date in YYYY-MM-DD form (2026-02-30 is not). */
export const isCalendarDate = (value: string): boolean =>
  DATE_PATTERN.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  fromDayNumber(dayNumber(value)) === value;

const daysInMonth = (year: number, month1: number) => new Date(Date.UTC(year, month1, 0)).getUTCDate();
const ymd = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * The calendar date `months` after `date`. A day the target month lacks (31 in a 30-day month)
 * rolls to the first of the next month: a period is never cut short (as retention counts it).
 */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = (((total % 12) + 12) % 12) + 1;
  if (d <= daysInMonth(year, month)) return ymd(year, month, d);
  return month === 12 ? ymd(year + 1, 1, 1) : ymd(year, month + 1, 1);
};
