import { createHash } from 'node:crypto';
import { START, type EventStore, type GlobalPosition } from '@eenplan/event-store/event-store.port';
import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import { canonicalJson } from './sealing/canonical';
import type { KeyStore } from './sealing/key-store';
import { EVENT_SEAL_PURPOSE, sealOf } from './sealing/seal';

/**
 * Anchors of the two chains' heads, kept outside the database. Both chains are keyed, so nobody
 * without the key store can edit a row or an event and recompute what follows; but cutting rows
 * from the end (the newest access-log rows and `access_log_head` set back; a stream's last events
 * and its `event_streams` version) leaves a shorter chain that still holds. So the process that
 * runs the projections writes, now and then and at shutdown, an anchor into the key store (a
 * system record the database's writers cannot forge or roll back), MACed under the seal key:
 * - the access log's head: its sequence and hash;
 * - the event store: a position of its feed, how many events the feed holds up to it, and the heads
 *   (version and seal hash) of the streams written last before it.
 * Verification checks the database against the last anchor: rows or events cut below it are found,
 * and a stream among the anchored heads is named. What is cut after the last anchor is not.
 */
export const ANCHOR_RECORD = 'chain-anchor';

/** Streams whose heads an anchor keeps: the ones written last, so a record stays a few KB. */
export const ANCHORED_HEADS = 64;

export interface AccessLogAnchor {
  /** The chain's last sequence number when anchored (0: no chained row yet). */
  readonly seq: number;
  /** That row's hash; null at 0. */
  readonly hash: string | null;
}

export interface AnchoredHead {
  /** The first 32 hex digits of the stream id's SHA-256 (the key store names nobody). */
  readonly stream: string;
  readonly version: number;
  /** The first 32 hex digits of that event's seal hash. */
  readonly hash: string;
}

export interface EventsAnchor {
  /** A position of the feed: every event up to it was readable when anchored. */
  readonly position: GlobalPosition;
  /** How many events the feed held up to and including `position`. */
  readonly count: number;
  /** The heads of the streams written last up to `position`, the latest first. */
  readonly heads: readonly AnchoredHead[];
}

export interface Anchor {
  readonly v: 1;
  /** When it was written. */
  readonly at: string;
  readonly accessLog: AccessLogAnchor | null;
  readonly events: EventsAnchor | null;
}

/** The anchor record does not hold its MAC: changed by someone with access to the key store. */
export class AnchorInvalidError extends Error {}

const anchorMac = async (keys: Pick<KeyStore, 'mac'>, anchor: Anchor): Promise<string> =>
  (
    await keys.mac(
      EVENT_SEAL_PURPOSE,
      Buffer.from(`eenplan chain anchor v1\n${canonicalJson(anchor)}`, 'utf8'),
    )
  ).toString('hex');

/** The last anchor; null before the first one. Throws AnchorInvalidError when its MAC does not hold. */
export async function readAnchor(keys: Pick<KeyStore, 'record' | 'mac'>): Promise<Anchor | null> {
  return (await readAnchorRecord(keys)).anchor;
}

/** The last anchor for a verification, or why it cannot be used (changed in the key store). */
export async function anchorForVerification(
  keys: Pick<KeyStore, 'record' | 'mac'>,
): Promise<{ anchor: Anchor | null; invalid: string | null }> {
  try {
    return { anchor: await readAnchor(keys), invalid: null };
  } catch (error) {
    if (!(error instanceof AnchorInvalidError)) throw error;
    return { anchor: null, invalid: error.message };
  }
}

async function readAnchorRecord(
  keys: Pick<KeyStore, 'record' | 'mac'>,
): Promise<{ anchor: Anchor | null; bytes: Buffer | null }> {
  const bytes = await keys.record(ANCHOR_RECORD);
  if (!bytes) return { anchor: null, bytes };
  let stored: Anchor & { mac?: unknown };
  try {
    stored = JSON.parse(bytes.toString('utf8')) as Anchor & { mac?: unknown };
  } catch {
    throw new AnchorInvalidError('the chain anchor in the key store is not readable');
  }
  const { mac, ...anchor } = stored;
  if (anchor.v !== 1 || typeof mac !== 'string' || mac !== (await anchorMac(keys, anchor)))
    throw new AnchorInvalidError('the chain anchor in the key store does not hold its MAC: it was changed');
  return { anchor, bytes };
}

/** The first 32 hex digits of a stream id's SHA-256, as anchored heads name streams. */
export const anchoredStreamName = (streamId: string): string =>
  createHash('sha256').update(streamId, 'utf8').digest('hex').slice(0, 32);

export interface AnchorSources {
  /** The event store as stored (the SealedEventStore's inner adapter): seals on, nothing decrypted. */
  readonly events?: EventStore;
  /** The database of the access log. */
  readonly sql?: SqlExecutor;
}

export interface WrittenAnchor {
  readonly anchor: Anchor;
  /**
   * Why a part was not moved on from the last anchor (the database is behind it: rows were cut, or
   * it was restored from an older backup); empty when both moved on. Moving on would hide the cut.
   */
  readonly held: readonly string[];
}

/**
 * Writes anchors of the chains' heads into the key store. Each anchor builds on the last one: the
 * events counted before carry over and only the feed after its position is read, and the access
 * log's anchor moves on only while the row the last anchor saw is still there unchanged. So a cut
 * made after one anchor is never laundered by the next.
 */
export class ChainAnchors {
  constructor(
    private readonly keys: Pick<KeyStore, 'record' | 'putRecord' | 'mac'>,
    private readonly sources: AnchorSources,
    private readonly options: { readonly maxHeads?: number; readonly pageSize?: number } = {},
  ) {}

