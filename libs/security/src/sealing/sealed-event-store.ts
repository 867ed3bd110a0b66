import {
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type ReadFeedOptions,
  type RecordedEvent,
} from '@eenplan/event-store/event-store.port';
import type { KeyStore, SealedBytes } from './key-store';
import { eventSealMac, keyedHashOf, SEAL_ALG, type Seal, type SealMac, type StoredMetadata } from './seal';
import { verifyChains, type VerificationReport, type VerifyOptions } from './verify';

/**
 * The personal part as stored: AES-256-GCM under the stream's key (in the key store, never in the
 * database), bound to the event id.
 */
type SealedPersonal = {
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
};

/**
 * Wraps any EventStore adapter (PostgreSQL, KurrentDB) with the two guarantees auditors and
 * households ask for, so no adapter has to know of them:
 * - tamper evidence: each appended event gets a seal (a keyed hash chain per stream, HMAC under
 *   the key store's 'event-seal' key) in its metadata;
 * - erasure by crypto-shredding: the `personal` part is encrypted by the key store under the
 *   stream's key; once the key is destroyed (its tombstone in the key store), events read back with
 *   `personal: null` and an `erased` flag, the rest intact. A key that is simply missing is no
 *   erasure: reading the stream fails (StreamKeyMissingError).
 * Readers get events exactly as they were appended (seal removed, personal decrypted), so the port's
 * contract holds unchanged; `readSealed` shows the stored form to the verifier.
 */
export class SealedEventStore implements EventStore {
  /** The last seal per stream this process read or wrote: the next append's predecessor. */
  private readonly heads = new Map<string, { version: number; hash: string }>();

  private readonly mac: SealMac;

