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
import { SealedDataError, type KeyState, type KeyStore, type SealedBytes } from './key-store';
import { eventSealMac, keyedHashOf, SEAL_ALG, type Seal, type SealMac, type StoredMetadata } from './seal';
import { verifyChains, type VerificationReport, type VerifyOptions } from './verify';

/**
 * The personal part as stored: AES-256-GCM under the stream's key (in the key store, never in the
 * database), bound to the event id. `persons` (from this release on, only when the event has a
 * person's part): each person's part, see SealedPersonPart.
 */
type SealedPersonal = {
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
  readonly persons?: Readonly<Record<string, SealedPersonPart | null>>;
};

/**
 * One person's part as stored: sealed twice. First under the person's own key
 * (`personKeyId(streamId, memberId)`), then that sealed form again under the stream's key, both
 * bound to the event id and the member id. So erasing one person (destroying their key) makes only
 * their part unreadable, and erasing the household (destroying the stream's key) makes every
 * person's part unreadable too, without the key store having to list or destroy the person keys
 * (a key store cannot be enumerated by stream: its names are hashes). Null: the person was erased
 * before the event was appended, so their part was not stored at all.
 */
type SealedPersonPart = { readonly iv: string; readonly tag: string; readonly ct: string };

/** The reserved member of a domain event's `personal`: each person's own part, by member id. */
export const PERSONS = 'persons';

/**
 * The key id of one person's part in a stream. The key stores hash key ids (a file name, an HSM
 * label), so this names nobody in the store.
 */
export const personKeyId = (streamId: string, memberId: string): string => `${streamId}/person/${memberId}`;

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
    const { [PERSONS]: persons, ...rest } = personal;
    const parts = personsOf(persons);
    const sealed = await this.keys.seal(
      streamId,
      Buffer.from(JSON.stringify(parts ? rest : personal), 'utf8'),
      Buffer.from(eventId, 'utf8'),
    );
    // The household was erased: what would identify it again is not stored at all.
    if (sealed === 'erased') return null;
    const stored: SealedPersonal = { alg: 'A256GCM', ...text(sealed) };
    if (!parts) return stored;
    const sealedParts: Record<string, SealedPersonPart | null> = {};
    for (const [memberId, part] of Object.entries(parts)) {
      const aad = personAad(eventId, memberId);
      const inner = await this.keys.seal(
        personKeyId(streamId, memberId),
        Buffer.from(JSON.stringify(part), 'utf8'),
        aad,
      );
      // That person was erased: their new part is not stored at all, like an erased household's.
      if (inner === 'erased') {
        sealedParts[memberId] = null;
        continue;
      }
      const outer = await this.keys.seal(streamId, Buffer.from(JSON.stringify(text(inner)), 'utf8'), aad);
      if (outer === 'erased') return null;
      sealedParts[memberId] = text(outer);
    }
    return { ...stored, persons: sealedParts };
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
    await this.keys.prefetch(
      events.flatMap((e) =>
        isSealedPersonal(e.personal)
          ? [e.streamId, ...Object.keys(e.personal.persons ?? {}).map((m) => personKeyId(e.streamId, m))]
          : [],
      ),
    );
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

  /**
   * Crypto-shredding: destroys the stream's key; its personal parts read as null from now on, every
   * person's part included (each is sealed under the stream's key too).
   */
  erase(streamId: string): Promise<boolean> {
    return this.keys.destroy(streamId);
  }

  /**
   * Erases one person of a stream: destroys their key, so their parts read as null (the event's
   * `erasedPersons` names them) while the rest of the stream opens as before. Only the parts
   * sealed under the person's key are reached: what the stream's own part holds about them (events
   * written before person parts existed) stays until the stream is erased.
   */
  erasePerson(streamId: string, memberId: string): Promise<boolean> {
    return this.keys.destroy(personKeyId(streamId, memberId));
  }

  /** The person key's state in the key store (no cache): 'erased' once erasePerson destroyed it. */
  personKeyState(streamId: string, memberId: string): Promise<KeyState> {
    return this.keys.state(personKeyId(streamId, memberId));
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
    const personal = JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
    const stored = event.personal.persons;
    if (!stored) return { ...opened, personal };
    const persons: Record<string, unknown> = {};
    const erasedPersons: string[] = [];
    for (const [memberId, part] of Object.entries(stored)) {
      const value = part && (await this.openPerson(event, memberId, part));
      if (value === null || value === 'erased') {
        persons[memberId] = null;
        erasedPersons.push(memberId);
      } else if (value === 'stream-erased') {
        // The stream's key went between the two opens: the whole event reads as erased.
        return { ...opened, personal: null, erased: true } as RecordedEvent;
      } else persons[memberId] = value;
    }
    return {
      ...opened,
      personal: { ...personal, [PERSONS]: persons },
      ...(erasedPersons.length ? { erasedPersons } : {}),
    } as RecordedEvent;
  }

  private async openPerson(event: RecordedEvent, memberId: string, part: SealedPersonPart): Promise<unknown> {
    const aad = personAad(event.eventId, memberId);
    const outer = await this.keys.open(event.streamId, bytesOf(part), aad);
    if (outer === 'none') throw new StreamKeyMissingError(event.streamId);
    if (outer === 'erased') return 'stream-erased';
    const inner = JSON.parse(outer.toString('utf8')) as SealedPersonPart;
    if (!isSealedPart(inner)) throw new SealedDataError(`the part of person ${memberId} is not sealed data`);
    const plaintext = await this.keys.open(personKeyId(event.streamId, memberId), bytesOf(inner), aad);
    if (plaintext === 'none') throw new StreamKeyMissingError(event.streamId, memberId);
    if (plaintext === 'erased') return 'erased';
    return JSON.parse(plaintext.toString('utf8')) as unknown;
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
  constructor(
    readonly streamId: string,
    /** Set when it is the key of one person's part in the stream that is missing. */
    readonly memberId?: string,
  ) {
    super(
      `the key of ${memberId === undefined ? '' : `person ${memberId} in `}stream ${streamId} is not in the key store, and no erasure's tombstone either: ` +
        'this is not an erasure, the key store lost the key (restored from a backup older than the stream?). ' +
        'Restore the key from a later backup of the key store; nothing was changed',
    );
    this.name = 'StreamKeyMissingError';
  }
}

