import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

export interface VolunteerAssignmentRow {
  readonly householdId: string;
  readonly assignmentId: string;
  readonly volunteerId: string;
  readonly actionId: string | null;
  readonly hoursPerWeek: number;
  readonly status: 'open' | 'ended';
  readonly assignedAt: string;
  readonly endedAt: string | null;
  readonly endCause: 'ended' | 'plan-closed' | null;
}

interface Row {
  household_id: string;
  assignment_id: string;
  volunteer_id: string;
  action_id: string | null;
  hours_per_week: string | number;
  status: 'open' | 'ended';
  assigned_at: Date | string;
  ended_at: Date | string | null;
  end_cause: 'ended' | 'plan-closed' | null;
}

/** Open assignments before ended ones: the first part of the volunteer's list order. */
const RANK = `(CASE a.status WHEN 'open' THEN 0 ELSE 1 END)`;

/** Where the next page of a volunteer's assignments starts: after this one, in the list's order. */
export interface VolunteerAssignmentCursor {
  /** 0 open, 1 ended. */
  readonly rank: number;
  readonly assignedAt: string;
  readonly householdId: string;
  readonly assignmentId: string;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
const toAssignment = (r: Row): VolunteerAssignmentRow => ({
  householdId: r.household_id,
  assignmentId: r.assignment_id,
  volunteerId: r.volunteer_id,
  actionId: r.action_id,
  hoursPerWeek: Number(r.hours_per_week),
  status: r.status,
  assignedAt: iso(r.assigned_at),
  endedAt: r.ended_at === null ? null : iso(r.ended_at),
  endCause: r.end_cause,
});
const openHours = (rows: VolunteerAssignmentRow[]) =>
  rows.filter((a) => a.status === 'open').reduce((sum, a) => sum + a.hoursPerWeek, 0);

export class VolunteerAssignmentsQueries {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * The volunteer's assignments, open first, with the hours a week still assigned. The totals count
   * every household (they are the volunteer's load); `visibleTo` limits the list to households that
   * worker may read: of one of their teams, or whose regie they hold (the caseload read model knows both).
   * With `page`, at most `limit` of the listed ones after `after`, in (open first, assignedAt,
   * householdId, assignmentId) order.
   */
  async forVolunteer(
    volunteerId: string,
    visibleTo?: { workerId: string; teams: readonly string[] },
    page?: { limit: number; after?: VolunteerAssignmentCursor },
  ) {
    const visible = `($2::text IS NULL OR EXISTS (
                  SELECT 1 FROM caseload_households c
                   WHERE c.household_id = a.household_id
                     AND (c.team_id IN (SELECT jsonb_array_elements_text($3::text::jsonb)) OR c.regie_worker_id = $2)))`;
    const params = [volunteerId, visibleTo?.workerId ?? null, JSON.stringify(visibleTo?.teams ?? [])];
    const [{ rows }, { rows: totals }] = await Promise.all([
      this.db.query<Row>(
        `SELECT a.* FROM volunteer_assignments a
          WHERE a.volunteer_id = $1 AND ${visible}
            AND ($4::integer IS NULL OR (${RANK}, a.assigned_at, a.household_id, a.assignment_id)
                                        > ($4::integer, $5::timestamptz, $6::text, $7::text))
          ORDER BY ${RANK}, a.assigned_at, a.household_id, a.assignment_id
          LIMIT $8`,
        [
          ...params,
          page?.after?.rank ?? null,
          page?.after?.assignedAt ?? null,
          page?.after?.householdId ?? null,
          page?.after?.assignmentId ?? null,
          page?.limit ?? null,
        ],
      ),
      this.db.query<{
        total: string | number;
        shown: string | number;
        open_count: string | number;
        hours: string | number;
      }>(
        `SELECT count(*) AS total, count(*) FILTER (WHERE ${visible}) AS shown,
                count(*) FILTER (WHERE a.status = 'open') AS open_count,
                coalesce(sum(a.hours_per_week) FILTER (WHERE a.status = 'open'), 0) AS hours
           FROM volunteer_assignments a WHERE a.volunteer_id = $1`,
        params,
      ),
    ]);
    const t = totals[0]!;
    return {
      volunteerId,
      assignments: rows.map(toAssignment),
      openAssignments: Number(t.open_count),
      assignedHoursPerWeek: Number(t.hours),
      /** Assignments in households the caller may not read: counted, never named. */
      notShown: Number(t.total) - Number(t.shown),
    };
  }

  async forHousehold(householdId: string) {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM volunteer_assignments WHERE household_id = $1
        ORDER BY status DESC, assigned_at, assignment_id`,
      [householdId],
    );
    const assignments = rows.map(toAssignment);
    return {
      householdId,
      assignments,
      openAssignments: assignments.filter((a) => a.status === 'open').length,
      assignedHoursPerWeek: openHours(assignments),
    };
  }
}
