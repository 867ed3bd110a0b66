import { daysBetween, dueDatesBetween } from '@eenplan/domain';
import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

export interface CheckInStatus {
  readonly householdId: string;
  readonly teamId: string;
  readonly district: string;
  readonly planStatus: 'active' | 'closed';
  readonly cadence: { cadenceId: string; everyWeeks: number; startsOn: string } | null;
  /** The earliest due date without a contact on or after it. */
  readonly nextDueOn: string | null;
  readonly lastContactOn: string | null;
  /** Set when nextDueOn has passed (its day is over). */
  readonly overdue: {
    dueOn: string;
    daysOverdue: number;
    /** Due dates passed without a contact, the first one included. */
    missedDueDates: number;
    /** Whether a CheckInOverdue event was recorded for it yet (the sweep runs periodically). */
    announced: boolean;
  } | null;
}

interface Row {
  household_id: string;
  team_id: string;
  district: string;
  plan_status: 'active' | 'closed';
  cadence_id: string | null;
  every_weeks: number | null;
  starts_on: string | null;
  next_due_on: string | null;
  last_contact_on: string | null;
  overdue_due_on: string | null;
}

const toStatus = (r: Row, today: string): CheckInStatus => {
  const cadence =
    r.cadence_id !== null
      ? { cadenceId: r.cadence_id, everyWeeks: Number(r.every_weeks), startsOn: r.starts_on! }
      : null;
  const due = r.next_due_on;
  return {
    householdId: r.household_id,
    teamId: r.team_id,
    district: r.district,
    planStatus: r.plan_status,
    cadence,
    nextDueOn: due,
    lastContactOn: r.last_contact_on,
    overdue:
      cadence && due !== null && due < today
        ? {
            dueOn: due,
            daysOverdue: daysBetween(due, today),
            missedDueDates: dueDatesBetween(cadence, due, today).length,
            announced: r.overdue_due_on !== null && r.overdue_due_on <= due,
          }
        : null,
  };
};

/** `today` is the caller's Dutch calendar date (from the app's clock). */
export class OverdueCheckInsQueries {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * The team's overdue households, most overdue first (next due date, then household id); with
   * `page`, at most `limit` after `after`. `count`: all of them.
   */
  async overdueForTeam(
    teamId: string,
    today: string,
    page?: { limit: number; after?: readonly [nextDueOn: string, householdId: string] },
  ): Promise<{ households: CheckInStatus[]; count: number }> {
    const [{ rows }, { rows: total }] = await Promise.all([
      this.db.query<Row>(
        `SELECT * FROM check_in_cadences
          WHERE team_id = $1 AND cadence_id IS NOT NULL AND next_due_on < $2
            AND ($3::text IS NULL OR (next_due_on, household_id) > ($3::text, $4::text))
          ORDER BY next_due_on, household_id
          LIMIT $5`,
        [teamId, today, page?.after?.[0] ?? null, page?.after?.[1] ?? null, page?.limit ?? null],
      ),
      this.db.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM check_in_cadences
          WHERE team_id = $1 AND cadence_id IS NOT NULL AND next_due_on < $2`,
        [teamId, today],
      ),
    ]);
    return { households: rows.map((r) => toStatus(r, today)), count: Number(total[0]!.count) };
  }

  async forHousehold(householdId: string, today: string): Promise<CheckInStatus | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM check_in_cadences WHERE household_id = $1`, [
      householdId,
    ]);
    return rows[0] && toStatus(rows[0], today);
  }

  /** Households with a due date passed that no CheckInOverdue has announced yet: the sweep's work. */
  async awaitingAnnouncement(today: string, limit = 500): Promise<string[]> {
    const { rows } = await this.db.query<{ household_id: string }>(
      `SELECT household_id FROM check_in_cadences
        WHERE cadence_id IS NOT NULL AND next_unannounced_due_on < $1
        ORDER BY next_unannounced_due_on, household_id LIMIT $2`,
      [today, limit],
    );
    return rows.map((r) => r.household_id);
  }
}
