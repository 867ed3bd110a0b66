import { createSql, PostgresEventStore, type Sql } from '@eenplan/event-store';
import { loadConfig } from '../config/app-config';
import { createEventStore } from './event-store.factory';

describe('createEventStore', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await createSql({});
  });
  afterAll(async () => {
    await sql?.close();
  });

  test('PostgreSQL unless EVENT_STORE says otherwise', async () => {
    const store = await createEventStore(loadConfig({}), sql);
    expect(store).toBeInstanceOf(PostgresEventStore);
    await store.close();
  });

  test('EVENT_STORE=kurrentdb with no server there stops the start, naming the variable, hiding the password', async () => {
    const config = loadConfig({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://admin:changeit@127.0.0.1:1?tls=false',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/eenplan',
    });
    const attempt = createEventStore(config, sql);
    await expect(attempt).rejects.toThrow(
      /^KurrentDB at kurrentdb:\/\/admin:\*\*\*@127\.0\.0\.1:1\?tls=false \(KURRENTDB_URL\) does not answer/,
    );
    await expect(attempt).rejects.not.toThrow(/changeit/);
  });
});
