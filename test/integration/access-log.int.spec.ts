import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createPgliteSql, createSql, migrate, type Sql, type SqlExecutor } from '@eenplan/event-store';
import {
  ACCESS_LOG_PAGE,
  AccessLog,
  accessLogMigrations,
  accessRowHash,
  ANONYMOUS,
  canonicalJson,
  InvalidCursorError,
  type AccessLogMac,
  type AccessRecord,
} from '@eenplan/security';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../support/postgres';

/**
 * The access log on each store: batches of one statement, pages newest first, one hash chain over
 * every process's rows, and verification that finds what a database superuser deleted or edited.
 */

/** The key store's access-log key, as the key store would apply it; counts its uses. */
const KEY = randomBytes(32);
let macCalls = 0;
const mac: AccessLogMac = async (data) => {
  macCalls++;
  return createHmac('sha256', KEY).update(data).digest();
};

/** Rows of the 0060 schema, written before the chain existed. */
const LEGACY_ROWS = 3;

interface Store {
  readonly sql: Sql;
  /** Another process's connection to the same database (PGlite has one process only: the same). */
  readonly other: Sql;
  close(): Promise<void>;
}

const onPglite = async (): Promise<Store> => {
  const sql = await createPgliteSql();
  return { sql, other: sql, close: () => sql.close() };
};

const onPostgres = async (): Promise<Store> => {
  const database: TestDatabase = await createTestDatabase();
  const sql = await createSql({ databaseUrl: database.url });
  const other = await createSql({ databaseUrl: database.url });
  return {
    sql,
    other,
    close: async () => {
      await sql.close();
      await other.close();
      await database.drop();
    },
  };
};

const record = (n: number, extra: Partial<AccessRecord> = {}): AccessRecord => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  actorId: `w-${n}`,
  actorVerified: true,
  actorRoles: ['worker', 'team-lead'],
  onBehalfOf: null,
  householdId: 'h-1',
  action: 'GET /v1/households/:id',
  outcome: 200,
  purpose: 'care',
  correlationId: n % 2 ? `c-${n}` : null,
  ...extra,
});

const anonymous = (n: number, client: string, extra: Partial<AccessRecord> = {}): AccessRecord =>
  record(n, {
    actorId: ANONYMOUS,
    actorVerified: false,
    actorRoles: [],
    outcome: 401,
    purpose: 'unknown',
    client,
    correlationId: null,
    ...extra,
  });

