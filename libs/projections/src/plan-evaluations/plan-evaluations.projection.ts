import type { HouseholdEvent } from '@eenplan/domain';
import { Projection } from '../projection';

/**
 * The plan's evaluation date per household (issue 19) and the date last recorded overdue
 * (PlanEvaluationOverdue): where the plan-cycle sweep looks. Whether a date has passed is a
 * question of today, decided when read. Dates are YYYY-MM-DD text (Dutch calendar dates).
 */
export const planEvaluationsProjection: Projection = {
  name: 'plan-evaluations',
  version: 1,
  tables: ['plan_evaluations'],
  migrations: [
    {
      id: '0840_plan_evaluations',
      sql: `CREATE TABLE IF NOT EXISTS plan_evaluations (
              household_id text PRIMARY KEY,
              team_id text NOT NULL,
              plan_status text NOT NULL,
              evaluate_by text,
              overdue_for text
            );
            CREATE INDEX IF NOT EXISTS plan_evaluations_due ON plan_evaluations (evaluate_by);`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const event = recorded as unknown as HouseholdEvent;
    const update = (set: string, values: (string | null)[]) =>
      tx.query(`UPDATE plan_evaluations SET ${set} WHERE household_id = $1`, [householdId, ...values]);
    switch (event.type) {
      case 'HouseholdRegistered':
        await tx.query(
          `INSERT INTO plan_evaluations (household_id, team_id, plan_status) VALUES ($1, $2, 'active')
           ON CONFLICT (household_id) DO NOTHING`,
          [householdId, event.data.teamId],
        );
        return;
      case 'PlanClosed':
        await update(`plan_status = 'closed'`, []);
        return;
      case 'PlanReopened':
        await update(`plan_status = 'active'`, []);
        return;
      case 'PlanAgreed':
        if (event.data.evaluateBy !== undefined) await update(`evaluate_by = $2`, [event.data.evaluateBy]);
        return;
      case 'PlanEvaluationDateSet':
        await update(`evaluate_by = $2`, [event.data.evaluateBy]);
        return;
      case 'ReviewMeetingHeld':
        if (event.data.nextEvaluateBy !== null) await update(`evaluate_by = $2`, [event.data.nextEvaluateBy]);
        return;
      case 'PlanEvaluationOverdue':
        await update(`overdue_for = $2`, [event.data.evaluateBy]);
        return;
      case 'HouseholdDataErased':
        // An erased household takes no more commands: nothing left to record.
        await tx.query(`DELETE FROM plan_evaluations WHERE household_id = $1`, [householdId]);
        return;
      default:
        return;
    }
  },
};
