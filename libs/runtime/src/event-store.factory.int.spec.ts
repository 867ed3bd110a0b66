import type { Sql } from '@eenplan/event-store/sql/sql';
import { loadConfig } from './config/app-config';
import { createEventStore } from './event-store.factory';

/** The KurrentDB path must fail on the server alone, before PostgreSQL is asked anything. */
const untouchedSql = new Proxy({} as Sql, {
  get: (_target, name) => {
    throw new Error(`PostgreSQL was used (${String(name)}) before KurrentDB answered`);
  },
});

describe('createEventStore on KurrentDB', () => {
  test('no server at KURRENTDB_URL stops the start, naming the variable and hiding the password', async () => {
    const config = loadConfig({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://admin:changeit@127.0.0.1:1?tls=false',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/eenplan',
    });
    const failure = await createEventStore(config, untouchedSql).then(
      () => new Error('started without a server'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toMatch(
      /^KurrentDB at kurrentdb:\/\/admin:\*\*\*@127\.0\.0\.1:1\?tls=false \(KURRENTDB_URL\) does not answer: /,
    );
    expect(failure.message).not.toContain('changeit');
  });
});
