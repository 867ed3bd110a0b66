import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql, migrate } from '@eenplan/event-store';
import { AccessLog, ANONYMOUS, DirectoryKeyStore } from '@eenplan/security';
import { allMigrations } from '../../apps/api/src/infrastructure/infrastructure.module';
import { accessLogMac } from '../../apps/api/src/privacy/access-log-mac';

/**
 * `npm run audit:verify` as an operator runs it (the built script, on the embedded default's data
 * directory): the access log's chain is checked with the events' chains, and a row a database
 * superuser deleted makes it exit 1 naming the row. Needs `npm run build` first.
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

const verify = () =>
  spawnSync(process.execPath, [SCRIPT], {
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
