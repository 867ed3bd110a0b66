import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNodePostgresSql,
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type Sql,
} from '@eenplan/event-store';
import {
  aesGcmSeal,
  DirectoryKeyStore,
  keyStoreCheckMigrations,
  moveStreamKeys,
  plainHashOf,
  rekeySeals,
  SEAL_ALG,
  SealedEventStore,
  type SealedBytes,
} from '@eenplan/security';
import { loadConfig, type AppConfig, createEventStore } from '@eenplan/runtime';
import { newEvent } from '../contract/event-store.contract';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra } from '../support/postgres';

/**
 * The directory key store as an operator sees it on disk, and the one-time moves from the previous
 * release (keys in a `stream_keys` table, plain SHA-256 seals). What every key store must do is in
 * test/contract/key-store.contract.ts.
 */
const root = mkdtempSync(join(tmpdir(), 'eenplan-key-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => join(root, `keys-${++n}`);
const text = (s: string) => Buffer.from(s, 'utf8');
const hashName = (streamId: string) => `s-${createHash('sha256').update(streamId).digest('hex')}`;
const sealed = (value: SealedBytes | 'erased'): SealedBytes => {
  if (value === 'erased') throw new Error('erased');
  return value;
};

describe('the directory key store on disk', () => {
  test('a directory of its own (0700), files 0600, named after a hash: no stream id anywhere', async () => {
    const dir = newDir();
    const keys = await DirectoryKeyStore.open({ dir });
    const id = 'household-Quijvelaar-1';
    await keys.seal(id, text('x'), text('e'));
    await keys.mac('event-seal', text('x'));
    await keys.destroy('household-other');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(
      [`${hashName(id)}.key`, `${hashName('household-other')}.erased`, 'system-event-seal.key'].sort(),
    );
    for (const file of files) {
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, file)).includes(text('household'))).toBe(false);
    }
    expect(readFileSync(join(dir, `${hashName(id)}.key`))).toHaveLength(32);
  });

  test('a directory made looser by hand is tightened to 0700 at open', async () => {
    const dir = newDir();
    mkdirSync(dir, { mode: 0o755 });
    await DirectoryKeyStore.open({ dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  test("destroy overwrites the key's bytes in place before unlinking it, and leaves a tombstone", async () => {
    const dir = newDir();
    const keys = await DirectoryKeyStore.open({ dir });
    const id = 'household-shred';
    await keys.seal(id, text('x'), text('e'));
    const file = join(dir, `${hashName(id)}.key`);
    const key = readFileSync(file);
    // A second name for the same inode (as a backup tool's hard link would be): it must not keep the key.
    const alias = join(root, `alias-${n}`);
    linkSync(file, alias);
    await keys.destroy(id);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(alias)).toHaveLength(32);
    expect(readFileSync(alias).equals(key)).toBe(false);
    expect(existsSync(join(dir, `${hashName(id)}.erased`))).toBe(true);
  });

  test('a destruction stopped after the tombstone reads as erased, and the next destroy finishes it', async () => {
    const dir = newDir();
    const id = 'household-half';
    const first = await DirectoryKeyStore.open({ dir });
    const value = sealed(await first.seal(id, text('kind in gevaar'), text('e')));
    // As a crash between the tombstone and the shredding leaves it.
    writeFileSync(join(dir, `${hashName(id)}.erased`), new Date().toISOString(), { mode: 0o600 });
    const after = await DirectoryKeyStore.open({ dir });
    expect(await after.open(id, value, text('e'))).toBe('erased');
    expect(await after.state(id)).toBe('active');
    expect(await after.destroy(id)).toBe(true);
    expect(await after.state(id)).toBe('erased');
    expect(existsSync(join(dir, `${hashName(id)}.key`))).toBe(false);
  });

  test('a temporary file left by a stopped process is shredded at open once it is an hour old, not before', async () => {
    const dir = newDir();
    await DirectoryKeyStore.open({ dir });
    const old = join(dir, '.tmp-old');
    const recent = join(dir, '.tmp-recent');
    writeFileSync(old, randomBytes(32), { mode: 0o600 });
    writeFileSync(recent, randomBytes(32), { mode: 0o600 });
    const hourAgo = (Date.now() - 3_700_000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    await DirectoryKeyStore.open({ dir });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });

  test('a temporary still linked to a key (a process killed between link and unlink) is unlinked, not shredded', async () => {
    const dir = newDir();
    const keys = await DirectoryKeyStore.open({ dir });
    const id = 'household-linked';
    const value = sealed(await keys.seal(id, text('Fatima El Amrani'), text('e')));
    const mac = await keys.mac('event-seal', text('x'));
    const keyFile = join(dir, `${hashName(id)}.key`);
    const sealKeyFile = join(dir, 'system-event-seal.key');
    const keyBytes = readFileSync(keyFile);
    const sealKeyBytes = readFileSync(sealKeyFile);
    // What createFile leaves when killed after link() and before unlink(): two names, one inode.
    const leftovers = [
      [join(dir, '.tmp-killed-stream'), keyFile],
      [join(dir, '.tmp-killed-seal'), sealKeyFile],
    ] as const;
    const hourAgo = (Date.now() - 3_700_000) / 1000;
    for (const [temporary, target] of leftovers) {
      linkSync(target, temporary);
      utimesSync(temporary, hourAgo, hourAgo);
      expect(statSync(target).nlink).toBe(2);
    }
    const reopened = await DirectoryKeyStore.open({ dir });
    for (const [temporary, target] of leftovers) {
      expect(existsSync(temporary)).toBe(false);
      expect(statSync(target).nlink).toBe(1);
    }
    expect(readFileSync(keyFile)).toEqual(keyBytes);
    expect(readFileSync(sealKeyFile)).toEqual(sealKeyBytes);
    expect(await reopened.open(id, value, text('e'))).toEqual(text('Fatima El Amrani'));
    expect(await reopened.mac('event-seal', text('x'))).toEqual(mac);
  });

  test('a record is a file of its own (0600), replaced by rename: no temporary left, the value whole', async () => {
    const dir = newDir();
    const keys = await DirectoryKeyStore.open({ dir });
    await keys.putRecord('upgrade', text('one'));
    await keys.putRecord('upgrade', text('two'));
    expect(readdirSync(dir)).toEqual(['record-upgrade']);
    expect(statSync(join(dir, 'record-upgrade')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'record-upgrade'))).toEqual(text('two'));
  });

  test('a key is trusted for cacheMs, then read again; an erasure for good', async () => {
    let now = 0;
    const dir = newDir();
    const id = 'household-cache';
    const keys = await DirectoryKeyStore.open({ dir, cacheMs: 1000, now: () => now });
    const value = sealed(await keys.seal(id, text('x'), text('e')));
    const file = join(dir, `${hashName(id)}.key`);
    const kept = join(root, `kept-${n}`);
    copyFileSync(file, kept);
    unlinkSync(file);
    now = 999;
    expect(await keys.open(id, value, text('e'))).toEqual(text('x'));
    now = 1000;
    expect(await keys.open(id, value, text('e'))).toBe('none');
    copyFileSync(kept, file);
    expect(await keys.open(id, value, text('e'))).toEqual(text('x'));
    await keys.destroy(id);
    now = 1_000_000;
    expect(await keys.open(id, value, text('e'))).toBe('erased');
  });

  test('a damaged key file is an error naming the damage, not a silent new key', async () => {
    const dir = newDir();
    const keys = await DirectoryKeyStore.open({ dir });
    writeFileSync(join(dir, `${hashName('household-damaged')}.key`), randomBytes(7), { mode: 0o600 });
    await expect(keys.seal('household-damaged', text('x'), text('e'))).rejects.toThrow(/7 bytes.*damaged/);
  });
});

/** The previous release's table, as its migration 0050 made it. */
const PREVIOUS_STREAM_KEYS = `
  CREATE TABLE stream_keys (
    stream_id text PRIMARY KEY,
    key_hex text CHECK (key_hex IS NULL OR length(key_hex) = 64),
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz,
    CHECK ((key_hex IS NULL) = (erased_at IS NOT NULL))
  )`;

describe('moving the keys of the previous release out of the database', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await createPgliteSql();
    await migrate(sql, eventStoreMigrations);
  });
  afterAll(async () => {
    await sql?.close();
  });
  beforeEach(async () => {
    await sql.query('DROP TABLE IF EXISTS stream_keys');
    await sql.query(PREVIOUS_STREAM_KEYS);
  });
  const hasTable = async () =>
    (await sql.query<{ t: string | null }>(`SELECT to_regclass('stream_keys')::text AS t`)).rows[0]!.t !==
    null;

  test('keys and tombstones move into the key store once, then the table is dropped', async () => {
    const key = randomBytes(32);
    const old = aesGcmSeal(key, text('Fatima'), text('event-1'));
    await sql.query(`INSERT INTO stream_keys (stream_id, key_hex) VALUES ('household-a', $1)`, [
      key.toString('hex'),
    ]);
    await sql.query(
      `INSERT INTO stream_keys (stream_id, key_hex, erased_at) VALUES ('household-erased', NULL, now())`,
    );
    const dir = newDir();
    const keys = await DirectoryKeyStore.open({ dir });
    expect(await moveStreamKeys(sql, keys)).toEqual({ keys: 1, tombstones: 1 });
    expect(await hasTable()).toBe(false);
    const fresh = await DirectoryKeyStore.open({ dir });
    expect(await fresh.open('household-a', old, text('event-1'))).toEqual(text('Fatima'));
    expect(await fresh.state('household-erased')).toBe('erased');
    expect(await fresh.seal('household-erased', text('x'), text('e'))).toBe('erased');
    expect(await moveStreamKeys(sql, fresh)).toBeNull();
  });

  test('a move that fails half way keeps the table (no key lost) and succeeds when started again', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [`household-m${i}`, randomBytes(32)] as const);
    for (const [id, key] of rows)
      await sql.query('INSERT INTO stream_keys (stream_id, key_hex) VALUES ($1, $2)', [
        id,
        key.toString('hex'),
      ]);
    const dir = newDir();
    const keys = await DirectoryKeyStore.open({ dir });
    // A different key already in the store for the fourth stream stops the move there.
    await keys.adopt(rows[3]![0], randomBytes(32));
    await expect(moveStreamKeys(sql, keys)).rejects.toThrow(/different key/);
    expect(await hasTable()).toBe(true);
    expect(await keys.state(rows[0]![0])).toBe('active');
    // The operator removes the stray key; the next start completes the move.
    unlinkSync(join(dir, `${hashName(rows[3]![0])}.key`));
    expect(await moveStreamKeys(sql, await DirectoryKeyStore.open({ dir }))).toEqual({
      keys: 5,
      tombstones: 0,
    });
    expect(await hasTable()).toBe(false);
    for (const [id, key] of rows) {
      const value = aesGcmSeal(key, text(id), text('e'));
      expect(await (await DirectoryKeyStore.open({ dir })).open(id, value, text('e'))).toEqual(text(id));
    }
  });
});

