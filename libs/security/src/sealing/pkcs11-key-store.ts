import { createHash, randomBytes } from 'node:crypto';
import type * as Pkcs11 from 'pkcs11js';
import {
  aesGcmSeal,
  assertPurpose,
  assertRecord,
  assertSealedShape,
  IV_BYTES,
  KEY_BYTES,
  KeyCache,
  type KeyCacheOptions,
  type KeyState,
  type KeyStore,
  type SealedBytes,
  SealedDataError,
  TAG_BYTES,
} from './key-store';
import {
  ckr,
  type Handle,
  handleGone,
  Pkcs11SetupError,
  Pkcs11Token,
  type TokenOptions,
  ulong,
} from './pkcs11-token';

export { Pkcs11SetupError, type TokenSelector } from './pkcs11-token';

export interface Pkcs11KeyStoreOptions extends KeyCacheOptions, TokenOptions {
  /**
   * How long a new system (MAC) key must have existed before a process uses it, so that processes
   * making it at once all see every candidate and settle on the same one. Default 2000 ms; paid
   * once per purpose, by the processes that find it young.
   */
  readonly settleMs?: number;
}

/** The stream keys of one stream as this process knows them: the preferred first. */
interface StreamKeys {
  readonly handles: readonly Handle[];
  /** The token's session epoch they were looked up in (handles from before a lost session are suspect). */
  readonly epoch: number;
}

interface TokenObject {
  readonly handle: Handle;
  readonly id: Buffer;
}

/**
 * The KeyStore on an HSM through PKCS#11 (pkcs11js): keys are made inside the token, are sensitive
 * and never extractable, and every AES-GCM and HMAC operation runs inside it; this process holds
 * object handles, never key bytes.
 *
 * On the token:
 * - a stream's key: an AES-256 secret key object labelled `s-<sha256 of the stream id>` (as the
 *   directory store names its files: the label names nobody);
 * - its tombstone: a data object (no key material) with the same label, application
 *   `eenplan-erased`, holding the instant of the erasure; a label with a tombstone never gets a key;
 * - a MAC key: a generic secret labelled `system-<purpose>` (CKM_SHA256_HMAC);
 * - a system record: a data object labelled `record-<name>`, application `eenplan-record`, its
 *   value a 16-byte stamp (the writing instant in ms, big-endian, and 8 random bytes) and the
 *   record. PKCS#11 cannot replace an object's value in one step: a write makes a new object with a
 *   stamp after every one it sees, then destroys the older ones; a reader takes the latest stamp.
 * Each key object's CKA_ID is its making instant (8 bytes, ms, big-endian) and 8 random bytes.
 *
 * PKCS#11 has no "create unless it exists": two processes that find no key and generate one at
 * once both succeed. For a stream key both keys are kept and never destroyed but by an erasure:
 * every process prefers the one with the smallest CKA_ID (the earliest made, so a key made after
 * another was in use loses to it), and `open` tries the stream's other keys when the preferred one
 * does not open the value, so nothing sealed under either is ever lost. A MAC must come from one
 * key in every process, so a new system key is used only once it is `settleMs` old: then every
 * process that made one at once sees them all, takes the smallest CKA_ID and destroys its own if
 * it lost (it never used it).
 */
export class Pkcs11KeyStore implements KeyStore {
  private readonly cache: KeyCache<StreamKeys>;
  private readonly systemKeys = new Map<string, Promise<{ handle: Handle; epoch: number }>>();
  private readonly settleMs: number;

  private constructor(
    private readonly token: Pkcs11Token,
    options: Pkcs11KeyStoreOptions,
  ) {
    this.cache = new KeyCache(options);
    this.settleMs = options.settleMs ?? 2000;
  }

  static async open(options: Pkcs11KeyStoreOptions): Promise<Pkcs11KeyStore> {
    const token = await Pkcs11Token.open(options);
    const { lib } = token;
    const needed: [number, string][] = [
      [lib.CKM_AES_KEY_GEN, 'CKM_AES_KEY_GEN'],
      [lib.CKM_AES_GCM, 'CKM_AES_GCM'],
      [lib.CKM_GENERIC_SECRET_KEY_GEN, 'CKM_GENERIC_SECRET_KEY_GEN'],
      [lib.CKM_SHA256_HMAC, 'CKM_SHA256_HMAC'],
    ];
    const has = token.mechanisms();
    const missing = needed.filter(([mechanism]) => !has.has(mechanism)).map(([, name]) => name);
    if (missing.length > 0) {
      await token.close();
      throw new Pkcs11SetupError('token', `the token lacks ${missing.join(', ')}`);
    }
    return new Pkcs11KeyStore(token, options);
  }

