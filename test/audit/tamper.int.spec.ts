import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNodePostgresSql,
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  START,
  type Sql,
} from '@eenplan/event-store';
import {
  DirectoryKeyStore,
  keyedHashOf,
  plainHashOf,
  rekeySeals,
  SEAL_ALG,
  SealedEventStore,
  upgradeFromPreviousRelease,
  type Seal,
} from '@eenplan/security';
import { newEvent } from '../contract/event-store.contract';
import { eventually } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../support/postgres';

/**
 * The feed (and so the verifier) holds back what commits after any older open transaction of the
 * whole PostgreSQL cluster, and the other test files running beside this one open such
 * transactions: an answer that still misses events is waited out, not taken as the verdict.
 */
const settled = (assertion: () => Promise<unknown>) => eventually(assertion, 15_000);

/**
 * Tamper evidence as an auditor would test it: events written through the API's store, then one
 * stored row edited behind its back in SQL, also by an attacker who has the code (and so can
 * recompute plain hashes) but not the key store's 'event-seal' key. Verification must name the
 * first broken link, and only that stream.
 */
const keyRoot = mkdtempSync(join(tmpdir(), 'eenplan-tamper-'));
let keyDirs = 0;
const openKeys = () => DirectoryKeyStore.open({ dir: join(keyRoot, `keys-${++keyDirs}`) });
afterAll(() => rmSync(keyRoot, { recursive: true, force: true }));