function accessLogSuite(open: () => Promise<Store>) {
  let store: Store;
  let sql: Sql;
  /** The first word of every statement the observed connection ran, in order. */
  let statements: string[];
  let failNext: boolean;
  /** Runs before each append the observed connection sends (another process's write, say). */
  let beforeAppend: (() => Promise<void>) | undefined;

  const counting = (inner: SqlExecutor): SqlExecutor => ({
    query: async (text, params, options) => {
      statements.push(text.trim().split(/\s+/)[0]!.toUpperCase());
      if (/INSERT INTO access_log/.test(text)) {
        if (failNext) {
          failNext = false;
          throw new Error('connection lost');
        }
        await beforeAppend?.();
      }
      return inner.query(text, params, options);
    },
  });
  /** The database as the log sees it: counts the statements, and fails one append on request. */
  const observed = (): Sql => ({
    driver: sql.driver,
    query: (text, params, options) => counting(sql).query(text, params, options),
    transaction: (work) =>
      sql.transaction((tx) => {
        statements.push('BEGIN');
        return work(counting(tx)).finally(() => statements.push('COMMIT'));
      }),
    listen: (channel, onNotify) => sql.listen(channel, onNotify),
    close: () => sql.close(),
  });

  /** As a database superuser: with triggers off, as one who disables the append-only trigger. */
  const asSuperuser = async (work: (tx: SqlExecutor) => Promise<void>) => {
    await sql.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await work(tx);
    });
  };

  const rows = async () =>
    (
      await sql.query<{ seq: string; actor_id: string; count: number; client_ref: string | null }>(
        'SELECT seq::text, actor_id, count, client_ref FROM access_log WHERE seq IS NOT NULL ORDER BY access_log.seq',
      )
    ).rows;

  beforeAll(async () => {
    store = await open();
    sql = store.sql;
    // A database of the previous release: the table and rows without a hash, then the chain.
    await migrate(sql, accessLogMigrations.slice(0, 1));
    for (let i = 0; i < LEGACY_ROWS; i++) {
      await sql.query(
        `INSERT INTO access_log (at, actor_id, actor_roles, household_id, action, outcome, purpose)
         VALUES (now(), 'old-worker', 'worker', 'h-old', 'GET /v1/households/:id', 200, 'care')`,
      );
    }
    await migrate(sql, accessLogMigrations);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  beforeEach(() => {
    statements = [];
    failNext = false;
    beforeAppend = undefined;
  });

  test('the chain starts after the rows of the previous release, which stay readable', async () => {
    const log = new AccessLog(sql, mac);
    const report = await log.verify();
    expect(report).toMatchObject({ ok: true, legacyRows: LEGACY_ROWS, broken: [] });
    const old = await log.find({ actorId: 'old-worker' });
    expect(old.entries).toHaveLength(LEGACY_ROWS);
    expect(old.entries[0]).toMatchObject({ seq: null, actorVerified: true, count: 1, householdId: 'h-old' });
  });

  test('entries recorded together are one statement once the head is known, in order, every field kept', async () => {
    const log = new AccessLog(observed(), mac, { flushMs: 20 });
    // The first batch of a process reads the head first.
    await log.record(record(1));
    expect(statements).toEqual(['SELECT', 'WITH']);
    statements = [];
    await Promise.all([2, 3, 4].map((n) => log.record(record(n))));
    expect(statements).toEqual(['WITH']);
    const stored = (await rows()).map((r) => r.actor_id);
    expect(stored.slice(-4)).toEqual(['w-1', 'w-2', 'w-3', 'w-4']);
    const { client: _none, ...fields } = record(2);
    expect((await log.find({ actorId: 'w-2' })).entries).toEqual([
      { ...fields, seq: expect.any(Number), count: 1, lastAt: null, clientRef: null },
    ]);
  });

  test('the key store is asked twice per process, not once per row', async () => {
    const before = macCalls;
    const log = new AccessLog(sql, mac);
    await Promise.all([5, 6, 7].map((n) => log.record(record(n))));
    await log.record(record(8));
    expect(macCalls - before).toBe(2);
  });

  test('find includes what was recorded just before it, without waiting for the timer', async () => {
    const log = new AccessLog(observed(), mac, { flushMs: 60_000 });
    void log.record(record(11));
    const found = await log.find({ actorId: 'w-11' });
    expect(found.entries.map((e) => e.actorId)).toEqual(['w-11']);
  });

  test('pages run newest first, `next` leads on and is null on the last page', async () => {
    const log = new AccessLog(sql, mac);
    const household = `h-pages-${Math.random().toString(36).slice(2)}`;
    // Two entries at the same instant: the keyset orders them by id and splits no page between them wrongly.
    const ats = [1, 2, 3, 3, 4, 5, 6].map((s) => new Date(Date.UTC(2026, 1, 1, 0, 0, s)).toISOString());
    for (const [i, at] of ats.entries())
      void log.record(record(100 + i, { at, householdId: household, actorId: `p-${i}` }));
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await log.find({ householdId: household, limit: 3, cursor });
      sizes.push(page.entries.length);
      seen.push(...page.entries.map((e) => e.actorId));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(['p-6', 'p-5', 'p-4', 'p-3', 'p-2', 'p-1', 'p-0']);
    // Exactly a page's worth: no `next` pointing at an empty page.
    const whole = await log.find({ householdId: household, limit: 7 });
    expect(whole.entries).toHaveLength(7);
    expect(whole.next).toBeNull();
    expect((await log.find({ householdId: household })).entries).toHaveLength(7);
    expect(ACCESS_LOG_PAGE).toEqual({ default: 100, max: 1000 });
  });

  test.each([
    'x',
    Buffer.from('v2.1.2').toString('base64url'),
    Buffer.from('v1.1.2; DROP TABLE access_log').toString('base64url'),
    '..',
  ])('a cursor it did not hand out (%s) is refused', async (cursor) => {
    const log = new AccessLog(sql, mac);
    await expect(log.find({ cursor })).rejects.toThrow(InvalidCursorError);
  });

  test('close writes what is queued', async () => {
    const log = new AccessLog(observed(), mac, { flushMs: 60_000 });
    void log.record(record(21));
    void log.record(record(22));
    await log.close();
    expect(statements.filter((s) => s === 'WITH')).toHaveLength(1);
    expect((await rows()).map((r) => r.actor_id)).toEqual(expect.arrayContaining(['w-21', 'w-22']));
  });

  test('a full batch goes at once; what comes in during a write goes in the next batch', async () => {
    const log = new AccessLog(observed(), mac, { flushMs: 60_000, maxBatch: 2 });
    const first = log.record(record(31));
    const second = log.record(record(32));
    const third = log.record(record(33));
    await Promise.all([first, second]);
    expect(statements.filter((s) => s === 'WITH')).toHaveLength(1);
    await log.flush();
    await third;
    expect(statements.filter((s) => s === 'WITH')).toHaveLength(2);
    const ids = (await rows()).map((r) => r.actor_id);
    expect(ids.slice(ids.indexOf('w-31'))).toEqual(['w-31', 'w-32', 'w-33']);
  });

  test('a failed write rejects its own entries only; the next batch is written and the chain holds', async () => {
    const log = new AccessLog(observed(), mac, { flushMs: 5 });
    await log.record(record(40));
    failNext = true;
    const lost = log.record(record(41));
    await expect(lost).rejects.toThrow('connection lost');
    await log.record(record(42));
    const ids = (await rows()).map((r) => r.actor_id);
    expect(ids).not.toContain('w-41');
    expect(ids).toContain('w-42');
    expect(await new AccessLog(sql, mac).verify()).toMatchObject({ ok: true, broken: [] });
  });

  test('several processes writing at once keep one chain without gaps', async () => {
    const a = new AccessLog(sql, mac, { flushMs: 1 });
    const b = new AccessLog(store.other, mac, { flushMs: 1 });
    const writes: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      writes.push(a.record(record(200 + round, { actorId: `a-${round}` })));
      writes.push(b.record(record(300 + round, { actorId: `b-${round}` })));
      await new Promise((r) => setTimeout(r, round % 3));
    }
    await Promise.all(writes);
    const chained = await rows();
    expect(chained.map((r) => Number(r.seq))).toEqual(chained.map((_, i) => i + 1));
    const names = new Set(chained.map((r) => r.actor_id));
    for (let round = 0; round < 20; round++) {
      expect(names).toContain(`a-${round}`);
      expect(names).toContain(`b-${round}`);
    }
    expect(await new AccessLog(sql, mac).verify()).toMatchObject({ ok: true, broken: [] });
  });

  test('a batch another process overtakes is chained after its rows; after three misses, under the lock', async () => {
    const other = new AccessLog(store.other, mac, { flushMs: 1 });
    const log = new AccessLog(observed(), mac, { flushMs: 1 });
    await log.record(record(250));
    statements = [];
    // Every append of this process comes just after one of the other's.
    let overtaken = 0;
    beforeAppend = async () => {
      if (overtaken >= 3) return;
      await other.record(record(260 + overtaken, { actorId: `overtaking-${overtaken++}` }));
    };
    await log.record(record(251, { actorId: 'overtaken' }));
    expect(statements).toEqual(['WITH', 'WITH', 'WITH', 'BEGIN', 'SELECT', 'WITH', 'COMMIT']);
    // Overtaken once only: the second try chains after the other's head and is written.
    statements = [];
    overtaken = 2;
    await log.record(record(252, { actorId: 'overtaken-once' }));
    expect(statements).toEqual(['WITH', 'WITH']);
    const names = (await rows()).map((r) => r.actor_id);
    expect(names.slice(-6)).toEqual([
      'overtaking-0',
      'overtaking-1',
      'overtaking-2',
      'overtaken',
      'overtaking-2',
      'overtaken-once',
    ]);
    expect(await new AccessLog(sql, mac).verify()).toMatchObject({ ok: true, broken: [] });
  });

  describe('repeated anonymous refusals', () => {
    test('from one address: the first at once, the repeats of the window as one row with their count', async () => {
      const log = new AccessLog(sql, mac, { flushMs: 1, foldMs: 300 });
      const address = `198.51.100.${Math.floor(Math.random() * 250)}`;
      const household = `h-fold-${Math.random().toString(36).slice(2)}`;
      await log.record(anonymous(1, address, { householdId: household }));
      const atOnce = await log.find({ householdId: household });
      expect(atOnce.entries).toEqual([
        expect.objectContaining({ actorId: ANONYMOUS, count: 1, outcome: 401 }),
      ]);
      for (let n = 2; n <= 6; n++) await log.record(anonymous(n, address, { householdId: household }));
      // Still in the window: nothing more stored.
      expect((await log.find({ householdId: household })).entries).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 450));
      await log.flush();
      const entries = (await log.find({ householdId: household })).entries;
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({
        count: 5,
        at: record(2).at,
        lastAt: record(6).at,
        actorVerified: false,
      });
      // The address is not stored, only a keyed hash of it, the same for both rows.
      expect(JSON.stringify(entries)).not.toContain(address);
      expect(entries[0]!.clientRef).toMatch(/^[0-9a-f]{32}$/);
      expect(entries[0]!.clientRef).toBe(entries[1]!.clientRef);
    });

    test('other addresses and principals are not folded; close writes the open windows', async () => {
      const log = new AccessLog(sql, mac, { flushMs: 1, foldMs: 60_000 });
      const household = `h-fold-${Math.random().toString(36).slice(2)}`;
      for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.1', '203.0.113.1'])
        await log.record(anonymous(1, address, { householdId: household }));
      // A principal's 401s (a signed but expired token) are each an entry of their own.
      for (let i = 0; i < 2; i++)
        await log.record(
          anonymous(2, '203.0.113.1', { householdId: household, actorId: 'w-expired', actorVerified: false }),
        );
      expect((await log.find({ householdId: household })).entries.map((e) => [e.actorId, e.count])).toEqual([
        ['w-expired', 1],
        ['w-expired', 1],
        [ANONYMOUS, 1],
        [ANONYMOUS, 1],
      ]);
      await log.close();
      const entries = (await log.find({ householdId: household })).entries;
      expect(entries.filter((e) => e.count === 2)).toHaveLength(1);
      expect(entries.reduce((n, e) => n + e.count, 0)).toBe(6);
    });

    test('a flood from many addresses keeps a bounded number of windows: the oldest is written early', async () => {
      const log = new AccessLog(sql, mac, { flushMs: 1, foldMs: 60_000, maxFolding: 2 });
      const household = `h-flood-${Math.random().toString(36).slice(2)}`;
      const hit = (address: string) => log.record(anonymous(1, address, { householdId: household }));
      await hit('192.0.2.1');
      await hit('192.0.2.1');
      await hit('192.0.2.2');
      expect((await log.find({ householdId: household })).entries.map((e) => e.count)).toEqual([1, 1]);
      // A third address: the window of the first ends early, its repeat written now.
      await hit('192.0.2.3');
      await log.flush();
      expect((await log.find({ householdId: household })).entries.map((e) => e.count).sort()).toEqual([
        1, 1, 1, 1,
      ]);
      // The other two windows saw no repeat: closing them writes nothing.
      await log.close();
      expect((await log.find({ householdId: household })).entries).toHaveLength(4);
    });
  });

  describe('tampering by a database superuser', () => {
    /** The table as it was, to put back after each attack. */
    let saved: Record<string, unknown>[];
    let savedHead: Record<string, unknown>;
    let round = 0;
    /** The actor of this test's row `n`: each test tampers with its own rows. */
    const t = (n: number) => `t${round}-${n}`;
    beforeEach(async () => {
      round++;
      // Enough rows to tamper in the middle of.
      const log = new AccessLog(sql, mac);
      for (let n = 0; n < 6; n++) void log.record(record(500 + n, { actorId: t(n) }));
      await log.close();
      expect((await log.verify()).ok).toBe(true);
      saved = (await sql.query('SELECT * FROM access_log ORDER BY id')).rows;
      savedHead = (await sql.query('SELECT * FROM access_log_head')).rows[0]!;
    });
    afterEach(async () => {
      await asSuperuser(async (tx) => {
        await tx.query('DELETE FROM access_log');
        await tx.query(
          `INSERT INTO access_log SELECT * FROM jsonb_populate_recordset(NULL::access_log, $1::text::jsonb)`,
          [JSON.stringify(saved)],
        );
        await tx.query(
          `UPDATE access_log_head SET seq = $1::bigint, hash = $2, legacy_rows = $3::bigint, legacy_last_id = $4::bigint`,
          [
            String(savedHead.seq),
            savedHead.hash,
            String(savedHead.legacy_rows),
            String(savedHead.legacy_last_id),
          ],
        );
      });
      expect((await new AccessLog(sql, mac).verify()).ok).toBe(true);
    });

    const chainedRows = async (tx: SqlExecutor) =>
      (
        await tx.query<{ id: string; seq: string }>(
          `SELECT id::text, seq::text FROM access_log WHERE seq IS NOT NULL ORDER BY access_log.seq`,
        )
      ).rows;
    const seqOfActor = async (actor: string) =>
      Number(
        (await sql.query<{ seq: string }>('SELECT seq::text FROM access_log WHERE actor_id = $1', [actor]))
          .rows[0]!.seq,
      );

    /**
     * The attacker with the code but not the key: deletes a row, then renumbers and rehashes every
     * row after it with `hash` and moves the head to the new end, so the chain looks whole.
     */
    const deleteAndRecompute = async (actor: string, hash: (row: Record<string, unknown>) => string) => {
      await asSuperuser(async (tx) => {
        const deleted = (
          await tx.query<{ seq: string }>('DELETE FROM access_log WHERE actor_id = $1 RETURNING seq::text', [
            actor,
          ])
        ).rows[0]!;
        const from = Number(deleted.seq);
        let prev = (
          await tx.query<{ hash: string }>('SELECT hash FROM access_log WHERE seq = $1::bigint', [
            String(from - 1),
          ])
        ).rows[0]!.hash;
        let seq = from - 1;
        for (const { id } of (await chainedRows(tx)).filter((r) => Number(r.seq) > from)) {
          seq++;
          const row = (
            await tx.query<Record<string, unknown> & { at: Date; last_at: Date | null }>(
              'SELECT * FROM access_log WHERE id = $1::bigint',
              [id],
            )
          ).rows[0]!;
          const content = {
            seq,
            at: row.at.toISOString(),
            actor_id: row.actor_id,
            actor_verified: row.actor_verified,
            actor_roles: row.actor_roles,
            on_behalf_of: row.on_behalf_of,
            household_id: row.household_id,
            action: row.action,
            outcome: row.outcome,
            purpose: row.purpose,
            correlation_id: row.correlation_id,
            count: row.count,
            last_at: row.last_at ? row.last_at.toISOString() : null,
            client_ref: row.client_ref,
            prev_hash: prev,
          };
          prev = hash(content);
          await tx.query(
            'UPDATE access_log SET seq = $2::bigint, prev_hash = $3, hash = $4 WHERE id = $1::bigint',
            [id, String(seq), content.prev_hash, prev],
          );
        }
        await tx.query('UPDATE access_log_head SET seq = $1::bigint, hash = $2', [String(seq), prev]);
      });
    };

    test('a deleted row: the row after it is named', async () => {
      const victim = await seqOfActor(t(2));
      await asSuperuser(async (tx) => {
        await tx.query('DELETE FROM access_log WHERE actor_id = $1', [t(2)]);
      });
      const report = await new AccessLog(sql, mac).verify();
      expect(report.ok).toBe(false);
      expect(report.broken[0]).toMatchObject({ seq: victim + 1, problem: 'sequence-gap' });
    });

    test.each([
      [
        'plain SHA-256',
        (row: Record<string, unknown>) =>
          createHash('sha256')
            .update(canonicalJson({ v: 1, ...row }))
            .digest('hex'),
      ],
      ['a wrong key', (row: Record<string, unknown>) => accessRowHash(randomBytes(32), row as never)],
    ])(
      'a deleted row and the later rows recomputed with %s: the first recomputed row is named',
      async (_how, hash) => {
        const victim = await seqOfActor(t(2));
        await deleteAndRecompute(t(2), hash);
        const report = await new AccessLog(sql, mac).verify();
        expect(report.ok).toBe(false);
        expect(report.broken[0]).toMatchObject({ seq: victim, problem: 'content-changed' });
      },
    );

    test('an edited row is named; the rows after it still hold', async () => {
      const victim = await seqOfActor(t(3));
      await asSuperuser(async (tx) => {
        await tx.query(`UPDATE access_log SET outcome = 403, actor_id = 'someone-else' WHERE actor_id = $1`, [
          t(3),
        ]);
      });
      const report = await new AccessLog(sql, mac).verify();
      expect(report).toMatchObject({
        ok: false,
        problems: 1,
        broken: [expect.objectContaining({ seq: victim, problem: 'content-changed' })],
      });
    });

    test('rows cut from the end while the head stays: the head names where they end', async () => {
      const last = await seqOfActor(t(5));
      await asSuperuser(async (tx) => {
        await tx.query('DELETE FROM access_log WHERE actor_id IN ($1, $2)', [t(4), t(5)]);
      });
      const report = await new AccessLog(sql, mac).verify();
      expect(report.broken).toEqual([expect.objectContaining({ seq: last, problem: 'head-mismatch' })]);
    });

    test('a row from before the chain deleted, or its count in the head changed to match', async () => {
      await asSuperuser(async (tx) => {
        await tx.query(
          `DELETE FROM access_log WHERE id = (SELECT min(id) FROM access_log WHERE seq IS NULL)`,
        );
      });
      expect((await new AccessLog(sql, mac).verify()).broken).toEqual([
        expect.objectContaining({ problem: 'legacy-changed' }),
      ]);
      await asSuperuser(async (tx) => {
        await tx.query(`UPDATE access_log_head SET legacy_rows = legacy_rows - 1`);
      });
      // The chain's first link is an HMAC over that count.
      expect((await new AccessLog(sql, mac).verify()).broken[0]).toMatchObject({
        seq: 1,
        problem: 'chain-broken',
      });
    });

    test('a writer after tampering does not hide it: the break stays where it was', async () => {
      const victim = await seqOfActor(t(1));
      await asSuperuser(async (tx) => {
        await tx.query('DELETE FROM access_log WHERE actor_id = $1', [t(1)]);
      });
      const log = new AccessLog(sql, mac);
      await log.record(record(600));
      const report = await log.verify();
      expect(report.broken).toEqual([expect.objectContaining({ seq: victim + 1, problem: 'sequence-gap' })]);
    });
  });
}

describe('access log on PGlite', () => accessLogSuite(onPglite));

describeWithInfra('access log on PostgreSQL', postgresInfra, () => accessLogSuite(onPostgres));
