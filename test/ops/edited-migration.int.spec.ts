import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql, type Sql } from '@eenplan/event-store';
import { ConfigError, migrateApp } from '@eenplan/runtime';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../support/postgres';

/**
 * A migration edited after it ran, as an operator meets it: every process that migrates at start
 * (the API, the worker, the CLIs) stops with exit 2 and one line naming the migration, like any
 * wrong setting (docs/OPERATIONS.md). The processes are the built ones: needs `npm run build` first.
 * "Edited" is simulated by changing the stored checksum: to the code that is the same difference.
 */
const ROOT = join(__dirname, '..', '..');
const API = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const WORKER = join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');
const MIGRATE = join(ROOT, 'dist', 'scripts', 'migrate.js');
const EDITED = '0001_event_store';

const pretendEdited = (sql: Sql) =>
  sql.query("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE id = $1", [EDITED]);

/** Runs a built entry point to its exit; the API, if it started after all, is stopped. */
const runToExit = (entry: string, env: Record<string, string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    if (!existsSync(entry)) return reject(new Error(`${entry} is missing: run npm run build first`));
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });

const refusal = new RegExp(
  `^[^\\n]*configuration error: migration ${EDITED} was edited after it ran on this database[^\\n]*new migration\\n$`,
);

describe('an edited migration on PGlite', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'eenplan-edited-'));
    const sql = await createSql({ dataDir: join(dataDir, 'pglite') });
    try {
      await migrateApp(sql);
      await pretendEdited(sql);
    } finally {
      await sql.close();
    }
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('migrateApp refuses it with a ConfigError naming the migration', async () => {
    const sql = await createSql({ dataDir: join(dataDir, 'pglite') });
    try {
      const error = await migrateApp(sql).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(`migration ${EDITED} was edited`);
    } finally {
      await sql.close();
    }
  });

  test.each([
    ['the API', API],
    ['npm run migrate', MIGRATE],
  ])('%s stops with exit 2 and one line naming it', async (_name, entry) => {
    const { code, stderr } = await runToExit(entry, { DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(32) });
    expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringMatching(refusal) });
  });
});

describeWithInfra('an edited migration on PostgreSQL', postgresInfra, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    const sql = await createSql({ databaseUrl: database.url });
    try {
      await migrateApp(sql);
      await pretendEdited(sql);
      const error = await migrateApp(sql).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
    } finally {
      await sql.close();
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('the worker stops with exit 2 and one line naming it', async () => {
    const { code, stderr } = await runToExit(WORKER, { DATABASE_URL: database.url });
    expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringMatching(refusal) });
  });
});
