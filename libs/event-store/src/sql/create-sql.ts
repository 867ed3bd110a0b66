import { createNodePostgresSql } from './node-postgres';
import { createPgliteSql } from './pglite';
import type { Sql } from './sql';

export interface SqlConfig {
  /** A PostgreSQL server (`DATABASE_URL`); when set, `dataDir` is ignored. */
  readonly databaseUrl?: string;
  /** PGlite's data directory when there is no server; neither set: PGlite in memory. */
  readonly dataDir?: string;
  /** Server pool size. */
  readonly poolSize?: number;
}

/** The one place that picks the driver. */
export async function createSql(config: SqlConfig): Promise<Sql> {
  if (config.databaseUrl)
    return createNodePostgresSql({ connectionString: config.databaseUrl, max: config.poolSize });
  return createPgliteSql({ dataDir: config.dataDir });
}
