import { START } from '../event-store.port';
import type { Sql } from '../sql/sql';
import { PostgresEventStore } from './postgres-event-store';

/** A database that never answers: a lost server, or a pool with every connection taken. */
const silentSql: Sql = {
  driver: 'postgres',
  query: () => new Promise(() => undefined),
  transaction: () => new Promise(() => undefined),
  listen: () => new Promise(() => undefined),
  close: async () => undefined,
};

describe('PostgresEventStore.waitForEvents', () => {
  test('returns at its timeout even when the database does not answer', async () => {
    const store = new PostgresEventStore(silentSql);
    const started = Date.now();
    await store.waitForEvents(START, 100);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('rejects a position that is not one of this store', async () => {
    const store = new PostgresEventStore(silentSql);
    await expect(store.waitForEvents('not-a-position', 10)).rejects.toThrow(RangeError);
    expect(() => store.comparePositions('1:1', 'x')).toThrow(RangeError);
  });
});
