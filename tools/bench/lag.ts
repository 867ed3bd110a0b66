import pg from 'pg';
import { comparePositions } from '@eenplan/event-store/postgres/position';
import { distribution, sleep, type Distribution } from './stats';

/**
 * Projection lag on the PostgreSQL server, observed from outside the API: a separate connection
 * polls `projection_checkpoints` every few ms and notes when the lowest checkpoint (the position
 * every read model has passed) moves. An event's lag is the first poll that shows the lowest
 * checkpoint at or past its position, minus its `recorded_at` (the command's clock, read just
 * before the append). The poll interval bounds the resolution.
 *
 * The same connection samples pg_stat_activity of the API's connections, to show how busy its
 * pool is (active / idle in transaction) and what its backends wait on.
 */
export class ServerObserver {
  private readonly client: pg.Client;
  private readonly moves: { t: number; position: string }[] = [];
  private running = false;
  private loop?: Promise<void>;
  private lowest = '0';
  private activityEvery = 10;
  private readonly activity = {
    samples: 0,
    active: 0,
    idleInTx: 0,
    idle: 0,
    waits: new Map<string, number>(),
  };
  private measuring = false;
  polls = 0;

  constructor(
    url: string,
    private readonly database: string,
    private readonly intervalMs = 5,
  ) {
    this.client = new pg.Client({ connectionString: url, application_name: 'eenplan-bench-observer' });
  }

  async start(): Promise<void> {
    await this.client.connect();
    this.running = true;
    this.loop = this.run();
  }

  /** Only activity samples taken between these calls count. */
  measure(on: boolean): void {
    this.measuring = on;
  }

  private async run(): Promise<void> {
    for (let i = 0; this.running; i++) {
      const { rows } = await this.client.query<{ position: string }>(
        'SELECT position FROM projection_checkpoints',
      );
      const t = Date.now();
      this.polls++;
      if (rows.length > 0) {
        const lowest = rows.map((r) => r.position).reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
        if (comparePositions(lowest, this.lowest) > 0) {
          this.lowest = lowest;
          this.moves.push({ t, position: lowest });
        }
      }
      if (this.measuring && i % this.activityEvery === 0) await this.sampleActivity();
      await sleep(this.intervalMs);
    }
  }

  private async sampleActivity(): Promise<void> {
    const { rows } = await this.client.query<{ state: string | null; wait: string | null; n: number }>(
      `SELECT state, wait_event_type || ':' || wait_event AS wait, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = $1 AND application_name = 'eenplan' AND pid <> pg_backend_pid()
        GROUP BY 1, 2`,
      [this.database],
    );
    this.activity.samples++;
    for (const r of rows) {
      if (r.state === 'active') {
        this.activity.active += r.n;
        const key = r.wait ?? 'CPU (no wait event)';
        this.activity.waits.set(key, (this.activity.waits.get(key) ?? 0) + r.n);
      } else if (r.state === 'idle in transaction') this.activity.idleInTx += r.n;
      else if (r.state === 'idle') this.activity.idle += r.n;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.client.end();
  }

  /** Average API connections per state while measuring, and the top wait events of active ones. */
  activitySummary() {
    const n = Math.max(1, this.activity.samples);
    const waits = [...this.activity.waits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([wait, count]) => ({ wait, avgBackends: count / n }));
    return {
      samples: this.activity.samples,
      avgActive: this.activity.active / n,
      avgIdleInTransaction: this.activity.idleInTx / n,
      avgIdle: this.activity.idle / n,
      waits,
    };
  }

  /** Lag of every event recorded inside the window, ms. */
  async lag(
    windowStart: number,
    windowEnd: number,
  ): Promise<{ lag: Distribution; events: number; notPassed: number }> {
    const { rows } = await this.client.query<{ position: string; at: string }>(
      `SELECT tx::text || ':' || sequence::text AS position, (extract(epoch FROM recorded_at) * 1000)::text AS at
         FROM events WHERE recorded_at >= to_timestamp($1::float8 / 1000) AND recorded_at <= to_timestamp($2::float8 / 1000)`,
      [windowStart, windowEnd],
    );
    const lags: number[] = [];
    let notPassed = 0;
    for (const row of rows) {
      // First move at or past the event's position: moves are in ascending position order.
      let lo = 0;
      let hi = this.moves.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (comparePositions(this.moves[mid]!.position, row.position) >= 0) hi = mid;
        else lo = mid + 1;
      }
      const move = this.moves[lo];
      if (!move) notPassed++;
      else lags.push(Math.max(0, move.t - Number(row.at)));
    }
    return { lag: distribution(lags), events: rows.length, notPassed };
  }
}
