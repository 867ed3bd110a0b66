import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { probeWithNode, type Infra } from './infra';

/**
 * The PostgreSQL server tests use: `DATABASE_URL` or the local default. Suites never touch the
 * database it names; they create a fresh one on the same server (`createTestDatabase`), so the URL
 * needs a role that may CREATE DATABASE.
 */
export const postgresServerUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const postgresInfra: Infra = {
  name: `PostgreSQL at ${redact(postgresServerUrl)}`,
  howToStart:
    'pg_ctlcluster --skip-systemctl-redirect 15 main start (or set DATABASE_URL to a server you have)',
  probe: () =>
    probeWithNode(
      `const { Client } = require(process.argv[1]);
       const c = new Client({ connectionString: process.argv[2], connectionTimeoutMillis: 3000 });
       c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(
         () => process.exit(0),
         (e) => { console.log(e.message || e.code || String(e)); process.exit(1); });`,
      [require.resolve('pg'), postgresServerUrl],
    ),
};

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty database `eenplan_test_<random>` on the test server; `drop()` removes it. */
export async function createTestDatabase(serverUrl = postgresServerUrl): Promise<TestDatabase> {
  const name = `eenplan_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(keyStoreDirFor(url.toString()), { recursive: true, force: true });
    },
  };
}

/**
 * The key store of the apps on a test database: apps that share a database share its keys, as the
 * processes on one host share KEY_STORE_DIR (a process with other keys refuses to start).
 */
export const keyStoreDirFor = (databaseUrl: string): string =>
  join(tmpdir(), `eenplan-test-keys-${new URL(databaseUrl).pathname.slice(1)}`);

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
