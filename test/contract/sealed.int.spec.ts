import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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
import { checkpointMigrations, ProjectionRunner } from '@eenplan/projections';
import { DirectoryKeyStore, SealedEventStore, StreamKeyMissingError } from '@eenplan/security';
import { eventStoreContract, newEvent } from './event-store.contract';

// The sealing wrapper (keyed hash chain, personal part encrypted in the key store) must keep the
// port's contract whole: readers get back exactly what was appended. One PGlite for the file,
// cleared between tests; a fresh key directory per test.
let sql: Sql;
const root = mkdtempSync(join(tmpdir(), 'eenplan-sealed-'));
let n = 0;

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, eventStoreMigrations);
});

afterAll(async () => {
  await sql?.close();
  rmSync(root, { recursive: true, force: true });
});

eventStoreContract('sealed PostgreSQL adapter on PGlite', async () => {
  await sql.query('TRUNCATE events, event_streams RESTART IDENTITY');
  const keys = await DirectoryKeyStore.open({ dir: join(root, `keys-${++n}`) });
  const store = new SealedEventStore(new PostgresEventStore(sql), keys);
  return { store, startsEmpty: true, dispose: () => store.close() };
});

/**
 * A sealed personal part whose key is gone without a tombstone is not an erasure: the key store
 * was restored from a backup older than the household (or a key file was lost). Reading it as
 * erased would show a household as erased that GET .../erasure calls not erased, and let the
 * projections go on with nulls; it must stop the read and name the stream whose key is missing.
 */
describe('a sealed personal part with neither key nor tombstone', () => {
  const text = { name: 'Fatima El Amrani' };

  async function restoredFromAnOlderBackup() {
    await sql.query('TRUNCATE events, event_streams RESTART IDENTITY');
    const dir = join(root, `keys-${++n}`);
    const live = new SealedEventStore(new PostgresEventStore(sql), await DirectoryKeyStore.open({ dir }));
    await live.append('household-old', [newEvent('HouseholdRegistered', {}, { personal: text })], 0);
    await live.append('household-erased', [newEvent('HouseholdRegistered', {}, { personal: text })], 0);
    await live.erase('household-erased');
    // The key store's backup, taken before the newest household was registered.
    const backup = join(root, `keys-${++n}`);
    cpSync(dir, backup, { recursive: true });
    await live.append('household-new', [newEvent('HouseholdRegistered', {}, { personal: text })], 0);
    await live.append('household-plain', [newEvent('HouseholdRegistered', { n: 1 })], 0);
    await live.close();
    return new SealedEventStore(new PostgresEventStore(sql), await DirectoryKeyStore.open({ dir: backup }));
  }

  test('reading it is an error naming the stream, not an erasure; other streams read as before', async () => {
    const store = await restoredFromAnOlderBackup();
    try {
      const failure = await store.readStream('household-new').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StreamKeyMissingError);
      expect(failure).toMatchObject({ streamId: 'household-new' });
      expect((failure as Error).message).toMatch(
        /^the key of stream household-new is not in the key store, and no erasure's tombstone either: .*not an erasure/,
      );
      await expect(store.readAll(START)).rejects.toThrow(StreamKeyMissingError);
      expect((await store.readStream('household-old'))[0]!.personal).toEqual(text);
      const [erased] = await store.readStream('household-erased');
      expect(erased).toMatchObject({ personal: null, erased: true });
      expect(await store.readStream('household-plain')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  test('the projections stop there and say why, rather than project nulls', async () => {
    const store = await restoredFromAnOlderBackup();
    await migrate(sql, checkpointMigrations);
    await sql.query('DELETE FROM projection_checkpoints');
    const seen: { streamId: string; personal: unknown }[] = [];
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(
      store,
      sql,
      [
        {
          name: 'probe',
          version: 1,
          migrations: [],
          tables: [],
          apply: async (_tx, event) => {
            seen.push({ streamId: event.streamId, personal: event.personal });
          },
        },
      ],
      { onError: (e) => errors.push(e), idleWaitMs: 50 },
    );
    try {
      await runner.init();
      await expect(runner.catchUp()).rejects.toThrow(
        /the key of stream household-new is not in the key store/,
      );
      expect(seen).toEqual([]);
      // Running on, it stays at its checkpoint and reports the reason each pass.
      runner.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await runner.stop();
      expect(seen).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e instanceof StreamKeyMissingError)).toBe(true);
      const { rows } = await sql.query<{ position: string }>(
        `SELECT position FROM projection_checkpoints WHERE name = 'probe'`,
      );
      expect(rows).toEqual([{ position: START }]);
    } finally {
      await runner.stop();
      await store.close();
    }
  });
});
