import { openEmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
import { createNodePostgresSql } from './node-postgres';
import { createPgliteSql } from './pglite';
import type { Sql } from './sql';

export interface SqlConfig {
  /** A PostgreSQL server (`DATABASE_URL`); when set, the embedded settings are ignored. */
  readonly databaseUrl?: string;
  /**
   * The embedded default: a PostgreSQL cluster of the process's own in this directory
   * (DATA_DIR/postgres), docs/adr/0011-embedded-postgres-default.md.
   */
  readonly embeddedPostgres?: Omit<EmbeddedPostgresOptions, 'poolSize'>;
  /** PGlite's data directory (EMBEDDED_DB=pglite); none of the three set: PGlite in memory. */
  readonly dataDir?: string;
  /** Server pool size. */
  readonly poolSize?: number;
}

/** The one place that picks the driver. */
export async function createSql(config: SqlConfig): Promise<Sql> {
  if (config.databaseUrl)
    return createNodePostgresSql({ connectionString: config.databaseUrl, max: config.poolSize });
  if (config.embeddedPostgres)
    return openEmbeddedPostgres({ ...config.embeddedPostgres, poolSize: config.poolSize });
  return createPgliteSql({ dataDir: config.dataDir });
}
