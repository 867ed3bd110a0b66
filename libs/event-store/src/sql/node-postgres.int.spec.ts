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
