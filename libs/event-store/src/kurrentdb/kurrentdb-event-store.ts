import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  KurrentDBClient,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type PrefixesFilter,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  DuplicateEventError,
  START,
  WrongExpectedVersionError,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type ReadFeedOptions,
  type RecordedEvent,
} from '../event-store.port';
import { Wakeups, withDeadline } from '../wakeups';
import { feedPageSize } from '../adapter-checks';
import {
  appendStateOf,
  assertAppendArguments,
  assertNamespace,
  comparePositions,
  encodePosition,
  envelopeMetadataOf,
  feedFilter,
  fromRevisionOf,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  kurrentEventIdOf,
  markerStreamNameOf,
  parsePosition,
  streamIdOf,
  streamNameOf,
  toEventData,
  toPortError,
  toRecordedEvent,
  versionOfRevision,
} from './mapping';

export interface KurrentDbEventStoreOptions {
  /** Prefix of every stream this store writes and reads (`<namespace>.<streamId>`). Default 'eenplan'. */
  readonly namespace?: string;
  /** Dispose the client on `close()` (true when the store made it from a URL). Default false. */
  readonly ownsClient?: boolean;
  /** Longest pause between checks in `waitForEvents` without a wake-up. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** `readAll` page size when none is given. Default 500. */
  readonly defaultReadLimit?: number;
  /** Larger `readAll` limits are lowered to this. Default 5000. */
  readonly maxReadLimit?: number;
  /** How many streams' event ids the duplicate check keeps in memory. Default 10 000. */
  readonly knownStreams?: number;
}

/** Appends to one stream that keep meeting a concurrent append ('any' retries) before giving up. */
const MAX_APPEND_ATTEMPTS = 50;

const HEAD_BATCH = 100;

