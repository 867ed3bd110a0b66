import type { Migration, Sql, SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { KeyStore } from './key-store';
import {
  eventSealMac,
  isKeyedSeal,
  keyedHashOf,
  plainHashOf,
  SEAL_ALG,
  type Seal,
  type SealMac,
} from './seal';

/**
 * The one-time steps that bring a database of the previous release up to the key store
 * (upgradeFromPreviousRelease, at every start after the schema migrations):
 * - moveStreamKeys: the data keys (and tombstones) of the `stream_keys` table into the key store,
 *   then the table is dropped;
 * - rekeySeals: the plain SHA-256 seals of the stored events re-made as keyed ones.
 * Both run inside transactions that hold one advisory lock, so processes starting at once on one
 * database do each step once; a step cut off half way is taken up again at the next start.
 *
 * Both trust what the database holds, so they run only until the first start of this release has
 * finished them: then a record in the key store marks the upgrade done (UPGRADE_RECORD), and the
 * database's writers cannot forge or remove it. From then on a `stream_keys` table stops the start
 * (its rows could destroy a household's key or plant one of an attacker's choosing) and plain seals
 * stay what they are, broken links ('unkeyed'), never re-keyed into valid ones.
 */

/** The key store's record that the upgrade from the previous release is done. */
export const UPGRADE_RECORD = 'upgrade-from-database-keys';

/** What the upgrade record holds: when, and what the steps did (counts only: the store names nobody). */
export interface UpgradeRecord {
  readonly v: 1;
  readonly at: string;
  readonly moved: MovedKeys | null;
  readonly rekeyed: { readonly streams: number; readonly events: number; readonly broken: number } | null;
}

/** A `stream_keys` table in a database whose key store finished the upgrade: never adopted. */
export class StreamKeysAfterUpgradeError extends Error {}

/** The upgrade record, or null before the first start of this release finished the upgrade. */
export async function upgradeRecord(keys: Pick<KeyStore, 'record'>): Promise<UpgradeRecord | null> {
  const stored = await keys.record(UPGRADE_RECORD);
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored.toString('utf8')) as UpgradeRecord;
    if (parsed.v === 1 && typeof parsed.at === 'string') return parsed;
  } catch {
    // Unreadable: still a mark that the upgrade was done (nothing but this code writes it).
  }
  return { v: 1, at: '(unreadable record)', moved: null, rekeyed: null };
}

export interface UpgradeReport {
  readonly moved: MovedKeys | null;
  readonly rekeyed: RekeyReport | null;
}

/**
 * Runs the one-time steps unless the key store marks them done, then marks them done. `rekey`:
 * whether the events are on `sql` (PostgreSQL, PGlite); KurrentDB's cannot be changed. Null when
 * the upgrade was done before (then a `stream_keys` table is a StreamKeysAfterUpgradeError).
 */
export async function upgradeFromPreviousRelease(
  sql: Sql,
  keys: KeyStore,
  options: { readonly rekey: boolean },
): Promise<UpgradeReport | null> {
  const done = await upgradeRecord(keys);
  if (done) {
    await refuseStreamKeysTable(sql, done);
    return null;
  }
  const moved = await moveStreamKeys(sql, keys);
  const rekeyed = options.rekey ? await rekeySeals(sql, keys) : null;
  // Another process starting at once may have marked it meanwhile: its record stays.
  if (!(await keys.record(UPGRADE_RECORD))) {
    const record: UpgradeRecord = {
      v: 1,
      at: new Date().toISOString(),
      moved,
      rekeyed: rekeyed && { streams: rekeyed.streams, events: rekeyed.events, broken: rekeyed.broken.length },
    };
    await keys.putRecord(UPGRADE_RECORD, Buffer.from(JSON.stringify(record), 'utf8'));
  }
  return { moved, rekeyed };
}

const streamKeysPresent = async (tx: SqlExecutor): Promise<boolean> =>
  (await tx.query<{ t: string | null }>(`SELECT to_regclass('stream_keys')::text AS t`)).rows[0]!.t !== null;

