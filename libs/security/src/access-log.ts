import { createHmac } from 'node:crypto';
import type { Migration, Sql, SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { AccessLogAnchor } from './anchor';
import { canonicalJson } from './sealing/canonical';

/**
 * The access log, shaped after NEN 7513 and BIO2 8.15: for every request on household data, who
 * (and on whose behalf), which household, which action, when, the outcome and the purpose. It is
 * append-only: the table refuses UPDATE, DELETE and TRUNCATE. It holds ids and route names only,
 * never a name or a request body.
 *
 * Since 0061 its rows form one hash chain: each row carries its sequence number, the previous row's
 * hash and its own, an HMAC-SHA256 over its content under a key from the key store, so whoever can
 * write the tables (a database superuser can switch the trigger off) cannot delete or edit a row
 * and recompute the chain after it. `access_log_head` holds the chain's last sequence and hash; the
 * writers of every process extend the chain from it, one batch at a time.
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
  {
    // Rows written before this have no hash (columns added without a rewrite, and the trigger
    // refuses UPDATE): the head row counts them, and the chain's first link is an HMAC over that
    // count and their last id, so deleting an old row or changing the count breaks the chain.
    id: '0061_access_log_chain',
    sql: `
      ALTER TABLE access_log
        ADD COLUMN seq bigint,
        ADD COLUMN actor_verified boolean,
        ADD COLUMN count integer NOT NULL DEFAULT 1,
        ADD COLUMN last_at timestamptz,
        ADD COLUMN client_ref text,
        ADD COLUMN prev_hash text,
        ADD COLUMN hash text;
      CREATE UNIQUE INDEX access_log_seq ON access_log (seq);
      -- Pages run newest first on (at, id): the indexes end in id so a page starts where the last one ended.
      DROP INDEX access_log_household;
      DROP INDEX access_log_actor;
      CREATE INDEX access_log_household_at ON access_log (household_id, at, id);
      CREATE INDEX access_log_actor_at ON access_log (actor_id, at, id);
      CREATE INDEX access_log_at ON access_log (at, id);

      CREATE TABLE access_log_head (
        id integer PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text,
        legacy_rows bigint NOT NULL,
        legacy_last_id bigint NOT NULL
      );
      INSERT INTO access_log_head (id, seq, hash, legacy_rows, legacy_last_id)
        SELECT 1, 0, NULL, count(*), coalesce(max(id), 0) FROM access_log;
      CREATE TRIGGER access_log_head_kept BEFORE DELETE ON access_log_head
        FOR EACH ROW EXECUTE FUNCTION access_log_is_append_only();
      CREATE TRIGGER access_log_head_no_truncate BEFORE TRUNCATE ON access_log_head
        FOR EACH STATEMENT EXECUTE FUNCTION access_log_is_append_only();
    `,
  },
];

/** The actor of a request that named nobody (no token, or one whose signature did not hold). */
export const ANONYMOUS = 'anonymous';

/** What a request's end hands to the log. */
export interface AccessRecord {
  readonly at: string;
  /** The subject, or `anonymous`. */
  readonly actorId: string;
  /**
   * True when the app admitted the subject (its token passed the guard); false when it is only
   * claimed (a validly signed token that was refused, e.g. expired, or a refusal before the guard
   * ran) and for `anonymous`.
   */
  readonly actorVerified: boolean;
  readonly actorRoles: readonly string[];
  readonly onBehalfOf: string | null;
  readonly householdId: string | null;
  /** The route, e.g. `GET /v1/households/:id`: what was done, without the values. */
  readonly action: string;
  /** The HTTP status the request ended with. */
  readonly outcome: number;
  readonly purpose: string;
  readonly correlationId: string | null;
  /**
   * The client's network address. Never stored as such: for an unverified actor the row keeps a
   * keyed hash of it (`clientRef`), and anonymous refusals are folded per address.
   */
  readonly client?: string | null;
}

/** A stored row, as the log's readers see it. */
export interface AccessEntry extends Omit<AccessRecord, 'client'> {
  /** The row's place in the chain; null for rows written before the chain began. */
  readonly seq: number | null;
  /** Requests the row stands for: 1, or more for repeated anonymous refusals folded into one row. */
  readonly count: number;
  /** For a folded row: when the last of its requests came in (`at` is the first). */
  readonly lastAt: string | null;
  /** A keyed hash of the client's address, for unverified actors only. */
  readonly clientRef: string | null;
}

/** Rows per page when the reader does not say, and at most. */
export const ACCESS_LOG_PAGE = { default: 100, max: 1000 } as const;

export interface AccessQuery {
  readonly householdId?: string;
  readonly actorId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  /** `next` of the page before. */
  readonly cursor?: string;
}

export interface AccessPage {
  /** Newest first. */
  readonly entries: AccessEntry[];
  /** The cursor of the page after this one; null on the last page (as every list's `next`). */
  readonly next: string | null;
}

export class InvalidCursorError extends Error {}

/**
 * HMAC-SHA256 under the key store's access-log key. The log asks it twice per process, for two
 * keys derived from that one (chain and client address), and computes each row's HMAC itself: a
 * key store call per row would cost a hardware module a round trip per request.
 */
export type AccessLogMac = (data: Buffer) => Promise<Buffer>;

const CHAIN_KEY_LABEL = 'eenplan access-log chain v1';
const CLIENT_KEY_LABEL = 'eenplan access-log client v1';

export interface AccessLogOptions {
  /**
   * How long an entry waits to be written together with the entries after it: one INSERT per
   * batch rather than one per request. It bounds what a killed process loses. Default 10 ms.
   */
  readonly flushMs?: number;
  /** Entries in one INSERT at most; a full batch is written at once. Default 500. */
  readonly maxBatch?: number;
  /** How long repeated anonymous refusals from one address are folded into one row. Default 60 s. */
  readonly foldMs?: number;
  /** Addresses folded at once at most; past it the oldest window is written early. Default 10,000. */
  readonly maxFolding?: number;
  /** Told of a folded row that could not be stored (no request waits for it). */
  readonly onError?: (error: unknown) => void;
}

/** A row as queued: the record without its address, which only the keyed hash may keep. */
interface Row extends Omit<AccessRecord, 'client'> {
  readonly count: number;
  readonly lastAt: string | null;
  readonly client: string | null;
}

interface Batch {
  readonly rows: Row[];
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
  return { rows: [], due, stored, resolve, reject };
};

/** Repeats of one anonymous refusal from one address, since the one that was written at once. */
interface FoldWindow {
  readonly ends: number;
  repeats: number;
  first?: Row;
  householdId: string | null;
  lastAt: string | null;
}

interface Head {
  readonly seq: number;
  readonly hash: string;
}

interface HeadRow {
  readonly seq: string;
  readonly hash: string | null;
  readonly legacy_rows: string;
  readonly legacy_last_id: string;
}

interface Keys {
  readonly chain: Buffer;
  readonly client: Buffer;
}

/** A chained row's columns, as stored and as hashed. */
interface ChainedRow {
  seq: number;
  at: string;
  actor_id: string;
  actor_verified: boolean;
  actor_roles: string;
  on_behalf_of: string | null;
  household_id: string | null;
  action: string;
  outcome: number;
  purpose: string;
  correlation_id: string | null;
  count: number;
  last_at: string | null;
  client_ref: string | null;
  prev_hash: string;
}

const hmacHex = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** The hash a row carries: over every column but its id and its hash, the previous hash included. */
export const accessRowHash = (chainKey: Buffer, row: ChainedRow): string =>
  hmacHex(chainKey, canonicalJson({ v: 1, ...row }));

const genesisHash = (chainKey: Buffer, head: HeadRow): string =>
  hmacHex(
    chainKey,
    canonicalJson({
      v: 1,
      genesis: 'access_log',
      legacyRows: Number(head.legacy_rows),
      legacyLastId: Number(head.legacy_last_id),
    }),
  );

/**
 * Moves the head from $1 to $2/$3 and inserts the rows, or, when the head is no longer at $1,
 * inserts nothing and leaves the head as it is. Either way it answers with the head after the
 * statement: the UPDATE waits for a concurrent writer's commit and then sees its head (a plain
 * SELECT here would see the statement's older snapshot), so the next try chains after it.
 */
const APPEND = `
  WITH moved AS (
    UPDATE access_log_head
       SET seq = CASE WHEN seq = $1::bigint THEN $2::bigint ELSE seq END,
           hash = CASE WHEN seq = $1::bigint THEN $3 ELSE hash END
     WHERE id = 1
    RETURNING seq = $2::bigint AND hash IS NOT DISTINCT FROM $3 AS won,
              seq::text, hash, legacy_rows::text, legacy_last_id::text
  ), appended AS (
    INSERT INTO access_log (seq, at, actor_id, actor_verified, actor_roles, on_behalf_of, household_id,
                            action, outcome, purpose, correlation_id, count, last_at, client_ref, prev_hash, hash)
    SELECT seq, at, actor_id, actor_verified, actor_roles, on_behalf_of, household_id,
           action, outcome, purpose, correlation_id, count, last_at, client_ref, prev_hash, hash
      FROM jsonb_to_recordset($4::text::jsonb) AS e(seq bigint, at timestamptz, actor_id text,
             actor_verified boolean, actor_roles text, on_behalf_of text, household_id text, action text,
             outcome integer, purpose text, correlation_id text, count integer, last_at timestamptz,
             client_ref text, prev_hash text, hash text)
     WHERE (SELECT won FROM moved)
     ORDER BY seq
    RETURNING 1
  )
  SELECT won, seq, hash, legacy_rows, legacy_last_id, (SELECT count(*) FROM appended)::int AS appended
    FROM moved`;

/** Optimistic tries of a batch before it takes the head's lock. */
const TRIES = 3;

/**
 * Entries are written in batches, one statement (and one commit) for all that came in within
 * `flushMs`, one batch at a time, in the order recorded. The statement extends the chain from the
 * head this process wrote last and moves the head on, but only if the head is still there: when
 * another process wrote in between, it writes nothing and answers with that process's head, and
 * the batch is chained after it and sent again; after three misses it is written in a transaction
 * that locks the head row. So a lone process pays one statement per batch, several processes
 * about two, and the chain stays one chain whatever the number of processes.
 */
export class AccessLog {
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly foldMs: number;
  private readonly maxFolding: number;
  /** Batches not yet handed to the database, oldest first; only the last one still grows. */
  private readonly queue: Batch[] = [];
  /** The batch recorded last (queued or being written): when it settles, all before it have. */
  private last: Batch | undefined;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  /** Callers of flush() waiting: the batches before theirs go without waiting for `due`. */
  private urgent = 0;
  /** The head as this process left it; unknown after a failure or before the first write. */
  private head: Head | undefined;
  private keys: Promise<Keys> | undefined;
  /** Open windows by address, outcome and action, in the order they end. */
  private readonly folding = new Map<string, FoldWindow>();
  private foldTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly mac: AccessLogMac,
    private readonly options: AccessLogOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 10;
    this.maxBatch = options.maxBatch ?? 500;
    this.foldMs = options.foldMs ?? 60_000;
    this.maxFolding = options.maxFolding ?? 10_000;
  }

  /**
   * Queues the entry; the promise settles when its batch is stored (or failed to be). A repeated
   * anonymous refusal is folded into its window instead, and resolves at once: its row is written
   * when the window ends.
   */
  record(record: AccessRecord): Promise<void> {
    const row: Row = {
      at: new Date(record.at).toISOString(),
      actorId: record.actorId,
      actorVerified: record.actorVerified,
      actorRoles: record.actorRoles,
      onBehalfOf: record.onBehalfOf,
      householdId: record.householdId,
      action: record.action,
      outcome: record.outcome,
      purpose: record.purpose,
      correlationId: record.correlationId,
      count: 1,
      lastAt: null,
      client: record.actorVerified ? null : (record.client ?? null),
    };
    if (row.actorId === ANONYMOUS && row.client && row.outcome >= 400 && row.outcome < 500)
      return this.fold(row, row.client);
    return this.enqueue(row);
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

  /** Writes what is left, folded repeats included (at shutdown, before the database goes). */
  close(): Promise<void> {
    if (this.foldTimer) clearTimeout(this.foldTimer);
    this.foldTimer = undefined;
    for (const [key, window] of this.folding) this.endWindow(key, window);
    return this.flush();
  }

  private enqueue(row: Row): Promise<void> {
    let batch = this.queue[this.queue.length - 1];
    if (!batch || batch.rows.length >= this.maxBatch) {
      batch = newBatch(Date.now() + this.flushMs);
      this.queue.push(batch);
      this.last = batch;
    }
    batch.rows.push(row);
    this.schedule();
    return batch.stored;
  }

  /**
   * The first refusal from an address (per outcome and action) is written at once and opens a
   * window; its repeats within `foldMs` become one row with their count, written when it ends.
   */
  private fold(row: Row, client: string): Promise<void> {
    const key = `${client} ${row.outcome} ${row.action}`;
    const now = Date.now();
    const open = this.folding.get(key);
    if (open && now < open.ends) {
      if (open.repeats++ === 0) {
        open.first = row;
        open.householdId = row.householdId;
      } else if (open.householdId !== row.householdId) {
        // Repeats on several households: the row names none rather than one of them.
        open.householdId = null;
      }
      open.lastAt = row.at;
      return Promise.resolve();
    }
    if (open) this.endWindow(key, open);
    // Bounded under a flood from many addresses: the oldest window is written early.
    for (const [oldKey, oldest] of this.folding) {
      if (this.folding.size < this.maxFolding) break;
      this.endWindow(oldKey, oldest);
    }
    this.folding.set(key, { ends: now + this.foldMs, repeats: 0, householdId: null, lastAt: null });
    this.armFoldTimer();
    return this.enqueue(row);
  }

  private endWindow(key: string, window: FoldWindow): void {
    this.folding.delete(key);
    if (!window.first) return;
    this.enqueue({
      ...window.first,
      householdId: window.householdId,
      correlationId: null,
      count: window.repeats,
      lastAt: window.lastAt,
    }).catch((error: unknown) => this.options.onError?.(error));
  }

  /** One timer, for the window that ends first (the map's first: all windows are equally long). */
  private armFoldTimer(): void {
    if (this.foldTimer) return;
    const first = this.folding.values().next();
    if (first.done) return;
    this.foldTimer = setTimeout(
      () => {
        this.foldTimer = undefined;
        const now = Date.now();
        for (const [key, window] of this.folding) {
          if (window.ends > now) break;
          this.endWindow(key, window);
        }
        this.armFoldTimer();
      },
      Math.max(0, first.value.ends - Date.now()),
    );
    this.foldTimer.unref();
  }

  /** Starts writing the oldest batch when it is due, full or wanted now; else sets the timer. */
  private schedule(): void {
    const head = this.queue[0];
    if (this.writing || !head) return;
    const wait = this.urgent > 0 || head.rows.length >= this.maxBatch ? 0 : head.due - Date.now();
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
    this.insert(batch.rows)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.writing = false;
        this.schedule();
      });
  }

  private keysOnce(): Promise<Keys> {
    if (!this.keys) {
      const keys = Promise.all([
        this.mac(Buffer.from(CHAIN_KEY_LABEL, 'utf8')),
        this.mac(Buffer.from(CLIENT_KEY_LABEL, 'utf8')),
      ]).then(([chain, client]) => ({ chain, client }));
      // A key store that failed once is asked again next time.
      keys.catch(() => {
        if (this.keys === keys) this.keys = undefined;
      });
      this.keys = keys;
    }
    return this.keys;
  }

  private async insert(rows: readonly Row[]): Promise<void> {
    const keys = await this.keysOnce();
    try {
      let head = this.head ?? headOf(keys.chain, await readHeadRow(this.sql));
      for (let tried = 0; tried < TRIES; tried++) {
        const chained = chain(keys, rows, head);
        const result = await append(this.sql, head, chained);
        if (result.appended) {
          this.head = chained.head;
          return;
        }
        // Another process wrote since: chain after its head.
        head = headOf(keys.chain, result.head);
      }
      // The race goes on: chain after the head under its lock.
      this.head = await this.sql.transaction(async (tx) => {
        const locked = headOf(keys.chain, await readHeadRow(tx, true));
        const chained = chain(keys, rows, locked);
        if (!(await append(tx, locked, chained)).appended)
          throw new Error('the access log head moved while this process held its lock');
        return chained.head;
      });
    } catch (error) {
      // Whether the write happened is unknown: the head is read again next time.
      this.head = undefined;
      throw error;
    }
  }

  /** Entries matching the query, newest first, one page; what was recorded before the call is included. */
  async find(query: AccessQuery): Promise<AccessPage> {
    const limit = Math.min(Math.max(1, query.limit ?? ACCESS_LOG_PAGE.default), ACCESS_LOG_PAGE.max);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    await this.flush();
    const { rows } = await this.sql.query<StoredRow & { id: string; at_us: string }>(
      `SELECT id::text, (extract(epoch FROM at) * 1000000)::bigint::text AS at_us, ${STORED_COLUMNS}
         FROM access_log
        WHERE ($1::text IS NULL OR household_id = $1)
          AND ($2::text IS NULL OR actor_id = $2)
          AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::timestamptz IS NULL OR at < $4)
          AND ($5::bigint IS NULL OR (at, id) < ('epoch'::timestamptz + $5::bigint * interval '1 microsecond', $6::bigint))
        ORDER BY access_log.at DESC, access_log.id DESC
        LIMIT $7`,
      [
        query.householdId ?? null,
        query.actorId ?? null,
        query.from ?? null,
        query.to ?? null,
        after?.atMicros ?? null,
        after?.id ?? null,
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      entries: page.map(entryOf),
      next: rows.length > limit && last ? encodeCursor(last.at_us, last.id) : null,
    };
  }

  /**
   * Walks the chain in sequence order and checks every link: sequence numbers without gaps, each
   * row naming the previous row's hash, each hash the HMAC of its row's content, the head naming
   * the last row, and the rows from before the chain still as many as the head counted. Safe
   * beside running writers: rows appended during the walk are checked up to the head read after it.
   */
  async verify(
    options: {
      pageSize?: number;
      maxProblems?: number;
      /** The last anchor of the access log and when it was written: rows cut below it are found too. */
      anchor?: (AccessLogAnchor & { readonly at: string }) | null;
    } = {},
  ): Promise<AccessLogVerification> {
    const keys = await this.keysOnce();
    const pageSize = options.pageSize ?? 2000;
    const maxProblems = options.maxProblems ?? 100;
    const broken: AccessLogBreak[] = [];
    let problems = 0;
    const fail = (b: AccessLogBreak) => {
      problems++;
      if (broken.length < maxProblems) broken.push(b);
    };
    const start = await readHeadRow(this.sql);
    if (!start) {
      fail({ seq: null, id: null, problem: 'head-missing', detail: 'access_log_head has no row' });
    }
    let prevHash: string | null = start ? genesisHash(keys.chain, start) : null;
    let lastSeq = 0;
    let rows = 0;
    const walk = async (upTo: number | null) => {
      for (;;) {
        const page = await this.sql.query<
          StoredRow & { id: string; prev_hash: string | null; hash: string | null }
        >(
          `SELECT id::text, prev_hash, hash, ${STORED_COLUMNS}
             FROM access_log
            WHERE seq > $1::bigint AND ($2::bigint IS NULL OR seq <= $2::bigint)
            ORDER BY access_log.seq
            LIMIT $3`,
          [String(lastSeq), upTo === null ? null : String(upTo), pageSize],
        );
        for (const r of page.rows) {
          rows++;
          const seq = Number(r.seq);
          const at = { seq, id: r.id };
          const expected = lastSeq + 1;
          if (seq !== expected) {
            fail({
              ...at,
              problem: 'sequence-gap',
              detail: `expected sequence ${expected} next, found ${seq}: ${seq - expected} row(s) missing before it`,
            });
          } else if (prevHash !== null && r.prev_hash !== prevHash) {
            fail({ ...at, problem: 'chain-broken', detail: "the row does not name the previous row's hash" });
          } else if (r.hash !== accessRowHash(keys.chain, chainedOf(r))) {
            fail({ ...at, problem: 'content-changed', detail: 'the row no longer matches its hash' });
          }
          lastSeq = seq;
          prevHash = r.hash;
        }
        if (page.rows.length < pageSize) return;
      }
    };
    await walk(null);
    const end = await readHeadRow(this.sql);
    if (end && start) {
      const headSeq = Number(end.seq);
      // Written after the walk's last page: check them too before comparing with the head.
      if (headSeq > lastSeq) await walk(headSeq);
      if (headSeq !== lastSeq || (headSeq > 0 && end.hash !== prevHash)) {
        fail({
          seq: headSeq,
          id: null,
          problem: 'head-mismatch',
          detail:
            headSeq > lastSeq
              ? `the head is at sequence ${headSeq} but the rows end at ${lastSeq}`
              : headSeq < lastSeq
                ? `the head is at sequence ${headSeq} but rows go on to ${lastSeq}`
                : "the head's hash is not the last row's",
        });
      }
    }
    // Rows cut from the end with the head set back leave a chain that holds: the anchor saw more.
    const anchor = options.anchor;
    if (anchor && anchor.seq > 0) {
      const { rows: at } = await this.sql.query<{ id: string; hash: string | null }>(
        'SELECT id::text, hash FROM access_log WHERE seq = $1::bigint',
        [String(anchor.seq)],
      );
      if (!at[0]) {
        fail({
          seq: anchor.seq,
          id: null,
          problem: 'cut-below-anchor',
          detail:
            lastSeq < anchor.seq
              ? `the anchor of ${anchor.at} saw the chain at sequence ${anchor.seq}; its rows end at ${lastSeq}: rows ${lastSeq + 1} to ${anchor.seq} were cut`
              : `row seq ${anchor.seq}, which the anchor of ${anchor.at} saw, is gone`,
        });
      } else if (at[0].hash !== anchor.hash) {
        fail({
          seq: anchor.seq,
          id: at[0].id,
          problem: 'cut-below-anchor',
          detail: `row seq ${anchor.seq} is not the row the anchor of ${anchor.at} saw: rows were cut and the chain written again since`,
        });
      }
    }
    const legacy = await this.sql.query<{ kept: string; unchained: string }>(
      `SELECT count(*) FILTER (WHERE id <= $1::bigint)::text AS kept,
              count(*) FILTER (WHERE id > $1::bigint)::text AS unchained
         FROM access_log WHERE seq IS NULL`,
      [start?.legacy_last_id ?? '0'],
    );
    const kept = Number(legacy.rows[0]!.kept);
    const unchained = Number(legacy.rows[0]!.unchained);
    if (start && kept !== Number(start.legacy_rows)) {
      fail({
        seq: null,
        id: null,
        problem: 'legacy-changed',
        detail: `${start.legacy_rows} rows from before the chain were counted, ${kept} are left`,
      });
    }
    if (unchained > 0) {
      fail({
        seq: null,
        id: null,
        problem: 'unchained',
        detail: `${unchained} row(s) written after the chain began carry no sequence or hash`,
      });
    }
    return { ok: problems === 0, rows, legacyRows: kept, problems, broken };
  }
}

