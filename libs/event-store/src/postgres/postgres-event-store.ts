import {
  DuplicateEventError,
  START,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type ReadFeedOptions,
  type RecordedEvent,
} from '../event-store.port';
import type { Sql, SqlExecutor, SqlResult } from '../sql/sql';
import { comparePositions, parsePosition, POSITION_SQL, type FeedKey } from './position';
import { Wakeups, withDeadline } from '../wakeups';
import { assertAppendArguments, feedPageSize } from '../adapter-checks';

/** NOTIFY channel an append signals on, so waiting readers in every process wake up. */
export const EVENTS_CHANNEL = 'eenplan_events';

export interface PostgresEventStoreOptions {
  /**
   * Longest pause between checks in `waitForEvents` without a wake-up. A safety net: appends
   * notify, so this only matters if a notification is lost. Default 1000 ms.
   */
  readonly pollIntervalMs?: number;
  /** Pause between checks while committed events wait for an older open transaction. Default 20 ms. */
  readonly heldBackPollMs?: number;
  /**
   * Fewest milliseconds between two NOTIFYs of this process's appends. Default 20: other processes'
   * readers (the worker's projections, the relay) learn of an append at most this much later, and
   * at 5 the NOTIFYs were about a tenth of the statements an HTTP command costs under load.
   */
  readonly notifyIntervalMs?: number;
  /** `readAll` page size when none is given. Default 500. */
  readonly defaultReadLimit?: number;
  /** Larger `readAll` limits are lowered to this. Default 5000. */
  readonly maxReadLimit?: number;
}

/**
 * The EventStore on PostgreSQL, on PGlite or a server alike (schema: `eventStoreMigrations`).
 * It does not own the Sql: `close()` stops its own waiting and listening and leaves the Sql open
 * for the projections that share it.
 */
export class PostgresEventStore implements EventStore {
  private readonly pollIntervalMs: number;
  private readonly heldBackPollMs: number;
  private readonly notifyIntervalMs: number;
  private readonly defaultReadLimit: number;
  private readonly maxReadLimit: number;
  private readonly wakeups = new Wakeups();
  private listening?: Promise<(() => Promise<void>) | undefined>;
  private closed = false;

  constructor(
    private readonly sql: Sql,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.heldBackPollMs = options.heldBackPollMs ?? 20;
    this.notifyIntervalMs = options.notifyIntervalMs ?? 20;
    this.defaultReadLimit = options.defaultReadLimit ?? 500;
    this.maxReadLimit = options.maxReadLimit ?? 5000;
  }

  /**
   * One statement in autocommit, prepared once per connection (`appendStatement`): an append costs
   * one round trip like a bare INSERT. A duplicate event id or a version taken meanwhile fails the
   * statement (23505) and nothing of it is stored.
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    assertAppendArguments(streamId, events, expectedVersion);
    if (events.length === 0) return this.checkVersionOnly(this.sql, streamId, expectedVersion);
    const result =
      expectedVersion === 'any'
        ? await this.appendAtAnyVersion(streamId, events)
        : await this.appendAtVersion(streamId, events, expectedVersion);
    this.announceAppend();
    return result;
  }

  private async appendAtVersion(
    streamId: string,
    events: readonly NewEvent[],
    expected: number,
  ): Promise<AppendResult> {
    let inserted: SqlResult<{ event_id: string; position: string }>;
    try {
      inserted = await this.sql.query<{ event_id: string; position: string }>(
        expected === 0 ? APPEND.newStream : APPEND.atVersion,
        appendParams(streamId, events, expected),
        { prepare: expected === 0 ? 'eenplan_append_new' : 'eenplan_append' },
      );
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      // The event id (a retry) or the version (another append got there first): say which.
      throw await this.refusal(this.sql, streamId, events, expected);
    }
    if (inserted.rowCount === 0) throw await this.refusal(this.sql, streamId, events, expected);
    const last = inserted.rows.reduce((a, b) => (comparePositions(a.position, b.position) > 0 ? a : b));
    return { nextVersion: expected + events.length, position: last.position };
  }

  /**
   * 'any' claims the version it just read, exactly, and reads again when another append came
   * between. Not an upsert that adds to whatever version it finds: a statement that waited for
   * another append's row lock already holds a transaction id older than that append's, and the
   * feed (ordered by transaction id) would hand out the stream's later event first.
   */
  private async appendAtAnyVersion(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    // One 'any' append per stream at a time in this process: racing each other they would mostly
    // collide and retry. Across processes the retry below still settles it.
    const before = this.anyQueue.get(streamId) ?? Promise.resolve();
    const turn = before.then(() => this.claimAnyVersion(streamId, events));
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.anyQueue.set(streamId, settled);
    void settled.then(() => {
      if (this.anyQueue.get(streamId) === settled) this.anyQueue.delete(streamId);
    });
    return turn;
  }

