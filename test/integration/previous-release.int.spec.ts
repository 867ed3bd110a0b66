import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteSql, createSql, type Sql } from '@eenplan/event-store';
import { createEventStore } from '@eenplan/runtime';
import { SQL } from '../../apps/api/src/common/tokens';
import { startTestApp, TestClock, type TestApp } from '../support/app';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../support/postgres';

/**
 * Existing data migrates (issue 16): the data the previous release (d3bed92) wrote, with its keys
 * in the `stream_keys` table and its plain SHA-256 seals (test/fixtures/previous-release: made by
 * that release itself through its API, kept as a plain SQL dump), restored into PGlite and into
 * PostgreSQL. The new release starts on it: the keys move into the key store and the table goes,
 * the seals are re-keyed, the households still read (names decrypt), the erased one stays erased,
 * verification holds, new writes work, and a second start changes nothing.
 */
const FIXTURE = join(__dirname, '../fixtures/previous-release/d3bed92.sql');

function previousReleaseSuite(restore: () => Promise<{ overrides: object; dispose(): Promise<void> }>) {
  let t: TestApp | undefined;
  let dataDir: string;
  let restored: Awaited<ReturnType<typeof restore>>;
  const clock = new TestClock('2026-01-05T09:00:00.000Z');

  const start = async () => {
    await t?.close();
    t = await startTestApp(
      { ...restored.overrides, dataDir, keyStore: { kind: 'directory', dir: join(dataDir, 'keys') } },
      { clock },
    );
    return t;
  };
  const lead = (app: TestApp) => ({
    Authorization: `Bearer ${app.token('lead-prev', ['worker', 'team-lead'], ['team-prev'])}`,
  });
  const auditor = (app: TestApp) => ({ Authorization: `Bearer ${app.token('audit-1', ['auditor'])}` });
  const household = async (app: TestApp, id: string) =>
    JSON.stringify((await app.http().get(`/v1/households/${id}`).set(lead(app)).expect(200)).body);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'eenplan-previous-'));
    restored = await restore();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await restored?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("starts on the previous release's data: keys moved out, seals re-keyed, households read", async () => {
    const app = await start();
    // The keys left the database: the table is gone, the key store holds them.
    const sql = app.app.get<Sql>(SQL);
    expect(
      (await sql.query<{ t: string | null }>(`SELECT to_regclass('stream_keys')::text AS t`)).rows[0]!.t,
    ).toBeNull();
    const files = readdirSync(join(dataDir, 'keys'));
    expect(files.filter((f) => f.endsWith('.key') && f.startsWith('s-'))).toHaveLength(3);
    expect(files.filter((f) => f.endsWith('.erased'))).toHaveLength(1);
    // The key store marks the upgrade done: no later start trusts the database for it again.
    expect(
      JSON.parse(readFileSync(join(dataDir, 'keys', 'record-upgrade-from-database-keys'), 'utf8')),
    ).toMatchObject({
      v: 1,
      moved: { keys: 3, tombstones: 1 },
      rekeyed: { broken: 0 },
    });
    // Every seal re-keyed.
    const seals = await sql.query<{ alg: string | null }>(
      `SELECT metadata->'seal'->>'alg' AS alg FROM events`,
    );
    expect(seals.rows.length).toBeGreaterThan(10);
    expect(seals.rows.filter((r) => r.alg !== 'HS256')).toEqual([]);
    // Names decrypt with the moved keys.
    const first = await household(app, 'hh-prev-1');
    expect(first).toContain('Anouk Prevelaar');
    expect(first).toContain('huurachterstand Prevelaar oplossen');
    expect(await household(app, 'hh-prev-2')).toContain('Carla Oudvoorbeeld');
    // The household erased by the previous release stays erased, and its erasure complete.
    expect(await household(app, 'hh-prev-3')).not.toContain('Gewistmans');
    expect(
      (await app.http().get('/v1/households/hh-prev-3/erasure').set(auditor(app)).expect(200)).body,
    ).toMatchObject({ status: 'complete', ground: 'AVG art. 17, verzoek 2025-001' });
    // The regie history of the transfer the previous release recorded.
    const history = (
      await app.http().get('/v1/households/hh-prev-1/regie/history').set(auditor(app)).expect(200)
    ).body.intervals as { holder: { id?: string } }[];
    expect(history.map((i) => i.holder.id)).toEqual(['w-prev-1', 'w-prev-2']);
    const verified = (await app.http().get('/v1/audit/verify').set(auditor(app)).expect(200)).body;
    expect(verified).toMatchObject({ ok: true, broken: [], events: seals.rows.length });
  }, 120_000);

  test('takes new writes, and a second start changes nothing', async () => {
    let app = await start();
    const worker = { Authorization: `Bearer ${app.token('w-prev-1', ['worker'], ['team-prev'])}` };
    await app
      .http()
      .post('/v1/households/hh-prev-2/goals')
      .set(worker)
      .send({ lifeDomain: 'housing', description: 'nieuwe woning Oudvoorbeeld' })
      .expect(201);
    // The keys and the upgrade's record; the chains' anchor moves on at every shutdown, by design.
    const keyFiles = readdirSync(join(dataDir, 'keys'))
      .filter((f) => f !== 'record-chain-anchor')
      .sort();
    const keyBytes = keyFiles.map((f) => readFileSync(join(dataDir, 'keys', f)).toString('hex'));
    app = await start();
    expect(
      readdirSync(join(dataDir, 'keys'))
        .filter((f) => f !== 'record-chain-anchor')
        .sort(),
    ).toEqual(keyFiles);
    expect(keyFiles.map((f) => readFileSync(join(dataDir, 'keys', f)).toString('hex'))).toEqual(keyBytes);
    const second = await household(app, 'hh-prev-2');
    expect(second).toContain('nieuwe woning Oudvoorbeeld');
    expect(second).toContain('Carla Oudvoorbeeld');
    expect((await app.http().get('/v1/audit/verify').set(auditor(app)).expect(200)).body).toMatchObject({
      ok: true,
      broken: [],
    });
  }, 120_000);

  test('a process started with another key store refuses to start, and changes nothing', async () => {
    const config = (await start()).config;
    await t!.close();
    t = undefined;
    const other = mkdtempSync(join(tmpdir(), 'eenplan-other-keys-'));
    const sql = await createSql(
      config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.pgliteDir },
    );
    try {
      await expect(
        createEventStore({ ...config, keyStore: { kind: 'directory', dir: other } }, sql),
      ).rejects.toThrow(/not the one this database's events were sealed with/);
    } finally {
      await sql.close();
      rmSync(other, { recursive: true, force: true });
    }
    const app = await start();
    expect(await household(app, 'hh-prev-1')).toContain('Anouk Prevelaar');
  }, 120_000);
}

describe("the previous release's data on PGlite", () => {
  previousReleaseSuite(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eenplan-previous-pglite-'));
    const sql = await createPgliteSql({ dataDir: dir });
    // As psql would run it: its own meta-commands (the restrict lines pg_dump writes) are not SQL.
    await sql.query(readFileSync(FIXTURE, 'utf8').replace(/^\\.*$/gm, ''));
    await sql.close();
    return {
      overrides: { pgliteDir: dir },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
});

describeWithInfra("the previous release's data on a PostgreSQL server", postgresInfra, () => {
  previousReleaseSuite(async () => {
    const database: TestDatabase = await createTestDatabase();
    const result = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-f', FIXTURE, database.url], {
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`psql: ${result.stderr || result.error?.message}`);
    return {
      overrides: { databaseUrl: database.url },
      dispose: () => database.drop(),
    };
  });
});
