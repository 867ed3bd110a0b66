import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  aesGcmOpen,
  DirectoryKeyStore,
  type KeyCacheOptions,
  Pkcs11KeyStore,
  Pkcs11SetupError,
  type SealedBytes,
} from '@eenplan/security';
import { ConfigError, loadConfig, createKeyStore } from '@eenplan/runtime';
import { describeWithInfra } from '../support/infra';
import {
  addTokenKey,
  createSoftHsmToken,
  listTokenObjects,
  softHsm,
  type SoftHsmToken,
} from '../support/softhsm';
import { keyStoreContract } from './key-store.contract';

const repoRoot = resolve(__dirname, '..', '..');

describeWithInfra('PKCS#11 key store on SoftHSM2', softHsm, () => {
  let token: SoftHsmToken;
  beforeAll(() => {
    token = createSoftHsmToken();
  });
  afterAll(() => token?.remove());

  // A short settle time: the contract's race of four stores making one system key waits it once.
  const open = (options?: KeyCacheOptions & { settleMs?: number }) =>
    Pkcs11KeyStore.open({
      settleMs: 300,
      ...options,
      module: token.module,
      token: { label: token.label },
      pin: token.pin,
    });

  // "Another process" is a second store on the same token with its own cache and sessions (in this
  // process the library is shared, as PKCS#11 wants); real processes race below.
  keyStoreContract('PKCS#11 key store (SoftHSM2)', async (options) => ({
    store: await open(options),
    another: (more) => open(more),
  }));

  describe('beyond the contract', () => {
    const stores: Pkcs11KeyStore[] = [];
    const store = async (options?: KeyCacheOptions & { settleMs?: number }) => {
      const s = await open(options);
      stores.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
    });
    const text = (s: string) => Buffer.from(s, 'utf8');
    const sealedOrFail = (sealed: SealedBytes | 'erased'): SealedBytes => {
      if (sealed === 'erased') throw new Error('expected a sealed value, got erased');
      return sealed;
    };
    const labelOf = (streamId: string) => `s-${createHash('sha256').update(streamId).digest('hex')}`;

    test('keys are made in the token, sensitive and never extractable; labels name nobody', async () => {
      const keys = await store();
      const id = `household-in-token-${randomUUID()}`;
      sealedOrFail(await keys.seal(id, text('Fatima El Amrani'), text('e')));
      await keys.mac('event-seal', text('x'));
      const objects = listTokenObjects(token);
      const streamKey = objects.filter((o) => o.label === labelOf(id));
      expect(streamKey).toEqual([
        {
          class: 'secret-key',
          label: labelOf(id),
          keyType: 'aes',
          sensitive: true,
          extractable: false,
          alwaysSensitive: true,
          neverExtractable: true,
          value: { refused: 'CKR_ATTRIBUTE_SENSITIVE' },
        },
      ]);
      expect(objects.find((o) => o.label === 'system-event-seal')).toMatchObject({
        class: 'secret-key',
        keyType: 'generic-secret',
        sensitive: true,
        extractable: false,
        value: { refused: 'CKR_ATTRIBUTE_SENSITIVE' },
      });
      // No key's bytes are readable, and no label carries a stream id.
      for (const o of objects.filter((x) => x.class === 'secret-key'))
        expect(o.value).toEqual({ refused: 'CKR_ATTRIBUTE_SENSITIVE' });
      expect(objects.some((o) => o.label.includes('household'))).toBe(false);
    });

    test('erasure destroys the key object and leaves a tombstone without key material', async () => {
      const keys = await store();
      const id = `household-tombstone-${randomUUID()}`;
      sealedOrFail(await keys.seal(id, text('x'), text('e')));
      await keys.destroy(id);
      const left = listTokenObjects(token).filter((o) => o.label === labelOf(id));
      expect(left).toHaveLength(1);
      expect(left[0]).toMatchObject({ class: 'data' });
      const value = Buffer.from((left[0]!.value as { hex: string }).hex, 'hex').toString('utf8');
      expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect((await keys.erasedAt(id))?.toISOString()).toBe(value);
    });

    test("the sealed shape is the directory store's: values move both ways with the key", async () => {
      const root = mkdtempSync(join(tmpdir(), 'eenplan-keys-'));
      try {
        const dir = join(root, 'keys');
        const directory = await DirectoryKeyStore.open({ dir });
        const id = `household-moved-${randomUUID()}`;
        const fromDirectory = sealedOrFail(await directory.seal(id, text('Ybo van Dijk'), text('event-1')));
        // The directory's key file, moved into the token as the migration from a table does.
        const keyFile = readdirSync(dir).find((f) => f.endsWith('.key') && !f.startsWith('system-'))!;
        const keyBytes = readFileSync(join(dir, keyFile));
        const hsm = await store();
        await hsm.adopt(id, keyBytes);
        expect((await hsm.open(id, fromDirectory, text('event-1'))) as Buffer).toEqual(text('Ybo van Dijk'));
        const fromHsm = sealedOrFail(await hsm.seal(id, text('Zeger de Wit'), text('event-2')));
        expect(fromHsm.iv).toHaveLength(12);
        expect(fromHsm.tag).toHaveLength(16);
        expect((await directory.open(id, fromHsm, text('event-2'))) as Buffer).toEqual(text('Zeger de Wit'));
        expect(aesGcmOpen(keyBytes, fromHsm, text('event-2'))).toEqual(text('Zeger de Wit'));
        // And the bytes stay in the token as a sensitive object, like the ones it made.
        expect(listTokenObjects(token).find((o) => o.label === labelOf(id))).toMatchObject({
          sensitive: true,
          extractable: false,
          value: { refused: 'CKR_ATTRIBUTE_SENSITIVE' },
        });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('two keys for one stream (made at once): the earliest seals, both open, erasure destroys both', async () => {
      const first = await store({ cacheMs: 60_000 });
      const id = `household-two-keys-${randomUUID()}`;
      const underFirst = sealedOrFail(await first.seal(id, text('Fatima'), text('e1')));
      // Another process's key for the same stream, with an earlier CKA_ID than the first one's.
      addTokenKey(token, labelOf(id), Buffer.alloc(16));
      const fresh = await store();
      const underEarliest = sealedOrFail(await fresh.seal(id, text('Ybo'), text('e2')));
      expect(((await fresh.open(id, underFirst, text('e1'))) as Buffer).toString()).toBe('Fatima');
      // The first store knows only its own key (cached for a minute): it looks again when that
      // key does not open the value, and finds the other.
      expect(((await first.open(id, underEarliest, text('e2'))) as Buffer).toString()).toBe('Ybo');
      expect(await first.seal(id, text('x'), text('e3'))).not.toBe('erased');
      // A value for another AAD opens under neither, after both are tried.
      await expect(fresh.open(id, underFirst, text('e2'))).rejects.toThrow(/does not open/);
      expect(listTokenObjects(token).filter((o) => o.label === labelOf(id))).toHaveLength(2);
      await fresh.destroy(id);
      expect(listTokenObjects(token).filter((o) => o.label === labelOf(id))).toEqual([
        expect.objectContaining({ class: 'data' }),
      ]);
      expect(await first.open(id, underFirst, text('e1'))).toBe('erased');
      expect(await first.open(id, underEarliest, text('e2'))).toBe('erased');
    });

    test('a record is one private data object, replaced whole: no older value stays on the token', async () => {
      const keys = await store();
      const name = `anchor-${randomUUID().slice(0, 8)}`;
      for (const value of ['first', 'second', 'third']) await keys.putRecord(name, text(value));
      const objects = listTokenObjects(token).filter((o) => o.label === `record-${name}`);
      expect(objects).toHaveLength(1);
      expect(objects[0]).toMatchObject({ class: 'data' });
      const stored = Buffer.from((objects[0]!.value as { hex: string }).hex, 'hex');
      // A 16-byte stamp, then the record.
      expect(stored.subarray(16).toString()).toBe('third');
      expect(await (await store()).record(name)).toEqual(text('third'));
    });

    test('an empty text seals and opens', async () => {
      const keys = await store();
      const id = `household-empty-${randomUUID()}`;
      const sealed = sealedOrFail(await keys.seal(id, Buffer.alloc(0), text('e')));
      expect(sealed.ct).toHaveLength(0);
      expect((await keys.open(id, sealed, text('e'))) as Buffer).toEqual(Buffer.alloc(0));
    });

    test("another process's erasure is seen at the next use of the key, before the cache expires", async () => {
      const reader = await store({ cacheMs: 60_000 });
      const id = `household-gone-${randomUUID()}`;
      const sealed = sealedOrFail(await reader.seal(id, text('x'), text('e')));
      expect((await reader.open(id, sealed, text('e'))) as Buffer).toEqual(text('x'));
      await (await store()).destroy(id);
      expect(await reader.open(id, sealed, text('e'))).toBe('erased');
      expect(await reader.seal(id, text('y'), text('e'))).toBe('erased');
    });

    test('processes on one token: racing first seals all open, racing first MACs agree, an erasure holds', async () => {
      const id = `household-processes-${randomUUID()}`;
      const purpose = `race-${randomUUID().slice(0, 8)}`;
      const startAt = Date.now() + 4000; // ts-node's start-up in each child comes first
      const results = await Promise.all(
        [1, 2, 3].map(() => runChild(['race', id, purpose, String(startAt)])),
      );
      const answers = results.map(
        (line) =>
          JSON.parse(line) as { text: string; sealed: Record<'iv' | 'ct' | 'tag', string>; mac: string },
      );
      const reader = await store();
      for (const answer of answers) {
        const sealed = {
          iv: Buffer.from(answer.sealed.iv, 'base64'),
          ct: Buffer.from(answer.sealed.ct, 'base64'),
          tag: Buffer.from(answer.sealed.tag, 'base64'),
        };
        expect(((await reader.open(id, sealed, text('e'))) as Buffer).toString()).toBe(answer.text);
      }
      expect(new Set(answers.map((a) => a.mac)).size).toBe(1);
      expect((await reader.mac(purpose, text('x'))).toString('hex')).toBe(answers[0]!.mac);
      // One MAC key is left for the purpose: the losers destroyed their own.
      expect(listTokenObjects(token).filter((o) => o.label === `system-${purpose}`)).toHaveLength(1);

      expect(JSON.parse(await runChild(['destroy', id]))).toEqual({ destroyed: true });
      const first = answers[0]!.sealed;
      const sealed = {
        iv: Buffer.from(first.iv, 'base64'),
        ct: Buffer.from(first.ct, 'base64'),
        tag: Buffer.from(first.tag, 'base64'),
      };
      expect(await reader.open(id, sealed, text('e'))).toBe('erased');
      expect(await reader.seal(id, text('new'), text('e'))).toBe('erased');
      expect(listTokenObjects(token).filter((o) => o.label === labelOf(id))).toEqual([
        expect.objectContaining({ class: 'data' }),
      ]);
    }, 60_000);

    const runChild = (args: string[]): Promise<string> =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(
          process.execPath,
          [
            '-r',
            'ts-node/register/transpile-only',
            join(repoRoot, 'test', 'support', 'pkcs11-child.ts'),
            ...args,
          ],
          {
            cwd: repoRoot,
            env: {
              ...process.env,
              TS_NODE_PROJECT: join(repoRoot, 'tsconfig.json'),
              SOFTHSM2_CONF: token.conf,
              PKCS11_MODULE: token.module,
              PKCS11_TOKEN_LABEL: token.label,
              PKCS11_PIN: token.pin,
              PKCS11_SETTLE_MS: '1000',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolvePromise(out.trim()) : reject(new Error(`child exited ${code}: ${err}`)),
        );
      });

    // No other store may be open here: a process already logged in to the token is not asked for
    // the PIN again (PKCS#11 login is per process), so a wrong PIN would pass unseen.
    test('a wrong PIN, token or module fails at open, naming the setting and never the PIN', async () => {
      const wrongPin = '31415926';
      const failure = await Pkcs11KeyStore.open({
        module: token.module,
        token: { label: token.label },
        pin: wrongPin,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(Pkcs11SetupError);
      expect(failure).toMatchObject({
        setting: 'pin',
        message: expect.stringContaining('CKR_PIN_INCORRECT'),
      });
      expect(String((failure as Error).message)).not.toContain(wrongPin);

      const noToken = await Pkcs11KeyStore.open({
        module: token.module,
        token: { label: 'no-such-token' },
        pin: token.pin,
      }).catch((e: unknown) => e);
      expect(noToken).toMatchObject({
        setting: 'token',
        message: expect.stringContaining(`"${token.label}"`),
      });
      expect(String((noToken as Error).message)).not.toContain(token.pin);

      const noSlot = await Pkcs11KeyStore.open({
        module: token.module,
        token: { slot: 424242 },
        pin: token.pin,
      }).catch((e: unknown) => e);
      expect(noSlot).toMatchObject({ setting: 'token' });

      const notALibrary = await Pkcs11KeyStore.open({
        module: '/etc/hostname',
        token: { label: token.label },
        pin: token.pin,
      }).catch((e: unknown) => e);
      expect(notALibrary).toMatchObject({
        setting: 'module',
        message: expect.stringContaining('/etc/hostname'),
      });

      // And as the app starts: a ConfigError naming the variable, without the PIN.
      const env = {
        KEY_STORE: 'pkcs11',
        PKCS11_MODULE: token.module,
        PKCS11_TOKEN_LABEL: token.label,
        PKCS11_PIN: token.pin,
      };
      const startWith = (more: Record<string, string>) =>
        createKeyStore(loadConfig({ ...env, ...more })).then(
          async (keys) => {
            await keys.close();
            throw new Error('the key store opened');
          },
          (e: unknown) => e as Error,
        );
      const pinRefused = await startWith({ PKCS11_PIN: wrongPin });
      expect(pinRefused).toBeInstanceOf(ConfigError);
      expect(pinRefused.message).toMatch(/^PKCS11_PIN: the token refused the PIN \(CKR_PIN_INCORRECT\)$/);
      expect(await startWith({ PKCS11_TOKEN_LABEL: 'elsewhere' })).toMatchObject({
        message: expect.stringMatching(/^PKCS11_TOKEN_LABEL: no token labelled "elsewhere"/),
      });
      expect(await startWith({ PKCS11_TOKEN_LABEL: '', PKCS11_SLOT: '424242' })).toMatchObject({
        message: expect.stringMatching(/^PKCS11_SLOT: no token in slot 424242/),
      });
      expect(await startWith({ PKCS11_MODULE: '/etc/hostname' })).toMatchObject({
        message: expect.stringMatching(/^PKCS11_MODULE: \/etc\/hostname cannot be loaded/),
      });

      // After all that, the right settings still open the token.
      const keys = await store();
      expect(await keys.state(`household-after-errors-${randomUUID()}`)).toBe('none');
    });
  });
});