async function refuseStreamKeysTable(sql: SqlExecutor, done: UpgradeRecord): Promise<void> {
  if (!(await streamKeysPresent(sql))) return;
  throw new StreamKeysAfterUpgradeError(
    `a stream_keys table is in the database, but this key store finished the upgrade from the previous release on ${done.at}: ` +
      "its rows are never adopted (whoever can write the database could destroy a household's key with one, or plant a key of their choosing). " +
      'Find out who made it (or whether the database was restored from a backup of the previous release), then DROP TABLE stream_keys and start again',
  );
}

// Any constant shared by every process on this database; spelled out so it is greppable.
const UPGRADE_LOCK_KEY = 4_815_162_343;

/**
 * Which key store a database belongs to: the MAC of a fixed text under its 'event-seal' key
 * (reveals nothing of the key). A process started with another key store (a wrong or empty
 * KEY_STORE_DIR) would read every household as erased, make new keys for them and seal with a
 * key the others do not have: it stops at start instead.
 */
export const keyStoreCheckMigrations: readonly Migration[] = [
  {
    id: '0052_key_store_check',
    sql: `CREATE TABLE key_store_check (
            id integer PRIMARY KEY CHECK (id = 1),
            mac text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
          )`,
  },
];

export class KeyStoreMismatchError extends Error {}

/** Records the key store on first start; afterwards refuses any other (KeyStoreMismatchError). */
export async function checkKeyStore(sql: Sql, keys: KeyStore, where: string): Promise<void> {
  const mac = (await keys.mac('event-seal', Buffer.from('eenplan key store check v1', 'utf8'))).toString(
    'hex',
  );
  await sql.query('INSERT INTO key_store_check (id, mac) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [mac]);
  const { rows } = await sql.query<{ mac: string }>('SELECT mac FROM key_store_check WHERE id = 1');
  if (rows[0]?.mac !== mac)
    throw new KeyStoreMismatchError(
      `the key store (${where}) is not the one this database's events were sealed with: start every process with the same key store`,
    );
}

export interface MovedKeys {
  readonly keys: number;
  readonly tombstones: number;
}

/**
 * Moves every row of the previous release's `stream_keys` table into the key store, then drops the
 * table. The order matters: every key is stored and fsynced by the key store before the DROP
 * commits, so an interruption at any point loses no key (the next start adopts them again, which is
 * idempotent). Null when there is no such table (a new database, or moved before).
 *
 * The dropped table's rows may still sit in the database's old WAL segments and in backups taken
 * before the move: docs/SECURITY.md says what that means for erasures done before the upgrade.
 */
export async function moveStreamKeys(sql: Sql, keys: KeyStore): Promise<MovedKeys | null> {
  if (!(await streamKeysPresent(sql))) return null;
  const done = await upgradeRecord(keys);
  if (done) await refuseStreamKeysTable(sql, done);
  return sql.transaction(async (tx) => {
    await lock(tx);
    if (!(await streamKeysPresent(tx))) return null;
    let moved = { keys: 0, tombstones: 0 };
    let after = '';
    for (;;) {
      const { rows } = await tx.query<{ stream_id: string; key_hex: string | null }>(
        'SELECT stream_id, key_hex FROM stream_keys WHERE stream_id > $1 ORDER BY stream_id LIMIT 500',
        [after],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        await keys.adopt(row.stream_id, row.key_hex === null ? 'erased' : Buffer.from(row.key_hex, 'hex'));
        moved =
          row.key_hex === null
            ? { ...moved, tombstones: moved.tombstones + 1 }
            : { ...moved, keys: moved.keys + 1 };
      }
      after = rows[rows.length - 1]!.stream_id;
    }
    await tx.query('DROP TABLE stream_keys');
    await tx.query(
      `INSERT INTO schema_migrations (id) VALUES ('0051_stream_keys_moved_to_key_store') ON CONFLICT DO NOTHING`,
    );
    return moved;
  });
}

export interface RekeyReport {
  readonly streams: number;
  readonly events: number;
  /** Streams whose plain chain did not hold: re-keyed up to the first broken link, not past it. */
  readonly broken: readonly { readonly streamId: string; readonly streamVersion: number }[];
}

const REKEYED = '0053_event_seals_keyed';

/**
 * Re-makes the previous release's plain SHA-256 seals on the PostgreSQL events table as keyed ones
 * (HMAC under the key store's 'event-seal' key), once: each stream's plain chain is checked first,
 * and only the part of it that holds is re-keyed, so a link broken before the upgrade stays broken
 * (verification then names it as 'unkeyed'). Returns null when it was done before: for good once
 * the key store's upgrade record says so (a plain seal after that is forged, and stays a broken
 * link); within the first start, `schema_migrations` tells the processes starting at once.
 *
 * Stop every process of the previous release first: one appending meanwhile would chain a plain
 * seal to a re-keyed event. KurrentDB's events cannot be updated; see docs/SECURITY.md.
 */
export async function rekeySeals(
  sql: Sql,
  keys: Pick<KeyStore, 'mac' | 'record'>,
): Promise<RekeyReport | null> {
  if (await upgradeRecord(keys)) return null;
  const mac = eventSealMac(keys);
  const done = async (tx: SqlExecutor) =>
    (await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [REKEYED])).rowCount > 0;
  if (await done(sql)) return null;
  let streams = 0;
  let events = 0;
  const broken: { streamId: string; streamVersion: number }[] = [];
  let after = '';
  for (;;) {
    const batch = await sql.transaction(async (tx) => {
      await lock(tx);
      if (await done(tx)) return null;
      // Streams are taken in id order, so one whose chain stays broken is not taken again.
      const { rows } = await tx.query<{ stream_id: string }>(
        `SELECT DISTINCT stream_id FROM events
          WHERE stream_id > $1 AND metadata ? 'seal' AND (metadata->'seal'->>'alg') IS NULL
          ORDER BY stream_id LIMIT 100`,
        [after],
      );
      for (const { stream_id: streamId } of rows) {
        const result = await rekeyStream(tx, mac, streamId);
        streams++;
        events += result.rekeyed;
        if (result.brokenAt !== null) broken.push({ streamId, streamVersion: result.brokenAt });
      }
      if (rows.length === 0)
        await tx.query('INSERT INTO schema_migrations (id) VALUES ($1) ON CONFLICT DO NOTHING', [REKEYED]);
      return rows.map((r) => r.stream_id);
    });
    if (batch === null) return streams === 0 ? null : { streams, events, broken };
    if (batch.length === 0) return { streams, events, broken };
    after = batch[batch.length - 1]!;
  }
}