  async seal(streamId: string, plaintext: Buffer, aad: Buffer): Promise<SealedBytes | 'erased'> {
    let keys = await this.keyForWriting(streamId);
    for (let attempt = 0; ; attempt++) {
      if (keys === 'erased') return 'erased';
      const key = keys.handles[0]!;
      try {
        return await this.token.use((session) => this.encrypt(session, key, plaintext, aad));
      } catch (error) {
        if (!handleGone(error) || attempt > 0) throw error;
      }
      // Destroyed by another process's erasure since it was looked up (or the handle went stale).
      const fresh = await this.reload(streamId);
      if (fresh === 'none')
        throw new Error(`the key of stream ${streamId} is gone from the token without a tombstone`);
      keys = fresh;
    }
  }

  async open(streamId: string, sealed: SealedBytes, aad: Buffer): Promise<Buffer | 'erased' | 'none'> {
    assertSealedShape(sealed);
    let keys = await this.lookup(streamId);
    const tried: Handle[] = [];
    let failure: unknown;
    for (let round = 0; round < 2; round++) {
      if (keys === 'erased' || keys === 'none') return keys;
      for (const key of keys.handles) {
        if (tried.some((t) => t.equals(key))) continue;
        tried.push(key);
        try {
          return await this.token.use((session) => this.decrypt(session, key, sealed, aad));
        } catch (error) {
          if (!handleGone(error) && !doesNotOpen(error)) throw error;
          failure = error;
        }
      }
      if (round > 0) break;
      // A key another process made for the stream since this one looked, or the key destroyed.
      keys = await this.reload(streamId);
    }
    throw new SealedDataError(
      `the sealed value does not open under the key of stream ${streamId} (${ckr(failure) ?? String(failure)}): ` +
        'tampered, corrupt, or sealed with another AAD',
    );
  }