export interface AccessLogBreak {
  /** The first row where the chain does not hold (null when the problem is not one row's). */
  readonly seq: number | null;
  readonly id: string | null;
  readonly problem:
    | 'sequence-gap'
    | 'chain-broken'
    | 'content-changed'
    | 'head-mismatch'
    | 'head-missing'
    | 'legacy-changed'
    | 'unchained'
    | 'cut-below-anchor';
  readonly detail: string;
}

export interface AccessLogVerification {
  readonly ok: boolean;
  /** Chained rows checked. */
  readonly rows: number;
  /** Rows from before the chain (not hashed; only their number is checked). */
  readonly legacyRows: number;
  /** How many problems were found; `broken` lists the first 100, in chain order. */
  readonly problems: number;
  readonly broken: readonly AccessLogBreak[];
}

const STORED_COLUMNS = `seq::text, at, actor_id, actor_verified, actor_roles, on_behalf_of, household_id,
  action, outcome, purpose, correlation_id, count, last_at, client_ref`;

interface StoredRow {
  seq: string | null;
  at: Date;
  actor_id: string;
  actor_verified: boolean | null;
  actor_roles: string;
  on_behalf_of: string | null;
  household_id: string | null;
  action: string;
  outcome: number;
  purpose: string;
  correlation_id: string | null;
  count: number;
  last_at: Date | null;
  client_ref: string | null;
}