  constructor(
    readonly inner: EventStore,
    readonly keys: KeyStore,
  ) {
    this.mac = eventSealMac(keys);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    if (events.length === 0) return this.inner.append(streamId, events, expectedVersion);
    if (expectedVersion !== 'any') return this.appendAt(streamId, events, expectedVersion);
    // The seal needs the predecessor, so 'any' resolves to the version it finds, again on a race.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendAt(streamId, events, await this.inner.streamVersion(streamId));
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= 100) throw error;
      }
    }
  }

  private async appendAt(
    streamId: string,
    events: readonly NewEvent[],
    expected: number,
  ): Promise<AppendResult> {
    let previousHash = expected === 0 ? null : await this.headHash(streamId, expected);
    const sealed: NewEvent[] = [];
    for (const [i, event] of events.entries()) {
      const personal =
        event.personal === undefined || event.personal === null
          ? event.personal
          : await this.sealPersonal(streamId, event.eventId, event.personal);
      const stored: NewEvent = { ...event, ...(personal === undefined ? {} : { personal }) };
      const hash = await keyedHashOf(this.mac, stored, streamId, expected + i + 1, previousHash);
      const seal: Seal = { alg: SEAL_ALG, previousHash, hash };
      previousHash = hash;
      sealed.push({ ...stored, metadata: { ...event.metadata, seal } as EventMetadata });
    }
    const result = await this.inner.append(streamId, sealed, expected);
    this.heads.set(streamId, { version: result.nextVersion, hash: previousHash! });
    this.trimHeads();
    return result;
  }

  private async sealPersonal(
    streamId: string,
    eventId: string,
    personal: Record<string, unknown>,
  ): Promise<SealedPersonal | null> {
    const sealed = await this.keys.seal(
      streamId,
      Buffer.from(JSON.stringify(personal), 'utf8'),
      Buffer.from(eventId, 'utf8'),
    );
    // The household was erased: what would identify it again is not stored at all.
    if (sealed === 'erased') return null;
    return {
      alg: 'A256GCM',
      iv: sealed.iv.toString('base64'),
      tag: sealed.tag.toString('base64'),
      ct: sealed.ct.toString('base64'),
    };
  }

  private async headHash(streamId: string, version: number): Promise<string | null> {
    const known = this.heads.get(streamId);
    if (known?.version === version) return known.hash;
    const [last] = await this.inner.readStream(streamId, version);
    // No predecessor at that version: the inner append refuses the version anyway.
    return (last?.metadata as StoredMetadata | undefined)?.seal?.hash ?? null;
  }

  async readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(streamId, fromVersion);
    const last = events[events.length - 1];
    const seal = (last?.metadata as StoredMetadata | undefined)?.seal;
    if (last && seal) this.heads.set(streamId, { version: last.streamVersion, hash: seal.hash });
    return Promise.all(events.map((e) => this.open(e)));
  }

  async readAll(after: GlobalPosition, options?: ReadFeedOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll(after, options);
    // The page's keys at hand in one round rather than one per event: a rebuild reads millions.
    await this.keys.prefetch(events.filter((e) => isSealedPersonal(e.personal)).map((e) => e.streamId));
    return Promise.all(events.map((e) => this.open(e)));
  }

  /** Events as stored (from `fromVersion` on): seals on, personal still encrypted. For verification and the audit trail. */
  readSealed(streamId: string, fromVersion?: number): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, fromVersion);
  }

  /** Checks every stream's chain as stored (or only `streamIds`); names the first broken links. */
  verify(options?: VerifyOptions): Promise<VerificationReport> {
    return verifyChains(this.inner, this.mac, options);
  }

  /** Crypto-shredding: destroys the stream's key; its personal parts read as null from now on. */
  erase(streamId: string): Promise<boolean> {
    return this.keys.destroy(streamId);
  }

  streamVersion(streamId: string): Promise<number> {
    return this.inner.streamVersion(streamId);
  }
  comparePositions(a: GlobalPosition, b: GlobalPosition): number {
    return this.inner.comparePositions(a, b);
  }
  headPosition(): Promise<GlobalPosition> {
    return this.inner.headPosition();
  }
  committedPosition(): Promise<GlobalPosition> {
    return this.inner.committedPosition();
  }
  waitForEvents(after: GlobalPosition, timeoutMs: number): Promise<void> {
    return this.inner.waitForEvents(after, timeoutMs);
  }
  async close(): Promise<void> {
    await this.inner.close();
    await this.keys.close();
  }

  private async open(event: RecordedEvent): Promise<RecordedEvent> {
    const { seal: _seal, ...metadata } = event.metadata as StoredMetadata;
    const opened: RecordedEvent = { ...event, metadata };
    if (!isSealedPersonal(event.personal)) return opened;
    const plaintext = await this.keys.open(
      event.streamId,
      bytesOf(event.personal),
      Buffer.from(event.eventId, 'utf8'),
    );
    if (plaintext === 'none') throw new StreamKeyMissingError(event.streamId);
    if (plaintext === 'erased') return { ...opened, personal: null, erased: true } as RecordedEvent;
    return { ...opened, personal: JSON.parse(plaintext.toString('utf8')) as Record<string, unknown> };
  }

  private trimHeads(): void {
    if (this.heads.size <= 10_000) return;
    for (const id of this.heads.keys()) {
      this.heads.delete(id);
      if (this.heads.size <= 5_000) break;
    }
  }
}

/**
 * A sealed personal part whose stream has neither a key nor an erasure's tombstone in the key
 * store: not an erasure (that leaves a tombstone) but a key store that lost the key, mostly one
 * restored from a backup older than the household. Reads stop here rather than show the household
 * as erased, which it is not, or let anything go on with its names missing.
 */
export class StreamKeyMissingError extends Error {
  constructor(readonly streamId: string) {
    super(
      `the key of stream ${streamId} is not in the key store, and no erasure's tombstone either: ` +
        'this is not an erasure, the key store lost the key (restored from a backup older than the stream?). ' +
        'Restore the key from a later backup of the key store; nothing was changed',
    );
    this.name = 'StreamKeyMissingError';
  }
}

/** Whether an event read through a SealedEventStore lost its personal part to an erasure. */
export const isErased = (event: RecordedEvent): boolean => (event as { erased?: boolean }).erased === true;

const bytesOf = (sealed: SealedPersonal): SealedBytes => ({
  iv: Buffer.from(sealed.iv, 'base64'),
  tag: Buffer.from(sealed.tag, 'base64'),
  ct: Buffer.from(sealed.ct, 'base64'),
});

function isSealedPersonal(value: unknown): value is SealedPersonal {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    v['alg'] === 'A256GCM' &&
    typeof v['iv'] === 'string' &&
    typeof v['tag'] === 'string' &&
    typeof v['ct'] === 'string' &&
    Object.keys(v).length === 4
  );
}
