import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Where the data keys live, apart from the data: one key per stream (so per household) for the
 * personal part of its events, and named system keys for MACs. The port is shaped so that a key
 * need not leave the store: an HSM (PKCS#11) encrypts, decrypts and MACs inside itself, so the
 * SealedEventStore hands over plaintext and gets ciphertext back, never a key.
 *
 * The cipher is fixed by the port, not by the adapter: AES-256-GCM, a 12-byte IV, the full 16-byte
 * tag, the caller's AAD. Data sealed by one adapter then opens in another that holds the same key
 * (the migration from the `stream_keys` table, a move from the directory store to an HSM).
 *
 * Erasure (crypto-shredding) destroys a stream's key and leaves a tombstone in the key store, not in
 * the database: a database restored from an old backup can never bring a new key for an erased
 * stream, and its personal parts stay unreadable.
 */
export interface KeyStore {
  /**
   * Encrypts under the stream's key, making the key on first use. A new key is stored durably
   * before this resolves, so no event is appended under a key a crash could lose; two processes
   * making the first key of one stream at once end up with the same key. 'erased' once the
   * stream's key was destroyed: nothing is sealed.
   */
  seal(streamId: string, plaintext: Buffer, aad: Buffer): Promise<SealedBytes | 'erased'>;
  /**
   * Decrypts what `seal` gave for this stream and AAD; 'erased' when the key was destroyed,
   * 'none' when the stream never had a key here. Throws when the ciphertext, tag or AAD do not
   * match (tampered or corrupt data), and on any tag shorter than 16 bytes.
   */
  open(streamId: string, sealed: SealedBytes, aad: Buffer): Promise<Buffer | 'erased' | 'none'>;
  /** Brings the keys of many streams at hand in one round (a page of the feed); optional speed-up. */
  prefetch(streamIds: Iterable<string>): Promise<void>;
  /**
   * Destroys the stream's key and leaves its tombstone; from then on `seal` gives 'erased' and
   * `open` gives 'erased', at once in this process and within `cacheMs` in every other. Idempotent,
   * and finishes a destruction an earlier call left half done. True when this call changed anything.
   */
  destroy(streamId: string): Promise<boolean>;
  /**
   * The stream's key as stored now (no cache): 'active' while key material exists, 'erased' once
   * it is gone and the tombstone is there, 'none' when the stream never had a key.
   */
  state(streamId: string): Promise<KeyState>;
  /** When the key was destroyed, if the store knows (for the erasure status); null otherwise. */
  erasedAt(streamId: string): Promise<Date | null>;
  /**
   * HMAC-SHA256 of `data` under the system key named `purpose` (`[a-z0-9-]`, e.g. 'event-seal',
   * 'access-log'). The key is made on first use (every process agrees on one) and never destroyed.
   */
  mac(purpose: string, data: Buffer): Promise<Buffer>;
  /**
   * For moving keys in from elsewhere (the `stream_keys` table of the previous release): stores
   * `key` as the stream's key, or its tombstone for 'erased'. Idempotent; a tombstone wins over a
   * key; a different key already stored for the stream is an error, never overwritten.
   */
  adopt(streamId: string, key: Buffer | 'erased'): Promise<void>;
  /**
   * A system record kept beside the keys (`[a-z0-9-]` names, at most 64 KiB): what the app must
   * know and the database's writers must not be able to forge or roll back, such as the mark that
   * the upgrade from the previous release is done, or the anchors of the chains' heads. Read from
   * the store each time (no cache); null when it was never written.
   */
  record(name: string): Promise<Buffer | null>;
  /**
   * Writes the record, replacing what it held, atomically and durably: a reader (in any process)
   * sees the old value or the new one, never a mix or none. Writers at once: one of them wins for
   * everyone; a write that began after another's ended wins over it.
   */
  putRecord(name: string, value: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** The largest system record: an HSM keeps it as a data object, which tokens bound. */
export const MAX_RECORD_BYTES = 64 * 1024;

/** Record names: like system key names, safe in a file name or an HSM label. */
export function assertRecord(name: string, value?: Buffer): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name))
    throw new RangeError(`invalid record name: ${JSON.stringify(name)}`);
  if (value && value.length > MAX_RECORD_BYTES)
    throw new RangeError(`the record ${name} holds ${value.length} bytes, more than ${MAX_RECORD_BYTES}`);
}

