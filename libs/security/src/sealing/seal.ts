import type { EventMetadata, NewEvent, RecordedEvent } from '@eenplan/event-store/event-store.port';
import { canonicalJson, sha256Hex } from './canonical';

/**
 * The seal an event carries in its stored metadata: its hash over its canonical content, which
 * includes its predecessor's hash in the stream (null for the first). Editing, reordering or
 * deleting a stored event breaks the chain from there on.
 */
export interface Seal {
  readonly previousHash: string | null;
  readonly hash: string;
}

/** What a stored event looks like to the verifier: the adapter's event with the seal still on. */
export type StoredMetadata = EventMetadata & { readonly seal?: Seal };

/**
 * The hash of a stored event: over its canonical content (ids, place in the stream, type, data, the
 * personal part as stored, metadata without the seal) and its predecessor's hash.
 */
export function hashOf(
  event: NewEvent,
  streamId: string,
  streamVersion: number,
  previousHash: string | null,
): string {
  const { seal: _seal, ...metadata } = event.metadata as StoredMetadata;
  return sha256Hex(
    canonicalJson({
      previousHash,
      eventId: event.eventId,
      streamId,
      streamVersion,
      type: event.type,
      data: event.data,
      personal: event.personal === undefined ? '(none)' : event.personal,
      metadata,
    }),
  );
}

export function sealOf(event: RecordedEvent): Seal | undefined {
  return (event.metadata as StoredMetadata).seal;
}