/** Whether an event read through a SealedEventStore lost its personal part to an erasure. */
export const isErased = (event: RecordedEvent): boolean => (event as { erased?: boolean }).erased === true;

/**
 * The persons whose part of this event was erased (read through a SealedEventStore): their
 * `personal.persons[memberId]` is null. Empty when none was, or the whole event was erased.
 */
export const erasedPersonsOf = (event: RecordedEvent): readonly string[] =>
  (event as { erasedPersons?: readonly string[] }).erasedPersons ?? [];

const text = (sealed: SealedBytes): SealedPersonPart => ({
  iv: sealed.iv.toString('base64'),
  tag: sealed.tag.toString('base64'),
  ct: sealed.ct.toString('base64'),
});

/** A person's part is bound to its event and to the person: it cannot be moved to another. */
const personAad = (eventId: string, memberId: string): Buffer =>
  Buffer.from(`${eventId}\u0000person\u0000${memberId}`, 'utf8');

/** The reserved `persons` member of a personal part to seal, checked; undefined when there is none. */
function personsOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`personal.${PERSONS} must be an object of parts by member id`);
  for (const [memberId, part] of Object.entries(value)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(memberId))
      throw new TypeError(`personal.${PERSONS}: invalid member id ${JSON.stringify(memberId)}`);
    if (part === null || typeof part !== 'object' || Array.isArray(part))
      throw new TypeError(`personal.${PERSONS}.${memberId} must be an object`);
  }
  return value as Record<string, unknown>;
}

const bytesOf = (sealed: SealedPersonPart): SealedBytes => ({
  iv: Buffer.from(sealed.iv, 'base64'),
  tag: Buffer.from(sealed.tag, 'base64'),
  ct: Buffer.from(sealed.ct, 'base64'),
});

function isSealedPart(value: unknown): value is SealedPersonPart {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['iv'] === 'string' &&
    typeof v['tag'] === 'string' &&
    typeof v['ct'] === 'string' &&
    Object.keys(v).length === 3
  );
}

/**
 * The stored form: `{alg, iv, tag, ct}` (every release), or with `persons` beside them (each a
 * sealed part, or null for a person erased before the event was appended).
 */
function isSealedPersonal(value: unknown): value is SealedPersonal {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const persons = v['persons'];
  const keys = Object.keys(v).length;
  return (
    v['alg'] === 'A256GCM' &&
    typeof v['iv'] === 'string' &&
    typeof v['tag'] === 'string' &&
    typeof v['ct'] === 'string' &&
    (keys === 4 ||
      (keys === 5 &&
        persons !== null &&
        typeof persons === 'object' &&
        !Array.isArray(persons) &&
        Object.values(persons).every((p) => p === null || isSealedPart(p))))
  );
}
