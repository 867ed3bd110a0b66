import {
  START,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@eenplan/event-store/event-store.port';
import { anchoredStreamName, type EventsAnchor } from '../anchor';
import { isKeyedSeal, keyedHashOf, sealOf, type SealMac } from './seal';

export interface BrokenLink {
  readonly streamId: string;
  /** The first version whose seal does not hold (or where one is missing). */
  readonly streamVersion: number;
  readonly eventId: string | null;
  readonly problem:
    | 'unsealed'
    | 'unkeyed'
    | 'content-changed'
    | 'chain-broken'
    | 'version-gap'
    | 'missing-at-end'
    | 'cut-below-anchor';
  readonly detail: string;
}

/** The database against the last anchor of the events (see anchor.ts). */
export interface EventsAnchorCheck {
  /** When the anchor was written. */
  readonly at: string;
  readonly position: GlobalPosition;
  /** Events the feed held up to the position when anchored. */
  readonly anchored: number;
  /** Events it holds up to it now; null when only some streams were checked. */
  readonly found: number | null;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  /** The first broken link of each broken stream, in feed order, then the streams cut below the anchor. */
  readonly broken: readonly BrokenLink[];
  /** Null when there is no anchor yet. `ok` is false when `found` is not `anchored`. */
  readonly anchor: EventsAnchorCheck | null;
}

export interface VerifyOptions {
  /** Only these streams (e.g. one household's); default every stream in the feed. */
  readonly streamIds?: readonly string[];
  readonly onProgress?: (events: number) => void;
  readonly pageSize?: number;
  /** The last anchor of the events and when it was written: what was cut below it is found too. */
  readonly anchor?: (EventsAnchor & { readonly at: string }) | null;
}

/**
 * Walks the whole feed of the store as stored (pass the adapter under the SealedEventStore) and
 * checks every stream's chain: versions 1..n without gaps, each seal keyed (`mac`: HMAC under the
 * key store's 'event-seal' key), its predecessor the previous event's hash, its hash the keyed hash
 * of the event's content. Then checks that no stream has lost events at its end (its version says
 * more than the feed holds). Names the first broken link. A plain SHA-256 seal (the previous
 * release's, which anyone can recompute) is a broken link: 'unkeyed'.
 *
 * With an anchor: the events up to its position must be as many as it counted (a stream's last
 * events deleted with its version set back keep every chain whole, but not the count), and each
 * stream head it kept must still be there: such a stream is named, 'cut-below-anchor'.
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
  const anchor = options.anchor ?? null;
  let found = 0;
  // The anchored heads name streams by a hash of the id: the feed's streams are hashed as they come.
  const anchoredNames = new Set(anchor?.heads.map((h) => h.stream));
  const anchoredIds = new Map<string, string>();
  const hashed = new Set<string>();
  let position: GlobalPosition = START;
  for (;;) {
    const page = await store.readAll(position, { limit: options.pageSize ?? 1000 });
    if (page.length === 0) break;
    position = page[page.length - 1]!.position;
    for (const event of page) {
      if (anchor && store.comparePositions(event.position, anchor.position) <= 0) found++;
      if (anchoredNames.size > anchoredIds.size && !hashed.has(event.streamId)) {
        hashed.add(event.streamId);
        const name = anchoredStreamName(event.streamId);
        if (anchoredNames.has(name)) anchoredIds.set(name, event.streamId);
      }
      if (!only || only.has(event.streamId)) await check(event);
    }
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
  if (anchor) await checkAnchoredHeads(store, anchor, anchoredIds, only, broken);
  const anchorCheck: EventsAnchorCheck | null = anchor && {
    at: anchor.at,
    position: anchor.position,
    anchored: anchor.count,
    found: only ? null : found,
  };
  const countHolds = anchorCheck?.found == null || anchorCheck.found === anchorCheck.anchored;
  return {
    ok: broken.size === 0 && countHolds,
    streams: heads.size,
    events,
    broken: [...broken.values()],
    anchor: anchorCheck,
  };
}

/**
 * Each stream head the anchor kept must still be in its stream: the event at that version with that
 * seal (`ids`: the anchored streams found in the feed, by name). A stream already broken keeps its
 * first problem; one with no event left is named by its hash.
 */
async function checkAnchoredHeads(
  store: EventStore,
  anchor: EventsAnchor & { readonly at: string },
  ids: ReadonlyMap<string, string>,
  only: ReadonlySet<string> | undefined,
  broken: Map<string, BrokenLink>,
): Promise<void> {
  const names = only && new Set([...only].map(anchoredStreamName));
  for (const head of anchor.heads) {
    if (names && !names.has(head.stream)) continue;
    const streamId =
      ids.get(head.stream) ?? [...(only ?? [])].find((id) => anchoredStreamName(id) === head.stream);
    if (streamId) {
      await checkHead(store, anchor.at, streamId, head, broken);
      continue;
    }
    const label = `(a stream whose id hashes to ${head.stream}...)`;
    broken.set(label, {
      streamId: label,
      streamVersion: 1,
      eventId: null,
      problem: 'cut-below-anchor',
      detail: `the anchor of ${anchor.at} saw this stream at version ${head.version}; none of its events is left`,
    });
  }
}

async function checkHead(
  store: EventStore,
  at: string,
  streamId: string,
  head: EventsAnchor['heads'][number],
  broken: Map<string, BrokenLink>,
): Promise<void> {
  if (broken.has(streamId)) return;
  const [event] = await store.readStream(streamId, head.version);
  if (event?.streamVersion === head.version && (sealOf(event)?.hash ?? '').startsWith(head.hash)) return;
  const version = await store.streamVersion(streamId);
  broken.set(streamId, {
    streamId,
    streamVersion: event ? head.version : version + 1,
    eventId: event?.eventId ?? null,
    problem: 'cut-below-anchor',
    detail: event
      ? `version ${head.version} is not the event the anchor of ${at} saw: the stream was cut and written again since`
      : `the anchor of ${at} saw this stream at version ${head.version}; it now ends at version ${version}: ${head.version - version} event(s) cut`,
  });
}