describe('re-keying the plain seals of the previous release', () => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await createPgliteSql();
    await migrate(sql, eventStoreMigrations);
  });
  afterEach(async () => {
    await sql?.close();
  });

  /** Appends events sealed as the previous release did: plain SHA-256, no `alg`. */
  async function appendPlain(streamId: string, count: number): Promise<void> {
    const store = new PostgresEventStore(sql);
    let previousHash: string | null = null;
    for (let version = 1; version <= count; version++) {
      const event = newEvent('GoalAdded', { n: version });
      const hash = plainHashOf(event, streamId, version, previousHash);
      await store.append(
        streamId,
        [{ ...event, metadata: { ...event.metadata, seal: { previousHash, hash } } as never }],
        version - 1,
      );
      previousHash = hash;
    }
  }

  test('plain chains that hold are re-keyed once, verify, and take new appends', async () => {
    await appendPlain('household-r1', 3);
    await appendPlain('household-r2', 2);
    const keys = await DirectoryKeyStore.open({ dir: newDir() });
    const store = new SealedEventStore(new PostgresEventStore(sql), keys);
    expect((await store.verify()).broken.map((b) => b.problem)).toEqual(['unkeyed', 'unkeyed']);
    expect(await rekeySeals(sql, keys)).toEqual({ streams: 2, events: 5, broken: [] });
    expect(await store.verify()).toMatchObject({ ok: true, streams: 2, events: 5 });
    const { rows } = await sql.query<{ alg: string | null }>(
      `SELECT metadata->'seal'->>'alg' AS alg FROM events`,
    );
    expect(rows.every((r) => r.alg === SEAL_ALG)).toBe(true);
    await store.append('household-r1', [newEvent('GoalAdded', { n: 4 })], 3);
    expect(await store.verify()).toMatchObject({ ok: true, events: 6 });
    expect(await rekeySeals(sql, keys)).toBeNull();
  });

  test('a plain chain broken before the upgrade is re-keyed up to the break, which stays named', async () => {
    await appendPlain('household-b1', 4);
    await appendPlain('household-ok', 2);
    // Edited under the previous release: its plain chain no longer holds at version 3.
    await sql.query(
      `UPDATE events SET data = jsonb_set(data, '{n}', '99') WHERE stream_id = 'household-b1' AND stream_version = 3`,
    );
    const keys = await DirectoryKeyStore.open({ dir: newDir() });
    expect(await rekeySeals(sql, keys)).toEqual({
      streams: 2,
      events: 4,
      broken: [{ streamId: 'household-b1', streamVersion: 3 }],
    });
    const report = await new SealedEventStore(new PostgresEventStore(sql), keys).verify();
    expect(report.broken).toEqual([
      expect.objectContaining({ streamId: 'household-b1', streamVersion: 3, problem: 'unkeyed' }),
    ]);
  });
});

