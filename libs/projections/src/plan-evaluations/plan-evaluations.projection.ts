import { assessedMember, type HouseholdEvent } from '@eenplan/domain';
import { Projection } from '../projection';

/**
 * The plan's evaluation date per household (issue 19) and the date last recorded overdue
 * (PlanEvaluationOverdue): where the plan-cycle sweep looks. Whether a date has passed is a
 * question of today, decided when read. Dates are YYYY-MM-DD text (Dutch calendar dates).
 */
export const planEvaluationsProjection: Projection = {
  name: 'plan-evaluations',
  version: 1,
  tables: ['plan_evaluations', 'plan_reassessments'],
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
    {
      // Per assessed person (a current member), their latest ZRM assessment and the one whose
      // re-assessment was recorded overdue.
      id: '0841_plan_reassessments',
      sql: `CREATE TABLE IF NOT EXISTS plan_reassessments (
              household_id text NOT NULL,
              member_id text NOT NULL,
              last_assessed_on text NOT NULL,
              announced_for text,
              PRIMARY KEY (household_id, member_id)
            );
            CREATE INDEX IF NOT EXISTS plan_reassessments_due ON plan_reassessments (last_assessed_on);`,
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
      case 'AssessmentRecorded': {
        const memberId = assessedMember(event.data);
        if (memberId === null) return; // the household as a whole (schema v1): no series due again
        await tx.query(
          `INSERT INTO plan_reassessments (household_id, member_id, last_assessed_on) VALUES ($1, $2, $3)
           ON CONFLICT (household_id, member_id) DO UPDATE SET last_assessed_on = EXCLUDED.last_assessed_on
             WHERE plan_reassessments.last_assessed_on <= EXCLUDED.last_assessed_on`,
          [householdId, memberId, event.data.assessedOn],
        );
        return;
      }
      case 'ReassessmentOverdue':
        await tx.query(
          `UPDATE plan_reassessments SET announced_for = $3 WHERE household_id = $1 AND member_id = $2`,
          [householdId, event.data.memberId, event.data.lastAssessedOn],
        );
        return;
      case 'MemberLeft':
      case 'MemberDataErased':
        // No re-assessment is due for someone who left or whose data is gone.
        await tx.query(`DELETE FROM plan_reassessments WHERE household_id = $1 AND member_id = $2`, [
          householdId,
          event.data.memberId,
        ]);
        return;
      case 'HouseholdDataErased':
        // An erased household takes no more commands: nothing left to record.
        await tx.query(`DELETE FROM plan_evaluations WHERE household_id = $1`, [householdId]);
        await tx.query(`DELETE FROM plan_reassessments WHERE household_id = $1`, [householdId]);
        return;
      default:
        return;
    }
  },
};
