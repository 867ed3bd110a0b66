import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
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
import { hashOf, type Seal, type StoredMetadata } from './seal';
import { verifyChains, type VerificationReport, type VerifyOptions } from './verify';
import type { StreamKeys } from './stream-keys';

/** The personal part as stored: AES-256-GCM under the stream's key, bound to the event id. */
type SealedPersonal = {
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
};

/**
 * Wraps any EventStore adapter (PostgreSQL, KurrentDB) with the two guarantees auditors and
 * households ask for, so no adapter has to know of them:
 * - tamper evidence: each appended event gets a seal (hash chain per stream) in its metadata;
 * - erasure by crypto-shredding: the `personal` part is encrypted with the stream's key; once the
 *   key is destroyed, events read back with `personal: null` and an `erased` flag, the rest intact.
 * Readers get events exactly as they were appended (seal removed, personal decrypted), so the port's
 * contract holds unchanged; `readSealed` shows the stored form to the verifier.
 */
export class SealedEventStore implements EventStore {
  /** The last seal per stream this process read or wrote: the next append's predecessor. */
  private readonly heads = new Map<string, { version: number; hash: string }>();

  constructor(
    readonly inner: EventStore,
    private readonly keys: StreamKeys,
  ) {}

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
    const needsKey = events.some((e) => e.personal !== undefined && e.personal !== null);
    const key = needsKey ? await this.keys.keyForWriting(streamId, { fresh: expected === 0 }) : undefined;
    let previousHash = expected === 0 ? null : await this.headHash(streamId, expected);
    const sealed = events.map((event, i) => {
      const personal =
        event.personal === undefined || event.personal === null
          ? event.personal
          : key === 'erased'
            ? // The household was erased: what would identify it again is not stored at all.
              null
            : encrypt(key!, event.eventId, event.personal);
      const stored: NewEvent = { ...event, ...(personal === undefined ? {} : { personal }) };
      const hash = hashOf(stored, streamId, expected + i + 1, previousHash);
      const seal: Seal = { previousHash, hash };
      previousHash = hash;
      return { ...stored, metadata: { ...event.metadata, seal } as EventMetadata };
    });
    const result = await this.inner.append(streamId, sealed, expected);
    this.heads.set(streamId, { version: result.nextVersion, hash: previousHash! });
    this.trimHeads();
    return result;
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
    // One key query for the page rather than one per stream: a rebuild reads millions of events.
    await this.keys.prefetch(events.filter((e) => isSealedPersonal(e.personal)).map((e) => e.streamId));
    return Promise.all(events.map((e) => this.open(e)));
  }

  /** Events as stored: seals on, personal still encrypted. For verification and the audit trail. */
  readSealed(streamId: string): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId);
  }

  /** Checks every stream's chain as stored (or only `streamIds`); names the first broken links. */
  verify(options?: VerifyOptions): Promise<VerificationReport> {
    return verifyChains(this.inner, options);
  }

  /** Crypto-shredding: destroys the stream's key; its personal parts read as null from now on. */
  erase(streamId: string): Promise<boolean> {
    return this.keys.erase(streamId);
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
  close(): Promise<void> {
    return this.inner.close();
  }

  private async open(event: RecordedEvent): Promise<RecordedEvent> {
    const { seal: _seal, ...metadata } = event.metadata as StoredMetadata;
    const opened: RecordedEvent = { ...event, metadata };
    if (!isSealedPersonal(event.personal)) return opened;
    const key = await this.keys.lookup(event.streamId);
    if (key === 'erased' || key === 'none')
      return { ...opened, personal: null, erased: true } as RecordedEvent;
    return { ...opened, personal: decrypt(key, event.eventId, event.personal) };
  }

  private trimHeads(): void {
    if (this.heads.size <= 10_000) return;
    for (const id of this.heads.keys()) {
      this.heads.delete(id);
      if (this.heads.size <= 5_000) break;
    }
  }
}

/** Whether an event read through a SealedEventStore lost its personal part to an erasure. */
export const isErased = (event: RecordedEvent): boolean => (event as { erased?: boolean }).erased === true;

function encrypt(key: Buffer, eventId: string, personal: Record<string, unknown>): SealedPersonal {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(eventId, 'utf8'));
  const ct = Buffer.concat([cipher.update(JSON.stringify(personal), 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
}

function decrypt(key: Buffer, eventId: string, sealed: SealedPersonal): Record<string, unknown> {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(eventId, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const text = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  return JSON.parse(text.toString('utf8')) as Record<string, unknown>;
}

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