/** AES-256-GCM output: 12-byte IV, ciphertext, 16-byte tag. */
export interface SealedBytes {
  readonly iv: Buffer;
  readonly ct: Buffer;
  readonly tag: Buffer;
}

export type KeyState = 'active' | 'erased' | 'none';

export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/** System key names: short, lower-case, safe in a file name or an HSM label. */
export function assertPurpose(purpose: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(purpose))
    throw new RangeError(`invalid key purpose: ${JSON.stringify(purpose)}`);
}

/** The port's cipher, for adapters that hold key bytes in the process (the directory store). */
export function aesGcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): SealedBytes {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

export function aesGcmOpen(key: Buffer, sealed: SealedBytes, aad: Buffer): Buffer {
  assertSealedShape(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ct), decipher.final()]);
}

/**
 * GCM verifies a shortened tag against as many bytes as it is given: a 4-byte tag is forged in
 * 2^32 tries. Only the full tag (and the IV length `seal` uses) is accepted, before any key is used.
 */
export function assertSealedShape(sealed: SealedBytes): void {
  if (sealed.tag.length !== TAG_BYTES)
    throw new SealedDataError(`the GCM tag must be ${TAG_BYTES} bytes, got ${sealed.tag.length}`);
  if (sealed.iv.length !== IV_BYTES)
    throw new SealedDataError(`the GCM IV must be ${IV_BYTES} bytes, got ${sealed.iv.length}`);
}

export class SealedDataError extends Error {}

export interface KeyCacheOptions {
  /**
   * How long a process trusts a key it looked up. Another process's erasure takes effect here
   * within this time at the latest; this process's own erasure at once. Default 5000 ms.
   */
  readonly cacheMs?: number;
  readonly now?: () => number;
  /** Most entries kept; past it, expired entries go first, then the oldest. Default 10,000. */
  readonly maxEntries?: number;
}

/**
 * The in-process cache every adapter keeps of what it looked up (key bytes, or an HSM's handle):
 * a key is trusted for `cacheMs`, an erasure for good, and lookups of one stream on their way at
 * once share one round trip. A lookup that started before this process destroyed the key cannot
 * bring it back.
 */
export class KeyCache<K> {
  private readonly entries = new Map<string, { key: K | 'erased'; at: number }>();
  private readonly pending = new Map<string, Promise<K | 'erased' | 'none'>>();
  readonly cacheMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: KeyCacheOptions = {}) {
    this.cacheMs = options.cacheMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** What is trusted without asking: an erasure for good, a key for cacheMs. */
  get(streamId: string): K | 'erased' | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    if (entry.key === 'erased' || this.now() - entry.at < this.cacheMs) return entry.key;
    return undefined;
  }

  /** The cached key, or `load`'s answer (shared by every caller while it runs), remembered. */
  lookup(streamId: string, load: () => Promise<K | 'erased' | 'none'>): Promise<K | 'erased' | 'none'> {
    const cached = this.get(streamId);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.pending.get(streamId);
    if (!pending) {
      pending = load()
        .then((key) => (key === 'none' ? 'none' : this.remember(streamId, key)))
        .finally(() => this.pending.delete(streamId));
      this.pending.set(streamId, pending);
    }
    return pending;
  }

  /**
   * Remembers what the store said, unless this process saw the key destroyed meanwhile (a lookup
   * that started before an erasure must not bring the key back). Returns what is remembered.
   * 'none' is never remembered: the next seal may make the key.
   */
  remember(streamId: string, key: K | 'erased'): K | 'erased' {
    if (this.entries.get(streamId)?.key === 'erased') return 'erased';
    this.entries.set(streamId, { key, at: this.now() });
    this.trim();
    return key;
  }

  erased(streamId: string): void {
    this.entries.set(streamId, { key: 'erased', at: this.now() });
    this.trim();
  }

  private trim(): void {
    if (this.entries.size <= this.maxEntries) return;
    const now = this.now();
    for (const [id, entry] of this.entries) if (now - entry.at >= this.cacheMs) this.entries.delete(id);
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(id);
    }
  }
}
