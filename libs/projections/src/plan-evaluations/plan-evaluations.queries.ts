import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

/** The plan's evaluation as a caseload shows it (issue 19): null when the plan has no date yet. */
export interface PlanEvaluationStatus {
  readonly evaluateBy: string;
  /** The day of `evaluateBy` is over (in NL) and no new date was set. */
  readonly overdue: boolean;
}

export class PlanEvaluationsQueries {
  constructor(private readonly db: SqlExecutor) {}

  /** Per household id the plan's evaluation date and whether it is overdue on `today`; absent: none. */
  async forHouseholds(
    householdIds: readonly string[],
    today: string,
  ): Promise<Map<string, PlanEvaluationStatus>> {
    if (householdIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ household_id: string; evaluate_by: string }>(
      `SELECT household_id, evaluate_by FROM plan_evaluations
        WHERE household_id = ANY($1::text[]) AND evaluate_by IS NOT NULL`,
      [householdIds],
    );
    return new Map(
      rows.map(
        (r) => [r.household_id, { evaluateBy: r.evaluate_by, overdue: r.evaluate_by < today }] as const,
      ),
    );
  }

  /**
   * Households whose open plan's evaluation date is before `today` and not yet recorded overdue:
   * where the plan-cycle sweep decides (each from its own stream), earliest first.
   */
  async awaitingAnnouncement(today: string, limit = 500): Promise<string[]> {
    const { rows } = await this.db.query<{ household_id: string }>(
      `SELECT household_id FROM plan_evaluations
        WHERE plan_status = 'active' AND evaluate_by < $1
          AND (overdue_for IS NULL OR overdue_for <> evaluate_by)
        ORDER BY evaluate_by, household_id LIMIT $2`,
      [today, limit],
    );
    return rows.map((r) => r.household_id);
  }
}
