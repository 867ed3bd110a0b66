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

export interface AccessLogOptions {
  /**
   * How long an entry waits to be written together with the entries after it: one INSERT per
   * batch rather than one per request. It bounds what a killed process loses. Default 10 ms.
   */
  readonly flushMs?: number;
  /** Entries in one INSERT at most; a full batch is written at once. Default 500. */
  readonly maxBatch?: number;
}

interface Batch {
  readonly entries: AccessEntry[];
  /** When it is written at the latest (unless a write before it is still running). */
  readonly due: number;
  readonly stored: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

const newBatch = (due: number): Batch => {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const stored = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failed batch is reported to each entry's recorder; nobody else has to handle it.
  stored.catch(() => undefined);
  return { entries: [], due, stored, resolve, reject };
};

/**
 * Entries are written in batches, one INSERT (and one commit) for all that came in within
 * `flushMs`, one batch at a time, in the order recorded.
 */
export class AccessLog {
  private readonly flushMs: number;
  private readonly maxBatch: number;
  /** Batches not yet handed to the database, oldest first; only the last one still grows. */
  private readonly queue: Batch[] = [];
  /** The batch recorded last (queued or being written): when it settles, all before it have. */
  private last: Batch | undefined;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  /** Callers of flush() waiting: the batches before theirs go without waiting for `due`. */
  private urgent = 0;

  constructor(
    private readonly sql: Sql,
    options: AccessLogOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 10;
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Queues the entry; the promise settles when its batch is stored (or failed to be). */
  record(entry: AccessEntry): Promise<void> {
    let batch = this.queue[this.queue.length - 1];
    if (!batch || batch.entries.length >= this.maxBatch) {
      batch = newBatch(Date.now() + this.flushMs);
      this.queue.push(batch);
      this.last = batch;
    }
    batch.entries.push(entry);
    this.schedule();
    return batch.stored;
  }

  /** Writes every entry recorded so far; resolves once they are stored (or their write failed). */
  async flush(): Promise<void> {
    const last = this.last;
    if (!last) return;
    this.urgent++;
    try {
      this.schedule();
      await last.stored.catch(() => undefined);
    } finally {
      this.urgent--;
    }
  }

  /** Writes what is left (at shutdown, before the database goes). */
  close(): Promise<void> {
    return this.flush();
  }

  /** Starts writing the oldest batch when it is due, full or wanted now; else sets the timer. */
  private schedule(): void {
    const head = this.queue[0];
    if (this.writing || !head) return;
    const wait = this.urgent > 0 || head.entries.length >= this.maxBatch ? 0 : head.due - Date.now();
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writing = true;
    const batch = this.queue.shift()!;
    this.insert(batch.entries)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.writing = false;
        this.schedule();
      });
  }

  private async insert(entries: readonly AccessEntry[]): Promise<void> {
    await this.sql.query(
      `INSERT INTO access_log (at, actor_id, actor_roles, on_behalf_of, household_id, action, outcome, purpose, correlation_id)
       SELECT at, actor_id, actor_roles, on_behalf_of, household_id, action, outcome, purpose, correlation_id
         FROM ROWS FROM (jsonb_to_recordset($1::text::jsonb) AS (at timestamptz, actor_id text,
                actor_roles text, on_behalf_of text, household_id text, action text, outcome integer,
                purpose text, correlation_id text))
              WITH ORDINALITY AS e(at, actor_id, actor_roles, on_behalf_of, household_id, action,
                outcome, purpose, correlation_id, n)
        ORDER BY n`,
      [
        JSON.stringify(
          entries.map((entry) => ({
            at: entry.at,
            actor_id: entry.actorId,
            actor_roles: entry.actorRoles.join(' '),
            on_behalf_of: entry.onBehalfOf,
            household_id: entry.householdId,
            action: entry.action,
            outcome: entry.outcome,
            purpose: entry.purpose,
            correlation_id: entry.correlationId,
          })),
        ),
      ],
      { prepare: 'eenplan_access_log_insert_batch' },
    );
  }

  /** Entries matching the query, oldest first; what was recorded before the call is included. */
  async find(query: AccessQuery): Promise<AccessEntry[]> {
    await this.flush();
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
