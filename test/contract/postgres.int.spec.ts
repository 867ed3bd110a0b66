import pg from 'pg';
import {
  createNodePostgresSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type Sql,
  type SqlExecutor,
} from '@eenplan/event-store';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../support/postgres';
import { eventStoreContract, newEvent, type OpenAppend } from './event-store.contract';

describeWithInfra('PostgreSQL adapter on a PostgreSQL server', postgresInfra, () => {
  let database: TestDatabase;
  let sql: Sql;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    // More connections than the contract's 16 appenders plus its reader, so none waits for one.
    sql = createNodePostgresSql({ connectionString: database.url, max: 20 });
    await migrate(sql, eventStoreMigrations);
  });

  afterAll(async () => {
    await sql?.close();
    await database?.drop();
  });

  /** A transaction on a connection of its own, so it stays open while the pool goes on. */
  async function openTransaction(): Promise<OpenAppend & { tx: SqlExecutor }> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('BEGIN');
    const end = async (statement: 'COMMIT' | 'ROLLBACK'): Promise<void> => {
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    return {
      tx: {
        query: async (text, params) => {
          const result = await client.query(text, params ? [...params] : undefined);
          return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
        },
      },
      commit: () => end('COMMIT'),
      rollback: () => end('ROLLBACK'),
    };
  }

  eventStoreContract(
    'PostgreSQL server',
    async () => {
      await sql.query('TRUNCATE events, event_streams RESTART IDENTITY');
      store = new PostgresEventStore(sql);
      return { store, startsEmpty: true, dispose: () => store.close() };
    },
    {
      beginAppend: async (streamId, events, expected) => {
        const open = await openTransaction();
        try {
          await store.appendIn(open.tx, streamId, events, expected);
        } catch (error) {
          await open.rollback();
          throw error;
        }
        return open;
      },
    },
  );

  describe('across processes', () => {
    let other: Sql;
    let reader: PostgresEventStore;
    beforeAll(() => {
      other = createNodePostgresSql({ connectionString: database.url, max: 2 });
    });
    afterAll(async () => {
      await other?.close();
    });
    afterEach(async () => {
      await reader?.close();
    });

    test("waitForEvents wakes on another process's append through LISTEN/NOTIFY, not polling", async () => {
      reader = new PostgresEventStore(sql, { pollIntervalMs: 60_000 });
      const writer = new PostgresEventStore(other);
      const head = await reader.headPosition();
      // Lets the listening connection come up first: the wait below must be woken, not poll.
      await reader.waitForEvents(head, 200);
      const started = Date.now();
      const waiting = reader.waitForEvents(head, 10_000);
      await writer.append(`household-${started}`, [newEvent()], 0);
      await waiting;
      expect(Date.now() - started).toBeLessThan(1000);
      await writer.close();
    });

    test('appendIn refuses a transaction that has written before (its id would misorder the feed)', async () => {
      reader = new PostgresEventStore(sql);
      const open = await openTransaction();
      try {
        await open.tx.query('INSERT INTO event_streams (stream_id, version) VALUES ($1, 1)', [
          `pre-${Date.now()}`,
        ]);
        await expect(reader.appendIn(open.tx, `after-write-${Date.now()}`, [newEvent()], 0)).rejects.toThrow(
          'appendIn must be the first write of its transaction',
        );
      } finally {
        await open.rollback();
      }
    });

    test('the feed stops before an open transaction, then shows its event before later ones', async () => {
      reader = new PostgresEventStore(sql);
      const head = await reader.headPosition();
      const open = await openTransaction();
      try {
        await reader.appendIn(open.tx, `late-${head}`, [newEvent('Late')], 0);
        await reader.append(`early-${head}`, [newEvent('Early')], 0);
        // 'Early' is committed but behind the older open transaction: not readable yet.
        expect(await reader.readAll(head)).toEqual([]);
        expect(await reader.headPosition()).toBe(head);
      } finally {
        await open.commit();
      }
      expect((await reader.readAll(head)).map((e) => e.type)).toEqual(['Late', 'Early']);
    });
  });
});