  /**
   * What this process counted on top of the last anchor it read (`base`: that record's bytes), kept
   * when writing failed (a key store out of reach): the next try reads the feed on from there, not
   * all of it again.
   */
  private progress: { base: Buffer | null; events: EventsAnchor } | undefined;

  read(): Promise<Anchor | null> {
    return readAnchor(this.keys);
  }

  /**
   * Writes the next anchor. Another process writing one meanwhile: built again on that one, so
   * neither undoes the other's check. `budgetMs`: how long the feed is read at most; the anchor then
   * reaches only as far as it was read (the first anchor of a large store takes several), so that a
   * shutdown never waits on a whole feed.
   */
  async write(options: { readonly budgetMs?: number } = {}): Promise<WrittenAnchor> {
    const deadline = options.budgetMs === undefined ? Infinity : Date.now() + options.budgetMs;
    for (let attempt = 1; ; attempt++) {
      const last = await readAnchorRecord(this.keys);
      const held: string[] = [];
      const accessLog = this.sources.sql
        ? await accessLogAnchor(this.sources.sql, last.anchor?.accessLog ?? null, held)
        : (last.anchor?.accessLog ?? null);
      let events = last.anchor?.events ?? null;
      if (this.sources.events) {
        const from =
          this.progress && sameBytes(this.progress.base, last.bytes) ? this.progress.events : events;
        events = await this.eventsAnchor(this.sources.events, from, deadline);
        this.progress = { base: last.bytes, events };
      }
      const anchor: Anchor = { v: 1, at: new Date().toISOString(), accessLog, events };
      const now = await this.keys.record(ANCHOR_RECORD);
      if (attempt < 3 && !sameBytes(now, last.bytes)) continue;
      const mac = await anchorMac(this.keys, anchor);
      await this.keys.putRecord(ANCHOR_RECORD, Buffer.from(JSON.stringify({ ...anchor, mac }), 'utf8'));
      return { anchor, held };
    }
  }

  /** The last anchor's count and heads, moved on by the feed after its position, up to the feed's head now. */
  private async eventsAnchor(
    store: EventStore,
    last: EventsAnchor | null,
    deadline: number,
  ): Promise<EventsAnchor> {
    const head = await store.headPosition();
    let position = last?.position ?? START;
    let count = last?.count ?? 0;
    // Per stream, the last event read: its version, seal hash and place.
    const read = new Map<string, { version: number; hash: string; order: number }>();
    let order = 0;
    for (;;) {
      const page = await store.readAll(position, { limit: this.options.pageSize ?? 1000 });
      const upToHead = page.filter((e) => store.comparePositions(e.position, head) <= 0);
      for (const event of upToHead) {
        count++;
        read.set(event.streamId, {
          version: event.streamVersion,
          hash: (sealOf(event)?.hash ?? '').slice(0, 32),
          order: order++,
        });
      }
      if (upToHead.length > 0) position = upToHead[upToHead.length - 1]!.position;
      if (upToHead.length < page.length || page.length === 0 || Date.now() >= deadline) break;
    }
    const fresh: AnchoredHead[] = [...read.entries()]
      .sort(([, a], [, b]) => b.order - a.order)
      .map(([streamId, h]) => ({ stream: anchoredStreamName(streamId), version: h.version, hash: h.hash }));
    // An anchored head gives way only to a later version of its stream: a stream cut and written
    // again up to the same version keeps the head that shows the cut.
    const kept = (last?.heads ?? []).filter(
      (old) => !fresh.some((h) => h.stream === old.stream && h.version > old.version),
    );
    const heads = [...fresh.filter((h) => !kept.some((old) => old.stream === h.stream)), ...kept];
    return { position, count, heads: heads.slice(0, this.options.maxHeads ?? ANCHORED_HEADS) };
  }
}

/**
 * The access log's head as it is now, when the row the last anchor saw is still there with its
 * hash; else the last anchor's, with the reason in `held`.
 */
async function accessLogAnchor(
  sql: SqlExecutor,
  last: AccessLogAnchor | null,
  held: string[],
): Promise<AccessLogAnchor | null> {
  const { rows } = await sql.query<{ seq: string; hash: string | null }>(
    'SELECT seq::text, hash FROM access_log_head WHERE id = 1',
  );
  const head = rows[0];
  if (!head) {
    held.push('access log: access_log_head has no row');
    return last;
  }
  const rowHash = async (seq: number) =>
    (
      await sql.query<{ hash: string | null }>('SELECT hash FROM access_log WHERE seq = $1::bigint', [
        String(seq),
      ])
    ).rows[0]?.hash;
  if (last && last.seq > 0 && (await rowHash(last.seq)) !== last.hash) {
    held.push(
      `access log: the row at sequence ${last.seq} that the last anchor saw is gone or changed (rows cut, or a restored backup)`,
    );
    return last;
  }
  const seq = Number(head.seq);
  if (last && seq < last.seq) {
    held.push(`access log: its head went back from sequence ${last.seq} to ${seq}`);
    return last;
  }
  if (seq > 0 && (await rowHash(seq)) !== head.hash) {
    held.push(`access log: its head names sequence ${seq}, which does not hold the head's hash`);
    return last;
  }
  return { seq, hash: seq > 0 ? head.hash : null };
}

const sameBytes = (a: Buffer | null, b: Buffer | null): boolean =>
  a === null || b === null ? a === b : a.equals(b);