  private readonly anyQueue = new Map<string, Promise<void>>();

  private async claimAnyVersion(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const version = await versionOf(this.sql, streamId);
      try {
        return await this.appendAtVersion(streamId, events, version);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= ANY_VERSION_ATTEMPTS) throw error;
        // A short random pause so that appenders racing on one stream do not collide again in step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt * 2)));
      }
    }
  }

  private notifyTimer?: NodeJS.Timeout;
  private lastNotify = 0;

  /**
   * Wakes waiting readers: this process's at once, other processes' with a NOTIFY after the commit
   * (call it after committing a transaction that used `appendIn`), at most one per
   * `notifyIntervalMs`: under load a NOTIFY per append costs a statement per append, and a NOTIFY
   * inside the append's transaction would serialize every commit on PostgreSQL's global notify
   * lock. Readers also poll, so a lost notification only delays them. PGlite has no other process.
   */
  announceAppend(): void {
    this.wakeups.fire();
    if (this.sql.driver !== 'postgres' || this.closed || this.notifyTimer) return;
    const wait = Math.max(0, this.lastNotify + this.notifyIntervalMs - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.lastNotify = Date.now();
      if (this.closed) return;
      this.sql
        .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, ''], { prepare: 'eenplan_notify' })
        .catch(() => {
          // Pool closing or server gone: the readers' polling covers the wake-up.
        });
    }, wait);
    this.notifyTimer.unref();
  }

  /**
   * `append` inside a transaction the caller owns, e.g. to store an idempotency record with the
   * events. It must be the transaction's first write (it throws otherwise); the caller's own rows
   * come after it. The caller commits, then calls `announceAppend()`; on an error it must roll back
   * (the errors are those of `append`).
   */
  async appendIn(
    tx: SqlExecutor,
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    assertAppendArguments(streamId, events, expectedVersion);
    if (events.length === 0) return this.checkVersionOnly(tx, streamId, expectedVersion);
    // The feed orders by transaction id. A transaction that wrote before the append has an id from
    // before the stream's lock, and could put its event ahead of a later-committed predecessor.
    // (PGlite has one connection: no other transaction runs beside this one.)
    if (this.sql.driver === 'postgres') {
      const { rows } = await tx.query<{ assigned: boolean }>(
        'SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS assigned',
      );
      if (rows[0]!.assigned) throw new Error('appendIn must be the first write of its transaction');
    }
    const expected = expectedVersion === 'any' ? await versionOf(tx, streamId) : expectedVersion;
    // Inside the caller's transaction a duplicate id must not abort it (the caller may want to say
    // which one), hence ON CONFLICT DO NOTHING and a row count. A version taken by another append
    // does fail the INSERT (the unique index is a new stream's check); the savepoint keeps the
    // transaction usable to say so. The caller rolls back on the error.
    await tx.query('SAVEPOINT eenplan_append');
    let inserted: SqlResult<{ event_id: string; position: string }>;
    try {
      inserted = await tx.query<{ event_id: string; position: string }>(
        expected === 0 ? APPEND.newStreamInTx : APPEND.atVersionInTx,
        appendParams(streamId, events, expected),
      );
      await tx.query('RELEASE SAVEPOINT eenplan_append');
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT eenplan_append');
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      throw await this.refusal(tx, streamId, events, expected);
    }
    if (inserted.rowCount === 0) throw await this.refusal(tx, streamId, events, expected);
    if (inserted.rowCount < events.length) {
      const written = new Set(inserted.rows.map((row) => row.event_id));
      const duplicate = events.find((event) => !written.has(event.eventId))!;
      throw new DuplicateEventError(streamId, duplicate.eventId);
    }
    const last = inserted.rows.reduce((a, b) => (comparePositions(a.position, b.position) > 0 ? a : b));
    return { nextVersion: expected + events.length, position: last.position };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE stream_id = $1 AND stream_version >= $2
        ORDER BY stream_version`,
      [streamId, Math.max(1, Math.floor(fromVersion))],
    );
    return rows.map(toRecordedEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    return versionOf(this.sql, streamId);
  }

  async readAll(after: GlobalPosition, options: ReadFeedOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = parsePosition(after);
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (tx, sequence) > ($1::xid8, $2::bigint) AND ${READABLE}
        ORDER BY tx, sequence
        LIMIT $3`,
      [from.tx.toString(), from.sequence.toString(), this.pageSize(options.limit)],
    );
    return rows.map(toRecordedEvent);
  }

  comparePositions(a: GlobalPosition, b: GlobalPosition): number {
    return comparePositions(a, b);
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    const { rows } = await this.sql.query<{ position: string }>(
      `SELECT ${POSITION_SQL} AS position FROM events
        WHERE ${READABLE}
        ORDER BY tx DESC, sequence DESC
        LIMIT 1`,
    );
    return rows[0]?.position ?? START;
  }

  async committedPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    // No READABLE filter: an event whose transaction committed after an older, still-running one
    // is not in the feed yet, but a read that must include it has to wait for it.
    const { rows } = await this.sql.query<{ position: string }>(
      `SELECT ${POSITION_SQL} AS position FROM events ORDER BY tx DESC, sequence DESC LIMIT 1`,
    );
    return rows[0]?.position ?? START;
  }

  async waitForEvents(after: GlobalPosition, timeoutMs: number): Promise<void> {
    this.assertOpen();
    const from = parsePosition(after);
    this.startListening();
    // The deadline also bounds a query stuck behind a busy pool or a lost server.
    await withDeadline(this.waitUntilReadable(from, Date.now() + timeoutMs), timeoutMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.notifyTimer);
    this.wakeups.fire();
    const unlisten = await this.listening;
    await unlisten?.().catch(() => undefined);
  }

  private async waitUntilReadable(from: FeedKey, deadline: number): Promise<void> {
    while (!this.closed) {
      // Taken before the check: a wake-up that lands while the check runs is not lost.
      const seen = this.wakeups.generation;
      // Not EXISTS: the planner may answer that with a full scan; ORDER BY + LIMIT walks the index.
      const { rows } = await this.sql.query<{ readable: boolean | null; held_back: boolean | null }>(
        `SELECT (SELECT true FROM events WHERE (tx, sequence) > ($1::xid8, $2::bigint) AND ${READABLE}
                  ORDER BY tx, sequence LIMIT 1) AS readable,
                (SELECT true FROM events WHERE NOT ${READABLE} ORDER BY tx, sequence LIMIT 1) AS held_back`,
        [from.tx.toString(), from.sequence.toString()],
      );
      const { readable, held_back: heldBack } = rows[0]!;
      const remaining = deadline - Date.now();
      if (readable || remaining <= 0) return;
      // Held-back events become readable when an older transaction ends, which nobody announces
      // when that transaction did not append: look again soon.
      await this.wakeups.sleep(
        Math.min(remaining, heldBack ? this.heldBackPollMs : this.pollIntervalMs),
        seen,
      );
    }
  }

  private startListening(): void {
    if (this.listening) return;
    this.listening = this.sql
      .listen(EVENTS_CHANNEL, () => this.wakeups.fire())
      .catch(() => {
        // Waiting still works by polling; try again on the next wait.
        this.listening = undefined;
        return undefined;
      });
  }

  /** Why an append wrote nothing: a retry of events already stored, or a stale or too-high version. */
  private async refusal(
    sql: SqlExecutor,
    streamId: string,
    events: readonly NewEvent[],
    expected: number,
  ): Promise<Error> {
    // A retried append also arrives with a stale version: say it is a retry, not a conflict.
    const duplicate = await sql.query<{ event_id: string }>(
      `SELECT event_id FROM events
        WHERE event_id IN (SELECT jsonb_array_elements_text($1::text::jsonb))
        LIMIT 1`,
      [JSON.stringify(events.map((event) => event.eventId))],
    );
    if (duplicate.rows[0]) return new DuplicateEventError(streamId, duplicate.rows[0].event_id);
    // No stored duplicate after a 23505: the colliding append has rolled back since; call it a
    // conflict, which the caller's retry turns into a fresh attempt.
    return new WrongExpectedVersionError(streamId, expected, await versionOf(sql, streamId));
  }

  private async checkVersionOnly(
    tx: SqlExecutor,
    streamId: string,
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const { rows } = await tx.query<{ position: string; stream_version: number }>(
      `SELECT ${POSITION_SQL} AS position, stream_version FROM events
        WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`,
      [streamId],
    );
    const last = rows[0];
    const version = last?.stream_version ?? 0;
    if (expected !== 'any' && expected !== version)
      throw new WrongExpectedVersionError(streamId, expected, version);
    return { nextVersion: version, position: last?.position ?? START };
  }

  private pageSize(limit: number | undefined): number {
    return feedPageSize(limit, this.defaultReadLimit, this.maxReadLimit);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

/**
 * Committed and safe to hand out: below the oldest transaction still running, so no event with a
 * lower (tx, sequence) can appear later. Events of our own open transaction are excluded too.
 */
const READABLE = 'tx < pg_snapshot_xmin(pg_current_snapshot())';

const UNIQUE_VIOLATION = '23505';
/** How often an 'any' append reads the version again when other appends keep winning the race. */
const ANY_VERSION_ATTEMPTS = 100;

/**
 * The append as one statement, one round trip like a bare INSERT: $1 stream, $2 expected version,
 * $3 the batch as JSON text (both drivers pass text through unchanged; a missing `personal` key
 * becomes SQL NULL, a null one JSON null), $4 its length. ORDER BY n: sequence numbers are drawn in
 * batch order, so the feed keeps the batch's order.
 *
 * A new stream (expected 0) is a bare INSERT: the unique index on (stream_id, stream_version) is its
 * optimistic check. Of two appends creating one stream the second waits for the first's version 1
 * in that index and fails (23505) if it committed.
 *
 * A later append claims the stream's row in `event_streams`, which serializes appends to the
 * stream and keeps its length apart from its events (so a deleted last event is seen). The row is
 * made by the stream's second append: an upsert that only takes a version whose event is stored
 * (no gap) and only moves the row from the version expected. Either claim waits for a concurrent
 * append to the stream and then sees its outcome; when it matches nothing, nothing is inserted, and
 * a version already taken fails the INSERT. So exactly one of two appends with the same expected
 * version gets rows back.
 */
const appendStatement = (expected: number, duplicates: 'fail' | 'skip') => `${
  expected === 0
    ? ''
    : `WITH claim AS (
    INSERT INTO event_streams (stream_id, version)
    SELECT $1, $2::int + $4::int
     WHERE EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_version = $2::int)
    ON CONFLICT (stream_id) DO UPDATE SET version = event_streams.version + $4::int
     WHERE event_streams.version = $2::int
    RETURNING version
  )`
}
  INSERT INTO events (event_id, stream_id, stream_version, type, data, personal, metadata, recorded_at)
  SELECT e->>'eventId', $1, $2::int + n::int, e->>'type', e->'data', e->'personal', e->'metadata',
         (e->'metadata'->>'recordedAt')::timestamptz
    FROM ${expected === 0 ? '' : 'claim, '}jsonb_array_elements($3::text::jsonb) WITH ORDINALITY AS batch(e, n)
   ORDER BY n
  ${duplicates === 'skip' ? 'ON CONFLICT (event_id) DO NOTHING' : ''}
  RETURNING event_id, ${POSITION_SQL} AS position`;