const chainedOf = (r: StoredRow & { prev_hash: string | null }): ChainedRow => ({
  seq: Number(r.seq),
  at: r.at.toISOString(),
  actor_id: r.actor_id,
  actor_verified: r.actor_verified ?? false,
  actor_roles: r.actor_roles,
  on_behalf_of: r.on_behalf_of,
  household_id: r.household_id,
  action: r.action,
  outcome: r.outcome,
  purpose: r.purpose,
  correlation_id: r.correlation_id,
  count: r.count,
  last_at: r.last_at ? r.last_at.toISOString() : null,
  client_ref: r.client_ref,
  prev_hash: r.prev_hash ?? '',
});

const entryOf = (r: StoredRow): AccessEntry => ({
  seq: r.seq === null ? null : Number(r.seq),
  at: r.at.toISOString(),
  actorId: r.actor_id,
  // Rows from before the chain recorded only principals the guard had admitted, or `anonymous`.
  actorVerified: r.actor_verified ?? r.actor_id !== ANONYMOUS,
  actorRoles: r.actor_roles.split(' ').filter(Boolean),
  onBehalfOf: r.on_behalf_of,
  householdId: r.household_id,
  action: r.action,
  outcome: r.outcome,
  purpose: r.purpose,
  correlationId: r.correlation_id,
  count: r.count,
  lastAt: r.last_at ? r.last_at.toISOString() : null,
  clientRef: r.client_ref,
});

