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
   */
  async forVolunteer(volunteerId: string, visibleTo?: { workerId: string; teams: readonly string[] }) {
    const { rows } = await this.db.query<Row & { visible: boolean }>(
      `SELECT a.*, (
                $2::text IS NULL OR EXISTS (
                  SELECT 1 FROM caseload_households c
                   WHERE c.household_id = a.household_id
                     AND (c.team_id IN (SELECT jsonb_array_elements_text($3::text::jsonb)) OR c.regie_worker_id = $2))
              ) AS visible
         FROM volunteer_assignments a WHERE a.volunteer_id = $1
        ORDER BY a.status DESC, a.assigned_at, a.household_id, a.assignment_id`,
      [volunteerId, visibleTo?.workerId ?? null, JSON.stringify(visibleTo?.teams ?? [])],
    );
    const all = rows.map(toAssignment);
    const assignments = rows.filter((r) => r.visible).map(toAssignment);
    return {
      volunteerId,
      assignments,
      openAssignments: all.filter((a) => a.status === 'open').length,
      assignedHoursPerWeek: openHours(all),
      /** Assignments in households the caller may not read: counted, never named. */
      notShown: all.length - assignments.length,
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
