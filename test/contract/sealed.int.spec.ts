import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type Sql,
} from '@eenplan/event-store';
import { SealedEventStore, StreamKeys, streamKeyMigrations } from '@eenplan/security';
import { eventStoreContract } from './event-store.contract';

// The sealing wrapper (hash chain, encrypted personal part) must keep the port's contract whole:
// readers get back exactly what was appended. One PGlite for the file, cleared between tests.
let sql: Sql;

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, [...eventStoreMigrations, ...streamKeyMigrations]);
});

afterAll(async () => {
  await sql?.close();
});

eventStoreContract('sealed PostgreSQL adapter on PGlite', async () => {
  await sql.query('TRUNCATE events, event_streams, stream_keys RESTART IDENTITY');
  const store = new SealedEventStore(new PostgresEventStore(sql), new StreamKeys(sql));
  return { store, startsEmpty: true, dispose: () => store.close() };
});
