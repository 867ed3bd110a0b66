import { addDays, addMonths, reassessmentDueOn } from '@eenplan/domain';
import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

/** A person's ZRM re-assessment as a caseload shows it (issue 19). */
export interface ReassessmentStatus {
  readonly memberId: string;
  readonly lastAssessedOn: string;
  readonly dueOn: string;
  /** The day of `dueOn` is over (in NL) without a later assessment. */
  readonly overdue: boolean;
}

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

  /** Per household id its assessed persons' re-assessments, due `months` after each latest assessment. */
  async reassessmentsFor(
    householdIds: readonly string[],
    today: string,
    months: number,
  ): Promise<Map<string, ReassessmentStatus[]>> {
    const out = new Map<string, ReassessmentStatus[]>();
    if (householdIds.length === 0) return out;
    const { rows } = await this.db.query<{
      household_id: string;
      member_id: string;
      last_assessed_on: string;
    }>(
      `SELECT household_id, member_id, last_assessed_on FROM plan_reassessments
        WHERE household_id = ANY($1::text[]) ORDER BY household_id, member_id`,
      [householdIds],
    );
    for (const r of rows) {
      const dueOn = reassessmentDueOn(r.last_assessed_on, months);
      const list = out.get(r.household_id) ?? [];
      list.push({ memberId: r.member_id, lastAssessedOn: r.last_assessed_on, dueOn, overdue: dueOn < today });
      out.set(r.household_id, list);
    }
    return out;
  }

  /**
   * Open plans' households with a person whose re-assessment may be overdue on `today` and is not
   * recorded yet: a bound two days wide of the exact rule (reassessmentDueOn), which the domain
   * decides on each household's stream.
   */
  async reassessmentsAwaitingAnnouncement(today: string, months: number, limit = 500): Promise<string[]> {
    const bound = addDays(addMonths(today, -months), 2);
    const { rows } = await this.db.query<{ household_id: string }>(
      `SELECT r.household_id FROM plan_reassessments r
         JOIN plan_evaluations e ON e.household_id = r.household_id AND e.plan_status = 'active'
        WHERE r.last_assessed_on < $1 AND (r.announced_for IS NULL OR r.announced_for <> r.last_assessed_on)
        GROUP BY r.household_id ORDER BY min(r.last_assessed_on), r.household_id LIMIT $2`,
      [bound, limit],
    );
    return rows.map((r) => r.household_id);
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
