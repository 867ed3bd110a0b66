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
  apply(tx: SqlExecutor, event: RecordedEvent): Promise<void>;
}
