import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

export class PlanEvaluationsQueries {
  constructor(private readonly db: SqlExecutor) {}

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
