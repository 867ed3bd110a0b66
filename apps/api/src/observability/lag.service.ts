import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { ProjectionRunner } from '@eenplan/projections';
import { CLOCK, Clock, EVENT_STORE, SQL } from '../common/tokens';
import { FeedLag, feedLag } from './feed-lag';

/** The Kafka relay's checkpoints (libs/messaging), read when that table exists in this database. */
export const RELAY_CHECKPOINT_TABLE = 'relay_checkpoints';

/**
 * Lag of every feed consumer, from the checkpoints stored in the database: the API may only follow
 * projections a worker applies, so its in-memory view is not the truth; the table is.
 */
@Injectable()
export class LagService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL) private readonly sql: Sql,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly runner: ProjectionRunner,
  ) {}

  async projections(cap: number): Promise<Map<string, FeedLag>> {
    const committed = await this.store.committedPosition();
    const { rows } = await this.sql.query<{ name: string; position: string }>(
      'SELECT name, position FROM projection_checkpoints',
    );
    const stored = new Map(rows.map((r) => [r.name, r.position]));
    return this.measure(
      this.runner.projections.map((p) => [p.name, stored.get(p.name)] as const),
      committed,
      cap,
    );
  }

  /** Empty while the relay's table does not exist (no relay has ever run against this database). */
  async relays(cap: number): Promise<Map<string, FeedLag>> {
    const { rows: exists } = await this.sql.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
      RELAY_CHECKPOINT_TABLE,
    ]);
    if (!exists[0]?.t) return new Map();
    const committed = await this.store.committedPosition();
    const { rows } = await this.sql.query<{ name: string; position: string }>(
      `SELECT name, position FROM ${RELAY_CHECKPOINT_TABLE}`,
    );
    return this.measure(
      rows.map((r) => [r.name, r.position] as const),
      committed,
      cap,
    );
  }

  private async measure(
    consumers: readonly (readonly [string, string | undefined])[],
    committed: string,
    cap: number,
  ): Promise<Map<string, FeedLag>> {
    const now = this.clock.now();
    // Consumers usually share a checkpoint: count each distinct one once.
    const byCheckpoint = new Map<string | undefined, Promise<FeedLag>>();
    const result = new Map<string, FeedLag>();
    for (const [name, checkpoint] of consumers) {
      if (!byCheckpoint.has(checkpoint))
        byCheckpoint.set(checkpoint, feedLag(this.store, checkpoint, committed, now, cap));
      result.set(name, await byCheckpoint.get(checkpoint)!);
    }
    return result;
  }
}