  async prefetch(streamIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(streamIds)].filter((id) => this.cache.get(id) === undefined);
    for (let i = 0; i < missing.length; i += 16)
      await Promise.all(missing.slice(i, i + 16).map((id) => this.lookup(id)));
  }

  async destroy(streamId: string): Promise<boolean> {
    this.cache.erased(streamId);
    const label = streamLabel(streamId);
    const before = await this.token.use((session) => this.objects(session, label));
    let changed = false;
    if (before.tombstones.length === 0) {
      await this.token.use((session) => this.createTombstone(session, label));
      changed = true;
    }
    // Looked for again once the tombstone is there: a key made meanwhile by a process that had not
    // seen the tombstone is found here, and one made after this look sees the tombstone itself.
    const after = await this.token.use((session) => this.objects(session, label));
    for (const key of after.keys) if (await this.destroyObject(key.handle)) changed = true;
    return changed;
  }

  async state(streamId: string): Promise<KeyState> {
    const found = await this.token.use((session) => this.objects(session, streamLabel(streamId)));
    if (found.keys.length > 0) return 'active';
    return found.tombstones.length > 0 ? 'erased' : 'none';
  }

  async erasedAt(streamId: string): Promise<Date | null> {
    return this.token.use((session) => {
      const { tombstones } = this.objects(session, streamLabel(streamId));
      const instants = tombstones
        .map((handle) => this.attribute(session, handle, this.token.lib.CKA_VALUE))
        .filter((value): value is Buffer => value !== undefined)
        .map((value) => new Date(value.toString('utf8')))
        .filter((at) => !Number.isNaN(at.getTime()))
        .sort((a, b) => a.getTime() - b.getTime());
      return instants[0] ?? null;
    });
  }

  async mac(purpose: string, data: Buffer): Promise<Buffer> {
    for (let attempt = 0; ; attempt++) {
      const key = await this.systemKey(purpose);
      try {
        return await this.token.use((session) => this.sign(session, key.handle, data));
      } catch (error) {
        if (!handleGone(error) || attempt > 0) throw error;
        this.systemKeys.delete(purpose);
      }
    }
  }

  async adopt(streamId: string, key: Buffer | 'erased'): Promise<void> {
    if (key === 'erased') {
      await this.destroy(streamId);
      return;
    }
    if (key.length !== KEY_BYTES)
      throw new Error(`the key adopted for stream ${streamId} has ${key.length} bytes, not ${KEY_BYTES}`);
    const label = streamLabel(streamId);
    const found = await this.token.use((session) => this.objects(session, label));
    if (found.tombstones.length > 0) return;
    if (found.keys.length > 0) {
      // The stored key cannot be read out to compare: it must open what the adopted key sealed.
      const probe = aesGcmSeal(key, randomBytes(16), Buffer.from('eenplan adopt check'));
      for (const stored of found.keys) {
        const same = await this.token
          .use((session) => this.decrypt(session, stored.handle, probe, Buffer.from('eenplan adopt check')))
          .then(
            () => true,
            (error: unknown) => {
              if (doesNotOpen(error) || handleGone(error)) return false;
              throw error;
            },
          );
        if (same) return;
      }
      throw new Error(`a different key is already stored for stream ${streamId}`);
    }
    await this.token.use((session) => this.importKey(session, label, key));
    // Erased while being adopted: the tombstone wins.
    const after = await this.token.use((session) => this.objects(session, label));
    if (after.tombstones.length > 0) for (const stored of after.keys) await this.destroyObject(stored.handle);
  }

  async record(name: string): Promise<Buffer | null> {
    assertRecord(name);
    const found = await this.token.use((session) => this.recordObjects(session, `record-${name}`));
    const latest = found[found.length - 1];
    return latest ? Buffer.from(latest.value.subarray(RECORD_STAMP_BYTES)) : null;
  }

  async putRecord(name: string, value: Buffer): Promise<void> {
    assertRecord(name, value);
    const label = `record-${name}`;
    const stamp = await this.token.use((session) => {
      const before = this.recordObjects(session, label);
      const stamp = recordStamp(before[before.length - 1]?.value);
      this.createRecord(session, label, Buffer.concat([stamp, value]));
      return stamp;
    });
    // Only those before this one: two writers at once each leave the later of the two standing.
    const written = await this.token.use((session) => this.recordObjects(session, label));
    for (const older of written)
      if (Buffer.compare(older.value.subarray(0, RECORD_STAMP_BYTES), stamp) < 0)
        await this.destroyObject(older.handle);
  }

  async close(): Promise<void> {
    await this.token.close();
  }

  // ---- stream keys -------------------------------------------------------------------------------

  private lookup(streamId: string): Promise<StreamKeys | 'erased' | 'none'> {
    const cached = this.cache.get(streamId);
    // Handles from before the token dropped a session may be stale (or, on some HSMs, reused).
    if (cached !== undefined && cached !== 'erased' && cached.epoch !== this.token.epoch)
      return this.reload(streamId);
    return this.cache.lookup(streamId, () => this.load(streamId));
  }

  /** Asks the token again, past the cache, and remembers the answer. */
  private async reload(streamId: string): Promise<StreamKeys | 'erased' | 'none'> {
    const fresh = await this.load(streamId);
    return fresh === 'none' ? 'none' : this.cache.remember(streamId, fresh);
  }

  private async load(streamId: string): Promise<StreamKeys | 'erased' | 'none'> {
    const epoch = this.token.epoch;
    const found = await this.token.use((session) => this.objects(session, streamLabel(streamId)));
    // The tombstone first: a destruction stopped half way already reads as erased.
    if (found.tombstones.length > 0) return 'erased';
    if (found.keys.length === 0) return 'none';
    return { handles: found.keys.map((k) => k.handle), epoch };
  }

  private async keyForWriting(streamId: string): Promise<StreamKeys | 'erased'> {
    const known = await this.lookup(streamId);
    if (known !== 'none') return known;
    const label = streamLabel(streamId);
    await this.token.use((session) => this.generateStreamKey(session, label));
    // Whatever else was made at once is kept too (see the class comment); and a tombstone written
    // meanwhile wins (its writer may have looked for keys before this one was there).
    const stored = await this.load(streamId);
    if (stored === 'erased') {
      const left = await this.token.use((session) => this.objects(session, label));
      for (const key of left.keys) await this.destroyObject(key.handle);
      return this.cache.remember(streamId, 'erased');
    }
    if (stored === 'none') throw new Error(`the key of stream ${streamId} vanished as it was made`);
    return this.cache.remember(streamId, stored);
  }

  // ---- system keys -------------------------------------------------------------------------------

  private async systemKey(purpose: string): Promise<{ handle: Handle; epoch: number }> {
    assertPurpose(purpose);
    let pending = this.systemKeys.get(purpose);
    if (!pending) {
      pending = this.resolveSystemKey(`system-${purpose}`);
      this.systemKeys.set(purpose, pending);
      // A failure (an unreachable token) is not remembered: the next call tries again.
      pending.catch(() => this.systemKeys.delete(purpose));
    }
    const key = await pending;
    if (key.epoch === this.token.epoch) return key;
    // Looked up before the token dropped a session: the handle may be stale.
    if (this.systemKeys.get(purpose) === pending) this.systemKeys.delete(purpose);
    return this.systemKey(purpose);
  }

  private async resolveSystemKey(label: string): Promise<{ handle: Handle; epoch: number }> {
    let mine: Handle | undefined;
    let first: { id: string; seenAt: number } | undefined;
    for (;;) {
      const epoch = this.token.epoch;
      const keys = await this.token.use((session) => this.keyObjects(session, label));
      const earliest = keys[0];
      if (!earliest) {
        if (mine) throw new Error(`the system key ${label} vanished as it was made`);
        mine = await this.token.use((session) => this.generateSystemKey(session, label));
        continue;
      }
      const id = earliest.id.toString('hex');
      if (first?.id !== id) first = { id, seenAt: Date.now() };
      // Young: another process may be making its candidate right now. Old enough by its own
      // instant, or seen here for settleMs (a clock ahead of this one), it is everyone's choice.
      const wait = Math.min(
        this.settleMs - (Date.now() - madeAt(earliest.id)),
        this.settleMs - (Date.now() - first.seenAt),
      );
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (mine && !mine.equals(earliest.handle)) await this.destroyObject(mine);
      return { handle: earliest.handle, epoch };
    }
  }

  // ---- token operations (each on a session of its own) -------------------------------------------

  private gcm(iv: Buffer, aad: Buffer): Pkcs11.Mechanism {
    const { lib } = this.token;
    // CK_GCM_PARAMS of PKCS#11 2.40 (with ulIvBits), as SoftHSM2 and current HSMs read it.
    const parameter: Pkcs11.GcmParams = {
      type: lib.CK_PARAMS_GCM,
      iv,
      ivBits: IV_BYTES * 8,
      aad,
      tagBits: TAG_BYTES * 8,
    };
    return { mechanism: lib.CKM_AES_GCM, parameter };
  }

  private async encrypt(session: Handle, key: Handle, plaintext: Buffer, aad: Buffer): Promise<SealedBytes> {
    const { p11 } = this.token;
    const iv = randomBytes(IV_BYTES);
    p11.C_EncryptInit(session, this.gcm(iv, aad), key);
    const output = Buffer.alloc(plaintext.length + TAG_BYTES);
    // pkcs11js passes an empty buffer as a null pointer, which C_Encrypt refuses: the tag alone
    // comes from C_EncryptFinal.
    const out =
      plaintext.length === 0
        ? p11.C_EncryptFinal(session, output)
        : await p11.C_EncryptAsync(session, plaintext, output);
    if (out.length !== plaintext.length + TAG_BYTES)
      throw new Error(
        `the token's AES-GCM gave ${out.length} bytes for ${plaintext.length}, not ciphertext and a 16-byte tag`,
      );
    return {
      iv,
      ct: Buffer.from(out.subarray(0, plaintext.length)),
      tag: Buffer.from(out.subarray(plaintext.length)),
    };
  }

  private async decrypt(session: Handle, key: Handle, sealed: SealedBytes, aad: Buffer): Promise<Buffer> {
    const { p11 } = this.token;
    p11.C_DecryptInit(session, this.gcm(sealed.iv, aad), key);
    const input = Buffer.concat([sealed.ct, sealed.tag]);
    if (sealed.ct.length === 0) {
      // As in encrypt: multi-part, so that no empty output buffer is passed.
      p11.C_DecryptUpdate(session, input, Buffer.alloc(input.length));
      p11.C_DecryptFinal(session, Buffer.alloc(input.length));
      return Buffer.alloc(0);
    }
    return Buffer.from(await p11.C_DecryptAsync(session, input, Buffer.alloc(input.length)));
  }

  private async sign(session: Handle, key: Handle, data: Buffer): Promise<Buffer> {
    const { lib, p11 } = this.token;
    p11.C_SignInit(session, { mechanism: lib.CKM_SHA256_HMAC }, key);
    return Buffer.from(await p11.C_SignAsync(session, data, Buffer.alloc(32)));
  }

  /** Attributes every key of ours has: on the token, behind the login, never to be read out. */
  private keyTemplate(label: string): Pkcs11.Template {
    const { lib } = this.token;
    return [
      { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_PRIVATE, value: true },
      { type: lib.CKA_SENSITIVE, value: true },
      { type: lib.CKA_EXTRACTABLE, value: false },
      { type: lib.CKA_MODIFIABLE, value: false },
      { type: lib.CKA_WRAP, value: false },
      { type: lib.CKA_UNWRAP, value: false },
      { type: lib.CKA_DERIVE, value: false },
      { type: lib.CKA_LABEL, value: label },
      { type: lib.CKA_ID, value: newObjectId() },
    ];
  }

  /**
   * On the main thread, like the searches: SoftHSM2 (file store) now and then fails a key generation
   * on a libuv thread that runs while a search runs here (CKR_GENERAL_ERROR,
   * CKR_TEMPLATE_INCONSISTENT). A key is made once per household, so blocking for it costs little.
   */
  private generateStreamKey(session: Handle, label: string): Handle {
    const { lib, p11 } = this.token;
    return p11.C_GenerateKey(session, { mechanism: lib.CKM_AES_KEY_GEN }, [
      ...this.keyTemplate(label),
      ...this.aesUse(),
      { type: lib.CKA_VALUE_LEN, value: KEY_BYTES },
    ]);
  }

  private importKey(session: Handle, label: string, key: Buffer): Handle {
    const { lib, p11 } = this.token;
    return p11.C_CreateObject(session, [
      ...this.keyTemplate(label),
      ...this.aesUse(),
      { type: lib.CKA_VALUE, value: key },
    ]);
  }

  private aesUse(): Pkcs11.Template {
    const { lib } = this.token;
    return [
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
      { type: lib.CKA_ENCRYPT, value: true },
      { type: lib.CKA_DECRYPT, value: true },
      { type: lib.CKA_SIGN, value: false },
      { type: lib.CKA_VERIFY, value: false },
    ];
  }

  private generateSystemKey(session: Handle, label: string): Handle {
    const { lib, p11 } = this.token;
    return p11.C_GenerateKey(session, { mechanism: lib.CKM_GENERIC_SECRET_KEY_GEN }, [
      ...this.keyTemplate(label),
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_GENERIC_SECRET },
      { type: lib.CKA_VALUE_LEN, value: KEY_BYTES },
      { type: lib.CKA_SIGN, value: true },
      { type: lib.CKA_VERIFY, value: true },
      { type: lib.CKA_ENCRYPT, value: false },
      { type: lib.CKA_DECRYPT, value: false },
    ]);
  }

  private createTombstone(session: Handle, label: string): void {
    const { lib, p11 } = this.token;
    p11.C_CreateObject(session, [
      { type: lib.CKA_CLASS, value: lib.CKO_DATA },
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_PRIVATE, value: true },
      { type: lib.CKA_MODIFIABLE, value: false },
      { type: lib.CKA_LABEL, value: label },
      { type: lib.CKA_APPLICATION, value: TOMBSTONE_APPLICATION },
      { type: lib.CKA_VALUE, value: Buffer.from(new Date().toISOString()) },
    ]);
  }

  private createRecord(session: Handle, label: string, value: Buffer): void {
    const { lib, p11 } = this.token;
    p11.C_CreateObject(session, [
      { type: lib.CKA_CLASS, value: lib.CKO_DATA },
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_PRIVATE, value: true },
      { type: lib.CKA_MODIFIABLE, value: false },
      { type: lib.CKA_LABEL, value: label },
      { type: lib.CKA_APPLICATION, value: RECORD_APPLICATION },
      { type: lib.CKA_VALUE, value },
    ]);
  }

  /** A record's data objects with their values, oldest stamp first (one, but for a write under way). */
  private recordObjects(session: Handle, label: string): { handle: Handle; value: Buffer }[] {
    const { lib } = this.token;
    const found: { handle: Handle; value: Buffer }[] = [];
    for (const handle of this.find(session, [
      { type: lib.CKA_CLASS, value: lib.CKO_DATA },
      { type: lib.CKA_LABEL, value: label },
    ])) {
      const value = this.attribute(session, handle, lib.CKA_VALUE);
      if (value !== undefined && value.length >= RECORD_STAMP_BYTES) found.push({ handle, value });
    }
    return found.sort((a, b) =>
      Buffer.compare(a.value.subarray(0, RECORD_STAMP_BYTES), b.value.subarray(0, RECORD_STAMP_BYTES)),
    );
  }

  /** True when this call destroyed it; false when it was gone already (another process won). */
  private async destroyObject(handle: Handle): Promise<boolean> {
    return this.token.use((session) => {
      try {
        this.token.p11.C_DestroyObject(session, handle);
        return true;
      } catch (error) {
        if (handleGone(error)) return false;
        throw error;
      }
    });
  }

  /** A stream's key objects (earliest first) and tombstones, in one search by label. */
  private objects(session: Handle, label: string): { keys: TokenObject[]; tombstones: Handle[] } {
    const { lib } = this.token;
    const keys: TokenObject[] = [];
    const tombstones: Handle[] = [];
    for (const handle of this.find(session, [{ type: lib.CKA_LABEL, value: label }])) {
      // One attribute at a time: a data object has no CKA_ID, and asking for it fails the call.
      const objectClass = this.attribute(session, handle, lib.CKA_CLASS);
      if (objectClass === undefined) continue;
      if (ulong(objectClass) === lib.CKO_DATA) tombstones.push(handle);
      if (ulong(objectClass) !== lib.CKO_SECRET_KEY) continue;
      const id = this.attribute(session, handle, lib.CKA_ID);
      if (id !== undefined) keys.push({ handle, id });
    }
    return { keys: keys.sort(byId), tombstones };
  }

  private keyObjects(session: Handle, label: string): TokenObject[] {
    return this.objects(session, label).keys;
  }

  private find(session: Handle, template: Pkcs11.Template): Handle[] {
    const { p11 } = this.token;
    p11.C_FindObjectsInit(session, template);
    try {
      const found: Handle[] = [];
      for (;;) {
        const batch = p11.C_FindObjects(session, 64);
        found.push(...batch);
        if (batch.length < 64) return found;
      }
    } finally {
      p11.C_FindObjectsFinal(session);
    }
  }

  /** The attributes' values, or undefined when the object was destroyed since it was found. */
  private attributes(session: Handle, handle: Handle, types: number[]): Buffer[] | undefined {
    try {
      return this.token.p11
        .C_GetAttributeValue(
          session,
          handle,
          types.map((type) => ({ type })),
        )
        .map((a) => a.value);
    } catch (error) {
      if (handleGone(error)) return undefined;
      throw error;
    }
  }

  private attribute(session: Handle, handle: Handle, type: number): Buffer | undefined {
    return this.attributes(session, handle, [type])?.[0];
  }
}

