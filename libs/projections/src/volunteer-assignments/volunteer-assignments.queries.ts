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

  /** Every assignment of the volunteer, open first, with the hours a week still assigned. */
  async forVolunteer(volunteerId: string) {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM volunteer_assignments WHERE volunteer_id = $1
        ORDER BY status DESC, assigned_at, household_id, assignment_id`,
      [volunteerId],
    );
    const assignments = rows.map(toAssignment);
    return {
      volunteerId,
      assignments,
      openAssignments: assignments.filter((a) => a.status === 'open').length,
      assignedHoursPerWeek: openHours(assignments),
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
