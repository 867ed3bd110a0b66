import type { EventMetadata, NewEvent, RecordedEvent } from '@eenplan/event-store/event-store.port';
import { canonicalJson, sha256Hex } from './canonical';
import type { KeyStore } from './key-store';

/**
 * The seal an event carries in its stored metadata: an HMAC-SHA256 over its canonical content,
 * which includes its predecessor's hash in the stream (null for the first), under the key store's
 * 'event-seal' key. Editing, reordering or deleting a stored event breaks the chain from there on,
 * and whoever can write the tables but not use the key cannot compute a seal that holds.
 *
 * `alg` marks the keyed seal. The previous release sealed with plain SHA-256 (no `alg`), which
 * anyone with the code can recompute; those seals are re-keyed once at start-up (rekeySeals) and
 * from then on a plain seal is a broken link.
 */
export interface Seal {
  readonly alg?: typeof SEAL_ALG;
  readonly previousHash: string | null;
  readonly hash: string;
}

export const SEAL_ALG = 'HS256';
/** The key store's system key the seals are made with. */
export const EVENT_SEAL_PURPOSE = 'event-seal';

/** What computes a seal: HMAC-SHA256 under the 'event-seal' key, wherever the key lives. */
export type SealMac = (data: Buffer) => Promise<Buffer>;

export const eventSealMac =
  (keys: Pick<KeyStore, 'mac'>): SealMac =>
  (data) =>
    keys.mac(EVENT_SEAL_PURPOSE, data);

/** What a stored event looks like to the verifier: the adapter's event with the seal still on. */
export type StoredMetadata = EventMetadata & { readonly seal?: Seal };

/**
 * The sealed content of a stored event: its ids, place in the stream, type, data, the personal
 * part as stored, metadata without the seal, and its predecessor's hash; as canonical JSON.
 */
export function sealedContent(
  event: NewEvent,
  streamId: string,
  streamVersion: number,
  previousHash: string | null,
): string {
  const { seal: _seal, ...metadata } = event.metadata as StoredMetadata;
  return canonicalJson({
    previousHash,
    eventId: event.eventId,
    streamId,
    streamVersion,
    type: event.type,
    data: event.data,
    personal: event.personal === undefined ? '(none)' : event.personal,
    metadata,
  });
}

/** The keyed hash of a stored event (hex), as the seal's `hash`. */
export async function keyedHashOf(
  mac: SealMac,
  event: NewEvent,
  streamId: string,
  streamVersion: number,
  previousHash: string | null,
): Promise<string> {
  const content = sealedContent(event, streamId, streamVersion, previousHash);
  return (await mac(Buffer.from(content, 'utf8'))).toString('hex');
}

/** The previous release's seal hash: plain SHA-256, kept to check old chains before re-keying. */
export function plainHashOf(
  event: NewEvent,
  streamId: string,
  streamVersion: number,
  previousHash: string | null,
): string {
  return sha256Hex(sealedContent(event, streamId, streamVersion, previousHash));
}

export function sealOf(event: RecordedEvent): Seal | undefined {
  return (event.metadata as StoredMetadata).seal;
}

export const isKeyedSeal = (seal: Seal): boolean => seal.alg === SEAL_ALG;
