import type { Migration, Sql } from '@eenplan/event-store/sql/sql';
import { EventStore, GlobalPosition, START } from '@eenplan/event-store/event-store.port';
import { Projection } from './projection';

export const checkpointMigrations: Migration[] = [
  {
    id: '0100_projection_checkpoints',
    sql: `CREATE TABLE IF NOT EXISTS projection_checkpoints (
            name text PRIMARY KEY,
            position text NOT NULL,
            version integer NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
          )`,
  },
];

export interface RunnerOptions {
  readonly batchSize?: number;
  /** How long one idle wait for new events lasts before the loop looks again. */
  readonly idleWaitMs?: number;
  readonly onError?: (error: unknown) => void;
}

interface Waiter {
  readonly position: GlobalPosition;
  readonly resolve: (caughtUp: boolean) => void;
}

/**
 * Feeds every projection from the event store's global feed. Each batch is applied per projection
 * in one transaction together with its checkpoint; the checkpoint update is conditional on the
 * position this runner read, so a second runner on the same database cannot apply a batch twice.
 */
export class ProjectionRunner {
  private readonly checkpoints = new Map<string, GlobalPosition>();
  private readonly waiters = new Set<Waiter>();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private readonly batchSize: number;
  private readonly idleWaitMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly sql: Sql,
    readonly projections: readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.idleWaitMs = options.idleWaitMs ?? 1000;
  }

  /** Loads checkpoints, resetting any projection whose version changed (it is rebuilt from the start). */
  async init(): Promise<void> {
    for (const p of this.projections) {
      const { rows } = await this.sql.query<{ position: string; version: number }>(
        'SELECT position, version FROM projection_checkpoints WHERE name = $1',
        [p.name],
      );
      const row = rows[0];
      if (!row || Number(row.version) !== p.version) {
        await this.reset(p);
        this.checkpoints.set(p.name, START);
      } else {
        this.checkpoints.set(p.name, row.position);
      }
    }
  }

  /** Empties a projection's tables and sets its checkpoint to the start of the feed. */
  async reset(p: Projection): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const table of p.tables) await tx.query(`DELETE FROM ${table}`);
      await tx.query(
        `INSERT INTO projection_checkpoints (name, position, version) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, updated_at = now()`,
        [p.name, START, p.version],
      );
    });
    this.checkpoints.set(p.name, START);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loopDone;
    this.loopDone = null;
    for (const w of this.waiters) w.resolve(false);
    this.waiters.clear();
  }

  /** Applies everything currently in the feed; returns the number of events applied per projection pass. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const applied = await this.step();
      total += applied;
      if (applied === 0) return total;
    }
  }

  /** Resolves true once every projection has passed `position`, false after the timeout. */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    if (this.hasPassed(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve: (ok) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The lowest checkpoint across projections: everything up to it is in every read model. */
  lowestCheckpoint(): GlobalPosition {
    let lowest: GlobalPosition | null = null;
    for (const p of this.projections) {
      const cp = this.checkpoints.get(p.name) ?? START;
      if (lowest === null || this.store.comparePositions(cp, lowest) < 0) lowest = cp;
    }
    return lowest ?? START;
  }

  private hasPassed(position: GlobalPosition): boolean {
    return this.store.comparePositions(this.lowestCheckpoint(), position) >= 0;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const applied = await this.step();
        if (applied === 0 && this.running) await this.store.waitForEvents(this.lowestCheckpoint(), this.idleWaitMs);
      } catch (error) {
        this.options.onError?.(error);
        // A failing database must not spin the CPU; the next pass retries from the stored checkpoints.
        if (this.running) await new Promise((r) => setTimeout(r, this.idleWaitMs));
      }
    }
  }

  /** One batch for every projection that is behind; returns how many events were read. */
  private async step(): Promise<number> {
    const from = this.lowestCheckpoint();
    const events = await this.store.readAll(from, { limit: this.batchSize });
    if (events.length === 0) return 0;
    const last = events[events.length - 1]!.position;
    for (const p of this.projections) {
      const checkpoint = this.checkpoints.get(p.name) ?? START;
      const pending = events.filter((e) => this.store.comparePositions(e.position, checkpoint) > 0);
      if (pending.length === 0) continue;
      try {
        await this.sql.transaction(async (tx) => {
          for (const event of pending) await p.apply(tx, event);
          const { rowCount } = await tx.query(
            `UPDATE projection_checkpoints SET position = $1, updated_at = now() WHERE name = $2 AND position = $3`,
            [last, p.name, checkpoint],
          );
          if (rowCount !== 1) throw new CheckpointMovedError(p.name);
        });
        this.checkpoints.set(p.name, last);
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) throw error;
        // Another runner got there first: continue from where it stored, never apply twice.
        const { rows } = await this.sql.query<{ position: string }>(
          'SELECT position FROM projection_checkpoints WHERE name = $1',
          [p.name],
        );
        this.checkpoints.set(p.name, rows[0]?.position ?? START);
      }
    }
    for (const w of [...this.waiters]) if (this.hasPassed(w.position)) w.resolve(true);
    return events.length;
  }
}

/** Another runner advanced this projection first; this one's batch was rolled back. */
export class CheckpointMovedError extends Error {
  constructor(readonly projection: string) {
    super(`checkpoint of projection ${projection} was moved by another runner`);
  }
}
