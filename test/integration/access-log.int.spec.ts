import { createPgliteSql, migrate, type Sql } from '@eenplan/event-store';
import { AccessLog, accessLogMigrations, type AccessEntry } from '@eenplan/security';

// The access log writes its entries in batches: one INSERT for what came in within flushMs.
let sql: Sql;
let inserts: number;
let failNext: boolean;

/** The database as the log sees it: counts the INSERTs, and fails one on request. */
const observed = (): Sql =>
  ({
    ...sql,
    query: (text: string, params?: readonly unknown[], options?: { prepare?: string }) => {
      if (text.trimStart().startsWith('INSERT')) {
        inserts++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connection lost'));
        }
      }
      return sql.query(text, params, options);
    },
  }) as Sql;

const entry = (n: number): AccessEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  actorId: `w-${n}`,
  actorRoles: ['worker', 'team-lead'],
  onBehalfOf: null,
  householdId: 'h-1',
  action: 'GET /v1/households/:id',
  outcome: 200,
  purpose: 'care',
  correlationId: n % 2 ? `c-${n}` : null,
});

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, accessLogMigrations);
});

afterAll(async () => {
  await sql?.close();
});

beforeEach(() => {
  inserts = 0;
  failNext = false;
});

const stored = async () =>
  (await sql.query<{ actor_id: string }>('SELECT actor_id FROM access_log ORDER BY id')).rows.map(
    (r) => r.actor_id,
  );

test('entries recorded together are written in one INSERT, in order, with every field', async () => {
  const log = new AccessLog(observed(), { flushMs: 20 });
  const before = (await stored()).length;
  await Promise.all([1, 2, 3].map((n) => log.record(entry(n))));
  expect(inserts).toBe(1);
  expect((await stored()).slice(before)).toEqual(['w-1', 'w-2', 'w-3']);
  const found = await log.find({ actorId: 'w-1' });
  expect(found).toEqual([entry(1)]);
  expect(await log.find({ actorId: 'w-2' })).toEqual([entry(2)]);
});

test('find includes what was recorded just before it, without waiting for the timer', async () => {
  const log = new AccessLog(observed(), { flushMs: 60_000 });
  void log.record(entry(11));
  const found = await log.find({ actorId: 'w-11' });
  expect(found.map((e) => e.actorId)).toEqual(['w-11']);
});

test('close writes what is queued', async () => {
  const log = new AccessLog(observed(), { flushMs: 60_000 });
  void log.record(entry(21));
  void log.record(entry(22));
  await log.close();
  expect(inserts).toBe(1);
  expect(await stored()).toEqual(expect.arrayContaining(['w-21', 'w-22']));
});

test('a full batch goes at once; what comes in during a write goes in the next batch', async () => {
  const log = new AccessLog(observed(), { flushMs: 60_000, maxBatch: 2 });
  const first = log.record(entry(31));
  const second = log.record(entry(32));
  const third = log.record(entry(33));
  await Promise.all([first, second]);
  expect(inserts).toBe(1);
  await log.flush();
  await third;
  expect(inserts).toBe(2);
  const ids = await stored();
  expect(ids.slice(ids.indexOf('w-31'))).toEqual(['w-31', 'w-32', 'w-33']);
});

test('a failed write rejects its own entries only; the next batch is written', async () => {
  const log = new AccessLog(observed(), { flushMs: 5 });
  failNext = true;
  const lost = log.record(entry(41));
  await expect(lost).rejects.toThrow('connection lost');
  await log.record(entry(42));
  const ids = await stored();
  expect(ids).not.toContain('w-41');
  expect(ids).toContain('w-42');
});
