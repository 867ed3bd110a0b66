import { assertAppendArguments as assertCommonAppendArguments } from '../adapter-checks';
import { createHash } from 'node:crypto';
import {
  NO_STREAM,
  streamNameFilter,
  type AppendStreamState,
  type CurrentStreamState,
  type JSONEventData,
  type Position,
  type PrefixesFilter,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import {
  START,
  WrongExpectedVersionError,
  type EventMetadata,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';

/**
 * The pure half of the KurrentDB adapter: names, versions, positions, the event envelope and error
 * mapping, all testable without a server. The adapter (kurrentdb-event-store.ts) only does I/O.
 */

// ---------------------------------------------------------------------------------------------
// Stream names. Every eenplan stream lives under `<namespace>.`, so one KurrentDB can hold several
// installations (and every contract test its own), and the feed is one server-side prefix filter.
// Event-id markers (the cross-stream duplicate check) live under `<namespace>-ids.`, outside it.

const NAMESPACE = /^[a-z][a-z0-9_]{0,62}$/;

/** Namespaces are plain words: no '.' or '-', so no namespace's prefix is a prefix of another's. */
export function assertNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace))
    throw new RangeError(
      `KurrentDB namespace must be lower-case letters, digits or '_' (starting with a letter), got ${JSON.stringify(namespace)}`,
    );
}

export const streamPrefix = (namespace: string): string => `${namespace}.`;

export const streamNameOf = (namespace: string, streamId: string): string =>
  `${streamPrefix(namespace)}${streamId}`;

/** The port's stream id of a KurrentDB stream of this namespace, or null for any other stream. */
export function streamIdOf(namespace: string, streamName: string): string | null {
  const prefix = streamPrefix(namespace);
  return streamName.startsWith(prefix) && streamName.length > prefix.length
    ? streamName.slice(prefix.length)
    : null;
}

export const markerStreamNameOf = (namespace: string, kurrentEventId: string): string =>
  `${namespace}-ids.${kurrentEventId}`;

/**
 * The feed's server-side filter: this namespace's streams only. That also leaves out every system
 * stream (they start with '$'); system events written into our streams ($metadata, a tombstone's
 * $streamDeleted) are dropped by `isSystemEvent` when read.
 */
export const feedFilter = (namespace: string): PrefixesFilter =>
  streamNameFilter({ prefixes: [streamPrefix(namespace)] });

export const isSystemEvent = (type: string): boolean => type.startsWith('$');

// ---------------------------------------------------------------------------------------------
// Versions. The port counts events (version n = n events, 0 = no stream); KurrentDB numbers them
// from revision 0, so version n is revision n - 1.

export function versionOfRevision(revision: bigint): number {
  const version = revision + 1n;
  if (revision < 0n || version > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`stream revision out of range: ${revision}`);
  return Number(version);
}

export const versionOfStreamState = (state: CurrentStreamState): number =>
  state === NO_STREAM ? 0 : versionOfRevision(state);

/**
 * The exact state a stream must be in for an append: no stream for version 0, else the revision of
 * its last event. The adapter always appends with an exact state, 'any' included: the version it
 * checked its event ids against, so no append can slip in between the check and the write.
 */
export function appendStateOf(version: number): AppendStreamState {
  if (!Number.isSafeInteger(version) || version < 0)
    throw new RangeError(`stream version must be a non-negative integer, got ${version}`);
  return version === 0 ? NO_STREAM : BigInt(version - 1);
}

/** The revision to start reading a stream at for the port's 1-based `fromVersion`. */
export const fromRevisionOf = (fromVersion: number): bigint =>
  BigInt(Math.max(1, Math.floor(Number.isFinite(fromVersion) ? fromVersion : 1)) - 1);

// ---------------------------------------------------------------------------------------------
// Positions: `<commit>/<prepare>`, both unsigned decimal integers, e.g. "4096/4096". KurrentDB
// orders $all by (commit, prepare); an event that commits itself (every gRPC append) has both equal
// to its log position, in a stream read and in an $all read alike. The form is distinct from the
// PostgreSQL adapter's `<tx>:<sequence>`, so a checkpoint left by one is rejected by the other
// instead of being misread. START ('0') sorts before every event.

const POSITION = /^(\d{1,20})\/(\d{1,20})$/;
const U64_MAX = (1n << 64n) - 1n;

export function encodePosition(position: Position): GlobalPosition {
  const { commit, prepare } = position;
  if (commit < 0n || prepare < 0n || commit > U64_MAX || prepare > U64_MAX)
    throw new RangeError(`not a KurrentDB log position: ${commit}/${prepare}`);
  return `${commit}/${prepare}`;
}

