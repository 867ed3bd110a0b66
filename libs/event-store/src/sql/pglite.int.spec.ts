import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql } from './create-sql';
import { createPgliteSql } from './pglite';
import type { Sql } from './sql';
import { sqlDriverSuite } from './sql-driver.suite';

describe('PGlite Sql driver', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await createPgliteSql();
  });
  afterAll(async () => {
    await sql?.close();
  });

  sqlDriverSuite(() => sql);

  test('runs one transaction at a time; plain queries wait for it', async () => {
    const order: string[] = [];
    const slow = sql.transaction(async (tx) => {
      order.push('slow begins');
      await tx.query('SELECT pg_sleep(0.05)');
      order.push('slow ends');
    });
    const fast = sql.transaction(async (tx) => {
      order.push('fast begins');
      await tx.query('SELECT 1');
    });
    const plain = sql.query('SELECT 1').then(() => order.push('plain query'));
    await Promise.all([slow, fast, plain]);
    expect(order.indexOf('slow ends')).toBe(order.indexOf('slow begins') + 1);
    expect(order.indexOf('plain query')).toBeGreaterThan(order.indexOf('slow ends'));
  });
});

test('createSql without a server keeps PGlite data in its data directory across restarts', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'eenplan-pglite-'));
  try {
    const first = await createSql({ dataDir: join(dataDir, 'nested') });
    expect(first.driver).toBe('pglite');
    await first.query('CREATE TABLE kept (id int)');
    await first.query('INSERT INTO kept VALUES ($1)', [42]);
    await first.close();

    const second = await createSql({ dataDir: join(dataDir, 'nested') });
    expect((await second.query('SELECT id FROM kept')).rows).toEqual([{ id: 42 }]);
    await second.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