const TOMBSTONE_APPLICATION = 'eenplan-erased';
const RECORD_APPLICATION = 'eenplan-record';
const RECORD_STAMP_BYTES = 16;

/**
 * A record's stamp: now in ms, or just after the latest one seen if that is later (a clock behind
 * another host's), and 8 random bytes; so a write sorts after every record its writer saw.
 */
function recordStamp(latest: Buffer | undefined): Buffer {
  const seen = latest ? latest.readBigUInt64BE(0) + 1n : 0n;
  const now = BigInt(Date.now());
  const stamp = Buffer.alloc(RECORD_STAMP_BYTES);
  stamp.writeBigUInt64BE(now > seen ? now : seen, 0);
  randomBytes(8).copy(stamp, 8);
  return stamp;
}

/** A stream's label: its id's SHA-256, as the directory store names its files, so the token names nobody. */
const streamLabel = (streamId: string): string =>
  `s-${createHash('sha256').update(streamId, 'utf8').digest('hex')}`;

/** The making instant (ms, big-endian) and 8 random bytes: sorted by it, the earliest comes first. */
function newObjectId(): Buffer {
  const id = Buffer.alloc(16);
  id.writeBigUInt64BE(BigInt(Date.now()), 0);
  randomBytes(8).copy(id, 8);
  return id;
}

const madeAt = (id: Buffer): number => (id.length >= 8 ? Number(id.readBigUInt64BE(0)) : 0);

const byId = (a: TokenObject, b: TokenObject): number => Buffer.compare(a.id, b.id);

/**
 * The key does not open the value: the tag does not verify. Tokens differ in the code: the
 * standard CKR_ENCRYPTED_DATA_INVALID, or (SoftHSM2) CKR_GENERAL_ERROR / CKR_FUNCTION_FAILED.
 */
const doesNotOpen = (error: unknown): boolean =>
  [
    'CKR_ENCRYPTED_DATA_INVALID',
    'CKR_ENCRYPTED_DATA_LEN_RANGE',
    'CKR_AEAD_DECRYPT_FAILED',
    'CKR_GENERAL_ERROR',
    'CKR_FUNCTION_FAILED',
  ].includes(ckr(error) ?? '');
