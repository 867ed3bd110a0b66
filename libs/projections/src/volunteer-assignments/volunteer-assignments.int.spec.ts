/**
 * Volunteer assignments, given household events: per household and per volunteer, open and ended,
 * with hours. On PGlite and the PostgreSQL server (projection-spec.suite.ts).
 */
import type { Sql } from '@eenplan/event-store';
import { describeProjection, recorded, rows } from '../projection-spec.suite';
import { volunteerAssignmentsProjection } from './volunteer-assignments.projection';
import { VolunteerAssignmentsQueries } from './volunteer-assignments.queries';

const assigned = (
  householdId: string,
  assignmentId: string,
  volunteerId: string,
  hoursPerWeek: number,
  at: string,
) =>
  recorded(`household-${householdId}`, 'VolunteerAssigned', {
    assignmentId,
    volunteerId,
    actionId: null,
    hoursPerWeek,
    assignedBy: 'w-1',
    assignedAt: at,
  });
const ended = (householdId: string, assignmentId: string, cause: string, at: string) =>
  recorded(`household-${householdId}`, 'VolunteerAssignmentEnded', {
    assignmentId,
    volunteerId: 'v-1',
    hoursPerWeek: 2,
    cause,
    endedBy: 'w-1',
    endedAt: at,
  });

const table = rows(
  `SELECT household_id, assignment_id, volunteer_id, hours_per_week::text AS hours, status,
          end_cause, ended_at IS NOT NULL AS has_ended_at
     FROM volunteer_assignments ORDER BY household_id, assignment_id`,
);
/** Per household (the per-volunteer query joins the caseload's tables, another projection). */
const summary = async (db: Sql) => {
  const q = new VolunteerAssignmentsQueries(db);
  const households = [await q.forHousehold('h-1'), await q.forHousehold('h-2')];
  return {
    open: households.reduce((n, h) => n + h.openAssignments, 0),
    hours: households.reduce((n, h) => n + h.assignedHoursPerWeek, 0),
    shown: households.reduce((n, h) => n + h.assignments.length, 0),
  };
};

describeProjection(volunteerAssignmentsProjection, (spec) => {
  it('an assignment is open, with its hours, per household and per volunteer', () =>
    spec
      .given(
        assigned('h-1', 'as-1', 'v-1', 2, '2026-01-05T09:00:00.000Z'),
        assigned('h-2', 'as-1', 'v-1', 1.5, '2026-01-06T09:00:00.000Z'),
      )
      .then(summary, { open: 2, hours: 3.5, shown: 2 }));

  it('an ended assignment keeps its row, ended, with the cause; its hours no longer count', () =>
    spec
      .given(assigned('h-1', 'as-1', 'v-1', 2, '2026-01-05T09:00:00.000Z'))
      .when(ended('h-1', 'as-1', 'plan-closed', '2026-02-01T09:00:00.000Z'))
      .then(
        async (db) => [await table(db), await summary(db)],
        [
          [
            {
              household_id: 'h-1',
              assignment_id: 'as-1',
              volunteer_id: 'v-1',
              hours: '2',
              status: 'ended',
              end_cause: 'plan-closed',
              has_ended_at: true,
            },
          ],
          { open: 0, hours: 0, shown: 1 },
        ],
      ));

  it('an assignment seen twice is one row; an end of an unknown assignment changes nothing', () =>
    spec
      .given(
        assigned('h-1', 'as-1', 'v-1', 2, '2026-01-05T09:00:00.000Z'),
        ended('h-1', 'as-9', 'ended', '2026-02-01T09:00:00.000Z'),
      )
      .when(assigned('h-1', 'as-1', 'v-1', 2, '2026-01-05T09:00:00.000Z'))
      .then(async (db) => (await table(db)).map((r) => [r.assignment_id, r.status]), [['as-1', 'open']]));

  it('an erasure leaves the rows: they hold ids and hours only, no personal data', () =>
    spec
      .given(assigned('h-1', 'as-1', 'v-1', 2, '2026-01-05T09:00:00.000Z'))
      .when(recorded('household-h-1', 'HouseholdDataErased', { erasedAt: '2026-03-01T00:00:00.000Z' }))
      .then(async (db) => (await table(db)).length, 1));

  it('events on other streams are ignored', () =>
    spec
      .given(
        recorded('team-t-1', 'VolunteerAssigned', {
          assignmentId: 'as-1',
          volunteerId: 'v-1',
          actionId: null,
          hoursPerWeek: 1,
          assignedBy: 'w',
          assignedAt: '2026-01-05T09:00:00.000Z',
        }),
      )
      .then(table, []));
});
