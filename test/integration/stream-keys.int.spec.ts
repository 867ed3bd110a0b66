import { createPgliteSql, migrate, type Sql, type SqlExecutor } from '@eenplan/event-store';
import { StreamKeys, streamKeyMigrations } from '@eenplan/security';

// Stream keys are asked for on every sealed append and read: the statements they cost count.
let sql: Sql;
let statements: string[];
/** While set, SELECTs wait for it: to hold a lookup on its way. */
let selectGate: Promise<void> | undefined;

const observed: SqlExecutor = {
  query: async (text, params, options) => {
    statements.push(text.trim().split(/\s+/)[0]!);
    if (selectGate && text.startsWith('SELECT')) await selectGate;
    return sql.query(text, params, options);
  },
};

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, streamKeyMigrations);
});

afterAll(async () => {
  await sql?.close();
});

beforeEach(() => {
  statements = [];
  selectGate = undefined;
});

let n = 0;
const newStream = () => `household-k${++n}`;

test('a new stream gets its key in one statement, and every process uses that key', async () => {
  const stream = newStream();
  const key = await new StreamKeys(observed).keyForWriting(stream, { fresh: true });
  expect(statements).toEqual(['INSERT']);
  expect(await new StreamKeys(sql).lookup(stream)).toEqual(key);
});

test('a stream thought new whose key another process made gets that key', async () => {
  const stream = newStream();
  const theirs = await new StreamKeys(sql).keyForWriting(stream);
  const mine = await new StreamKeys(observed).keyForWriting(stream, { fresh: true });
  expect(mine).toEqual(theirs);
  expect(statements).toEqual(['INSERT', 'SELECT']);
});

test('a stream erased by another process stays erased, new or not', async () => {
  const stream = newStream();
  await new StreamKeys(sql).keyForWriting(stream);
  await new StreamKeys(sql).erase(stream);
  expect(await new StreamKeys(observed).keyForWriting(stream, { fresh: true })).toBe('erased');
  expect(await new StreamKeys(observed).keyForWriting(stream)).toBe('erased');
  expect(await new StreamKeys(sql).lookup(stream)).toBe('erased');
});

test('a stream that is not new: a lookup, then the cache', async () => {
  const stream = newStream();
  const key = await new StreamKeys(sql).keyForWriting(stream);
  const keys = new StreamKeys(observed);
  expect(await keys.keyForWriting(stream)).toEqual(key);
  expect(await keys.keyForWriting(stream)).toEqual(key);
  expect(statements).toEqual(['SELECT']);
});

test("the events of one stream read at once ask for the stream's key once", async () => {
  const stream = newStream();
  const key = await new StreamKeys(sql).keyForWriting(stream);
  const keys = new StreamKeys(observed);
  const found = await Promise.all(Array.from({ length: 10 }, () => keys.lookup(stream)));
  expect(found).toEqual(Array.from({ length: 10 }, () => key));
  expect(statements).toEqual(['SELECT']);
});

test('a lookup on its way when this process erases the key does not bring the key back', async () => {
  const stream = newStream();
  await new StreamKeys(sql).keyForWriting(stream);
  const keys = new StreamKeys(observed, { cacheMs: 60_000 });
  let open!: () => void;
  selectGate = new Promise((resolve) => (open = resolve));
  const before = keys.lookup(stream);
  await keys.erase(stream);
  open();
  expect(await before).toBe('erased');
  expect(await keys.lookup(stream)).toBe('erased');
  expect(await keys.keyForWriting(stream)).toBe('erased');
});

test('a key is trusted for cacheMs, an erasure for good', async () => {
  let now = 0;
  const stream = newStream();
  const keys = new StreamKeys(observed, { cacheMs: 1000, now: () => now });
  await keys.keyForWriting(stream, { fresh: true });
  now = 999;
  await keys.lookup(stream);
  expect(statements).toEqual(['INSERT']);
  now = 1000;
  await keys.lookup(stream);
  expect(statements).toEqual(['INSERT', 'SELECT']);
  await keys.erase(stream);
  now = 1_000_000;
  expect(await keys.lookup(stream)).toBe('erased');
  expect(statements).toEqual(['INSERT', 'SELECT', 'INSERT']);
});
