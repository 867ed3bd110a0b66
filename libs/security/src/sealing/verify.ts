import {
  START,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@eenplan/event-store/event-store.port';
import { isKeyedSeal, keyedHashOf, sealOf, type SealMac } from './seal';

export interface BrokenLink {
  readonly streamId: string;
  /** The first version whose seal does not hold (or where one is missing). */
  readonly streamVersion: number;
  readonly eventId: string | null;
  readonly problem:
    'unsealed' | 'unkeyed' | 'content-changed' | 'chain-broken' | 'version-gap' | 'missing-at-end';
  readonly detail: string;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  /** The first broken link of each broken stream, in feed order. */
  readonly broken: readonly BrokenLink[];
}

export interface VerifyOptions {
  /** Only these streams (e.g. one household's); default every stream in the feed. */
  readonly streamIds?: readonly string[];
  readonly onProgress?: (events: number) => void;
  readonly pageSize?: number;
}

/**
 * Walks the whole feed of the store as stored (pass the adapter under the SealedEventStore) and
 * checks every stream's chain: versions 1..n without gaps, each seal keyed (`mac`: HMAC under the
 * key store's 'event-seal' key), its predecessor the previous event's hash, its hash the keyed hash
 * of the event's content. Then checks that no stream has lost events at its end (its version says
 * more than the feed holds). Names the first broken link. A plain SHA-256 seal (the previous
 * release's, which anyone can recompute) is a broken link: 'unkeyed'.
 */
export async function verifyChains(
  store: EventStore,
  mac: SealMac,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const only = options.streamIds ? new Set(options.streamIds) : undefined;
  const heads = new Map<string, { version: number; hash: string | null }>();
  const broken = new Map<string, BrokenLink>();
  let events = 0;
  const check = async (event: RecordedEvent) => {
    events++;
    if (broken.has(event.streamId)) return;
    const head = heads.get(event.streamId) ?? { version: 0, hash: null };
    const fail = (problem: BrokenLink['problem'], detail: string) =>
      broken.set(event.streamId, {
        streamId: event.streamId,
        streamVersion: problem === 'version-gap' ? head.version + 1 : event.streamVersion,
        eventId: problem === 'version-gap' ? null : event.eventId,
        problem,
        detail,
      });
    const seal = sealOf(event);
    if (event.streamVersion !== head.version + 1) {
      fail('version-gap', `expected version ${head.version + 1}, found ${event.streamVersion} next`);
    } else if (!seal) {
      fail('unsealed', 'the event carries no seal');
    } else if (!isKeyedSeal(seal)) {
      fail(
        'unkeyed',
        'a plain SHA-256 seal, which anyone can recompute: not re-keyed at the upgrade, or forged',
      );
    } else if (seal.previousHash !== head.hash) {
      fail('chain-broken', "the seal does not name the previous event's hash");
    } else if (
      (await keyedHashOf(mac, event, event.streamId, event.streamVersion, seal.previousHash)) !== seal.hash
    ) {
      fail('content-changed', 'the content no longer matches its keyed hash');
    }
    heads.set(event.streamId, { version: event.streamVersion, hash: seal?.hash ?? null });
  };
  let position: GlobalPosition = START;
  for (;;) {
    const page = await store.readAll(position, { limit: options.pageSize ?? 1000 });
    if (page.length === 0) break;
    position = page[page.length - 1]!.position;
    for (const event of page) if (!only || only.has(event.streamId)) await check(event);
    options.onProgress?.(events);
  }
  for (const [streamId, head] of heads) {
    if (broken.has(streamId)) continue;
    const version = await store.streamVersion(streamId);
    if (version <= head.version) continue;
    // The feed may not show a stream's newest events yet (held back behind an older transaction
    // still open, or appended during the walk): check them from the stream before calling them lost.
    for (const event of await store.readStream(streamId, head.version + 1)) await check(event);
    const reached = heads.get(streamId)!.version;
    if (!broken.has(streamId) && version > reached) {
      broken.set(streamId, {
        streamId,
        streamVersion: reached + 1,
        eventId: null,
        problem: 'missing-at-end',
        detail: `the stream is at version ${version} but its events end at ${reached}`,
      });
    }
  }
  return { ok: broken.size === 0, streams: heads.size, events, broken: [...broken.values()] };
}
