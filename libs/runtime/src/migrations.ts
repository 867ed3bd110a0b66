import { EditedMigrationError, eventStoreMigrations, migrate } from '@eenplan/event-store';
import type { Migration, Sql } from '@eenplan/event-store/sql/sql';
import { ALL_PROJECTIONS, checkpointMigrations } from '@eenplan/projections';
import { accessLogMigrations, keyStoreCheckMigrations } from '@eenplan/security';
import { relayMigrations } from '@eenplan/messaging';
import { ConfigError } from './config/app-config';
import { retentionRunMigrations } from './sweeps/retention-runs';

/** The API's idempotency keys (apps/api/src/common/idempotency.ts reads and writes them). */
export const idempotencyMigrations: Migration[] = [
  {
    id: '0500_idempotency_keys',
    sql: `CREATE TABLE IF NOT EXISTS idempotency_keys (
            principal text NOT NULL,
            key text NOT NULL,
            request_hash text NOT NULL,
            status integer NOT NULL,
            etag text,
            body jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (principal, key)
          )`,
  },
];

/** The kinds of principal seen (apps/api/src/common/principals.ts). */
export const principalKindMigrations: readonly Migration[] = [
  {
    id: '0070_principal_kinds',
    sql: `CREATE TABLE IF NOT EXISTS principal_kinds (
            principal_id text PRIMARY KEY,
            roles text NOT NULL,
            first_seen_at timestamptz NOT NULL DEFAULT now()
          )`,
  },
];

/** Every schema change of the app, applied at start (and by `npm run migrate`). */
export const allMigrations = () => [
  ...eventStoreMigrations,
  ...keyStoreCheckMigrations,
  ...accessLogMigrations,
  ...principalKindMigrations,
  ...checkpointMigrations,
  ...ALL_PROJECTIONS.flatMap((p) => p.migrations),
  ...idempotencyMigrations,
  ...relayMigrations,
  ...retentionRunMigrations,
];

/**
 * Applies allMigrations(), as the API, the worker and the CLIs do at start; returns the ids applied.
 * A migration edited after it ran is the operator's to resolve, not a crash: a ConfigError, so each
 * process stops with exit 2 and one line naming the migration.
 */
export async function migrateApp(sql: Sql): Promise<string[]> {
  try {
    return await migrate(sql, allMigrations());
  } catch (error) {
    if (error instanceof EditedMigrationError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
}
