import type { Migration, Sql } from '@eenplan/event-store/sql/sql';

/**
 * The access log, shaped after NEN 7513 and BIO2 8.15: for every request on household data, who
 * (and on whose behalf), which household, which action, when, the outcome and the purpose. It is
 * append-only: the table refuses UPDATE, DELETE and TRUNCATE. It holds ids and route names only,
 * never a name or a request body.
 */
export const accessLogMigrations: readonly Migration[] = [
  {
    id: '0060_access_log',
    sql: `
      CREATE TABLE access_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id text NOT NULL,
        actor_roles text NOT NULL,
        on_behalf_of text,
        household_id text,
        action text NOT NULL,
        outcome integer NOT NULL,
        purpose text NOT NULL,
        correlation_id text
      );
      CREATE INDEX access_log_household ON access_log (household_id, at);
      CREATE INDEX access_log_actor ON access_log (actor_id, at);

      CREATE FUNCTION access_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only';
      END
      $$;
      CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
        FOR EACH ROW EXECUTE FUNCTION access_log_is_append_only();
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
        FOR EACH STATEMENT EXECUTE FUNCTION access_log_is_append_only();
    `,
  },
];

export interface AccessEntry {
  readonly at: string;
  readonly actorId: string;
  readonly actorRoles: readonly string[];
  readonly onBehalfOf: string | null;
  readonly householdId: string | null;
  /** The route, e.g. `GET /v1/households/:id`: what was done, without the values. */
  readonly action: string;
  /** The HTTP status the request ended with. */
  readonly outcome: number;
  readonly purpose: string;
  readonly correlationId: string | null;
}

export interface AccessQuery {
  readonly householdId?: string;
  readonly actorId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

export class AccessLog {
  constructor(private readonly sql: Sql) {}

  async record(entry: AccessEntry): Promise<void> {
    await this.sql.query(
      `INSERT INTO access_log (at, actor_id, actor_roles, on_behalf_of, household_id, action, outcome, purpose, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.at,
        entry.actorId,
        entry.actorRoles.join(' '),
        entry.onBehalfOf,
        entry.householdId,
        entry.action,
        entry.outcome,
        entry.purpose,
        entry.correlationId,
      ],
      { prepare: 'eenplan_access_log_insert' },
    );
  }

  async find(query: AccessQuery): Promise<AccessEntry[]> {
    const { rows } = await this.sql.query<{
      at: Date;
      actor_id: string;
      actor_roles: string;
      on_behalf_of: string | null;
      household_id: string | null;
      action: string;
      outcome: number;
      purpose: string;
      correlation_id: string | null;
    }>(
      `SELECT at, actor_id, actor_roles, on_behalf_of, household_id, action, outcome, purpose, correlation_id
         FROM access_log
        WHERE ($1::text IS NULL OR household_id = $1)
          AND ($2::text IS NULL OR actor_id = $2)
          AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::timestamptz IS NULL OR at < $4)
        ORDER BY at, id
        LIMIT $5`,
      [
        query.householdId ?? null,
        query.actorId ?? null,
        query.from ?? null,
        query.to ?? null,
        Math.min(query.limit ?? 1000, 10_000),
      ],
    );
    return rows.map((r) => ({
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorRoles: r.actor_roles.split(' ').filter(Boolean),
      onBehalfOf: r.on_behalf_of,
      householdId: r.household_id,
      action: r.action,
      outcome: r.outcome,
      purpose: r.purpose,
      correlationId: r.correlation_id,
    }));
  }
}
