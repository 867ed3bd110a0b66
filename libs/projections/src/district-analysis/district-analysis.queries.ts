import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

/**
 * The small-group rule of the district analysis, one for every answer: a group that counts fewer
 * than this is left out, in SQL, before any count leaves: with so few, a reader who knows the
 * district could tell who is meant. Questions count distinct households; the ZRM progress counts
 * persons (the ZRM measures one adult, issue 18).
 */
export const MIN_GROUP_SIZE = 5;
/** The questions count distinct households: MIN_GROUP_SIZE of them. */
export const MIN_HOUSEHOLDS_PER_GROUP = MIN_GROUP_SIZE;
/** The ZRM progress counts persons: MIN_GROUP_SIZE of them. */
export const MIN_PERSONS_PER_GROUP = MIN_GROUP_SIZE;

export interface QuestionGroup {
  readonly district: string;
  readonly month: string;
  readonly lifeDomain: string;
  readonly questions: number;
  readonly households: number;
}

export interface ZrmProgressGroup {
  readonly district: string;
  readonly lifeDomain: string;
  /** Persons with at least two assessments: each one's first and latest are compared. */
  readonly persons: number;
  readonly averageFirstScore: number;
  readonly averageLatestScore: number;
  /** Average of (latest - first) per person; positive means more self-sufficient. */
  readonly averageChange: number;
}

export interface QuestionFilter {
  readonly district?: string;
  /** YYYY-MM, inclusive. */
  readonly fromMonth?: string;
  readonly toMonth?: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export class DistrictAnalysisQueries {
  constructor(private readonly db: SqlExecutor) {}

  /** Groups with fewer than MIN_HOUSEHOLDS_PER_GROUP households are left out, in SQL, before any count leaves. */
  async questions(
    filter: QuestionFilter = {},
    page?: { limit: number; after?: readonly [district: string, month: string, lifeDomain: string] },
  ): Promise<QuestionGroup[]> {
    const { rows } = await this.db.query<{
      district: string;
      month: string;
      life_domain: string;
      questions: string;
      households: string;
    }>(
      `SELECT district, month, life_domain, count(*) AS questions, count(DISTINCT household_id) AS households
         FROM district_analysis_questions
        WHERE ($1::text IS NULL OR district = $1) AND ($2::text IS NULL OR month >= $2)
          AND ($3::text IS NULL OR month <= $3)
          AND ($5::text IS NULL OR (district, month, life_domain) > ($5::text, $6::text, $7::text))
        GROUP BY district, month, life_domain
       HAVING count(DISTINCT household_id) >= $4
        ORDER BY district, month, life_domain
        LIMIT $8`,
      [
        filter.district ?? null,
        filter.fromMonth ?? null,
        filter.toMonth ?? null,
        MIN_HOUSEHOLDS_PER_GROUP,
        page?.after?.[0] ?? null,
        page?.after?.[1] ?? null,
        page?.after?.[2] ?? null,
        page?.limit ?? null,
      ],
    );
    return rows.map((r) => ({
      district: r.district,
      month: r.month,
      lifeDomain: r.life_domain,
      questions: Number(r.questions),
      households: Number(r.households),
    }));
  }

  /** Groups with fewer than MIN_PERSONS_PER_GROUP persons are left out, in SQL, before any count leaves. */
  async zrmProgress(
    filter: { district?: string } = {},
    page?: { limit: number; after?: readonly [district: string, lifeDomain: string] },
  ): Promise<ZrmProgressGroup[]> {
    const { rows } = await this.db.query<{
      district: string;
      life_domain: string;
      persons: string;
      first: string;
      latest: string;
      change: string;
    }>(
      // One row per person and life domain: count(*) counts persons.
      `SELECT h.district, s.life_domain, count(*) AS persons, avg(s.first_score) AS first,
              avg(s.latest_score) AS latest, avg(s.latest_score - s.first_score) AS change
         FROM district_analysis_scores s JOIN district_analysis_households h USING (household_id)
        WHERE s.assessments >= 2 AND ($1::text IS NULL OR h.district = $1)
          AND ($3::text IS NULL OR (h.district, s.life_domain) > ($3::text, $4::text))
        GROUP BY h.district, s.life_domain
       HAVING count(*) >= $2
        ORDER BY h.district, s.life_domain
        LIMIT $5`,
      [
        filter.district ?? null,
        MIN_PERSONS_PER_GROUP,
        page?.after?.[0] ?? null,
        page?.after?.[1] ?? null,
        page?.limit ?? null,
      ],
    );
    return rows.map((r) => ({
      district: r.district,
      lifeDomain: r.life_domain,
      persons: Number(r.persons),
      averageFirstScore: round2(Number(r.first)),
      averageLatestScore: round2(Number(r.latest)),
      averageChange: round2(Number(r.change)),
    }));
  }
}
