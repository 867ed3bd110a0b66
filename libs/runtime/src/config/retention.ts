/**
 * Retention periods (issue 18): how long each kind of record is kept before the retention sweep
 * erases it by crypto-shredding. Whole years and months only, written as an ISO 8601 period (P20Y,
 * P6M, P1Y6M), counted on the Dutch calendar date. docs/PERSONS.md "Retention" names each default's
 * legal source.
 */

export interface RetentionPeriod {
  readonly years: number;
  readonly months: number;
}

/** The kinds of record with a retention period. */
export const RETENTION_KINDS = ['household-closed', 'member-left'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface RetentionKindPolicy {
  readonly kind: RetentionKind;
  /** The environment variable that sets it. */
  readonly setting: string;
  readonly period: RetentionPeriod;
  /** The default, and what it rests on: a reference, no names. */
  readonly defaultPeriod: RetentionPeriod;
  readonly source: string;
  /** From when the period counts. */
  readonly from: string;
  /**
   * Whether the sweep erases this kind yet: a member who left is erased per person once that
   * erasure (EraseMemberData) is in; until then the period is configured and shown, not applied.
   */
  readonly enforced: boolean;
}

export interface RetentionConfig {
  readonly policies: readonly RetentionKindPolicy[];
  /** RETENTION_SWEEP_MS: how often the sweep runs where the projections run; 0: only on demand. */
  readonly sweepMs: number;
}

/** The policy of one kind. */
export const retentionPolicy = (config: RetentionConfig, kind: RetentionKind): RetentionKindPolicy =>
  config.policies.find((p) => p.kind === kind)!;

/** The most a period may be: a century covers every statutory term, and keeps dates in range. */
export const MAX_RETENTION_MONTHS = 100 * 12;

const PERIOD = /^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?$/;

/** Null when `raw` is a period of whole years and months from 1 month to 100 years, else why not. */
export const retentionPeriodProblem = (raw: string): string | null => {
  const m = PERIOD.exec(raw);
  if (!m || (m[1] === undefined && m[2] === undefined))
    return 'must be an ISO 8601 period of whole years and months, such as P20Y, P6M or P1Y6M';
  const months = Number(m[1] ?? 0) * 12 + Number(m[2] ?? 0);
  if (months < 1 || months > MAX_RETENTION_MONTHS) return 'must be from 1 month (P1M) to 100 years (P100Y)';
  return null;
};

/** A period as written (P20Y); throws what retentionPeriodProblem says. */
export const parseRetentionPeriod = (raw: string): RetentionPeriod => {
  const problem = retentionPeriodProblem(raw);
  if (problem) throw new Error(problem);
  const m = PERIOD.exec(raw)!;
  return { years: Number(m[1] ?? 0), months: Number(m[2] ?? 0) };
};

/** The period as ISO 8601, normalised (P18M is P1Y6M). */
export const formatRetentionPeriod = (p: RetentionPeriod): string => {
  const total = p.years * 12 + p.months;
  const [y, m] = [Math.floor(total / 12), total % 12];
  return `P${y ? `${y}Y` : ''}${m || !y ? `${m}M` : ''}`;
};

const daysInMonth = (year: number, month1: number) => new Date(Date.UTC(year, month1, 0)).getUTCDate();
const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * The calendar date `period` after `date` (YYYY-MM-DD). A day the target month lacks (29 February
 * in a common year, 31 in a 30-day month) rolls to the first of the next month, never back: a
 * record is kept at least its full period, a day longer rather than a day short.
 */
export const addRetentionPeriod = (date: string, period: RetentionPeriod): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const months = m - 1 + period.years * 12 + period.months;
  const year = y + Math.floor(months / 12);
  const month = (months % 12) + 1;
  if (d <= daysInMonth(year, month)) return iso(year, month, d);
  return month === 12 ? iso(year + 1, 1, 1) : iso(year, month + 1, 1);
};

/**
 * Whether a record whose period started on `from` (a Dutch calendar date) has passed it on `today`:
 * it is due on the day the period ends (addRetentionPeriod), not the day before.
 */
export const retentionDue = (from: string, period: RetentionPeriod, today: string): boolean =>
  today >= addRetentionPeriod(from, period);

/**
 * The latest start date that can be due on `today`, give or take the rolling of missing days: a
 * bound for a read-model query, the exact test is retentionDue. Two days late, so no due record
 * is left out.
 */
export const retentionQueryBound = (today: string, period: RetentionPeriod): string => {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const months = y * 12 + (m - 1) - (period.years * 12 + period.months);
  const t = Date.UTC(Math.floor(months / 12), months % 12, 1) + (d - 1 + 2) * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
};

const P = (years: number, months = 0): RetentionPeriod => ({ years, months });

/** The defaults and their sources; docs/PERSONS.md "Retention" says more. */
export const RETENTION_DEFAULTS: Readonly<
  Record<RetentionKind, Omit<RetentionKindPolicy, 'period' | 'kind'>>
> = {
  'household-closed': {
    setting: 'RETENTION_HOUSEHOLD_CLOSED',
    defaultPeriod: P(20),
    source:
      'Jeugdwet art. 7.3.8 (20 jaar vanaf het vervaardigen van de gegevens); Wmo 2015 kent geen wettelijke termijn: de gemeente stelt die vast (VNG selectielijst); standaard de langste, 20 jaar',
    from: 'the last closure of the plan (a reopened plan counts from its next closure)',
    enforced: true,
  },
  'member-left': {
    setting: 'RETENTION_MEMBER_LEFT',
    defaultPeriod: P(20),
    source:
      'as the household file: what was recorded about the member is part of it (Jeugdwet art. 7.3.8); the municipality may set it shorter for Wmo-only files',
    from: 'the day the member left the household',
    enforced: true,
  },
};

export class RetentionConfigError extends Error {}

/** The periods (RETENTION_HOUSEHOLD_CLOSED, ...) from the environment; a wrong one throws naming the setting. */
export const loadRetentionPolicies = (env: NodeJS.ProcessEnv): RetentionKindPolicy[] =>
  RETENTION_KINDS.map((kind) => {
    const defaults = RETENTION_DEFAULTS[kind];
    const raw = env[defaults.setting];
    let period = defaults.defaultPeriod;
    if (raw !== undefined && raw !== '') {
      const problem = retentionPeriodProblem(raw.trim());
      if (problem) throw new RetentionConfigError(`${defaults.setting} ${problem}, got "${raw}"`);
      period = parseRetentionPeriod(raw.trim());
    }
    return { kind, ...defaults, period };
  });
