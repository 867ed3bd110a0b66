import { eventually, sleep } from '../../../../test/support/eventually';
import { createHash } from 'node:crypto';
import { EditedMigrationError, migrate } from './migrate';
import type { Sql } from './sql';

/**
 * What every Sql driver must do alike, run by each driver's int spec: code above the Sql layer
 * reads rows and errors without knowing the driver.
 */
export function sqlDriverSuite(getSql: () => Sql): void {
  let sql: Sql;
  beforeEach(async () => {
    sql = getSql();
    await sql.query('DROP TABLE IF EXISTS schema_migrations, probe, first_table, second_table');
    await sql.query('CREATE TABLE probe (id int PRIMARY KEY, note text)');
  });

  test('returns int8 and numeric as strings, date as text, timestamptz as Date, jsonb parsed', async () => {
    const { rows } = await sql.query(
      `SELECT 9007199254740993::int8 AS big, count(*) AS n, 1.10::numeric AS amount, 7 AS small,
              '2026-01-05'::date AS day, '2026-01-05T09:00:00.123Z'::timestamptz AS at,
              '{"a":[1,{"b":null}]}'::jsonb AS doc, true AS yes, NULL::text AS nothing
         FROM probe`,
    );
    expect(rows).toStrictEqual([
      {
        big: '9007199254740993',
        n: '0',
        amount: '1.10',
        small: 7,
        day: '2026-01-05',
        at: new Date('2026-01-05T09:00:00.123Z'),
        doc: { a: [1, { b: null }] },
        yes: true,
        nothing: null,
      },
    ]);
    expect(rows[0]!['at']).toBeInstanceOf(Date);
  });

  test('passes JSON text, bigint, Date and string parameters through', async () => {
    const doc = { text: 'Zoë "q" \\ 🏠', list: [1, 'two', null], nested: { deep: true } };
    const { rows } = await sql.query<{ doc: unknown; big: string; at: Date }>(
      'SELECT $1::text::jsonb AS doc, $2::int8 AS big, $3::timestamptz AS at',
      [JSON.stringify(doc), 9007199254740993n, new Date('2026-01-05T09:00:00.000Z')],
    );
    expect(rows[0]).toStrictEqual({ doc, big: '9007199254740993', at: new Date('2026-01-05T09:00:00.000Z') });
  });

  test('rowCount is the rows returned, or the rows affected without RETURNING', async () => {
    expect((await sql.query('INSERT INTO probe (id) VALUES (1), (2), (3)')).rowCount).toBe(3);
    expect((await sql.query('SELECT * FROM probe WHERE id > $1', [1])).rowCount).toBe(2);
    expect((await sql.query('UPDATE probe SET note = $1 WHERE id < 3', ['x'])).rowCount).toBe(2);
    expect((await sql.query('DELETE FROM probe WHERE id = $1 RETURNING id', [3])).rowCount).toBe(1);
    expect((await sql.query('SELECT * FROM probe WHERE id = $1', [99])).rowCount).toBe(0);
  });

  test("a parameterless query may be a script; the result is its last statement's", async () => {
    const result = await sql.query(`
      INSERT INTO probe (id) VALUES (1);
      INSERT INTO probe (id) VALUES (2);
      SELECT id FROM probe ORDER BY id;
    `);
    expect(result.rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test('a transaction commits when work resolves and rolls back, rethrowing, when it throws', async () => {
    const value = await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO probe (id) VALUES ($1)', [1]);
      return 'done';
    });
    expect(value).toBe('done');

    const failure = new Error('changed my mind');
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO probe (id) VALUES ($1)', [2]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await sql.query('SELECT id FROM probe')).rows).toEqual([{ id: 1 }]);
  });

  test('a transaction whose first statement has no parameters is still one transaction, in order', async () => {
    // node-postgres sends BEGIN in the same round trip as such a statement: it must still be inside.
    const failure = new Error('changed my mind');
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO probe (id) VALUES (1)');
        await tx.query('INSERT INTO probe (id) VALUES ($1)', [2]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO probe (id) VALUES (3); INSERT INTO probe (id) VALUES (4)');
        await tx.query('INSERT INTO probe (id) VALUES (3)');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await sql.query('SELECT id FROM probe')).rows).toEqual([]);

    // Statements given without waiting run in the order given, the first with BEGIN.
    const seen = await sql.transaction(async (tx) => {
      const writes = [
        tx.query("INSERT INTO probe (id, note) VALUES (5, 'a')"),
        tx.query('UPDATE probe SET note = note || $1 WHERE id = 5', ['b']),
        tx.query("UPDATE probe SET note = note || 'c' WHERE id = 5"),
      ];
      await Promise.all(writes);
      return (await tx.query<{ note: string }>('SELECT note FROM probe WHERE id = $1', [5])).rows[0]!.note;
    });
    expect(seen).toBe('abc');
    expect(await sql.transaction(async () => 'no statement')).toBe('no statement');
    expect((await sql.query('SELECT id, note FROM probe')).rows).toEqual([{ id: 5, note: 'abc' }]);
  });

  test('a constraint violation carries its SQLSTATE, is an Error, and leaves the Sql usable', async () => {
    await sql.query('INSERT INTO probe (id) VALUES ($1)', [1]);

    const direct = await sql
      .query('INSERT INTO probe (id) VALUES ($1)', [1])
      .catch((error: unknown) => error);
    expect(direct).toBeInstanceOf(Error);
    expect(direct).toMatchObject({ code: '23505' });

    const inTransaction = await sql
      .transaction(async (tx) => {
        await tx.query('INSERT INTO probe (id) VALUES ($1)', [2]);
        await tx.query('INSERT INTO probe (id) VALUES ($1)', [1]);
      })
      .catch((error: unknown) => error);
    expect(inTransaction).toBeInstanceOf(Error);
    expect(inTransaction).toMatchObject({ code: '23505' });

    expect((await sql.query('SELECT id FROM probe')).rows).toEqual([{ id: 1 }]);
  });

  test('listen hears NOTIFY after the commit, not a rolled-back one, until unlistened', async () => {
    const heard: string[] = [];
    const unlisten = await sql.listen('probe_channel', (payload) => heard.push(payload));
    await sql
      .transaction(async (tx) => {
        await tx.query("SELECT pg_notify('probe_channel', 'rolled back')");
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await sql.transaction(async (tx) => {
      await tx.query("SELECT pg_notify('probe_channel', 'committed')");
      expect(heard).toEqual([]);
    });
    await eventually(() => expect(heard).toEqual(['committed']));
    await unlisten();
    await sql.query("SELECT pg_notify('probe_channel', 'after')");
    await sleep(100);
    expect(heard).toEqual(['committed']);
    await expect(sql.listen('Bad-Name; DROP TABLE probe', () => undefined)).rejects.toThrow(RangeError);
  });

  test('migrate applies the missing migrations once, in id order, each all or nothing', async () => {
    const first = {
      id: '0002_first',
      sql: 'CREATE TABLE first_table (id int); INSERT INTO first_table VALUES (1);',
    };
    const second = { id: '0010_second', sql: 'CREATE TABLE second_table (id int REFERENCES probe (id))' };
    // Listed out of order: 0010 needs nothing from 0002, but ids decide the order anyway.
    expect(await migrate(sql, [second, first])).toEqual(['0002_first', '0010_second']);
    expect(await migrate(sql, [second, first])).toEqual([]);

    const broken = {
      id: '0011_broken',
      sql: 'ALTER TABLE first_table ADD COLUMN note text; SELECT no_such_function();',
    };
    const later = { id: '0012_later', sql: 'ALTER TABLE first_table ADD COLUMN later text' };
    await expect(migrate(sql, [first, second, broken, later])).rejects.toMatchObject({ code: '42883' });
    const { rows } = await sql.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual(['0002_first', '0010_second']);
    const columns = await sql.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'first_table' ORDER BY column_name",
    );
    expect(columns.rows).toEqual([{ column_name: 'id' }]);

    await expect(migrate(sql, [first, { ...first, sql: '' }])).rejects.toThrow(/0002_first is used twice/);
  });

  describe('migration checksums', () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const first = {
      id: '0002_first',
      sql: 'CREATE TABLE first_table (id int);\nINSERT INTO first_table VALUES (1);',
    };
    const second = { id: '0010_second', sql: 'CREATE TABLE second_table (id int)' };
    const stored = async () =>
      (
        await sql.query<{ id: string; checksum: string | null }>(
          'SELECT id, checksum FROM schema_migrations ORDER BY id',
        )
      ).rows;

    test('each applied migration is recorded with the sha256 of its SQL', async () => {
      await migrate(sql, [first, second]);
      expect(await stored()).toEqual([
        { id: '0002_first', checksum: sha256(first.sql) },
        { id: '0010_second', checksum: sha256(second.sql) },
      ]);
    });

    test('an unchanged restart passes, and CRLF line endings read as the same SQL', async () => {
      await migrate(sql, [first, second]);
      expect(await migrate(sql, [first, second])).toEqual([]);
      expect(await migrate(sql, [{ ...first, sql: first.sql.replace(/\n/g, '\r\n') }, second])).toEqual([]);
      expect((await stored()).map((row) => row.checksum)).toEqual([sha256(first.sql), sha256(second.sql)]);
    });

    test('a database migrated before checksums gets them recorded at the next start, nothing re-run', async () => {
      // The table as every release before checksums made it.
      await sql.query(`CREATE TABLE schema_migrations (
                         id text PRIMARY KEY,
                         applied_at timestamptz NOT NULL DEFAULT now()
                       )`);
      await sql.query(first.sql);
      await sql.query("INSERT INTO schema_migrations (id) VALUES ('0002_first')");

      // 0002 would fail if it ran again (first_table exists); 0010 is new.
      expect(await migrate(sql, [first, second])).toEqual(['0010_second']);
      expect(await stored()).toEqual([
        { id: '0002_first', checksum: sha256(first.sql) },
        { id: '0010_second', checksum: sha256(second.sql) },
      ]);
      expect(await migrate(sql, [first, second])).toEqual([]);
    });

    test('an applied migration whose SQL changed stops migrate, naming it, before anything new runs', async () => {
      await migrate(sql, [first]);
      const edited = { ...first, sql: `${first.sql} INSERT INTO first_table VALUES (2);` };
      const refusal = await migrate(sql, [edited, second]).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(EditedMigrationError);
      expect(refusal).toMatchObject({ migrationId: '0002_first' });
      expect((refusal as Error).message).toMatch(/migration 0002_first was edited after it ran/);
      expect((refusal as Error).message).toMatch(/never edited.*new migration/);
      expect(await stored()).toEqual([{ id: '0002_first', checksum: sha256(first.sql) }]);
      // The original SQL back: the start passes again and the new migration runs.
      expect(await migrate(sql, [first, second])).toEqual(['0010_second']);
    });
  });
}
