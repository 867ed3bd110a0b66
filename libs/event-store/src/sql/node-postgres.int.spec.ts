import { Client } from 'pg';
import { describeWithInfra } from '../../../../test/support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../../../../test/support/postgres';
import { createSql } from './create-sql';
import { migrate } from './migrate';
import { createNodePostgresSql } from './node-postgres';
import type { Sql } from './sql';
import { sqlDriverSuite } from './sql-driver.suite';

describeWithInfra('node-postgres Sql driver', postgresInfra, () => {
  let database: TestDatabase;
  let sql: Sql;
  beforeAll(async () => {
    database = await createTestDatabase();
    sql = await createSql({ databaseUrl: database.url, dataDir: 'ignored-when-a-server-is-given' });
  });
  afterAll(async () => {
    await sql?.close();
    await database?.drop();
  });

  test('createSql picks the server when a DATABASE_URL is given', () => {
    expect(sql.driver).toBe('postgres');
  });

  test('its connections compile no plan to machine code (jit off): the statements are short', async () => {
    expect((await sql.query<{ jit: string }>('SHOW jit')).rows[0]!.jit).toBe('off');
    expect(
      await sql.transaction(async (tx) => (await tx.query<{ jit: string }>('SHOW jit')).rows[0]!.jit),
    ).toBe('off');
  });

  test('statements given side by side in a transaction run one at a time, in the order given, in it', async () => {
    // What pg 8 deprecates and pg 9 drops: a query given to a client while others wait in its queue.
    const original = Client.prototype.query;
    let queuedBehind = 0;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (
      this: Client,
      ...args: unknown[]
    ) {
      if ((this as unknown as { _queryQueue: unknown[] })._queryQueue.length > 0) queuedBehind++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      const seen = await sql.transaction(async (tx) => {
        await tx.query('CREATE TEMP TABLE side_by_side (n serial, label text, xact xid8) ON COMMIT DROP');
        const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
        await Promise.all(
          labels.map((label) =>
            tx.query('INSERT INTO side_by_side (label, xact) VALUES ($1, pg_current_xact_id())', [label]),
          ),
        );
        return (
          await tx.query<{ label: string; xacts: string }>(
            `SELECT string_agg(label, '' ORDER BY n) AS label, count(DISTINCT xact)::text AS xacts FROM side_by_side`,
          )
        ).rows[0]!;
      });
      expect(seen).toEqual({ label: 'abcdef', xacts: '1' });
      // A transaction whose first statement has parameters (BEGIN goes alone, ahead of it).
      const first = await sql.transaction(async (tx) => {
        const [x, y] = await Promise.all([
          tx.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x WHERE $1::int = 1', [1]),
          tx.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x'),
        ]);
        return [x.rows[0]!.x, y.rows[0]!.x];
      });
      expect(first[0]).toBe(first[1]);
      expect(spy).toHaveBeenCalled();
      expect(queuedBehind).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  sqlDriverSuite(() => sql);

  test('an expected error, alone or in a transaction, keeps the pooled connection', async () => {
    const single = createNodePostgresSql({ connectionString: database.url, max: 1 });
    try {
      const pid = async (): Promise<number> =>
        (await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const before = await pid();
      await expect(single.query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
      await expect(
        single.transaction(async (tx) => {
          await tx.query('CREATE TEMP TABLE once (id int PRIMARY KEY)');
          await tx.query('INSERT INTO once VALUES (1), (1)');
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await pid()).toBe(before);
    } finally {
      await single.close();
    }
  });

  test('migrate run by several processes at once applies each migration exactly once', async () => {
    const processes = Array.from({ length: 4 }, () =>
      createNodePostgresSql({ connectionString: database.url, max: 2 }),
    );
    try {
      await sql.query('DROP TABLE IF EXISTS schema_migrations, race_a, race_b');
      // Plain CREATE TABLE: a second run would fail, so success means once.
      const migrations = [
        { id: '0001_race_a', sql: 'CREATE TABLE race_a (id int)' },
        { id: '0002_race_b', sql: 'CREATE TABLE race_b (id int); SELECT pg_sleep(0.05);' },
      ];
      const applied = await Promise.all(processes.map((p) => migrate(p, migrations)));
      expect(applied.flat().sort()).toEqual(['0001_race_a', '0002_race_b']);
    } finally {
      await Promise.all(processes.map((p) => p.close()));
    }
  });
});