/**
 * The one-time steps of the upgrade trust the database only at the first start of this release: a
 * mark in the key store (which the database's writers cannot forge) says they are done, and from then
 * on a `stream_keys` table or plain seals that appear in the database are never adopted or re-keyed.
 * As an attacker with SQL write access (a database superuser) but not the key store would try it.
 */
function upgradeAttackSuite(open: () => Promise<{ sql: Sql; dispose: () => Promise<void> }>): void {
  let sql: Sql;
  let dispose: () => Promise<void>;
  let config: AppConfig;
  let store: SealedEventStore | undefined;
  const START_KEY = (id: string) => `household-${id}`;

  beforeEach(async () => {
    ({ sql, dispose } = await open());
    await migrate(sql, [...eventStoreMigrations, ...keyStoreCheckMigrations]);
    config = { ...loadConfig({ DATA_DIR: newDir() }), keyStore: { kind: 'directory', dir: newDir() } };
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await dispose?.();
  });

  /** A process's start: the factory every process (API, worker, scripts) opens the event store with. */
  const start = async () => {
    await store?.close();
    store = undefined;
    store = await createEventStore(config, sql);
    return store;
  };

  test('a stream_keys table made after the upgrade stops the start, and no key is destroyed or planted', async () => {
    const first = await start();
    await first.append(
      START_KEY('a'),
      [newEvent('HouseholdRegistered', { n: 1 }, { personal: { name: 'Fatima El Amrani' } })],
      0,
    );
    await first.close();
    store = undefined;
    // The attacker: a tombstone for a living household, and a key of their choosing for a new one.
    const planted = randomBytes(32);
    await sql.query(PREVIOUS_STREAM_KEYS);
    await sql.query(
      `INSERT INTO stream_keys (stream_id, key_hex, erased_at) VALUES ($1, NULL, now()), ($2, $3, NULL)`,
      [START_KEY('a'), START_KEY('future'), planted.toString('hex')],
    );
    await expect(start()).rejects.toThrow(
      /a stream_keys table is in the database, but this key store finished the upgrade from the previous release on .*: its rows are never adopted/,
    );
    const keys = await DirectoryKeyStore.open({ dir: (config.keyStore as { dir: string }).dir });
    expect(await keys.state(START_KEY('a'))).toBe('active');
    expect(await keys.state(START_KEY('future'))).toBe('none');
    await keys.close();
    // The table stays for the operator to look into; dropped, the start goes on and the household reads.
    const { rows } = await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM stream_keys');
    expect(rows[0]!.n).toBe('2');
    await sql.query('DROP TABLE stream_keys');
    const [registered] = await (await start()).readStream(START_KEY('a'));
    expect(registered!.personal).toEqual({ name: 'Fatima El Amrani' });
  });

  test('plain seals forged from version 1, with the re-key mark deleted, are not laundered by the next start', async () => {
    const first = await start();
    const victim = START_KEY('victim');
    await first.append(victim, [newEvent('HouseholdRegistered', { n: 1 })], 0);
    await first.append(victim, [newEvent('GoalAdded', { n: 2 }), newEvent('ActionAdded', { n: 3 })], 1);
    await first.close();
    store = undefined;
    // The attacker edits event 2 and re-seals the whole stream as the previous release did (plain
    // SHA-256, which anyone with the code computes), then removes the mark of the re-keying.
    await sql.query(
      `UPDATE events SET data = jsonb_set(data, '{n}', '42') WHERE stream_id = $1 AND stream_version = 2`,
      [victim],
    );
    const inner = new PostgresEventStore(sql);
    let previousHash: string | null = null;
    for (const event of await inner.readStream(victim)) {
      const { seal: _seal, ...metadata } = event.metadata as typeof event.metadata & { seal?: unknown };
      const hash = plainHashOf({ ...event, metadata }, victim, event.streamVersion, previousHash);
      await sql.query(
        `UPDATE events SET metadata = jsonb_set(metadata, '{seal}', $3::text::jsonb)
          WHERE stream_id = $1 AND stream_version = $2`,
        [victim, event.streamVersion, JSON.stringify({ previousHash, hash })],
      );
      previousHash = hash;
    }
    await inner.close();
    await sql.query(`DELETE FROM schema_migrations WHERE id = '0053_event_seals_keyed'`);
    // The next start (any process: the API, the worker, npm run audit:verify) re-keys nothing.
    const report = await (await start()).verify();
    expect(report.broken.map((b) => [b.streamId, b.streamVersion, b.problem])).toEqual([
      [victim, 1, 'unkeyed'],
    ]);
    const { rows } = await sql.query<{ alg: string | null }>(
      `SELECT metadata->'seal'->>'alg' AS alg FROM events WHERE stream_id = $1`,
      [victim],
    );
    expect(rows.map((r) => r.alg)).toEqual([null, null, null]);
  });
}

describe('the upgrade steps after the upgrade, on PGlite', () => {
  upgradeAttackSuite(async () => {
    const sql = await createPgliteSql();
    return { sql, dispose: () => sql.close() };
  });
});

describeWithInfra('the upgrade steps after the upgrade, on a PostgreSQL server', postgresInfra, () => {
  upgradeAttackSuite(async () => {
    const database = await createTestDatabase();
    const sql = createNodePostgresSql({ connectionString: database.url, max: 4 });
    return {
      sql,
      dispose: async () => {
        await sql.close();
        await database.drop();
      },
    };
  });
});
