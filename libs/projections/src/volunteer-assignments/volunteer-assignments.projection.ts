import type { HouseholdEvent } from '@eenplan/domain';
import { Projection } from '../projection';

/**
 * Volunteer assignments, per volunteer and per household, with hours (DOMAIN.md read models). Built
 * from the household streams, where assignments are recorded and ended; no personal data.
 */
export const volunteerAssignmentsProjection: Projection = {
  name: 'volunteer-assignments',
  version: 1,
  tables: ['volunteer_assignments'],
  migrations: [
    {
      id: '0800_volunteer_assignments',
      sql: `CREATE TABLE IF NOT EXISTS volunteer_assignments (
              household_id text NOT NULL,
              assignment_id text NOT NULL,
              volunteer_id text NOT NULL,
              action_id text,
              hours_per_week numeric NOT NULL,
              status text NOT NULL,
              assigned_at timestamptz NOT NULL,
              ended_at timestamptz,
              end_cause text,
              PRIMARY KEY (household_id, assignment_id)
            );
            CREATE INDEX IF NOT EXISTS volunteer_assignments_volunteer ON volunteer_assignments (volunteer_id);`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const event = recorded as unknown as HouseholdEvent;
    if (event.type === 'VolunteerAssigned') {
      const d = event.data;
      await tx.query(
        `INSERT INTO volunteer_assignments (household_id, assignment_id, volunteer_id, action_id, hours_per_week, status, assigned_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6) ON CONFLICT DO NOTHING`,
        [householdId, d.assignmentId, d.volunteerId, d.actionId, d.hoursPerWeek, d.assignedAt],
      );
    } else if (event.type === 'VolunteerAssignmentEnded') {
      const d = event.data;
      await tx.query(
        `UPDATE volunteer_assignments SET status = 'ended', ended_at = $3, end_cause = $4
          WHERE household_id = $1 AND assignment_id = $2`,
        [householdId, d.assignmentId, d.endedAt, d.cause],
      );
    }
  },
};
