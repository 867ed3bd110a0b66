import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  START,
  type Sql,
} from '@eenplan/event-store';
import {
  DirectoryKeyStore,
  erasedPersonsOf,
  isErased,
  Pkcs11KeyStore,
  personKeyId,
  SealedEventStore,
  StreamKeyMissingError,
  type KeyStore,
} from '@eenplan/security';
import { describeWithInfra } from '../support/infra';
import { createSoftHsmToken, softHsm, type SoftHsmToken } from '../support/softhsm';
import { newEvent } from './event-store.contract';

// A person's part (issue 18, AVG art. 17 for one member): `personal.persons[memberId]` is sealed
// under that person's key and the stream's, so one person is erased while the household goes on,
// and erasing the household still erases everyone. Run on the directory key store and on PKCS#11.

let sql: Sql;
const root = mkdtempSync(join(tmpdir(), 'eenplan-sealed-persons-'));
let n = 0;

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, eventStoreMigrations);
});

afterAll(async () => {
  await sql?.close();
  rmSync(root, { recursive: true, force: true });
});

function personParts(name: string, openKeys: () => Promise<KeyStore>, directory = false): void {
  describe(`person parts on ${name}`, () => {
    let store: SealedEventStore;
    let stream: string;
    beforeEach(async () => {
      // The feed is read whole below: only this test's stream may be in it.
      await sql.query('TRUNCATE events, event_streams RESTART IDENTITY');
      store = new SealedEventStore(new PostgresEventStore(sql), await openKeys());
      stream = `household-${randomUUID()}`;
    });
    afterEach(() => store.keys.close());

    const registered = () =>
      newEvent(
        'HouseholdRegistered',
        { members: ['m1', 'm2'] },
        {
          personal: {
            note: 'Gezin Noordhuis-Valk',
            persons: { m1: { name: 'Ilse Noordhuis' }, m2: { name: 'Jorrit Valk' } },
          },
        },
      );

    test('seals each part apart, opens all of it back, and stores no name in the clear', async () => {
      const event = registered();
      await store.append(stream, [event], 0);
      const [read] = await store.readStream(stream);
      expect(read!.personal).toEqual(event.personal);
      expect(erasedPersonsOf(read!)).toEqual([]);
      const [stored] = await store.readSealed(stream);
      const text = JSON.stringify(stored!.personal);
      expect(text).not.toMatch(/Noordhuis|Valk|Ilse|Jorrit/);
      expect(Object.keys(stored!.personal!).sort()).toEqual(['alg', 'ct', 'iv', 'persons', 'tag']);
      expect(Object.keys((stored!.personal as { persons: object }).persons).sort()).toEqual(['m1', 'm2']);
      expect(await store.personKeyState(stream, 'm1')).toBe('active');
      expect((await store.verify({ streamIds: [stream] })).ok).toBe(true);
    });

    test('erasing one person: only their part reads as null, the rest opens, new events go on', async () => {
      await store.append(stream, [registered()], 0);
      expect(await store.erasePerson(stream, 'm1')).toBe(true);
      const check = (read: Awaited<ReturnType<SealedEventStore['readStream']>>[number]) => {
        expect(read.personal).toEqual({
          note: 'Gezin Noordhuis-Valk',
          persons: { m1: null, m2: { name: 'Jorrit Valk' } },
        });
        expect(erasedPersonsOf(read)).toEqual(['m1']);
        expect(isErased(read)).toBe(false);
      };
      check((await store.readStream(stream))[0]!);
      // Another process (a fresh store on the same keys, no cache) and the feed read it alike.
      const other = new SealedEventStore(new PostgresEventStore(sql), await openKeys());
      try {
        check((await other.readStream(stream))[0]!);
        check((await other.readAll(START)).find((e) => e.streamId === stream)!);
      } finally {
        await other.keys.close();
      }
      // The household goes on; a later part for the erased person is not stored at all.
      await store.append(
        stream,
        [newEvent('Later', {}, { personal: { persons: { m1: { name: 'Ilse' }, m2: { name: 'Jorrit' } } } })],
        1,
      );
      const [, later] = await store.readStream(stream);
      expect(later!.personal).toEqual({ persons: { m1: null, m2: { name: 'Jorrit' } } });
      expect(erasedPersonsOf(later!)).toEqual(['m1']);
      const [, storedLater] = await store.readSealed(stream);
      expect((storedLater!.personal as { persons: Record<string, unknown> }).persons['m1']).toBeNull();
      expect(await store.personKeyState(stream, 'm1')).toBe('erased');
      expect(await store.erasePerson(stream, 'm1')).toBe(false);
      // The erasure destroyed a key and edited no event: the chain holds.
      expect((await store.verify({ streamIds: [stream] })).ok).toBe(true);
    });

    test("erasing the household makes every person's part unreadable too", async () => {
      await store.append(stream, [registered()], 0);
      await store.erase(stream);
      const other = new SealedEventStore(new PostgresEventStore(sql), await openKeys());
      try {
        for (const s of [store, other]) {
          const [read] = await s.readStream(stream);
          expect(read).toMatchObject({ personal: null, erased: true });
        }
      } finally {
        await other.keys.close();
      }
      // Even with each person's key still in the store: the parts are sealed under the stream's too.
      expect(await store.personKeyState(stream, 'm2')).toBe('active');
      expect((await store.verify({ streamIds: [stream] })).ok).toBe(true);
    });

    test('a part is bound to its person: swapped between persons it does not open', async () => {
      await store.append(stream, [registered()], 0);
      const [stored] = await store.readSealed(stream);
      const persons = (stored!.personal as { persons: Record<string, unknown> }).persons;
      await sql.query(
        `UPDATE events SET personal = jsonb_set(jsonb_set(personal, '{persons,m1}', $2::text::jsonb), '{persons,m2}', $3::text::jsonb)
          WHERE stream_id = $1`,
        [stream, JSON.stringify(persons['m2']), JSON.stringify(persons['m1'])],
      );
      const fresh = new SealedEventStore(new PostgresEventStore(sql), await openKeys());
      try {
        await expect(fresh.readStream(stream)).rejects.toThrow();
        const report = await fresh.verify({ streamIds: [stream] });
        expect(report.broken).toMatchObject([{ streamId: stream, problem: 'content-changed' }]);
      } finally {
        await fresh.keys.close();
      }
    });

    test('the old four-field form still opens, and events without persons are stored as before', async () => {
      const old = newEvent(
        'HouseholdRegistered',
        {},
        { personal: { memberNames: { m1: 'Ilse Noordhuis' } } },
      );
      await store.append(stream, [old], 0);
      const [stored] = await store.readSealed(stream);
      expect(Object.keys(stored!.personal!).sort()).toEqual(['alg', 'ct', 'iv', 'tag']);
      const [read] = await store.readStream(stream);
      expect(read!.personal).toEqual(old.personal);
    });

    // Shown on the directory store only: an HSM's stream key cannot be copied out to make the case.
    if (directory)
      test("a person's key missing without a tombstone is no erasure: StreamKeyMissingError", async () => {
        await store.append(stream, [registered()], 0);
        // A key store that never had the person's key, yet holds the stream's: its key moved in alone.
        const otherDir = await DirectoryKeyStore.open({ dir: join(root, `keys-${++n}`) });
        const streamOnly = new SealedEventStore(new PostgresEventStore(sql), otherDir);
        try {
          const file = `s-${createHash('sha256').update(stream).digest('hex')}.key`;
          await otherDir.adopt(stream, readFileSync(join((store.keys as DirectoryKeyStore).dir, file)));
          const failure = await streamOnly.readStream(stream).catch((e: unknown) => e);
          expect(failure).toBeInstanceOf(StreamKeyMissingError);
          expect(failure).toMatchObject({ streamId: stream, memberId: 'm1' });
          await expect(streamOnly.readAll(START)).rejects.toThrow(/the key of person m1 in stream/);
        } finally {
          await otherDir.close();
        }
      });

    test('refuses a persons member that is not parts by member id, before storing anything', async () => {
      for (const persons of [['x'], 'x', { 'a/b': { name: 'x' } }, { m1: 'Ilse' }]) {
        await expect(
          store.append(stream, [newEvent('X', {}, { personal: { persons } as Record<string, unknown> })], 0),
        ).rejects.toThrow(TypeError);
      }
      expect(await store.streamVersion(stream)).toBe(0);
    });

    test("reading the feed brings the person keys at hand with the stream's, in one round", async () => {
      await store.append(stream, [registered()], 0);
      const asked: string[][] = [];
      const keys = store.keys;
      const spying = new SealedEventStore(store.inner, {
        ...keys,
        seal: keys.seal.bind(keys),
        open: keys.open.bind(keys),
        destroy: keys.destroy.bind(keys),
        state: keys.state.bind(keys),
        erasedAt: keys.erasedAt.bind(keys),
        mac: keys.mac.bind(keys),
        adopt: keys.adopt.bind(keys),
        record: keys.record.bind(keys),
        putRecord: keys.putRecord.bind(keys),
        close: keys.close.bind(keys),
        prefetch: (ids) => {
          asked.push([...ids]);
          return keys.prefetch(ids);
        },
      });
      await spying.readAll(START);
      expect(asked).toEqual([[stream, personKeyId(stream, 'm1'), personKeyId(stream, 'm2')]]);
    });

    test('the person key ids are hashed by the store like stream ids', () => {
      expect(personKeyId('household-1', 'm1')).toBe('household-1/person/m1');
    });
  });
}

personParts('the directory key store', () => DirectoryKeyStore.open({ dir: join(root, 'keys') }), true);

describeWithInfra('person parts with PKCS#11 (SoftHSM2)', softHsm, () => {
  let token: SoftHsmToken;
  beforeAll(() => {
    token = createSoftHsmToken();
  });
  afterAll(() => token?.remove());
  personParts('PKCS#11 (SoftHSM2)', () =>
    Pkcs11KeyStore.open({
      settleMs: 300,
      module: token.module,
      token: { label: token.label },
      pin: token.pin,
    }),
  );
});
