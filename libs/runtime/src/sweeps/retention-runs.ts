import type { Migration, Sql } from '@eenplan/event-store/sql/sql';

/** What one kind of record came to in one run. Pseudonymous ids only, never a name. */
export interface RetentionRunKind {
  readonly kind: string;
  /** The period in force, ISO 8601 (P20Y). */
  readonly period: string;
  /** Erased by this run (a real run), or that would be (a dry run). */
  readonly householdIds: readonly string[];
  /** Members erased (or that would be), for per-person kinds: `householdId/memberId`. */
  readonly memberIds?: readonly string[];
  /** Due by the read model, but refused on its own stream (the domain's code) or failing (`error`). */
  readonly skipped: readonly { readonly householdId: string; readonly reason: string }[];
}

export interface RetentionRun {
  readonly runId: string;
  /** When the sweep decided (the app clock), and the Dutch calendar date it counted periods to. */
  readonly ranAt: string;
  readonly today: string;
  readonly dryRun: boolean;
  /** 'timer', or the id of the administrator who asked. */
  readonly requestedBy: string;
  readonly kinds: readonly RetentionRunKind[];
  /** Records erased, or that a dry run would erase, over all kinds. */
  readonly erased: number;
}

/** The runs of the retention sweep, for auditors: every run, dry or real, one row. */
export const retentionRunMigrations: readonly Migration[] = [
  {
    id: '0830_retention_runs',
    sql: `CREATE TABLE IF NOT EXISTS retention_runs (
            seq serial PRIMARY KEY,
            run_id text NOT NULL UNIQUE,
            ran_at timestamptz NOT NULL,
            today text NOT NULL,
            dry_run boolean NOT NULL,
            requested_by text NOT NULL,
            kinds jsonb NOT NULL,
            erased integer NOT NULL
          )`,
  },
];

interface Row {
  seq: number;
  run_id: string;
  ran_at: Date | string;
  today: string;
  dry_run: boolean;
  requested_by: string;
  kinds: RetentionRunKind[] | string;
  erased: number;
}

const fromRow = (r: Row): RetentionRun & { seq: number } => ({
  seq: Number(r.seq),
  runId: r.run_id,
  ranAt: new Date(r.ran_at).toISOString(),
  today: r.today,
  dryRun: r.dry_run,
  requestedBy: r.requested_by,
  kinds: typeof r.kinds === 'string' ? (JSON.parse(r.kinds) as RetentionRunKind[]) : r.kinds,
  erased: Number(r.erased),
});

export class RetentionRuns {
  constructor(private readonly sql: Sql) {}

  async record(run: RetentionRun): Promise<void> {
    await this.sql.query(
      `INSERT INTO retention_runs (run_id, ran_at, today, dry_run, requested_by, kinds, erased)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [run.runId, run.ranAt, run.today, run.dryRun, run.requestedBy, JSON.stringify(run.kinds), run.erased],
    );
  }

  /** The newest runs first; `before` is the `seq` of the last run of the page before. */
  async page(limit: number, before?: number): Promise<(RetentionRun & { seq: number })[]> {
    const { rows } = await this.sql.query<Row>(
      `SELECT * FROM retention_runs WHERE ($1::int IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2`,
      [before ?? null, limit],
    );
    return rows.map(fromRow);
  }

  /** When the last real run by the timer was, if any: the timer runs again once its interval passed. */
  async lastTimedRun(): Promise<string | null> {
    const { rows } = await this.sql.query<{ ran_at: Date | string }>(
      `SELECT ran_at FROM retention_runs WHERE requested_by = 'timer' AND NOT dry_run ORDER BY ran_at DESC LIMIT 1`,
    );
    return rows[0] ? new Date(rows[0].ran_at).toISOString() : null;
  }
}
