import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  AccessLog,
  accessLogMigrations,
  AnchorInvalidError,
  ChainAnchors,
  DirectoryKeyStore,
  readAnchor,
  SealedEventStore,
} from '@eenplan/security';
import { START } from '@eenplan/event-store/event-store.port';
import { newEvent } from '../contract/event-store.contract';
import { eventually } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../support/postgres';

/**
 * Rows cut from the end of either chain, as a database superuser would cut them: the newest
 * access-log rows deleted and `access_log_head` set back, or a stream's last events deleted and its
 * `event_streams` version set back. Both chains still hold; the anchor in the key store (written by
 * the process that runs the projections) is what finds the cut, and no later anchor hides it.
 */
const keyRoot = mkdtempSync(join(tmpdir(), 'eenplan-anchors-'));
let keyDirs = 0;
afterAll(() => rmSync(keyRoot, { recursive: true, force: true }));

function anchorSuite(open: () => Promise<{ sql: Sql; dispose: () => Promise<void> }>): void {
  let sql: Sql;
  let dispose: () => Promise<void>;
  let keysDir: string;
  let keys: DirectoryKeyStore;
  let store: SealedEventStore;
  let log: AccessLog;
  let anchors: ChainAnchors;
  let run = 0;

  beforeAll(async () => {
    ({ sql, dispose } = await open());
    await migrate(sql, [...eventStoreMigrations, ...accessLogMigrations]);
  });
  afterAll(async () => {
    await dispose?.();
  });
  beforeEach(async () => {
    run++;
    await sql.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('TRUNCATE events, event_streams, access_log RESTART IDENTITY');
      await tx.query('UPDATE access_log_head SET seq = 0, hash = NULL, legacy_rows = 0, legacy_last_id = 0');
    });
    keysDir = join(keyRoot, `keys-${++keyDirs}`);
    keys = await DirectoryKeyStore.open({ dir: keysDir });
    store = new SealedEventStore(new PostgresEventStore(sql), keys);
    log = new AccessLog(sql, (data) => keys.mac('access-log', data), { flushMs: 0 });
    anchors = new ChainAnchors(keys, { events: store.inner, sql });
  });
  afterEach(async () => {
    await log.close();
    await store.close();
  });

  const households = () => [1, 2, 3].map((n) => `household-${run}-${n}`);

  /** Three households of four events each, and ten access-log rows. */
  async function seed(): Promise<void> {
    for (const streamId of households()) {
      await store.append(
        streamId,
        [newEvent('HouseholdRegistered', { n: 1 }, { personal: { name: 'Fatima' } })],
        0,
      );
      await store.append(streamId, [newEvent('GoalAdded', { n: 2 }), newEvent('ActionAdded', { n: 3 })], 1);
      await store.append(streamId, [newEvent('PlanAgreed', { n: 4 })], 3);
    }
    await accessRows(10);
    await feedCaughtUp();
  }

  /**
   * Until the feed reads every event seeded: PostgreSQL's feed stops before any transaction still open
   * in the cluster (transaction ids are the cluster's, not the database's), so under a parallel run
   * another test's open transaction could leave the seed's last events out of the first anchor.
   */
  async function feedCaughtUp(): Promise<void> {
    // The last event committed, not the feed's head: the head already stops before a transaction
    // still open elsewhere, so waiting for it could end with the seed's last events left out.
    const head = await store.inner.committedPosition();
    await eventually(async () => {
      const read = await store.inner.readAll(START, { limit: 10_000 });
      expect(read[read.length - 1]?.position).toBe(head);
    }, 30_000);
  }

  let rows = 0;
  async function accessRows(count: number): Promise<void> {
    for (let i = 0; i < count; i++)
      void log.record({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, ++rows)).toISOString(),
        actorId: 'w-1',
        actorVerified: true,
        actorRoles: ['worker'],
        onBehalfOf: null,
        householdId: 'h-1',
        action: 'GET /v1/households/:id',
        outcome: 200,
        purpose: 'care',
        correlationId: null,
      });
    await log.flush();
  }

  /** As a superuser: the newest rows deleted, the head set back to the last row left. */
  async function cutAccessLog(toSeq: number): Promise<void> {
    await sql.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('DELETE FROM access_log WHERE seq > $1', [toSeq]);
      await tx.query(
        'UPDATE access_log_head SET seq = $1, hash = (SELECT hash FROM access_log WHERE seq = $1)',
        [toSeq],
      );
    });
  }

  /** As a superuser: a stream's last events deleted, its version set back. */
  async function cutStream(streamId: string, toVersion: number): Promise<void> {
    await sql.query('DELETE FROM events WHERE stream_id = $1 AND stream_version > $2', [streamId, toVersion]);
    await sql.query('UPDATE event_streams SET version = $2 WHERE stream_id = $1', [streamId, toVersion]);
  }

  const withAnchor = async () => {
    const anchor = await readAnchor(keys);
    return {
      events: await store.verify({ anchor: anchor?.events && { ...anchor.events, at: anchor.at } }),
      accessLog: await log.verify({ anchor: anchor?.accessLog && { ...anchor.accessLog, at: anchor.at } }),
    };
  };

  test('an untouched database holds against its anchor', async () => {
    await seed();
    const { anchor, held } = await anchors.write();
    expect(held).toEqual([]);
    expect(anchor.accessLog).toMatchObject({ seq: 10 });
    expect(anchor.events).toMatchObject({ count: 12 });
    expect(anchor.events!.heads).toHaveLength(3);
    const report = await withAnchor();
    expect(report.events).toMatchObject({ ok: true, broken: [], anchor: { anchored: 12, found: 12 } });
    expect(report.accessLog).toMatchObject({ ok: true, broken: [] });
    // The record names nobody: stream ids only as hashes.
    expect(readFileSync(join(keysDir, 'record-chain-anchor'), 'utf8')).not.toContain('household');
  });

  test('an anchor read with a short budget reaches as far as it read; the next ones go on from there', async () => {
    await seed();
    const paced = new ChainAnchors(keys, { events: store.inner, sql }, { pageSize: 5 });
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push((await paced.write({ budgetMs: 0 })).anchor.events!.count);
    expect(counts).toEqual([5, 10, 12, 12]);
    expect((await withAnchor()).events).toMatchObject({ ok: true, anchor: { anchored: 12, found: 12 } });
  });

  test("the access log's newest rows cut and its head set back: the chain holds, the anchor finds the rows", async () => {
    await seed();
    await anchors.write();
    await cutAccessLog(8);
    // What the chain alone shows: nothing.
    expect(await log.verify()).toMatchObject({ ok: true, broken: [] });
    const cut = (await withAnchor()).accessLog;
    expect(cut.ok).toBe(false);
    expect(cut.broken).toEqual([
      expect.objectContaining({
        seq: 10,
        problem: 'cut-below-anchor',
        detail: expect.stringMatching(
          /saw the chain at sequence 10; its rows end at 8: rows 9 to 10 were cut$/,
        ),
      }),
    ]);
    // The next anchor does not move past the cut, so it stays found.
    const next = await anchors.write();
    expect(next.held).toEqual([
      expect.stringContaining('the row at sequence 10 that the last anchor saw is gone'),
    ]);
    expect(next.anchor.accessLog).toMatchObject({ seq: 10 });
    // Nor once the app has written new rows over the same sequence numbers.
    await accessRows(3);
    expect((await withAnchor()).accessLog.broken).toEqual([
      expect.objectContaining({
        seq: 10,
        problem: 'cut-below-anchor',
        detail: expect.stringContaining('is not the row the anchor'),
      }),
    ]);
    expect((await anchors.write()).anchor.accessLog).toMatchObject({ seq: 10 });
  });

  test("a stream's last events cut and its version set back: the chain holds, the anchor names the stream", async () => {
    await seed();
    await anchors.write();
    const victim = households()[1]!;
    await cutStream(victim, 2);
    expect(await store.verify()).toMatchObject({ ok: true, broken: [] });
    const cut = (await withAnchor()).events;
    expect(cut).toMatchObject({ ok: false, anchor: { anchored: 12, found: 10 } });
    expect(cut.broken).toEqual([
      expect.objectContaining({
        streamId: victim,
        streamVersion: 3,
        problem: 'cut-below-anchor',
        detail: expect.stringMatching(
          /saw this stream at version 4; it now ends at version 2: 2 event\(s\) cut$/,
        ),
      }),
    ]);
    // The next anchor carries the count and the head over.
    await anchors.write();
    expect((await withAnchor()).events).toMatchObject({
      ok: false,
      broken: [expect.objectContaining({ streamId: victim, problem: 'cut-below-anchor' })],
      anchor: { anchored: 12, found: 10 },
    });
    // Written again up to the same version: the stream still named, the count still short.
    await store.append(victim, [newEvent('GoalAdded', { n: 30 }), newEvent('GoalAdded', { n: 40 })], 2);
    expect(await store.verify()).toMatchObject({ ok: true });
    const again = (await withAnchor()).events;
    expect(again.broken).toEqual([
      expect.objectContaining({
        streamId: victim,
        streamVersion: 4,
        problem: 'cut-below-anchor',
        detail: expect.stringContaining('is not the event the anchor'),
      }),
    ]);
    expect(again.anchor).toMatchObject({ anchored: 12, found: 10 });
  });

  test('a stream cut that is not among the anchored heads is found by the count', async () => {
    await seed();
    // Only the last stream written keeps its head in this anchor.
    await new ChainAnchors(keys, { events: store.inner, sql }, { maxHeads: 1 }).write();
    await cutStream(households()[0]!, 3);
    const cut = (await withAnchor()).events;
    expect(cut).toMatchObject({ ok: false, broken: [], anchor: { anchored: 12, found: 11 } });
  });

  test('a household verified on its own is checked against its anchored head', async () => {
    await seed();
    await anchors.write();
    const [first, victim] = households() as [string, string];
    await cutStream(victim, 3);
    const anchor = (await readAnchor(keys))!;
    const one = (streamId: string) =>
      store.verify({ streamIds: [streamId], anchor: { ...anchor.events!, at: anchor.at } });
    expect(await one(first)).toMatchObject({ ok: true, anchor: { found: null } });
    expect((await one(victim)).broken).toEqual([
      expect.objectContaining({ streamId: victim, streamVersion: 4, problem: 'cut-below-anchor' }),
    ]);
  });

  test('what is cut after the last anchor is not found: the window until the next one', async () => {
    await seed();
    await anchors.write();
    const victim = households()[2]!;
    await store.append(victim, [newEvent('GoalAdded', { n: 5 })], 4);
    await accessRows(2);
    await cutStream(victim, 4);
    await cutAccessLog(10);
    const report = await withAnchor();
    expect(report.events).toMatchObject({ ok: true, broken: [] });
    expect(report.accessLog).toMatchObject({ ok: true, broken: [] });
  });

  test('an anchor changed in the key store does not verify, and is not written over', async () => {
    await seed();
    await anchors.write();
    const file = join(keysDir, 'record-chain-anchor');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { accessLog: { seq: number } };
    stored.accessLog.seq = 8;
    writeFileSync(file, JSON.stringify(stored));
    await expect(readAnchor(keys)).rejects.toThrow(AnchorInvalidError);
    await expect(anchors.write()).rejects.toThrow(/does not hold its MAC/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stored);
  });
}

describe('chain anchors on PGlite', () => {
  anchorSuite(async () => {
    const sql = await createPgliteSql();
    return { sql, dispose: () => sql.close() };
  });
});

describeWithInfra('chain anchors on a PostgreSQL server', postgresInfra, () => {
  let database: TestDatabase;
  anchorSuite(async () => {
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
