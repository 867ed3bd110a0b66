import {
  CLOSURE_REASONS,
  GOAL_REALISATIONS,
  type ClosureReason,
  type GoalRealisation,
} from '@eenplan/domain';
import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import { MIN_HOUSEHOLDS_PER_GROUP } from '../district-analysis/district-analysis.queries';

/** The periods the outcomes are grouped by: `2026-03`, `2026-Q1`, `2026`. */
export const OUTCOME_PERIODS = ['month', 'quarter', 'year'] as const;
export type OutcomePeriod = (typeof OUTCOME_PERIODS)[number];

/** Every reason a closure can read as, `unknown` last (docs/OUTCOMES.md). */
export const OUTCOME_REASONS: readonly ClosureReason[] = [...CLOSURE_REASONS, 'unknown'];
export const OUTCOME_REALISATIONS: readonly GoalRealisation[] = [...GOAL_REALISATIONS, 'not-recorded'];

export interface OutcomeGroup {
  readonly district: string;
  readonly teamId: string;
  readonly period: string;
  /** Distinct households that closed in the group: the count the small-group rule reads. */
  readonly households: number;
  readonly closures: number;
  readonly reasons: Readonly<Record<ClosureReason, number>>;
  /** Goals of the closures, by how far they were realised. */
  readonly goals: Readonly<Record<GoalRealisation, number>>;
  /** Closures followed by a reopen within 12 months, so far. */
  readonly recurrences: number;
  /** recurrences / closures, two decimals. */
  readonly recurrenceRate: number;
}

export interface OutcomeFilter {
  readonly period: OutcomePeriod;
  readonly district?: string;
  readonly teamId?: string;
  /** Only these teams (a team lead reads their own teams' outcomes); absent: every team. */
  readonly teamIds?: readonly string[];
  /** YYYY-MM, inclusive: the month of the closure. */
  readonly fromMonth?: string;
  readonly toMonth?: string;
}

const GOAL_COLUMNS: Readonly<Record<GoalRealisation, string>> = {
  achieved: 'achieved',
  'partly-achieved': 'partly_achieved',
  'not-achieved': 'not_achieved',
  dropped: 'dropped',
  'not-recorded': 'not_recorded',
};

/** The period of a closure's Dutch date `closed_on` (YYYY-MM-DD), by $1. */
const PERIOD = `CASE $1::text
    WHEN 'month' THEN substr(closed_on, 1, 7)
    WHEN 'quarter' THEN substr(closed_on, 1, 4) || '-Q' || ((substr(closed_on, 6, 2)::int + 2) / 3)::text
    ELSE substr(closed_on, 1, 4) END`;

/** The groups, before the small-group rule: $1 period, $2 district, $3 team, $4 from month, $5 to month, $6 teams. */
const GROUPS = `
  SELECT district, team_id, ${PERIOD} AS period,
         count(DISTINCT household_id) AS households, count(*) AS closures,
         ${OUTCOME_REASONS.map((r, i) => `count(*) FILTER (WHERE reason = '${r}') AS r${i}`).join(', ')},
         ${OUTCOME_REALISATIONS.map((r) => `sum(${GOAL_COLUMNS[r]}) AS ${GOAL_COLUMNS[r]}`).join(', ')},
         count(*) FILTER (WHERE recurred) AS recurrences
    FROM outcome_closures
   WHERE ($2::text IS NULL OR district = $2) AND ($3::text IS NULL OR team_id = $3)
     AND ($4::text IS NULL OR substr(closed_on, 1, 7) >= $4) AND ($5::text IS NULL OR substr(closed_on, 1, 7) <= $5)
     AND ($6::text[] IS NULL OR team_id = ANY($6::text[]))
   GROUP BY district, team_id, ${PERIOD}`;

type GroupRow = Record<string, string | null>;

const round2 = (n: number) => Math.round(n * 100) / 100;

export class OutcomesQueries {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Per district, team and period: the closures by reason, their goals by realisation, and the
   * recurrences. Groups of fewer than MIN_HOUSEHOLDS_PER_GROUP distinct households (the district
   * analysis's one small-group rule) are left out in SQL, before any count leaves; `suppressedGroups`
   * says how many groups of the filter (not of the page) were left out, never which.
   */
  async groups(
    filter: OutcomeFilter,
    page?: { limit: number; after?: readonly [district: string, teamId: string, period: string] },
  ): Promise<{ groups: OutcomeGroup[]; suppressedGroups: number }> {
    const params = [
      filter.period,
      filter.district ?? null,
      filter.teamId ?? null,
      filter.fromMonth ?? null,
      filter.toMonth ?? null,
      filter.teamIds ? [...filter.teamIds] : null,
      MIN_HOUSEHOLDS_PER_GROUP,
    ];
    const { rows } = await this.db.query<GroupRow>(
      `SELECT * FROM (${GROUPS}) g
        WHERE households >= $7
          AND ($8::text IS NULL OR (district, team_id, period) > ($8::text, $9::text, $10::text))
        ORDER BY district, team_id, period
        LIMIT $11`,
      [
        ...params,
        page?.after?.[0] ?? null,
        page?.after?.[1] ?? null,
        page?.after?.[2] ?? null,
        page?.limit ?? null,
      ],
    );
    const suppressed = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (${GROUPS}) g WHERE households < $7`,
      params,
    );
    return { groups: rows.map(toGroup), suppressedGroups: Number(suppressed.rows[0]?.n ?? 0) };
  }
}

const toGroup = (r: GroupRow): OutcomeGroup => {
  const closures = Number(r.closures);
  const recurrences = Number(r.recurrences);
  return {
    district: String(r.district),
    teamId: String(r.team_id),
    period: String(r.period),
    households: Number(r.households),
    closures,
    reasons: Object.fromEntries(OUTCOME_REASONS.map((reason, i) => [reason, Number(r[`r${i}`])])) as Record<
      ClosureReason,
      number
    >,
    goals: Object.fromEntries(
      OUTCOME_REALISATIONS.map((g) => [g, Number(r[GOAL_COLUMNS[g]] ?? 0)]),
    ) as Record<GoalRealisation, number>,
    recurrences,
    recurrenceRate: closures === 0 ? 0 : round2(recurrences / closures),
  };
};
