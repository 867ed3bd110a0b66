import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type Sql,
} from '@eenplan/event-store';
import { eventStoreContract } from './event-store.contract';

// One PGlite for the file: starting one costs seconds and hundreds of MB. Tables are cleared
// between tests instead.
let sql: Sql;

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, eventStoreMigrations);
});

afterAll(async () => {
  await sql?.close();
});

eventStoreContract('PostgreSQL adapter on PGlite', async () => {
  await sql.query('TRUNCATE events, event_streams RESTART IDENTITY');
  const store = new PostgresEventStore(sql);
  return { store, startsEmpty: true, dispose: () => store.close() };
});
