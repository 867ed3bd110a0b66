import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type Sql,
} from '@eenplan/event-store';
import { DirectoryKeyStore, SealedEventStore } from '@eenplan/security';
import { eventStoreContract } from './event-store.contract';

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
