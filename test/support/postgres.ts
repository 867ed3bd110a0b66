import { randomBytes } from 'node:crypto';
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
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

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
