import { assessedMember, LIFE_DOMAINS, type HouseholdEvent } from '@eenplan/domain';
import { Projection } from '../projection';
import { applyChanges, registrationChanges, type SetStatement } from '../set-apply';

/**
 * The district analysis (wijkanalyse): questions per life domain per district per month, and ZRM
 * progress per district. It keeps one row per question, and per person assessed and domain, never
 * a name or a text, so that groups can be counted (questions by distinct households, the ZRM by
 * persons: it measures one adult, issue 18) and small ones suppressed when read
 * (district-analysis.queries.ts).
 *
 * Assessments recorded before they named a member (AssessmentRecorded schema v1) measured the
 * household as a whole: no person, so they are left out of the ZRM progress, which counts persons.
 */
export const districtAnalysisProjection: Projection = {
  name: 'district-analysis',
  // 2: ZRM scores per person (issue 18), rebuilt from the events.
  version: 2,
  tables: ['district_analysis_questions', 'district_analysis_scores', 'district_analysis_households'],
  migrations: [
    {
      id: '0700_district_analysis',
      sql: `CREATE TABLE IF NOT EXISTS district_analysis_households (
              household_id text PRIMARY KEY,
              district text NOT NULL
            );
            CREATE TABLE IF NOT EXISTS district_analysis_questions (
              household_id text NOT NULL,
              question_id text NOT NULL,
              district text NOT NULL,
              month text NOT NULL,
              life_domain text NOT NULL,
              PRIMARY KEY (household_id, question_id)
            );
            CREATE INDEX IF NOT EXISTS district_analysis_questions_group
              ON district_analysis_questions (district, month, life_domain);
            CREATE TABLE IF NOT EXISTS district_analysis_scores (
              household_id text NOT NULL,
              life_domain text NOT NULL,
              first_score integer NOT NULL,
              latest_score integer NOT NULL,
              assessments integer NOT NULL,
              PRIMARY KEY (household_id, life_domain)
            );`,
    },
    {
      // The ZRM per adult (issue 18): one row per person and life domain. The rows per household
      // go; the version bump above rebuilds the rows per person from the events.
      id: '0701_district_analysis_scores_per_person',
      sql: `DROP TABLE IF EXISTS district_analysis_scores;
            CREATE TABLE district_analysis_scores (
              household_id text NOT NULL,
              member_id text NOT NULL,
              life_domain text NOT NULL,
              first_score integer NOT NULL,
              latest_score integer NOT NULL,
              assessments integer NOT NULL,
              PRIMARY KEY (household_id, member_id, life_domain)
            );`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const event = recorded as unknown as HouseholdEvent;
    switch (event.type) {
      case 'HouseholdRegistered':
        await tx.query(
          `INSERT INTO district_analysis_households (household_id, district) VALUES ($1, $2)
           ON CONFLICT (household_id) DO NOTHING`,
          [householdId, event.data.district],
        );
        return;
      case 'QuestionRegistered': {
        const d = event.data;
        await tx.query(
          `INSERT INTO district_analysis_questions (household_id, question_id, district, month, life_domain)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [householdId, d.questionId, d.district, d.askedOn.slice(0, 7), d.lifeDomain],
        );
        return;
      }
      case 'AssessmentRecorded': {
        const memberId = assessedMember(event.data);
        // The household as a whole (schema v1) is no person: not counted.
        if (memberId === null) return;
        for (const domain of LIFE_DOMAINS) {
          const score = event.data.scores[domain];
          await tx.query(
            `INSERT INTO district_analysis_scores (household_id, member_id, life_domain, first_score, latest_score, assessments)
             VALUES ($1, $2, $3, $4, $4, 1)
             ON CONFLICT (household_id, member_id, life_domain) DO UPDATE
               SET latest_score = EXCLUDED.latest_score,
                   assessments = district_analysis_scores.assessments + 1`,
            [householdId, memberId, domain, score],
          );
        }
        return;
      }
      default:
        return;
    }
  },
  applyBatch: (tx, events) => applyChanges(tx, events.flatMap(changes)),
};

/** Registrations go in set-based (one statement per batch); every other event runs `apply`. */
const REGISTER: SetStatement = {
  sql: `INSERT INTO district_analysis_households (household_id, district)
        SELECT c.household_id, c.district
          FROM jsonb_to_recordset($1::text::jsonb) AS c(household_id text, district text)
        ON CONFLICT (household_id) DO NOTHING`,
};

const changes = registrationChanges(districtAnalysisProjection, REGISTER, (householdId, d) => ({
  household_id: householdId,
  district: d.district,
}));