/**
 * The EventStore on KurrentDB (EventStoreDB's successor) through its gRPC client.
 *
 * - Append: the port wants an event id appended before to be refused as a duplicate, which
 *   KurrentDB does not do (it writes a known id again when the expected revision matches, and
 *   answers success to a re-sent append). So every append first reads the stream's new events
 *   (cached per stream, read incrementally) and refuses known ids, then appends with the exact
 *   revision it checked, 'any' included: a concurrent append makes it fail and look again. Ids
 *   appended to other streams are found through a marker stream per id, written after the append.
 * - Feed: `$all` filtered on the namespace's prefix, paged by the last event's position. KurrentDB
 *   shows an event in `$all` only once it is committed, in commit order, so nothing commits "late"
 *   behind a reader: `committedPosition` is `headPosition`.
 * - Waiting: one filtered subscription to `$all` from its end wakes `waitForEvents` in this process;
 *   polling at `pollIntervalMs` covers a dropped subscription.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly namespace: string;
  private readonly filter: PrefixesFilter;
  private readonly pollIntervalMs: number;
  private readonly defaultReadLimit: number;
  private readonly maxReadLimit: number;
  private readonly knownLimit: number;
  private readonly known = new Map<string, KnownStream>();
  private readonly wakeups = new Wakeups();
  private subscription?: AllStreamSubscription;
  private closed = false;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {
    this.namespace = options.namespace ?? 'eenplan';
    assertNamespace(this.namespace);
    this.filter = feedFilter(this.namespace);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.defaultReadLimit = options.defaultReadLimit ?? 500;
    this.maxReadLimit = options.maxReadLimit ?? 5000;
    this.knownLimit = options.knownStreams ?? 10_000;
  }

  /** A store on its own client for `url`, e.g. `kurrentdb://127.0.0.1:2113?tls=false`. */
  static fromUrl(
    url: string,
    options: Omit<KurrentDbEventStoreOptions, 'ownsClient'> = {},
  ): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(url), { ...options, ownsClient: true });
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    assertAppendArguments(streamId, events, expectedVersion);
    const name = streamNameOf(this.namespace, streamId);
    if (events.length === 0) return this.checkVersionOnly(name, streamId, expectedVersion);

    const appendId = randomUUID();
    const proposed = events.map((event) => toEventData(event, appendId));
    for (let attempt = 1; ; attempt++) {
      const known = await this.catchUpOn(name);
      // A retried append also arrives with a stale version: say it is a retry, not a conflict.
      const duplicate = events.find((event) => known.ids.has(event.eventId));
      if (duplicate) throw new DuplicateEventError(streamId, duplicate.eventId);
      if (expectedVersion !== 'any' && expectedVersion !== known.version)
        throw new WrongExpectedVersionError(streamId, expectedVersion, known.version);
      if (attempt === 1) await this.refuseIdsOfOtherStreams(streamId, events);

      const version = known.version;
      try {
        await this.client.appendToStream(name, proposed, { streamState: appendStateOf(version) });
      } catch (error) {
        // Another append got in after the check: look again (its ids may be ours: a retry).
        if (isWrongExpectedVersion(error) && attempt < MAX_APPEND_ATTEMPTS) continue;
        throw toPortError(error, streamId, expectedVersion);
      }
      const nextVersion = version + events.length;
      const last = await this.readEventAt(name, nextVersion);
      // KurrentDB answers success, writing nothing, when the same ids were just appended at this
      // revision by an identical append racing this one: that one wrote them, this is the retry.
      if (!last || envelopeMetadataOf(last).appendId !== appendId)
        throw new DuplicateEventError(streamId, events[0]!.eventId);
      known.record(
        nextVersion,
        events.map((event) => event.eventId),
      );
      await this.markIds(name, events, version);
      this.wakeups.fire();
      return { nextVersion, position: encodePosition(last.position!) };
    }
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    this.assertOpen();
    const name = streamNameOf(this.namespace, streamId);
    const read = await this.readRaw(name, fromRevisionOf(fromVersion));
    return read.flatMap((event) => toRecordedEvent(this.namespace, event) ?? []);
  }

  async streamVersion(streamId: string): Promise<number> {
    this.assertOpen();
    const last = await this.lastEventOf(streamNameOf(this.namespace, streamId));
    return last ? versionOfRevision(last.revision) : 0;
  }

  async readAll(after: GlobalPosition, options: ReadFeedOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readFeed(after, this.pageSize(options.limit));
  }

  private async readFeed(after: GlobalPosition, limit: number): Promise<RecordedEvent[]> {
    const page: RecordedEvent[] = [];
    let from = after;
    for (;;) {
      parsePosition(from);
      // A read from a position includes the event at it: ask for one more and drop it.
      const batch = await collect(
        this.client.readAll({ fromPosition: readPositionOf(from), maxCount: limit + 1, filter: this.filter }),
      );
      let passed: GlobalPosition | null = null;
      for (const { event } of batch) {
        if (!event?.position) continue;
        const position = encodePosition(event.position);
        if (comparePositions(position, from) <= 0) continue;
        passed = position;
        const recorded = toRecordedEvent(this.namespace, event);
        if (recorded) page.push(recorded);
        if (page.length === limit) return page;
      }
      // Only system events in a full batch: read on past them rather than answer "nothing new".
      if (page.length > 0 || passed === null || batch.length <= limit) return page;
      from = passed;
    }
  }

  comparePositions(a: GlobalPosition, b: GlobalPosition): number {
    return comparePositions(a, b);
  }

  async headPosition(): Promise<GlobalPosition> {
    this.assertOpen();
    // Backwards from the end, past any system events, to the last event of ours.
    let before: GlobalPosition | null = null;
    for (;;) {
      const batch: AllStreamResolvedEvent[] = await collect(
        this.client.readAll({
          fromPosition: before === null ? END : readPositionOf(before),
          direction: BACKWARDS,
          maxCount: HEAD_BATCH,
          filter: this.filter,
        }),
      );
      for (const { event } of batch) {
        if (!event?.position) continue;
        const position = encodePosition(event.position);
        if (before !== null && comparePositions(position, before) >= 0) continue;
        if (!isSystemEvent(event.type) && streamIdOf(this.namespace, event.streamId) !== null)
          return position;
        before = position;
      }
      if (batch.length < HEAD_BATCH) return START;
    }
  }

  /** KurrentDB holds nothing back: the last committed event is the feed's head. */
  committedPosition(): Promise<GlobalPosition> {
    return this.headPosition();
  }

  async waitForEvents(after: GlobalPosition, timeoutMs: number): Promise<void> {
    this.assertOpen();
    parsePosition(after);
    this.subscribe();
    // The deadline also bounds a read stuck on a lost server.
    await withDeadline(this.waitUntilReadable(after, Date.now() + timeoutMs), timeoutMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeups.fire();
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe().catch(() => undefined);
    if (this.options.ownsClient) await this.client.dispose();
  }

  private async waitUntilReadable(after: GlobalPosition, deadline: number): Promise<void> {
    while (!this.closed) {
      // Taken before the check: a wake-up that lands while the check runs is not lost.
      const seen = this.wakeups.generation;
      if ((await this.readFeed(after, 1)).length > 0) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return;
      await this.wakeups.sleep(Math.min(remaining, this.pollIntervalMs), seen);
    }
  }

  /** Wakes waiting readers on every event of the namespace, appended by any process. */
  private subscribe(): void {
    if (this.subscription || this.closed) return;
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: this.filter });
    const drop = (): void => {
      // The next wait subscribes again; until then the readers poll.
      if (this.subscription === subscription) this.subscription = undefined;
    };
    subscription.on('data', () => this.wakeups.fire());
    subscription.on('error', drop);
    subscription.on('close', drop);
    this.subscription = subscription;
  }

  /** The stream's version and event ids as stored now, reading only what this process has not seen. */
  private async catchUpOn(name: string): Promise<KnownStream> {
    let known = this.known.get(name);
    if (known) this.known.delete(name);
    else known = new KnownStream();
    this.known.set(name, known); // most recently used last
    if (this.known.size > this.knownLimit) this.known.delete(this.known.keys().next().value!);

    const read = await this.readRaw(name, BigInt(known.version));
    for (const event of read) {
      // A system event in the stream still takes a revision: count it, it just has no id of ours.
      const ids = isSystemEvent(event.type) ? [] : [envelopeMetadataOf(event).eventId];
      known.record(versionOfRevision(event.revision), ids);
    }
    return known;
  }

  /** Refuses an event whose id was appended to another stream (found through its marker). */
  private async refuseIdsOfOtherStreams(streamId: string, events: readonly NewEvent[]): Promise<void> {
    const found = await Promise.all(
      events.map(async (event) => {
        const marker = markerStreamNameOf(this.namespace, kurrentEventIdOf(event.eventId));
        return (await this.lastEventOf(marker)) ? event : undefined;
      }),
    );
    const duplicate = found.find((event) => event !== undefined);
    if (duplicate) throw new DuplicateEventError(streamId, duplicate.eventId);
  }

  /**
   * Writes each new id's marker. After the append, not with it (KurrentDB appends to one stream
   * atomically), so a crash in between leaves an id unmarked: only a later append of that id to
   * another stream would go unnoticed. eenplan's ids never repeat across streams (they are random
   * or derived from the stream id), so the exact per-stream check is what guards retries.
   */
  private async markIds(name: string, events: readonly NewEvent[], version: number): Promise<void> {
    await Promise.allSettled(
      events.map((event, i) =>
        this.client.appendToStream(
          markerStreamNameOf(this.namespace, kurrentEventIdOf(event.eventId)),
          [
            {
              id: randomUUID(),
              contentType: 'application/json',
              type: 'EventIdTaken',
              data: { stream: name, version: version + i + 1 },
              metadata: undefined,
            },
          ],
          { streamState: 'no_stream' },
        ),
      ),
    );
  }

  private async checkVersionOnly(
    name: string,
    streamId: string,
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const last = await this.lastEventOf(name);
    const version = last ? versionOfRevision(last.revision) : 0;
    if (expected !== 'any' && expected !== version)
      throw new WrongExpectedVersionError(streamId, expected, version);
    return { nextVersion: version, position: last?.position ? encodePosition(last.position) : START };
  }

  /** The event with port version `version` (1-based) of stream `name`, if there is one. */
  private async readEventAt(name: string, version: number): Promise<KurrentRecordedEvent | undefined> {
    const [event] = await this.readRaw(name, BigInt(version - 1), 1);
    return event && versionOfRevision(event.revision) === version ? event : undefined;
  }

  private async lastEventOf(name: string): Promise<KurrentRecordedEvent | undefined> {
    try {
      const [resolved] = await collect(
        this.client.readStream(name, { fromRevision: END, direction: BACKWARDS, maxCount: 1 }),
      );
      return resolved?.event;
    } catch (error) {
      if (isStreamNotFound(error)) return undefined;
      throw error;
    }
  }

  private async readRaw(
    name: string,
    fromRevision: bigint,
    maxCount?: number,
  ): Promise<KurrentRecordedEvent[]> {
    try {
      const read = await collect(this.client.readStream(name, { fromRevision, maxCount }));
      return read.flatMap((resolved: ResolvedEvent) => (resolved.event ? [resolved.event] : []));
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
  }

  private pageSize(limit: number | undefined): number {
    return feedPageSize(limit, this.defaultReadLimit, this.maxReadLimit);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

/** A stream's version and every event id in it, as far as this process has read it. */
class KnownStream {
  version = 0;
  readonly ids = new Set<string>();

  record(version: number, ids: readonly string[]): void {
    for (const id of ids) this.ids.add(id);
    if (version > this.version) this.version = version;
  }
}

function readPositionOf(position: GlobalPosition): ReadPosition {
  return parsePosition(position) ?? 'start';
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
