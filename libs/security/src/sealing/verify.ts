import {
  START,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@eenplan/event-store/event-store.port';
import { hashOf, sealOf } from './seal';

export interface BrokenLink {
  readonly streamId: string;
  /** The first version whose seal does not hold (or where one is missing). */
  readonly streamVersion: number;
  readonly eventId: string | null;
  readonly problem: 'unsealed' | 'content-changed' | 'chain-broken' | 'version-gap' | 'missing-at-end';
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
 * checks every stream's chain: versions 1..n without gaps, each seal's predecessor the previous
 * event's hash, each hash the hash of the event's content. Then checks that no stream has lost
 * events at its end (its version says more than the feed holds). Names the first broken link.
 */
export async function verifyChains(
  store: EventStore,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const only = options.streamIds ? new Set(options.streamIds) : undefined;
  const heads = new Map<string, { version: number; hash: string | null }>();
  const broken = new Map<string, BrokenLink>();
  let events = 0;
  const check = (event: RecordedEvent) => {
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
    } else if (seal.previousHash !== head.hash) {
      fail('chain-broken', "the seal does not name the previous event's hash");
    } else if (hashOf(event, event.streamId, event.streamVersion, seal.previousHash) !== seal.hash) {
      fail('content-changed', 'the content no longer matches its hash');
    }
    heads.set(event.streamId, { version: event.streamVersion, hash: seal?.hash ?? null });
  };
  let position: GlobalPosition = START;
  for (;;) {
    const page = await store.readAll(position, { limit: options.pageSize ?? 1000 });
    if (page.length === 0) break;
    position = page[page.length - 1]!.position;
    for (const event of page) if (!only || only.has(event.streamId)) check(event);
    options.onProgress?.(events);
  }
  for (const [streamId, head] of heads) {
    if (broken.has(streamId)) continue;
    const version = await store.streamVersion(streamId);
    if (version <= head.version) continue;
    // The feed may not show a stream's newest events yet (held back behind an older transaction
    // still open, or appended during the walk): check them from the stream before calling them lost.
    for (const event of await store.readStream(streamId, head.version + 1)) check(event);
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
