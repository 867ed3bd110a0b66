import { createHash, createHmac, randomBytes } from 'node:crypto';
import { constants, existsSync, readFileSync } from 'node:fs';
import { chmod, link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  aesGcmOpen,
  aesGcmSeal,
  assertPurpose,
  assertRecord,
  KEY_BYTES,
  KeyCache,
  type KeyCacheOptions,
  type KeyState,
  type KeyStore,
  type SealedBytes,
} from './key-store';

export interface DirectoryKeyStoreOptions extends KeyCacheOptions {
  /** The directory (KEY_STORE_DIR); made 0700 if missing, tightened to 0700 if looser. */
  readonly dir: string;
}

/**
 * The embedded key store: one file per key in a directory of its own (0700, files 0600), named
 * after the SHA-256 of the stream id, never the id itself.
 *
 * - `s-<sha256>.key`: a stream's key, 32 raw bytes.
 * - `s-<sha256>.erased`: its tombstone (the instant of the erasure); a stream with one never gets a
 *   key again.
 * - `system-<purpose>.key`: a MAC key, never destroyed.
 * - `record-<name>`: a system record (the upgrade mark, the chains' anchors), replaced by rename().
 *
 * A file is made as a temporary file, written and fsynced, then link()ed to its name: link() fails
 * when the name exists, so two processes racing to make one stream's key agree on the first one;
 * then the directory is fsynced, so the key is on disk before any event sealed with it is appended.
 * Destroying writes the tombstone first (so no process can make a new key meanwhile), then
 * overwrites the key file's bytes in place, fsyncs, unlinks it and fsyncs the directory.
 *
 * Processes on one host share the directory safely. Across hosts (a network file system's link()
 * and fsync are not to be trusted for this) use an HSM through the PKCS#11 adapter.
 */
export class DirectoryKeyStore implements KeyStore {
  private readonly cache: KeyCache<Buffer>;
  private readonly systemKeys = new Map<string, Promise<Buffer>>();
  private readonly dirSync = new GroupSync(() => fsyncPath(this.dir));

  private constructor(
    readonly dir: string,
    options: KeyCacheOptions,
  ) {
    this.cache = new KeyCache(options);
  }