/** null for START. */
export function parsePosition(position: GlobalPosition): Position | null {
  if (position === START) return null;
  const match = typeof position === 'string' ? POSITION.exec(position) : null;
  const commit = match ? BigInt(match[1]!) : -1n;
  const prepare = match ? BigInt(match[2]!) : -1n;
  if (!match || commit > U64_MAX || prepare > U64_MAX)
    throw new RangeError(`not a KurrentDB event store position: ${JSON.stringify(position)}`);
  return { commit, prepare };
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  const x = parsePosition(a);
  const y = parsePosition(b);
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
  if (x.prepare !== y.prepare) return x.prepare < y.prepare ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Event ids. KurrentDB ids are UUIDs; the port's are any string. The KurrentDB id is a name-based
// UUID (version 5, RFC 9562) of the port's id, the same on every retry, so KurrentDB itself also
// recognises a re-sent append; the port's id travels in the metadata and reads back unchanged.

/** Namespace UUID of eenplan's event ids (random, fixed forever: changing it changes every id). */
export const EVENT_ID_NAMESPACE = '5b0a4a1e-2f0c-4c55-9d51-7c1b8f3e2a60';

export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new RangeError(`not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const kurrentEventIdOf = (eventId: string): string => uuidV5(EVENT_ID_NAMESPACE, eventId);

// ---------------------------------------------------------------------------------------------
// The envelope. KurrentDB data: `{ data, personal? }` (personal data stays in the event body, where
// crypto-shredding can reach it, never in metadata that tools display and index). KurrentDB
// metadata: the port's metadata, its event id, the id of the append that wrote it, and the
// `$correlationId`/`$causationId` KurrentDB's own projections link events by.

export interface EnvelopeData {
  readonly data: Record<string, unknown>;
  readonly personal?: Record<string, unknown> | null;
}

export interface EnvelopeMetadata {
  readonly eventId: string;
  /** Random per `append` call: tells our write from an identical one KurrentDB deduplicated. */
  readonly appendId: string;
  readonly metadata: EventMetadata;
  readonly $correlationId: string;
  readonly $causationId: string;
}

export function toEventData(event: NewEvent, appendId: string): JSONEventData {
  const body: EnvelopeData =
    'personal' in event && event.personal !== undefined
      ? { data: event.data, personal: event.personal }
      : { data: event.data };
  const metadata: EnvelopeMetadata = {
    eventId: event.eventId,
    appendId,
    metadata: event.metadata,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
  };
  return {
    id: kurrentEventIdOf(event.eventId),
    contentType: 'application/json',
    type: event.type,
    data: body as unknown as Record<string, unknown>,
    metadata: metadata as unknown as Record<string, unknown>,
  };
}

/** What an append needs to know of a stored event (its id, and which append wrote it). */
export function envelopeMetadataOf(event: KurrentRecordedEvent): EnvelopeMetadata {
  const metadata = event.metadata as unknown;
  if (
    !isRecord(metadata) ||
    typeof metadata['eventId'] !== 'string' ||
    typeof metadata['appendId'] !== 'string' ||
    !isRecord(metadata['metadata'])
  ) {
    throw new TypeError(
      `event ${event.id} in ${event.streamId} has no eenplan envelope (was it written by another program?)`,
    );
  }
  return metadata as unknown as EnvelopeMetadata;
}

/**
 * The port's event for a stored KurrentDB event of this namespace; null for a system event or a
 * stream outside the namespace. An event of ours without the envelope is an error, not skipped: a
 * projection must not silently pass over it.
 */
export function toRecordedEvent(namespace: string, event: KurrentRecordedEvent): RecordedEvent | null {
  const streamId = streamIdOf(namespace, event.streamId);
  if (streamId === null || isSystemEvent(event.type)) return null;
  const { eventId, metadata } = envelopeMetadataOf(event);
  const body = event.isJson ? (event.data as unknown) : undefined;
  if (!isRecord(body) || !isRecord(body['data']))
    throw new TypeError(`event ${eventId} in ${event.streamId} has no eenplan data envelope`);
  if (!event.position) throw new TypeError(`event ${eventId} came without its log position`);
  const recorded: RecordedEvent = {
    eventId,
    type: event.type,
    data: body['data'],
    metadata,
    streamId,
    streamVersion: versionOfRevision(event.revision),
    position: encodePosition(event.position),
  };
  return 'personal' in body
    ? { ...recorded, personal: body['personal'] as Record<string, unknown> | null }
    : recorded;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// Errors.

/** The client's error types, by their `type` tag (sturdier across client versions than classes). */
export const isWrongExpectedVersion = (error: unknown): error is { actualState: CurrentStreamState } =>
  isRecord(error) && error['type'] === 'wrong-expected-version';

export const isStreamNotFound = (error: unknown): boolean =>
  isRecord(error) && error['type'] === 'stream-not-found';

/** KurrentDB's optimistic-concurrency failure as the port's, with the version the server saw. */
export function toPortError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  if (!isWrongExpectedVersion(error)) return error;
  return new WrongExpectedVersionError(streamId, expected, versionOfStreamState(error.actualState));
}

/** The checks every adapter makes, and KurrentDB's own: it reserves '$' types for itself. */
export function assertAppendArguments(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): void {
  assertCommonAppendArguments(streamId, events, expected);
  for (const { type } of events) {
    // The feed drops '$' events as the server's own, so such an event would never be delivered.
    if (typeof type !== 'string' || type.length === 0 || isSystemEvent(type))
      throw new RangeError(
        `event type must be a non-empty string not starting with '$', got ${JSON.stringify(type)}`,
      );
  }
}
