import type { HouseholdRegistered } from '@eenplan/domain';
import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import type { Projection } from './projection';

/**
 * Set-based apply: a batch's row changes of one shape go to the database as one statement over
 * all their rows, instead of one statement per event. A rebuild spent most of the server's time on
 * the per-statement work (executor start, index descents, WAL records per statement), with the
 * caseload and the regie history writing each household's rows three to four times per batch.
 *
 * Order: changes carry a key (the household, the team: whatever their rows belong to), and changes
 * under different keys touch different rows, so they commute. Each key's changes keep their order
 * by going in rounds: round r holds the r-th change of every key, and a round's changes of one
 * shape become one statement. So a statement never sees two changes of one key (no "ON CONFLICT
 * cannot affect a row a second time", no UPDATE ... FROM with two matches), and a key's change
 * always runs after its earlier ones.
 *
 * An event a projection has no set statement for becomes an `apply` of its own in its round, with
 * the projection's per-event SQL: correct, only not faster.
 */
export interface SetStatement {
  /**
   * SQL over the rows, given as `$1` (JSON text of an array of objects). Read them with
   * `jsonb_to_recordset($1::text::jsonb) AS c(<column> <type>, ...)`.
   */
  readonly sql: string;
}

export type ChangeValue = string | number | boolean | null | undefined;

export type Change =
  | {
      readonly key: string;
      readonly statement: SetStatement;
      readonly row: Readonly<Record<string, ChangeValue>>;
    }
  | {
      readonly key: string;
      /** No set statement for this one: run it on its own, in its place among the key's changes. */
      readonly run: (tx: SqlExecutor) => Promise<void>;
    };

/** Applies `changes` (in event order) in rounds, as described above. */
export async function applyChanges(tx: SqlExecutor, changes: readonly Change[]): Promise<void> {
  const byKey = new Map<string, Change[]>();
  for (const change of changes) {
    const list = byKey.get(change.key);
    if (list) list.push(change);
    else byKey.set(change.key, [change]);
  }
  const lists = [...byKey.values()];
  const rounds = Math.max(0, ...lists.map((list) => list.length));
  for (let r = 0; r < rounds; r++) {
    const rows = new Map<SetStatement, Readonly<Record<string, ChangeValue>>[]>();
    for (const list of lists) {
      const change = list[r];
      if (!change) continue;
      if ('run' in change) {
        await change.run(tx);
        continue;
      }
      const group = rows.get(change.statement);
      if (group) group.push(change.row);
      else rows.set(change.statement, [change.row]);
    }
    for (const [statement, group] of rows)
      await tx.query(statement.sql, [JSON.stringify(group)], { planEachRun: true });
  }
}

/** The household a household stream belongs to, or null for any other stream. */
export function householdOf(event: RecordedEvent): string | null {
  return event.streamId.startsWith('household-') ? event.streamId.slice('household-'.length) : null;
}

/** `event` through the projection's own `apply`, in its place among `key`'s changes. */
export function perEvent(projection: Projection, event: RecordedEvent, key: string): Change {
  return { key, run: (tx) => projection.apply(tx, event) };
}

/**
 * The changes of a projection whose one frequent change is a household's registration: that one
 * set-based through `register` (with the row `rowOf` makes), every other household event by `apply`.
 */
export function registrationChanges(
  projection: Projection,
  register: SetStatement,
  rowOf: (householdId: string, data: HouseholdRegistered['data']) => Record<string, ChangeValue>,
): (event: RecordedEvent) => Change[] {
  return (event) => {
    const householdId = householdOf(event);
    if (householdId === null) return [];
    const key = `household:${householdId}`;
    if (event.type !== 'HouseholdRegistered') return [perEvent(projection, event, key)];
    const data = (event as unknown as HouseholdRegistered).data;
    return [{ key, statement: register, row: rowOf(householdId, data) }];
  };
}
