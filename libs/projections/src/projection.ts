import type { Migration, SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';

/**
 * A read model derived from the global feed. It owns its tables; the runner applies events and
 * stores its checkpoint in the same transaction as the rows they changed, so a crash can neither
 * skip nor double-apply an event. Bump `version` when `apply` or the tables change: the runner
 * then empties the tables and rebuilds from the start of the feed.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly migrations: readonly Migration[];
  /** Emptied (in this order) before a rebuild. */
  readonly tables: readonly string[];
  /**
   * Applies one event through `tx`. The runner passes a write-behind executor
   * (write-behind.ts): an INSERT, UPDATE or DELETE without RETURNING is only queued and goes to the
   * database with the others at the next read or at the end of the batch. So an apply must:
   * - never use the result of such a write (its `rows` and `rowCount` throw): to learn something,
   *   read it (SELECT, or RETURNING), which sends the queued writes first and so sees them;
   * - never catch a statement's error to carry on: a queued statement fails later, at a flush, and
   *   fails the whole batch (rolled back, retried from the checkpoint);
   * - pass only strings, numbers, booleans and null as parameters to keep a write queued (any other
   *   value makes it wait for the writes before it and run on its own; still correct, only slower).
   * Reads cost a round trip each: a read per event makes a rebuild as slow as it was without this.
   */
  apply(tx: SqlExecutor, event: RecordedEvent): Promise<void>;
  /**
   * Optional: applies a whole batch at once (set-apply.ts), for the runner's write-behind batches.
   * It must leave the tables exactly as `apply` on each event in order would: `apply` stays the
   * reference, and write-behind.int.spec.ts compares the two on random histories.
   */
  applyBatch?(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void>;
}