async function readHeadRow(sql: SqlExecutor, lock = false): Promise<HeadRow | undefined> {
  const { rows } = await sql.query<HeadRow>(
    `SELECT seq::text, hash, legacy_rows::text, legacy_last_id::text FROM access_log_head WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
  );
  return rows[0];
}

function headOf(chainKey: Buffer, row: HeadRow | undefined): Head {
  // Written by the migration and never deleted by the app: without it the chain has no anchor.
  if (!row) throw new Error('access_log_head is missing: the chain has no head (see npm run audit:verify)');
  const seq = Number(row.seq);
  return { seq, hash: seq === 0 || row.hash === null ? genesisHash(chainKey, row) : row.hash };
}

function chain(keys: Keys, rows: readonly Row[], from: Head): { head: Head; json: string } {
  let { seq, hash } = from;
  const out: (ChainedRow & { hash: string })[] = [];
  for (const row of rows) {
    seq++;
    const chained: ChainedRow = {
      seq,
      at: row.at,
      actor_id: row.actorId,
      actor_verified: row.actorVerified,
      actor_roles: row.actorRoles.join(' '),
      on_behalf_of: row.onBehalfOf,
      household_id: row.householdId,
      action: row.action,
      outcome: row.outcome,
      purpose: row.purpose,
      correlation_id: row.correlationId,
      count: row.count,
      last_at: row.lastAt,
      client_ref: row.client ? hmacHex(keys.client, row.client).slice(0, 32) : null,
      prev_hash: hash,
    };
    hash = accessRowHash(keys.chain, chained);
    out.push({ ...chained, hash });
  }
  return { head: { seq, hash }, json: JSON.stringify(out) };
}

/** Appends the chained rows if the head is still `from`; not when another writer moved it. */
async function append(
  sql: SqlExecutor,
  from: Head,
  chained: { head: Head; json: string },
): Promise<{ appended: boolean; head: HeadRow | undefined }> {
  const { rows } = await sql.query<HeadRow & { won: boolean }>(
    APPEND,
    [String(from.seq), String(chained.head.seq), chained.head.hash, chained.json],
    { prepare: 'eenplan_access_log_append' },
  );
  return { appended: rows[0]?.won === true, head: rows[0] };
}

/** `v1.<at in microseconds>.<id>`, base64url: opaque to clients, exact for the keyset. */
function encodeCursor(atMicros: string, id: string): string {
  return Buffer.from(`v1.${atMicros}.${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { atMicros: string; id: string } {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^v1\.(-?\d{1,17})\.(\d{1,18})$/.exec(text);
  if (!m) throw new InvalidCursorError('is not one this API handed out (use `next` of the page before)');
  return { atMicros: m[1]!, id: m[2]! };
}
