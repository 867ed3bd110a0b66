import type { SqlExecutor, SqlResult } from '@eenplan/event-store/sql/sql';
import { applyChanges, type Change, type SetStatement } from './set-apply';

/** Records what applyChanges sends; the statements' effects are proven on real databases in write-behind.int.spec.ts. */
function recorder() {
  const sent: { sql: string; rows: unknown[] }[] = [];
  const tx: SqlExecutor = {
    query: async (sql: string, params?: readonly unknown[]) => {
      sent.push({ sql, rows: JSON.parse(String(params![0])) as unknown[] });
      return { rows: [], rowCount: 0 } as SqlResult<never>;
    },
  };
  return { tx, sent };
}

const insert: SetStatement = { sql: 'insert' };
const update: SetStatement = { sql: 'update' };

test('a round holds one change per key; a round sends one statement per shape, over all its rows', async () => {
  const { tx, sent } = recorder();
  const changes: Change[] = [
    { key: 'h1', statement: insert, row: { id: 'h1' } },
    { key: 'h2', statement: insert, row: { id: 'h2' } },
    { key: 'h1', statement: update, row: { id: 'h1', n: 1 } },
    { key: 'h1', statement: update, row: { id: 'h1', n: 2 } },
    { key: 'h2', statement: update, row: { id: 'h2', n: 1 } },
    { key: 'h3', statement: update, row: { id: 'h3', n: 1 } },
  ];
  await applyChanges(tx, changes);
  expect(sent).toEqual([
    // round 1: h1's and h2's inserts, h3's first update
    { sql: 'insert', rows: [{ id: 'h1' }, { id: 'h2' }] },
    { sql: 'update', rows: [{ id: 'h3', n: 1 }] },
    // round 2: h1's first update and h2's
    {
      sql: 'update',
      rows: [
        { id: 'h1', n: 1 },
        { id: 'h2', n: 1 },
      ],
    },
    // round 3: h1's second update, after its first
    { sql: 'update', rows: [{ id: 'h1', n: 2 }] },
  ]);
});

test('a change without a set statement runs in its place among its key’s changes', async () => {
  const { tx, sent } = recorder();
  const order: string[] = [];
  const changes: Change[] = [
    { key: 'h1', statement: insert, row: { id: 'h1' } },
    {
      key: 'h1',
      run: async () => {
        order.push(`run after ${sent.length} statement(s)`);
      },
    },
    { key: 'h1', statement: update, row: { id: 'h1' } },
  ];
  await applyChanges(tx, changes);
  expect(order).toEqual(['run after 1 statement(s)']);
  expect(sent.map((s) => s.sql)).toEqual(['insert', 'update']);
});

test('no changes, no statements', async () => {
  const { tx, sent } = recorder();
  await applyChanges(tx, []);
  expect(sent).toEqual([]);
});
