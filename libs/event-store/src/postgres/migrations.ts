import type { Migration } from '../sql/sql';

/**
 * The PostgreSQL event store's schema. Run with `migrate(sql, [...eventStoreMigrations, ...])`.
 *
 * - `event_streams` holds each stream's version: the optimistic check is one conditional
 *   UPDATE/INSERT on its row, which also serializes appends to one stream.
 * - `events.tx` is the appending transaction's id. The feed is ordered by (tx, sequence) and only
 *   shows rows whose tx is below the oldest transaction still running, so an event whose
 *   transaction commits late can never be passed over (sequence alone is assigned before commit).
 *   Caveat: xid8 values are the cluster's; restoring a dump into a fresh cluster (whose xid counter
 *   starts lower) hides the restored events until the counter passes them. pg_upgrade keeps it.
 * - `personal` is SQL NULL when the event had no `personal` at all, JSON null when it was null.
 * - `event_id` is text, not uuid, so ids round-trip byte for byte.
 */
export const eventStoreMigrations: readonly Migration[] = [
  {
    id: '0001_event_store',
    sql: `
      CREATE TABLE event_streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version > 0)
      );

      CREATE TABLE events (
        sequence bigserial PRIMARY KEY,
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id text NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        type text NOT NULL,
        data jsonb NOT NULL,
        personal jsonb,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (stream_id, stream_version)
      );

      CREATE INDEX events_feed ON events (tx, sequence);
    `,
  },
];
