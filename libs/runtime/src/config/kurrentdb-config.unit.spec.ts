import { ConfigError, loadConfig } from './app-config';

const KURRENT = {
  EVENT_STORE: 'kurrentdb',
  KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/eenplan',
};

const refusal = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('loadConfig: the event store', () => {
  test('PostgreSQL (PGlite or DATABASE_URL) unless EVENT_STORE says otherwise', () => {
    expect(loadConfig({}).eventStore).toBe('postgres');
    expect(loadConfig({}).kurrentdb).toBeUndefined();
    expect(
      loadConfig({ EVENT_STORE: 'postgres', KURRENTDB_URL: KURRENT.KURRENTDB_URL }).kurrentdb,
    ).toBeUndefined();
  });

  test('EVENT_STORE=kurrentdb reads the server and the namespace; read models stay on DATABASE_URL', () => {
    expect(loadConfig(KURRENT)).toMatchObject({
      eventStore: 'kurrentdb',
      kurrentdb: { url: 'kurrentdb://127.0.0.1:2113?tls=false', namespace: 'eenplan' },
      databaseUrl: KURRENT.DATABASE_URL,
    });
    expect(loadConfig({ ...KURRENT, KURRENTDB_NAMESPACE: 'utrecht_acc' }).kurrentdb?.namespace).toBe(
      'utrecht_acc',
    );
  });

  test('a missing KURRENTDB_URL is named, with an example', () => {
    expect(refusal({ ...KURRENT, KURRENTDB_URL: '' })).toBe(
      'EVENT_STORE=kurrentdb needs KURRENTDB_URL, e.g. kurrentdb://127.0.0.1:2113?tls=false',
    );
  });

  test('KurrentDB without DATABASE_URL is refused: the read models need PostgreSQL', () => {
    expect(refusal({ ...KURRENT, DATABASE_URL: '' })).toMatch(/read models on PostgreSQL: set DATABASE_URL/);
  });

  test('a malformed URL, store or namespace is refused, without echoing a password', () => {
    const message = refusal({ ...KURRENT, KURRENTDB_URL: 'http://admin:changeit@db:2113' });
    expect(message).toMatch(/^KURRENTDB_URL must look like kurrentdb:\/\//);
    expect(message).not.toContain('changeit');
    expect(refusal({ ...KURRENT, EVENT_STORE: 'eventstoredb' })).toMatch(
      /EVENT_STORE must be postgres or kurrentdb/,
    );
    expect(refusal({ ...KURRENT, KURRENTDB_NAMESPACE: 'een-plan' })).toMatch(/KURRENTDB_NAMESPACE/);
  });
});
