import { closureReasonOf, dateInNl, type CodedClosureData, type HouseholdEvent } from '@eenplan/domain';
import { Projection } from '../projection';

/**
 * The outcomes (issue 19, docs/OUTCOMES.md): one row per closure of a plan, with where it counts
 * (district, team), its day (a Dutch date), its reason code, how many of its goals were realised
 * how far, and whether a reopen within 12 months followed (recurrence). Never a name or a text:
 * the rows are counted per group and small groups left out when read (outcomes.queries.ts).
 *
 * Closures written before the codes (PlanClosed v1) count with reason `unknown` and no goals, in
 * the district and team the household was registered with; a reopen written before issue 19
 * (PlanReopened v1) is measured here against the household's last closure, by the same rule as the
 * decider's (lifecycle.ts isRecurrence).
 */
export const outcomesProjection: Projection = {
  name: 'outcomes',
  version: 1,
  tables: ['outcome_closures', 'outcome_households'],
  migrations: [
    {
      id: '0730_outcome_closures',
      sql: `CREATE TABLE IF NOT EXISTS outcome_households (
              household_id text PRIMARY KEY,
              district text NOT NULL,
              team_id text NOT NULL
            );
            CREATE TABLE IF NOT EXISTS outcome_closures (
              household_id text NOT NULL,
              closure_version integer NOT NULL,
              closed_at text NOT NULL,
              closed_on text NOT NULL,
              district text NOT NULL,
              team_id text NOT NULL,
              reason text NOT NULL,
              achieved integer NOT NULL,
              partly_achieved integer NOT NULL,
              not_achieved integer NOT NULL,
              dropped integer NOT NULL,
              not_recorded integer NOT NULL,
              recurred boolean NOT NULL DEFAULT false,
              PRIMARY KEY (household_id, closure_version)
            );
            CREATE INDEX IF NOT EXISTS outcome_closures_group
              ON outcome_closures (district, team_id, closed_on);`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const event = recorded as unknown as HouseholdEvent;
    switch (event.type) {
      case 'HouseholdRegistered':
        await tx.query(
          `INSERT INTO outcome_households (household_id, district, team_id) VALUES ($1, $2, $3)
           ON CONFLICT (household_id) DO NOTHING`,
          [householdId, event.data.district, event.data.teamId],
        );
        return;
      case 'PlanClosed': {
        const d = event.data;
        const coded = 'goals' in d ? (d as CodedClosureData) : null;
        const count = (r: string) => coded?.goals.filter((g) => g.realisation === r).length ?? 0;
        await tx.query(
          `INSERT INTO outcome_closures (household_id, closure_version, closed_at, closed_on, district, team_id,
                                         reason, achieved, partly_achieved, not_achieved, dropped, not_recorded)
           SELECT * FROM (
             SELECT $1::text, $2::integer, $3::text, $4::text,
                    coalesce($5::text, (SELECT district FROM outcome_households WHERE household_id = $1)) AS district,
                    coalesce($6::text, (SELECT team_id FROM outcome_households WHERE household_id = $1)) AS team_id,
                    $7::text, $8::integer, $9::integer, $10::integer, $11::integer, $12::integer
           ) c
           -- A closure of a household this read model never saw registered has nowhere to count.
           WHERE c.district IS NOT NULL AND c.team_id IS NOT NULL
           ON CONFLICT (household_id, closure_version) DO NOTHING`,
          [
            householdId,
            recorded.streamVersion,
            d.closedAt,
            dateInNl(d.closedAt),
            coded?.district ?? null,
            coded?.teamId ?? null,
            closureReasonOf(d),
            count('achieved'),
            count('partly-achieved'),
            count('not-achieved'),
            count('dropped'),
            count('not-recorded'),
          ],
        );
        return;
      }
      case 'PlanReopened': {
        const d = event.data;
        if ('recurrence' in d) {
          if (!d.recurrence) return;
          await tx.query(
            `UPDATE outcome_closures SET recurred = true WHERE household_id = $1 AND closed_at = $2`,
            [householdId, d.closedAt],
          );
          return;
        }
        // Written before issue 19: the last closure, if it was before the anniversary of this day.
        const reopenedOn = dateInNl(recorded.metadata.recordedAt);
        const yearBefore = `${Number(reopenedOn.slice(0, 4)) - 1}${reopenedOn.slice(4)}`;
        await tx.query(
          `UPDATE outcome_closures SET recurred = true
            WHERE household_id = $1 AND closed_on > $2
              AND closure_version = (SELECT max(closure_version) FROM outcome_closures WHERE household_id = $1)`,
          [householdId, yearBefore],
        );
        return;
      }
      default:
        return;
    }
  },
};
