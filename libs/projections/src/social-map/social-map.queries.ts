import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

export interface OrganisationRow {
  readonly organisationId: string;
  readonly name: string;
  readonly expertise: { lifeDomains: string[]; tags: string[] };
  readonly location: string;
  readonly waitingDays: number;
  readonly updatedAt: string;
}

export interface SocialMapFilter {
  /** A life domain or a tag the organisation has expertise in. */
  readonly expertise?: string;
  /** Compared without regard to case. */
  readonly location?: string;
}

/** Where the next page of a search starts: after this organisation, in the search's order. */
export interface SocialMapCursor {
  readonly waitingDays: number;
  readonly name: string;
  readonly organisationId: string;
}

interface Row {
  organisation_id: string;
  name: string;
  life_domains: string[] | string;
  tags: string[] | string;
  location: string;
  waiting_days: number;
  updated_at: Date | string;
}

const json = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);

export class SocialMapQueries {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Matching organisations, the shortest waiting time first; with `page`, at most `limit` of them
   * after `after` in (waitingDays, name, organisationId) order.
   */
  async search(
    filter: SocialMapFilter,
    page?: { limit: number; after?: SocialMapCursor },
  ): Promise<OrganisationRow[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM social_map_organisations
        WHERE ($1::text IS NULL OR life_domains ? $1 OR tags ? $1)
          AND ($2::text IS NULL OR lower(location) = lower($2))
          AND ($3::integer IS NULL OR (waiting_days, name, organisation_id) > ($3::integer, $4::text, $5::text))
        ORDER BY waiting_days, name, organisation_id
        LIMIT $6`,
      [
        filter.expertise ?? null,
        filter.location ?? null,
        page?.after?.waitingDays ?? null,
        page?.after?.name ?? null,
        page?.after?.organisationId ?? null,
        page?.limit ?? null,
      ],
    );
    return rows.map((r) => ({
      organisationId: r.organisation_id,
      name: r.name,
      expertise: { lifeDomains: json(r.life_domains), tags: json(r.tags) },
      location: r.location,
      waitingDays: Number(r.waiting_days),
      updatedAt: (r.updated_at instanceof Date ? r.updated_at : new Date(r.updated_at)).toISOString(),
    }));
  }
}
