import { addDays, type HouseholdEvent } from '@eenplan/domain';
import { Projection } from '../projection';
import { applyChanges, registrationChanges, type SetStatement } from '../set-apply';

/**
 * Check-in cadences per household with the earliest due date still without a contact (invariant 16).
 * Whether that date has passed is a question of today, so overdue is decided when read
 * (overdue-check-ins.queries.ts); what the events add is which overdue dates were announced.
 * Dates are kept as YYYY-MM-DD text: Dutch calendar dates, never shifted by a driver's time zone.
 */
export const overdueCheckInsProjection: Projection = {
  name: 'overdue-check-ins',
  version: 1,
  tables: ['check_in_cadences'],
  migrations: [
    {
      id: '0600_check_in_cadences',
      sql: `CREATE TABLE IF NOT EXISTS check_in_cadences (
              household_id text PRIMARY KEY,
              team_id text NOT NULL,
              district text NOT NULL,
              plan_status text NOT NULL,
              cadence_id text,
              every_weeks integer,
              starts_on text,
              next_due_on text,
              last_contact_on text,
              overdue_due_on text,
              announced_through text,
              next_unannounced_due_on text
            );
            CREATE INDEX IF NOT EXISTS check_in_cadences_team ON check_in_cadences (team_id, next_due_on);
            CREATE INDEX IF NOT EXISTS check_in_cadences_sweep ON check_in_cadences (next_unannounced_due_on);`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const event = recorded as unknown as HouseholdEvent;
    const update = (set: string, values: unknown[]) =>
      tx.query(`UPDATE check_in_cadences SET ${set} WHERE household_id = $1`, [householdId, ...values]);
    switch (event.type) {
      case 'HouseholdRegistered':
        await tx.query(
          `INSERT INTO check_in_cadences (household_id, team_id, district, plan_status) VALUES ($1, $2, $3, 'active')
           ON CONFLICT (household_id) DO NOTHING`,
          [householdId, event.data.teamId, event.data.district],
        );
        return;
      case 'PlanClosed':
        await update(`plan_status = 'closed'`, []);
        return;
      case 'PlanReopened':
        await update(`plan_status = 'active'`, []);
        return;
      case 'CheckInCadenceScheduled': {
        const d = event.data;
        await update(
          `cadence_id = $2, every_weeks = $3, starts_on = $4, next_due_on = $4, overdue_due_on = NULL,
           announced_through = NULL, next_unannounced_due_on = $4`,
          [d.cadenceId, d.everyWeeks, d.startsOn],
        );
        return;
      }
      case 'CheckInCadenceEnded':
        await update(
          `cadence_id = NULL, every_weeks = NULL, starts_on = NULL, next_due_on = NULL, overdue_due_on = NULL,
           announced_through = NULL, next_unannounced_due_on = NULL`,
          [],
        );
        return;
      case 'CheckInContactRecorded': {
        const d = event.data;
        const { rows } = await tx.query<{ announced_through: string | null; every_weeks: number }>(
          `SELECT announced_through, every_weeks FROM check_in_cadences WHERE household_id = $1`,
          [householdId],
        );
        const row = rows[0];
        const afterAnnounced = row?.announced_through
          ? addDays(row.announced_through, Number(row.every_weeks) * 7)
          : null;
        const nextUnannounced =
          afterAnnounced !== null && afterAnnounced > d.nextDueOn ? afterAnnounced : d.nextDueOn;
        await update(
          `next_due_on = $2, overdue_due_on = $3, next_unannounced_due_on = $4,
           last_contact_on = CASE WHEN last_contact_on IS NULL OR last_contact_on < $5 THEN $5 ELSE last_contact_on END`,
          [d.nextDueOn, d.overdueDueOn, nextUnannounced, d.contactOn],
        );
        return;
      }
      case 'CheckInOverdue': {
        const d = event.data;
        await update(
          `overdue_due_on = COALESCE(overdue_due_on, $2), announced_through = $2, next_unannounced_due_on = $3`,
          [d.dueOn, addDays(d.dueOn, d.everyWeeks * 7)],
        );
        return;
      }
      case 'HouseholdDataErased':
        // An erased household takes no more commands: nothing left to announce or to show.
        await tx.query(`DELETE FROM check_in_cadences WHERE household_id = $1`, [householdId]);
        return;
      default:
        return;
    }
  },
  applyBatch: (tx, events) => applyChanges(tx, events.flatMap(changes)),
};

/** Registrations go in set-based (one statement per batch); every other event runs `apply`. */
const REGISTER: SetStatement = {
  sql: `INSERT INTO check_in_cadences (household_id, team_id, district, plan_status)
        SELECT c.household_id, c.team_id, c.district, 'active'
          FROM jsonb_to_recordset($1::text::jsonb) AS c(household_id text, team_id text, district text)
        ON CONFLICT (household_id) DO NOTHING`,
};

const changes = registrationChanges(overdueCheckInsProjection, REGISTER, (householdId, d) => ({
  household_id: householdId,
  team_id: d.teamId,
  district: d.district,
}));
