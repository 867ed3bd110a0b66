import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, storeSqlConfig } from './app-config';

/** EMBEDDED_DB: which store runs without DATABASE_URL (docs/adr/0011-embedded-postgres-default.md). */
describe('the embedded store (EMBEDDED_DB)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-db-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const refusal = (env: NodeJS.ProcessEnv): string => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
  };

  test('a new DATA_DIR without DATABASE_URL runs the embedded PostgreSQL in DATA_DIR/postgres', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      embeddedDb: 'postgres',
      embeddedDbReason: 'default',
      embeddedPostgresDir: join(dataDir, 'postgres'),
    });
    expect(storeSqlConfig(config, 'refuse')).toEqual({
      embeddedPostgres: { dir: join(dataDir, 'postgres'), whenInUse: 'refuse' },
    });
  });

  test('PGLITE_DIR keeps meaning PGlite, in memory or in a directory', () => {
    expect(loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: 'memory' })).toMatchObject({
      embeddedDb: 'pglite',
      embeddedDbReason: 'PGLITE_DIR',
    });
    const onDisk = loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: join(dataDir, 'elsewhere') });
    expect(storeSqlConfig(onDisk)).toEqual({ dataDir: join(dataDir, 'elsewhere') });
    expect(storeSqlConfig(loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: 'memory' }))).toEqual({
      dataDir: undefined,
    });
  });

  test("a DATA_DIR holding an earlier release's PGlite database keeps using it", () => {
    mkdirSync(join(dataDir, 'pglite'));
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({ embeddedDb: 'pglite', embeddedDbReason: 'existing PGlite data' });
    expect(storeSqlConfig(config)).toEqual({ dataDir: join(dataDir, 'pglite') });
  });

  test('once the embedded PostgreSQL holds the data, a stray pglite directory does not switch back', () => {
    mkdirSync(join(dataDir, 'pglite'));
    mkdirSync(join(dataDir, 'postgres'));
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ embeddedDb: 'postgres' });
  });

  test('EMBEDDED_DB=pglite asks for PGlite in DATA_DIR/pglite', () => {
    const config = loadConfig({ DATA_DIR: dataDir, EMBEDDED_DB: 'pglite' });
    expect(config).toMatchObject({ embeddedDb: 'pglite', embeddedDbReason: 'EMBEDDED_DB' });
    expect(storeSqlConfig(config)).toEqual({ dataDir: join(dataDir, 'pglite') });
  });

  test('DATABASE_URL wins over every embedded setting', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://u@h:5432/db',
      EMBEDDED_DB: 'postgres',
      PGLITE_DIR: 'memory',
    });
    expect(storeSqlConfig(config)).toEqual({ databaseUrl: 'postgres://u@h:5432/db' });
  });

  test.each([
    [{ EMBEDDED_DB: 'sqlite' }, 'EMBEDDED_DB must be one of postgres, pglite, got "sqlite"'],
    [{ EMBEDDED_DB: 'Postgres' }, 'EMBEDDED_DB must be one of postgres, pglite, got "Postgres"'],
    [{ EMBEDDED_DB: 'postgres', PGLITE_DIR: 'memory' }, 'set EMBEDDED_DB=postgres or PGLITE_DIR, not both'],
  ])('%j is refused with a message naming the setting', (env, message) => {
    expect(refusal({ DATA_DIR: dataDir, ...env })).toContain(message);
  });

  test('EMBEDDED_DB=postgres on a DATA_DIR with PGlite data is refused rather than start empty', () => {
    mkdirSync(join(dataDir, 'pglite'));
    const message = refusal({ DATA_DIR: dataDir, EMBEDDED_DB: 'postgres' });
    expect(message).toContain('EMBEDDED_DB=postgres');
    expect(message).toContain(join(dataDir, 'pglite'));
    expect(message).toContain('would start empty');
  });
});
