import { randomBytes } from 'node:crypto';
import type { Migration, SqlExecutor } from '@eenplan/event-store/sql/sql';

/**
 * One data key per stream (so per household) for the personal part of its events. Erasure
 * (crypto-shredding) destroys the key and leaves a tombstone, so the stream's personal data can
 * never be read again and a later event cannot bring a new key for it.
 */
export const streamKeyMigrations: readonly Migration[] = [
  {
    id: '0050_stream_keys',
    sql: `
      CREATE TABLE stream_keys (
        stream_id text PRIMARY KEY,
        key_hex text CHECK (key_hex IS NULL OR length(key_hex) = 64),
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        CHECK ((key_hex IS NULL) = (erased_at IS NOT NULL))
      );
    `,
  },
];

/** A stream's key: bytes, 'erased', or 'none' when the stream never had personal data sealed. */
export type StreamKey = Buffer | 'erased' | 'none';

export interface StreamKeysOptions {
  /**
   * How long a process trusts a key it looked up. Another process's erasure takes effect here
   * within this time at the latest; this process's own erasure at once. Default 5000 ms.
   */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

export class StreamKeys {
  private readonly cache = new Map<string, { key: StreamKey; at: number }>();
  /** Lookups on their way, so that the events of one stream read at once ask the database once. */
  private readonly pending = new Map<string, Promise<StreamKey>>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sql: SqlExecutor,
    options: StreamKeysOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** The key to read a stream's personal data with. */
  lookup(streamId: string): Promise<StreamKey> {
    const cached = this.cached(streamId);
    if (cached) return Promise.resolve(cached);
    let pending = this.pending.get(streamId);
    if (!pending) {
      pending = this.select(streamId).finally(() => this.pending.delete(streamId));
      this.pending.set(streamId, pending);
    }
    return pending;
  }

  /** Looks up the keys of many streams in one query (for a page of the feed); fills the cache. */
  async prefetch(streamIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(streamIds)].filter((id) => !this.cached(id));
    if (missing.length === 0) return;
    const { rows } = await this.sql.query<{ stream_id: string; key_hex: string | null }>(
      'SELECT stream_id, key_hex FROM stream_keys WHERE stream_id IN (SELECT jsonb_array_elements_text($1::text::jsonb))',
      [JSON.stringify(missing)],
    );
    for (const row of rows) this.remember(row.stream_id, keyOf(row.key_hex));
    this.trim();
  }

  /**
   * The key to seal new personal data with, made on first use; 'erased' after an erasure.
   * `fresh`: the stream is expected to be new (an append at version 0), so the key is most likely
   * not there yet and the insert is tried first: one statement instead of lookup, insert, lookup.
   */
  async keyForWriting(streamId: string, { fresh = false } = {}): Promise<Buffer | 'erased'> {
    const known = fresh ? (this.cached(streamId) ?? 'none') : await this.lookup(streamId);
    if (known !== 'none') return known;
    const { rows } = await this.sql.query<{ key_hex: string }>(
      'INSERT INTO stream_keys (stream_id, key_hex) VALUES ($1, $2) ON CONFLICT (stream_id) DO NOTHING RETURNING key_hex',
      [streamId, randomBytes(32).toString('hex')],
      { prepare: 'eenplan_stream_key_create' },
    );
    if (rows[0]) {
      const created = keyOf(rows[0].key_hex) as Buffer;
      this.remember(streamId, created);
      this.trim();
      return created;
    }
    // There was a key (or a tombstone) already: whoever inserted first, everyone uses the stored key.
    const stored = await this.select(streamId);
    if (stored === 'none') throw new Error(`no key stored for ${streamId}`);
    return stored;
  }

  /** Destroys the stream's key; true when there was one to destroy. */
  async erase(streamId: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `INSERT INTO stream_keys (stream_id, key_hex, erased_at) VALUES ($1, NULL, now())
       ON CONFLICT (stream_id) DO UPDATE SET key_hex = NULL, erased_at = now()
        WHERE stream_keys.erased_at IS NULL`,
      [streamId],
    );
    this.cache.set(streamId, { key: 'erased', at: this.now() });
    return rowCount > 0;
  }

  /** The key this process trusts without asking: an erasure is final, a key is for cacheMs. */
  private cached(streamId: string): Buffer | 'erased' | undefined {
    const entry = this.cache.get(streamId);
    if (!entry || entry.key === 'none') return undefined;
    if (entry.key === 'erased' || this.now() - entry.at < this.cacheMs) return entry.key;
    return undefined;
  }

  private async select(streamId: string): Promise<StreamKey> {
    const { rows } = await this.sql.query<{ key_hex: string | null }>(
      'SELECT key_hex FROM stream_keys WHERE stream_id = $1',
      [streamId],
      { prepare: 'eenplan_stream_key' },
    );
    // 'none' is not remembered: the next append may create the key.
    const key = rows[0] ? this.remember(streamId, keyOf(rows[0].key_hex)) : 'none';
    this.trim();
    return key;
  }

  /**
   * Remembers what the database said, unless this process saw the key destroyed meanwhile (a lookup
   * that started before an erasure must not bring the key back). Returns what is remembered.
   */
  private remember(streamId: string, key: Buffer | 'erased'): Buffer | 'erased' {
    if (this.cache.get(streamId)?.key === 'erased') return 'erased';
    this.cache.set(streamId, { key, at: this.now() });
    return key;
  }

  /** Keeps the cache bounded: entries past their time go first, then the oldest. */
  private trim(): void {
    if (this.cache.size <= 10_000) return;
    const now = this.now();
    for (const [id, entry] of this.cache) if (now - entry.at >= this.cacheMs) this.cache.delete(id);
    for (const id of this.cache.keys()) {
      if (this.cache.size <= 10_000) break;
      this.cache.delete(id);
    }
  }
}

const keyOf = (hex: string | null): Buffer | 'erased' => (hex === null ? 'erased' : Buffer.from(hex, 'hex'));