function tamperSuite(open: () => Promise<{ sql: Sql; dispose: () => Promise<void> }>): void {
  let sql: Sql;
  let dispose: () => Promise<void>;
  let store: SealedEventStore;
  let run = 0;

  beforeAll(async () => {
    ({ sql, dispose } = await open());
    await migrate(sql, eventStoreMigrations);
  });
  afterAll(async () => {
    await dispose?.();
  });
  beforeEach(async () => {
    await sql.query('TRUNCATE events, event_streams RESTART IDENTITY');
    store = new SealedEventStore(new PostgresEventStore(sql), await openKeys());
    run++;
  });
  afterEach(async () => {
    await store.close();
  });

  /** Two households of four events each; the second is the one tampered with. */
  async function seed(): Promise<{ victim: string; bystander: string }> {
    const bystander = `household-a${run}`;
    const victim = `household-b${run}`;
    for (const streamId of [bystander, victim]) {
      await store.append(
        streamId,
        [newEvent('HouseholdRegistered', { n: 1 }, { personal: { name: 'Fatima' } })],
        0,
      );
      await store.append(streamId, [newEvent('GoalAdded', { n: 2 }), newEvent('ActionAdded', { n: 3 })], 1);
      await store.append(streamId, [newEvent('PlanAgreed', { n: 4 })], 3);
    }
    return { victim, bystander };
  }

  const brokenAt = async () =>
    (await store.verify()).broken.map((b) => [b.streamId, b.streamVersion, b.problem]);

  test('an untouched store verifies, and every seal is keyed', async () => {
    await seed();
    const report = await store.verify();
    expect(report).toMatchObject({ ok: true, streams: 2, events: 8, broken: [] });
    const seals = (await sql.query<{ seal: Seal }>(`SELECT metadata->'seal' AS seal FROM events`)).rows;
    expect(seals.map((r) => r.seal.alg)).toEqual(Array.from({ length: 8 }, () => SEAL_ALG));
  });

  test('an edited payload is detected at that event', async () => {
    const { victim } = await seed();
    await sql.query(
      `UPDATE events SET data = jsonb_set(data, '{n}', '99') WHERE stream_id = $1 AND stream_version = 3`,
      [victim],
    );
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 3, 'content-changed']]));
  });

  test('an edited time is detected', async () => {
    const { victim } = await seed();
    await sql.query(
      `UPDATE events SET metadata = jsonb_set(metadata, '{recordedAt}', '"2020-01-01T00:00:00.000Z"') WHERE stream_id = $1 AND stream_version = 2`,
      [victim],
    );
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 2, 'content-changed']]));
  });

  test('an edited actor is detected', async () => {
    const { victim } = await seed();
    await sql.query(
      `UPDATE events SET metadata = jsonb_set(metadata, '{actor,id}', '"someone-else"') WHERE stream_id = $1 AND stream_version = 1`,
      [victim],
    );
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 1, 'content-changed']]));
  });

  test('an edited personal part (even re-encrypted elsewhere) is detected', async () => {
    const { victim, bystander } = await seed();
    // Swapping in another event's valid ciphertext still changes the hashed content.
    await sql.query(
      `UPDATE events SET personal = (SELECT personal FROM events WHERE stream_id = $2 AND stream_version = 1)
        WHERE stream_id = $1 AND stream_version = 1`,
      [victim, bystander],
    );
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 1, 'content-changed']]));
  });

  test('a shortened GCM tag is refused when the personal part is read, and breaks the seal', async () => {
    const { victim } = await seed();
    // A tag cut to 4 bytes would let a forger try 2^32 ciphertexts; only the full 16 bytes pass.
    await sql.query(
      `UPDATE events SET personal = jsonb_set(personal, '{tag}',
              to_jsonb(encode(substring(decode(personal->>'tag', 'base64') from 1 for 4), 'base64')))
        WHERE stream_id = $1 AND stream_version = 1`,
      [victim],
    );
    await expect(store.readStream(victim)).rejects.toThrow(/tag must be 16 bytes, got 4/);
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 1, 'content-changed']]));
  });

  test('a changed order is detected', async () => {
    const { victim } = await seed();
    // Versions 2 and 3 swap places (through a spare number: (stream, version) is unique per row).
    for (const [from, to] of [
      [2, 1000],
      [3, 2],
      [1000, 3],
    ])
      await sql.query('UPDATE events SET stream_version = $3 WHERE stream_id = $1 AND stream_version = $2', [
        victim,
        from,
        to,
      ]);
    const [link] = (await store.verify()).broken;
    expect(link).toMatchObject({ streamId: victim, streamVersion: 2 });
  });

  test('a deleted event in the middle is detected', async () => {
    const { victim } = await seed();
    await sql.query('DELETE FROM events WHERE stream_id = $1 AND stream_version = 2', [victim]);
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 2, 'version-gap']]));
  });

  test('a deleted last event is detected', async () => {
    const { victim } = await seed();
    await sql.query('DELETE FROM events WHERE stream_id = $1 AND stream_version = 4', [victim]);
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 4, 'missing-at-end']]));
  });

  /**
   * The attacker edits event 2 and re-seals it and every later event of the stream with
   * `reseal(event, version, previousHash)`, so that each seal names its predecessor's new hash.
   */
  async function forgeFromVersion2(
    victim: string,
    reseal: (
      event: Awaited<ReturnType<typeof store.readSealed>>[number],
      version: number,
      previous: string | null,
    ) => Promise<Seal>,
  ): Promise<void> {
    await sql.query(
      `UPDATE events SET data = jsonb_set(data, '{n}', '42') WHERE stream_id = $1 AND stream_version = 2`,
      [victim],
    );
    const events = await store.readSealed(victim);
    let previous = (events[0]!.metadata as unknown as { seal: Seal }).seal.hash;
    for (const event of events.slice(1)) {
      const seal = await reseal(event, event.streamVersion, previous);
      await sql.query(
        `UPDATE events SET metadata = jsonb_set(metadata, '{seal}', $3::text::jsonb)
          WHERE stream_id = $1 AND stream_version = $2`,
        [victim, event.streamVersion, JSON.stringify(seal)],
      );
      previous = seal.hash;
    }
  }

  test('an edited event with every later seal recomputed by the plain SHA-256 code: named at the edit', async () => {
    const { victim } = await seed();
    // What the previous release's verifier accepted: a plain chain that holds from end to end.
    await forgeFromVersion2(victim, async (event, version, previousHash) => ({
      previousHash,
      hash: plainHashOf(event, victim, version, previousHash),
    }));
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 2, 'unkeyed']]));
  });

  test('an edited event with every later seal recomputed as HMAC under a wrong key: named at the edit', async () => {
    const { victim } = await seed();
    const wrongKey = randomBytes(32);
    const mac = async (data: Buffer) => createHmac('sha256', wrongKey).update(data).digest();
    await forgeFromVersion2(victim, async (event, version, previousHash) => ({
      alg: SEAL_ALG,
      previousHash,
      hash: await keyedHashOf(mac, event, victim, version, previousHash),
    }));
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 2, 'content-changed']]));
  });

  test("a forged seal copied from another store's key does not hold either", async () => {
    const { victim } = await seed();
    // The attacker runs the code with a key store of their own: a key that is not this store's.
    const theirs = await openKeys();
    await forgeFromVersion2(victim, async (event, version, previousHash) => ({
      alg: SEAL_ALG,
      previousHash,
      hash: await keyedHashOf((d) => theirs.mac('event-seal', d), event, victim, version, previousHash),
    }));
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 2, 'content-changed']]));
  });

  test('after the upgrade, a stream re-sealed in plain SHA-256 from version 1 is not re-keyed by any later start', async () => {
    // The first start of this release: the key store marks the upgrade done.
    expect(await upgradeFromPreviousRelease(sql, store.keys, { rekey: true })).toEqual({
      moved: null,
      rekeyed: { streams: 0, events: 0, broken: [] },
    });
    const { victim } = await seed();
    await sql.query(
      `UPDATE events SET data = jsonb_set(data, '{n}', '42') WHERE stream_id = $1 AND stream_version = 2`,
      [victim],
    );
    let previousHash: string | null = null;
    for (const event of await store.readSealed(victim)) {
      const hash = plainHashOf(event, victim, event.streamVersion, previousHash);
      await sql.query(
        `UPDATE events SET metadata = jsonb_set(metadata, '{seal}', $3::text::jsonb)
          WHERE stream_id = $1 AND stream_version = $2`,
        [victim, event.streamVersion, JSON.stringify({ previousHash, hash })],
      );
      previousHash = hash;
    }
    // What made the previous code re-key a database: the mark in schema_migrations, gone.
    await sql.query(`DELETE FROM schema_migrations WHERE id = '0053_event_seals_keyed'`);
    expect(await upgradeFromPreviousRelease(sql, store.keys, { rekey: true })).toBeNull();
    expect(await rekeySeals(sql, store.keys)).toBeNull();
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 1, 'unkeyed']]));
  });

  test('a rewritten event with a recomputed own seal still breaks the chain after it', async () => {
    const { victim } = await seed();
    // Even with the key: event 2 gets a matching new seal, event 3 still names the old hash.
    const [before] = (await store.readSealed(victim)).filter((e) => e.streamVersion === 2);
    const forgedData = { n: 42 };
    const seal = (before!.metadata as unknown as { seal: Seal }).seal;
    const forgedHash = await keyedHashOf(
      (d) => store.keys.mac('event-seal', d),
      { ...before!, data: forgedData },
      victim,
      2,
      seal.previousHash,
    );
    await sql.query(
      `UPDATE events SET data = $2::text::jsonb,
              metadata = jsonb_set(metadata, '{seal,hash}', to_jsonb($3::text))
        WHERE stream_id = $1 AND stream_version = 2`,
      [victim, JSON.stringify(forgedData), forgedHash],
    );
    await settled(async () => expect(await brokenAt()).toEqual([[victim, 3, 'chain-broken']]));
  });
}