  static async open(options: DirectoryKeyStoreOptions): Promise<DirectoryKeyStore> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const mode = (await stat(options.dir)).mode & 0o777;
    if (mode !== 0o700) await chmod(options.dir, 0o700);
    const store = new DirectoryKeyStore(options.dir, options);
    await store.removeStaleTemporaries();
    return store;
  }

  async seal(streamId: string, plaintext: Buffer, aad: Buffer): Promise<SealedBytes | 'erased'> {
    const key = await this.keyForWriting(streamId);
    return key === 'erased' ? 'erased' : aesGcmSeal(key, plaintext, aad);
  }

  async open(streamId: string, sealed: SealedBytes, aad: Buffer): Promise<Buffer | 'erased' | 'none'> {
    const key = await this.lookup(streamId);
    return key === 'erased' || key === 'none' ? key : aesGcmOpen(key, sealed, aad);
  }

  /**
   * Reads the missing keys of a page of the feed synchronously: a file read through the thread
   * pool costs about 140 µs per stream on a busy 2-core machine, a synchronous one a tenth of
   * that, and a rebuild reads the keys of hundreds of streams per page. The event loop is held for
   * a few ms per page at most (the pages are bounded).
   */
  async prefetch(streamIds: Iterable<string>): Promise<void> {
    for (const id of new Set(streamIds)) {
      if (this.cache.get(id) !== undefined) continue;
      const found = this.loadNow(id);
      if (found !== 'none') this.cache.remember(id, found);
    }
  }

  async destroy(streamId: string): Promise<boolean> {
    this.cache.erased(streamId);
    const name = fileName(streamId);
    const tombstoneMade = await this.createFile(`${name}.erased`, Buffer.from(new Date().toISOString()));
    const keyRemoved = await this.shred(`${name}.key`);
    return tombstoneMade || keyRemoved;
  }

  async state(streamId: string): Promise<KeyState> {
    const name = fileName(streamId);
    if (await exists(this.path(`${name}.key`))) return 'active';
    return (await exists(this.path(`${name}.erased`))) ? 'erased' : 'none';
  }

  async erasedAt(streamId: string): Promise<Date | null> {
    const text = await readIfExists(this.path(`${fileName(streamId)}.erased`));
    if (!text) return null;
    const at = new Date(text.toString('utf8'));
    return Number.isNaN(at.getTime()) ? null : at;
  }

  async mac(purpose: string, data: Buffer): Promise<Buffer> {
    return createHmac('sha256', await this.systemKey(purpose))
      .update(data)
      .digest();
  }

  async adopt(streamId: string, key: Buffer | 'erased'): Promise<void> {
    if (key === 'erased') {
      await this.destroy(streamId);
      return;
    }
    assertKey(key, streamId);
    const name = fileName(streamId);
    if (await exists(this.path(`${name}.erased`))) return;
    await this.createFile(`${name}.key`, key);
    const stored = await readIfExists(this.path(`${name}.key`));
    if (stored && !stored.equals(key))
      throw new Error(`a different key is already stored for stream ${streamId}`);
    // Erased while being adopted: the tombstone wins.
    if (await exists(this.path(`${name}.erased`))) await this.shred(`${name}.key`);
  }

  async record(name: string): Promise<Buffer | null> {
    assertRecord(name);
    return (await readIfExists(this.path(`record-${name}`))) ?? null;
  }

  /** A temporary file written and fsynced, renamed over the record (atomic), the directory fsynced. */
  async putRecord(name: string, value: Buffer): Promise<void> {
    assertRecord(name, value);
    const temporary = this.path(`.tmp-${randomBytes(12).toString('hex')}`);
    try {
      const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await handle.writeFile(value);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path(`record-${name}`));
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await this.dirSync.run();
  }

  async close(): Promise<void> {}

  private lookup(streamId: string): Promise<Buffer | 'erased' | 'none'> {
    return this.cache.lookup(streamId, () => this.load(streamId));
  }

  private load(streamId: string): Promise<Buffer | 'erased' | 'none'> {
    return Promise.resolve(this.loadNow(streamId));
  }

  /**
   * The stored key or tombstone, read synchronously (as `prefetch` does): a stat and a read of a
   * 32-byte file take microseconds; through the thread pool each costs a hand-off and a wake-up,
   * about 140 µs on a busy 2-core machine, and a command on a stream whose key is not cached
   * (every new household) paid two of them twice.
   */
  private loadNow(streamId: string): Buffer | 'erased' | 'none' {
    const name = fileName(streamId);
    // The tombstone first: a destruction stopped half way (tombstone written, key file not yet
    // shredded) already reads as erased.
    if (existsSync(this.path(`${name}.erased`))) return 'erased';
    let key: Buffer;
    try {
      key = readFileSync(this.path(`${name}.key`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw error;
    }
    return assertKey(key, streamId);
  }

  private async keyForWriting(streamId: string): Promise<Buffer | 'erased'> {
    const known = await this.lookup(streamId);
    if (known !== 'none') return known;
    const name = fileName(streamId);
    const key = randomBytes(KEY_BYTES);
    const made = await this.createFile(`${name}.key`, key);
    // Whoever linked first, everyone uses the stored key (when this call linked it, that is `key`:
    // no need to read it back); and a tombstone written meanwhile wins (its writer may have looked
    // for the key file before this one was there).
    const stored = made ? (existsSync(this.path(`${name}.erased`)) ? 'erased' : key) : this.loadNow(streamId);
    if (stored === 'erased') {
      await this.shred(`${name}.key`);
      return this.cache.remember(streamId, 'erased');
    }
    if (stored === 'none') throw new Error(`the key of stream ${streamId} vanished as it was made`);
    return this.cache.remember(streamId, stored);
  }

  private systemKey(purpose: string): Promise<Buffer> {
    assertPurpose(purpose);
    let key = this.systemKeys.get(purpose);
    if (!key) {
      const file = `system-${purpose}.key`;
      key = (async () => {
        const found = await readIfExists(this.path(file));
        if (found) return assertKey(found, file);
        await this.createFile(file, randomBytes(KEY_BYTES));
        return assertKey((await readIfExists(this.path(file)))!, file);
      })();
      // A failure (a full disk) is not remembered: the next call tries again.
      key.catch(() => this.systemKeys.delete(purpose));
      this.systemKeys.set(purpose, key);
    }
    return key;
  }

  /**
   * Makes `name` with `content` unless it exists, durably: a temporary file written and fsynced,
   * linked to the name (atomic, fails when the name exists), the directory fsynced. True when this
   * call made it.
   */
  private async createFile(name: string, content: Buffer): Promise<boolean> {
    const temporary = this.path(`.tmp-${randomBytes(12).toString('hex')}`);
    let made = false;
    try {
      const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temporary, this.path(name));
        made = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    } finally {
      // The final name keeps the inode; the temporary name goes (an unused key was never used).
      await unlink(temporary).catch(() => undefined);
    }
    await this.dirSync.run();
    return made;
  }

  /** Overwrites the file's bytes in place, fsyncs, unlinks it, fsyncs the directory. */
  private async shred(name: string): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.path(name), 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      // In place, on the same inode: a hard link made to it sees the new bytes too.
      await handle.write(randomBytes(Math.max(size, KEY_BYTES)), 0, Math.max(size, KEY_BYTES), 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await unlink(this.path(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await this.dirSync.run();
    return true;
  }

  /**
   * A process stopped between writing a temporary file and unlinking it leaves it behind. One
   * older than an hour is no process's work in progress any more. A temporary whose inode has
   * another name was linked to its final name before the process stopped: it is that live key
   * (a stream's, or the seal key), so only the temporary name goes; overwriting it in place would
   * destroy the key. One with no other name holds a key nobody used, and is shredded.
   */
  private async removeStaleTemporaries(): Promise<void> {
    const hourAgo = Date.now() - 3_600_000;
    for (const entry of await readdir(this.dir)) {
      if (!entry.startsWith('.tmp-')) continue;
      const info = await stat(this.path(entry)).catch(() => undefined);
      if (!info || info.mtimeMs >= hourAgo) continue;
      if (info.nlink === 1) await this.shred(entry);
      else await this.unlinkTemporary(entry);
    }
  }

  private async unlinkTemporary(name: string): Promise<void> {
    try {
      await unlink(this.path(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await this.dirSync.run();
  }

  private path(name: string): string {
    return join(this.dir, name);
  }
}

/** The file name of a stream's key: its id's SHA-256, so the directory names nobody. */
const fileName = (streamId: string): string =>
  `s-${createHash('sha256').update(streamId, 'utf8').digest('hex')}`;

function assertKey(key: Buffer, what: string): Buffer {
  if (key.length !== KEY_BYTES)
    throw new Error(`the key file of ${what} holds ${key.length} bytes, not ${KEY_BYTES}: it is damaged`);
  return key;
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * fsync of the directory, shared: callers that arrive while one runs wait for the next, which
 * covers all their changes at once (the many new households of a burst pay one directory fsync).
 */
class GroupSync {
  private running?: Promise<void>;
  private next?: Promise<void>;

  constructor(private readonly sync: () => Promise<void>) {}

  run(): Promise<void> {
    if (!this.running) {
      this.running = this.sync().finally(() => (this.running = undefined));
      return this.running;
    }
    if (!this.next) {
      this.next = this.running
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          return this.run();
        });
    }
    return this.next;
  }
}
