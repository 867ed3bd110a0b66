import { createHash, createHmac, randomUUID } from 'node:crypto';
import { aesGcmSeal, type KeyCacheOptions, type KeyStore, type SealedBytes } from '@eenplan/security';

/**
 * The KeyStore contract: every adapter (the directory store, an HSM through PKCS#11) runs these
 * tests through a runner file (`<adapter>-key-store.int.spec.ts`). Stream ids are unique per test,
 * so the tests also hold on a store other tests use.
 */
export interface KeyStoreHarness {
  /** A store as one process opens it. */
  readonly store: KeyStore;
  /**
   * Another store on the same keys, as another process (or this one after a restart) opens it,
   * with its own cache.
   */
  another(options?: KeyCacheOptions): Promise<KeyStore>;
  readonly dispose?: () => Promise<void>;
}

export function keyStoreContract(
  name: string,
  factory: (options?: KeyCacheOptions) => Promise<KeyStoreHarness>,
): void {
  describe(`KeyStore contract: ${name}`, () => {
    let harness: KeyStoreHarness;
    let store: KeyStore;
    const opened: KeyStore[] = [];
    let run: string;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      for (const other of opened.splice(0)) await other.close();
      await store?.close();
      await harness?.dispose?.();
    });

    const another = async (options?: KeyCacheOptions) => {
      const other = await harness.another(options);
      opened.push(other);
      return other;
    };
    const stream = (label: string) => `household-${label}-${run}`;
    const text = (s: string) => Buffer.from(s, 'utf8');
    const sealedOrFail = (sealed: SealedBytes | 'erased'): SealedBytes => {
      if (sealed === 'erased') throw new Error('expected a sealed value, got erased');
      return sealed;
    };

    test('seals under the stream key and opens it again, in this and another process', async () => {
      const id = stream('a');
      const sealed = sealedOrFail(await store.seal(id, text('Fatima El Amrani'), text('event-1')));
      expect(sealed.iv).toHaveLength(12);
      expect(sealed.tag).toHaveLength(16);
      expect(sealed.ct.includes(text('Fatima'))).toBe(false);
      expect((await store.open(id, sealed, text('event-1'))) as Buffer).toEqual(text('Fatima El Amrani'));
      const other = await another();
      expect((await other.open(id, sealed, text('event-1'))) as Buffer).toEqual(text('Fatima El Amrani'));
      expect(await store.state(id)).toBe('active');
    });

    test('a fresh IV every time: the same text sealed twice differs', async () => {
      const id = stream('iv');
      const a = sealedOrFail(await store.seal(id, text('same'), text('e')));
      const b = sealedOrFail(await store.seal(id, text('same'), text('e')));
      expect(a.iv.equals(b.iv)).toBe(false);
      expect(a.ct.equals(b.ct)).toBe(false);
    });

    test('refuses another AAD, an edited ciphertext, a tag or IV of another size', async () => {
      const id = stream('aad');
      const sealed = sealedOrFail(await store.seal(id, text('vader dronken'), text('event-1')));
      await expect(store.open(id, sealed, text('event-2'))).rejects.toThrow();
      const ct = Buffer.from(sealed.ct);
      ct[0]! ^= 1;
      await expect(store.open(id, { ...sealed, ct }, text('event-1'))).rejects.toThrow();
      // A shortened tag is a prefix of the right one: GCM would accept it if allowed to.
      for (const length of [4, 8, 12, 15])
        await expect(
          store.open(id, { ...sealed, tag: sealed.tag.subarray(0, length) }, text('event-1')),
        ).rejects.toThrow(/16 bytes/);
      await expect(
        store.open(id, { ...sealed, tag: Buffer.concat([sealed.tag, Buffer.alloc(1)]) }, text('event-1')),
      ).rejects.toThrow(/16 bytes/);
      await expect(
        store.open(id, { ...sealed, iv: sealed.iv.subarray(0, 8) }, text('event-1')),
      ).rejects.toThrow();
    });

    test("one stream's ciphertext does not open under another stream's key", async () => {
      const a = stream('own-a');
      const b = stream('own-b');
      const sealed = sealedOrFail(await store.seal(a, text('kind in gevaar'), text('e')));
      await store.seal(b, text('x'), text('e'));
      await expect(store.open(b, sealed, text('e'))).rejects.toThrow();
    });

    test("a stream that never had a key: 'none'", async () => {
      const id = stream('never');
      const foreign = aesGcmSeal(Buffer.alloc(32, 7), text('x'), text('e'));
      expect(await store.open(id, foreign, text('e'))).toBe('none');
      expect(await store.state(id)).toBe('none');
      expect(await store.erasedAt(id)).toBeNull();
    });

    test('processes making the first key of a stream at once agree on one key', async () => {
      const id = stream('race');
      const others = await Promise.all([another(), another(), another()]);
      const sealed = await Promise.all(
        [store, ...others].flatMap((s, i) => [0, 1, 2].map((j) => s.seal(id, text(`${i}/${j}`), text('e')))),
      );
      const reader = await another();
      const texts = await Promise.all(sealed.map((s) => reader.open(id, sealedOrFail(s), text('e'))));
      expect(texts.map((t) => (t as Buffer).toString())).toEqual(
        [0, 1, 2, 3].flatMap((i) => [0, 1, 2].map((j) => `${i}/${j}`)),
      );
    });

    test('destroy: erased at once here, for good, and a new process cannot make a new key', async () => {
      const id = stream('erase');
      const sealed = sealedOrFail(await store.seal(id, text('Ybo'), text('e')));
      expect(await store.destroy(id)).toBe(true);
      expect(await store.open(id, sealed, text('e'))).toBe('erased');
      expect(await store.seal(id, text('new data'), text('e2'))).toBe('erased');
      expect(await store.state(id)).toBe('erased');
      expect(await store.erasedAt(id)).toBeInstanceOf(Date);
      expect(await store.destroy(id)).toBe(false);
      const fresh = await another();
      expect(await fresh.open(id, sealed, text('e'))).toBe('erased');
      expect(await fresh.seal(id, text('new data'), text('e2'))).toBe('erased');
      expect(await fresh.state(id)).toBe('erased');
    });

    test('a stream destroyed before it ever had a key never gets one', async () => {
      const id = stream('erase-first');
      expect(await store.destroy(id)).toBe(true);
      expect(await store.seal(id, text('x'), text('e'))).toBe('erased');
      expect(await (await another()).seal(id, text('x'), text('e'))).toBe('erased');
      expect(await store.state(id)).toBe('erased');
    });

    test("another process's erasure takes effect here within cacheMs", async () => {
      let now = 1_000_000;
      const id = stream('other-erases');
      const reader = await another({ cacheMs: 1000, now: () => now });
      const sealed = sealedOrFail(await store.seal(id, text('Zeger'), text('e')));
      expect((await reader.open(id, sealed, text('e'))) as Buffer).toEqual(text('Zeger'));
      await (await another()).destroy(id);
      now += 1000;
      expect(await reader.open(id, sealed, text('e'))).toBe('erased');
      expect(await reader.seal(id, text('x'), text('e'))).toBe('erased');
    });

    test('a lookup on its way when this process destroys the key does not bring it back', async () => {
      const id = stream('in-flight');
      const sealed = sealedOrFail(await (await another()).seal(id, text('x'), text('e')));
      const reader = await another({ cacheMs: 60_000 });
      const before = reader.open(id, sealed, text('e'));
      await reader.destroy(id);
      await before;
      expect(await reader.open(id, sealed, text('e'))).toBe('erased');
      expect(await reader.seal(id, text('y'), text('e'))).toBe('erased');
    });

    test('destroy racing the first seal of a new stream: erased for everyone afterwards', async () => {
      const id = stream('race-erase');
      const [writer, eraser] = await Promise.all([another(), another()]);
      await Promise.all([writer.seal(id, text('x'), text('e')), eraser.destroy(id)]);
      const fresh = await another();
      expect(await fresh.seal(id, text('y'), text('e'))).toBe('erased');
      expect(await fresh.state(id)).toBe('erased');
    });

    test('prefetch brings keys at hand; unknown streams are no error', async () => {
      const ids = [stream('p1'), stream('p2'), stream('p3')];
      const sealed = await Promise.all(ids.map((id) => store.seal(id, text(id), text('e'))));
      const reader = await another();
      await reader.prefetch([...ids, stream('unknown'), ids[0]!]);
      const texts = await Promise.all(
        ids.map((id, i) => reader.open(id, sealedOrFail(sealed[i]!), text('e'))),
      );
      expect(texts.map((t) => (t as Buffer).toString())).toEqual(ids);
    });

    test('mac: HMAC-SHA256 under a named system key, the same in every process, never a plain hash', async () => {
      const data = text('{"eventId":"e-1"}');
      const mac = await store.mac('event-seal', data);
      expect(mac).toHaveLength(32);
      expect(await (await another()).mac('event-seal', data)).toEqual(mac);
      expect(await store.mac('access-log', data)).not.toEqual(mac);
      expect(await store.mac('event-seal', text('{"eventId":"e-2"}'))).not.toEqual(mac);
      expect(mac).not.toEqual(createHash('sha256').update(data).digest());
      expect(mac).not.toEqual(createHmac('sha256', Buffer.alloc(32)).update(data).digest());
      for (const bad of ['', 'Event-Seal', '../keys', 'event seal'])
        await expect(store.mac(bad, data)).rejects.toThrow(/purpose/);
    });

    test('processes making a system key at once agree on it', async () => {
      const purpose = `contract-${run}`;
      const others = await Promise.all([another(), another(), another()]);
      const macs = await Promise.all([store, ...others].map((s) => s.mac(purpose, text('x'))));
      for (const mac of macs) expect(mac).toEqual(macs[0]);
    });

    test('records: none until written, then the latest value, in this and every other process', async () => {
      const name = `contract-${run}`;
      expect(await store.record(name)).toBeNull();
      await store.putRecord(name, text('first'));
      expect(await store.record(name)).toEqual(text('first'));
      const other = await another({ cacheMs: 60_000 });
      expect(await other.record(name)).toEqual(text('first'));
      await other.putRecord(name, text('second'));
      // Never cached: the other process's write is read at once.
      expect(await store.record(name)).toEqual(text('second'));
      const bytes = Buffer.from([0, 255, 10, 13, 0]);
      await store.putRecord(name, bytes);
      expect(await (await another()).record(name)).toEqual(bytes);
      await store.putRecord(name, Buffer.alloc(0));
      expect(await other.record(name)).toEqual(Buffer.alloc(0));
      // Another name is another record.
      expect(await store.record(`${name}-x`)).toBeNull();
    });

    test('records: names like system keys, at most 64 KiB, apart from the keys', async () => {
      const name = `limits-${run}`;
      for (const bad of ['', 'Upgrade', '../keys', 'a b', 'x'.repeat(64)]) {
        await expect(store.putRecord(bad, text('x'))).rejects.toThrow(/record name/);
        await expect(store.record(bad)).rejects.toThrow(/record name/);
      }
      const largest = Buffer.alloc(64 * 1024, 7);
      await store.putRecord(name, largest);
      expect(await (await another()).record(name)).toEqual(largest);
      await expect(store.putRecord(name, Buffer.alloc(64 * 1024 + 1))).rejects.toThrow(/more than 65536/);
      expect(await store.record(name)).toEqual(largest);
      // A record named like a system key touches no key: the MAC stays the same.
      const mac = await store.mac('event-seal', text('x'));
      await store.putRecord('event-seal', text('not a key'));
      expect(await (await another()).mac('event-seal', text('x'))).toEqual(mac);
    });

    test('records written by several processes at once: all read the same one of them, and a later write wins', async () => {
      const name = `race-${run}`;
      const writers = [store, ...(await Promise.all([another(), another(), another()]))];
      await Promise.all(writers.map((w, i) => w.putRecord(name, text(`writer ${i}`))));
      const read = await Promise.all(writers.map((w) => w.record(name)));
      expect(new Set(read.map((r) => r?.toString())).size).toBe(1);
      expect(['writer 0', 'writer 1', 'writer 2', 'writer 3']).toContain(read[0]!.toString());
      await writers[2]!.putRecord(name, text('after them'));
      for (const w of writers) expect(await w.record(name)).toEqual(text('after them'));
    });

    test('adopt: a key moved in opens what was sealed with it; idempotent; a tombstone wins', async () => {
      const id = stream('adopt');
      const key = Buffer.alloc(32, 3);
      const old = aesGcmSeal(key, text('Xanthe'), text('e'));
      await store.adopt(id, key);
      await store.adopt(id, key);
      expect(await store.state(id)).toBe('active');
      expect((await (await another()).open(id, old, text('e'))) as Buffer).toEqual(text('Xanthe'));
      await expect(store.adopt(id, Buffer.alloc(32, 4))).rejects.toThrow(/different key/);

      const erased = stream('adopt-erased');
      await store.adopt(erased, 'erased');
      await store.adopt(erased, key);
      expect(await store.state(erased)).toBe('erased');
      expect(await store.seal(erased, text('x'), text('e'))).toBe('erased');
      expect(await (await another()).open(erased, old, text('e'))).toBe('erased');
    });
  });
}