describe('tamper evidence on PGlite', () => {
  tamperSuite(async () => {
    const sql = await createPgliteSql();
    return { sql, dispose: () => sql.close() };
  });
});

describeWithInfra('tamper evidence on a PostgreSQL server', postgresInfra, () => {
  let database: TestDatabase;
  tamperSuite(async () => {
    database = await createTestDatabase();
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

describeWithInfra('verification while the feed holds events back', postgresInfra, () => {
  test("a stream's newest events behind an older open transaction are checked from the stream, not called lost", async () => {
    const database = await createTestDatabase();
    const sql = createNodePostgresSql({ connectionString: database.url, max: 4 });
    // Released in finally too, so that a failed assertion does not leave the pool waiting on it.
    let release = () => {};
    try {
      await migrate(sql, eventStoreMigrations);
      const store = new SealedEventStore(new PostgresEventStore(sql), await openKeys());
      await store.append('household-h', [newEvent('HouseholdRegistered', { n: 1 })], 0);
      // An older transaction with an id, left open: what commits after it stays out of the feed.
      let begun!: () => void;
      const started = new Promise<void>((resolve) => (begun = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const open = sql.transaction(async (tx) => {
        await tx.query('SELECT pg_current_xact_id()');
        begun();
        await held;
      });
      await started;
      await store.append('household-h', [newEvent('GoalAdded', { n: 2 })], 1);
      await settled(async () => expect(await store.inner.readAll(START)).toHaveLength(1));
      await settled(async () =>
        expect(await store.verify()).toMatchObject({ ok: true, events: 2, broken: [] }),
      );
      release();
      await open;
      // A last event really gone is still named.
      await sql.query(`DELETE FROM events WHERE stream_id = 'household-h' AND stream_version = 2`);
      expect((await store.verify()).broken.map((b) => [b.streamVersion, b.problem])).toEqual([
        [2, 'missing-at-end'],
      ]);
      await store.close();
    } finally {
      release();
      await sql.close();
      await database.drop();
    }
  });
});