interface StoredRow {
  event_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  personal: Record<string, unknown> | null;
  no_personal: boolean;
  metadata: Record<string, unknown> & { seal?: Seal };
}

async function rekeyStream(
  tx: SqlExecutor,
  mac: SealMac,
  streamId: string,
): Promise<{ rekeyed: number; brokenAt: number | null }> {
  const { rows } = await tx.query<StoredRow>(
    `SELECT event_id, stream_version, type, data, personal, personal IS NULL AS no_personal, metadata
       FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [streamId],
  );
  let plainPrevious: string | null = null;
  let keyedPrevious: string | null = null;
  const seals: { event_id: string; seal: Seal }[] = [];
  let brokenAt: number | null = null;
  for (const [i, row] of rows.entries()) {
    const event = {
      eventId: row.event_id,
      type: row.type,
      data: row.data,
      metadata: row.metadata as never,
      // As the adapter reads it: a missing personal part and a JSON null both come as SQL NULL.
      ...(row.no_personal ? {} : { personal: row.personal }),
    };
    const seal = row.metadata.seal;
    const holds =
      row.stream_version === i + 1 &&
      seal !== undefined &&
      !isKeyedSeal(seal) &&
      seal.previousHash === plainPrevious &&
      plainHashOf(event, streamId, row.stream_version, plainPrevious) === seal.hash;
    if (!holds) {
      brokenAt = row.stream_version;
      break;
    }
    const hash = await keyedHashOf(mac, event, streamId, row.stream_version, keyedPrevious);
    seals.push({ event_id: row.event_id, seal: { alg: SEAL_ALG, previousHash: keyedPrevious, hash } });
    plainPrevious = seal.hash;
    keyedPrevious = hash;
  }
  if (seals.length > 0)
    await tx.query(
      `UPDATE events e SET metadata = jsonb_set(e.metadata, '{seal}', x.seal)
         FROM jsonb_to_recordset($2::text::jsonb) AS x(event_id text, seal jsonb)
        WHERE e.stream_id = $1 AND e.event_id = x.event_id`,
      [streamId, JSON.stringify(seals)],
    );
  return { rekeyed: seals.length, brokenAt };
}

async function lock(tx: SqlExecutor): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [String(UPGRADE_LOCK_KEY)]);
}