const APPEND = {
  newStream: appendStatement(0, 'fail'),
  atVersion: appendStatement(1, 'fail'),
  newStreamInTx: appendStatement(0, 'skip'),
  atVersionInTx: appendStatement(1, 'skip'),
};

/** A new stream's statement has no claim, so no $4. */
const appendParams = (streamId: string, events: readonly NewEvent[], expected: number) =>
  expected === 0
    ? [streamId, expected, batchJson(events)]
    : [streamId, expected, batchJson(events), events.length];

function batchJson(events: readonly NewEvent[]): string {
  return JSON.stringify(
    events.map(({ eventId, type, data, personal, metadata }) => ({
      eventId,
      type,
      data,
      personal,
      metadata,
    })),
  );
}

const EVENT_COLUMNS = `event_id, stream_id, stream_version, type, data, personal, personal IS NULL AS no_personal,
  metadata, ${POSITION_SQL} AS position`;

interface EventRow {
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  personal: Record<string, unknown> | null;
  no_personal: boolean;
  metadata: EventMetadata;
  position: string;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const event: RecordedEvent = {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: row.position,
  };
  // Both a missing and a JSON-null `personal` arrive as null; the flag tells them apart.
  return row.no_personal ? event : { ...event, personal: row.personal };
}

async function versionOf(sql: SqlExecutor, streamId: string): Promise<number> {
  // A stream appended to once has no row yet; its version is its last event's (a backward walk of
  // the (stream_id, stream_version) index). A row, once made, is the stream's length.
  const { rows } = await sql.query<{ version: number | null }>(
    `SELECT GREATEST((SELECT version FROM event_streams WHERE stream_id = $1),
                     (SELECT max(stream_version) FROM events WHERE stream_id = $1)) AS version`,
    [streamId],
  );
  return rows[0]?.version ?? 0;
}
