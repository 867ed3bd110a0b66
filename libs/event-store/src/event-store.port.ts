/**
 * The EventStore port: the only source of truth. Adapters (PostgreSQL on PGlite or a server,
 * KurrentDB) implement it and are proven by the same contract suite (test/contract).
 */

/** Who caused an event: a person with a role, or the system itself. */
export interface Actor {
  readonly kind: 'worker' | 'admin' | 'auditor' | 'integrator' | 'resident' | 'system';
  readonly id: string;
  readonly roles?: readonly string[];
}

/** Facts about an event that are not the domain payload. Never personal data. */
export interface EventMetadata {
  readonly schemaVersion: number;
  readonly actor: Actor;
  /** ISO-8601 instant at which the event was recorded (comes from the command's clock). */
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  /**
   * For a write sent with an Idempotency-Key: 48 bits of the SHA-256 of that request (method, path,
   * body), so a retry after a lost answer is told apart from another request under the same key.
   * Not the text itself; but like any hash it can confirm a guess of the whole request (docs/KNOWN-LIMITS.md).
   */
  readonly requestHash?: string;
}

/** An event about to be appended. `personal` holds what crypto-shredding may erase later. */
export interface NewEvent {
  /** Persistent id, stable across retries: a retried append with the same ids writes nothing new. */
  readonly eventId: string;
  /** Stable type name in past tense (e.g. `RegieTransferAccepted`); events are rebuilt by it. */
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly personal?: Record<string, unknown> | null;
  readonly metadata: EventMetadata;
}

/**
 * A position in the global feed. Opaque to callers: compare with `comparePositions`, store and
 * pass back as the string form. The PostgreSQL adapter encodes (transaction id, sequence) so the
 * feed orders and pages on the same key; KurrentDB encodes its commit/prepare position.
 */
export type GlobalPosition = string;

/** Before the first event. */
export const START: GlobalPosition = '0';

export interface RecordedEvent extends NewEvent {
  readonly streamId: string;
  /** 1-based, contiguous within the stream. */
  readonly streamVersion: number;
  readonly position: GlobalPosition;
}

/**
 * Expected version of a stream before an append: the number of events in it.
 * 0 means "the stream must not exist yet"; 'any' skips the check.
 */
export type ExpectedVersion = number | 'any';

export interface AppendResult {
  /** The stream's version after the append (= number of events in it). */
  readonly nextVersion: number;
  /** Position of the last appended event. */
  readonly position: GlobalPosition;
}

export interface ReadFeedOptions {
  /** Maximum number of events returned; adapters may cap it. */
  readonly limit?: number;
}

export interface EventStore {
  /**
   * Appends atomically. Throws `WrongExpectedVersionError` when the stream's version is not the
   * expected one (stale or too high), and `DuplicateEventError` when an event id already exists
   * (a retried append); in both cases nothing is written.
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult>;

  /** All events of a stream from `fromVersion` (1-based, inclusive), in order. Unknown stream: []. */
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;

  /** Current version of a stream (0 when absent). */
  streamVersion(streamId: string): Promise<number>;

  /**
   * Events committed after `after`, in commit order, never skipping an event whose transaction
   * commits late and never repeating one: a reader that pages with the last position it got
   * sees every event exactly once.
   */
  readAll(after: GlobalPosition, options?: ReadFeedOptions): Promise<RecordedEvent[]>;

  /** Orders two positions of this store: negative when a < b, 0 when equal, positive when a > b. */
  comparePositions(a: GlobalPosition, b: GlobalPosition): number;

  /** Position of the last event currently readable from the feed (START when empty). */
  headPosition(): Promise<GlobalPosition>;

  /**
   * Position of the last committed event, including any the feed still holds back behind an older
   * transaction (START when empty). A consumer that has passed it has seen every event committed
   * before this call: the position to wait for when a read must include every acknowledged write.
   */
  committedPosition(): Promise<GlobalPosition>;

  /** Resolves when events after `after` may be readable, or after `timeoutMs` (whichever first). */
  waitForEvents(after: GlobalPosition, timeoutMs: number): Promise<void>;

  close(): Promise<void>;
}

/** Optimistic concurrency failure: nothing was written. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, expected ${String(expectedVersion)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** An event id was appended before: the append is a retry and wrote nothing. */
export class DuplicateEventError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`event ${eventId} was already appended`);
    this.name = 'DuplicateEventError';
  }
}
