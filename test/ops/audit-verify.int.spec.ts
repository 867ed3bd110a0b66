import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql, migrate, PostgresEventStore } from '@eenplan/event-store';
import { AccessLog, ANONYMOUS, ChainAnchors, DirectoryKeyStore, SealedEventStore } from '@eenplan/security';
import { allMigrations } from '@eenplan/runtime';
import { accessLogMac } from '../../apps/api/src/privacy/access-log-mac';
import { newEvent } from '../contract/event-store.contract';

/**
 * `npm run audit:verify` as an operator runs it (the built script, on the embedded default's data
 * directory): the access log's chain is checked with the events' chains, and a row a database
 * superuser deleted makes it exit 1 naming the row, and so do rows and events cut from the end below
 * the last anchor. Needs `npm run build` first.
 */
const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'dist', 'scripts', 'audit-verify.js');

let dataDir: string;

beforeAll(async () => {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run npm run build first`);
  dataDir = mkdtempSync(join(tmpdir(), 'eenplan-audit-verify-'));
  await withDatabase(async (sql) => {
    await migrate(sql, allMigrations());
    // The key store of the embedded default, as the API would open it on this data directory.
    const keys = await DirectoryKeyStore.open({ dir: join(dataDir, 'keys') });
    const log = new AccessLog(sql, accessLogMac(keys));
    for (let n = 1; n <= 5; n++) {
      void log.record({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
        actorId: n === 3 ? ANONYMOUS : `w-${n}`,
        actorVerified: n !== 3,
        actorRoles: n === 3 ? [] : ['worker'],
        onBehalfOf: null,
        householdId: 'h-1',
        action: 'GET /v1/households/:id',
        outcome: n === 3 ? 401 : 200,
        purpose: 'care',
        correlationId: null,
      });
    }
    await log.close();
    await keys.close();
  });
}, 60_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function withDatabase(work: (sql: Awaited<ReturnType<typeof createSql>>) => Promise<void>) {
  const sql = await createSql({ dataDir: join(dataDir, 'pglite') });
  try {
    await work(sql);
  } finally {
    await sql.close();
  }
}

const verify = (...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PGLITE_DIR: '', KEY_STORE_DIR: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });

test('a whole chain: exit 0, the access log counted', () => {
  const run = verify();
  expect(run.stdout).toMatch(/^Access log OK: 5 chained rows and 0 from before the chain checked/m);
  expect(run.status).toBe(0);
});

test('a household the event store holds no event of: named as unknown, exit 2', () => {
  const run = verify('h-nobody');
  expect(run.stderr).toMatch(
    /^audit:verify: unknown household\(s\): h-nobody: the event store holds no event of it$/m,
  );
  expect(run.status).toBe(2);
});

test('a wrong option: the usage and one line naming it, exit 2', () => {
  const run = verify('--househld', 'h-1');
  expect(run.stderr).toMatch(/^usage: npm run audit:verify/);
  expect(run.stderr.trim().split('\n').pop()).toBe("audit:verify: Unknown option '--househld'");
  expect(run.status).toBe(2);
});

test('a row a superuser deleted: exit 1, the row after it named', async () => {
  await withDatabase(async (sql) => {
    await sql.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('DELETE FROM access_log WHERE seq = 2');
    });
  });
  const run = verify();
  expect(run.stdout).toMatch(/^Access log BROKEN: 4 chained rows/m);
  expect(run.stdout).toMatch(/row seq 3 \(id \d+\): sequence-gap: expected sequence 2 next, found 3/);
  expect(run.status).toBe(1);
});

describe('against the last anchor', () => {
  let anchoredDir: string;
  beforeAll(async () => {
    anchoredDir = mkdtempSync(join(tmpdir(), 'eenplan-audit-anchor-'));
    const sql = await createSql({ dataDir: join(anchoredDir, 'pglite') });
    try {
      await migrate(sql, allMigrations());
      const keys = await DirectoryKeyStore.open({ dir: join(anchoredDir, 'keys') });
      const store = new SealedEventStore(new PostgresEventStore(sql), keys);
      for (let n = 1; n <= 4; n++)
        await store.append('household-h-anchor', [newEvent('GoalAdded', { n })], n - 1);
      const log = new AccessLog(sql, accessLogMac(keys));
      for (let n = 1; n <= 6; n++)
        void log.record({
          at: new Date(Date.UTC(2026, 0, 2, 0, 0, n)).toISOString(),
          actorId: 'w-1',
          actorVerified: true,
          actorRoles: ['worker'],
          onBehalfOf: null,
          householdId: 'h-anchor',
          action: 'GET /v1/households/:id',
          outcome: 200,
          purpose: 'care',
          correlationId: null,
        });
      await log.close();
      // What the process that runs the projections writes now and then.
      await new ChainAnchors(keys, { events: store.inner, sql }).write();
      await store.close();
      // Then a superuser cuts the tail of both chains, setting the heads back.
      await sql.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query('DELETE FROM access_log WHERE seq > 4');
        await tx.query(
          'UPDATE access_log_head SET seq = 4, hash = (SELECT hash FROM access_log WHERE seq = 4)',
        );
        await tx.query(`DELETE FROM events WHERE stream_id = 'household-h-anchor' AND stream_version > 3`);
        await tx.query(`UPDATE event_streams SET version = 3 WHERE stream_id = 'household-h-anchor'`);
      });
    } finally {
      await sql.close();
    }
  }, 60_000);
  afterAll(() => {
    if (anchoredDir) rmSync(anchoredDir, { recursive: true, force: true });
  });

  test('the tails cut with their heads set back: exit 1, the rows and the stream named', () => {
    const run = spawnSync(process.execPath, [SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: anchoredDir, DATABASE_URL: '', PGLITE_DIR: '', KEY_STORE_DIR: '' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout).toMatch(/^BROKEN: 1 streams, 3 events checked/m);
    expect(run.stdout).toMatch(
      /household-h-anchor version 4: cut-below-anchor: the anchor of \S+ saw this stream at version 4; it now ends at version 3: 1 event\(s\) cut/,
    );
    expect(run.stdout).toMatch(/^Anchor of \S+: 4 events up to position \S+: 3 found$/m);
    expect(run.stdout).toMatch(/^ {2}1 event\(s\) cut below the anchor/m);
    expect(run.stdout).toMatch(
      /row seq 6: cut-below-anchor: the anchor of \S+ saw the chain at sequence 6; its rows end at 4: rows 5 to 6 were cut/,
    );
    expect(run.status).toBe(1);
  });
});
