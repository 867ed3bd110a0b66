export * from './event-store.port';
export * from './sql/sql';
export { createSql, type SqlConfig } from './sql/create-sql';
export { createPgliteSql, type PgliteSqlOptions } from './sql/pglite';
export { createNodePostgresSql, type NodePostgresSqlOptions } from './sql/node-postgres';
export { migrate, migrationChecksum, EditedMigrationError } from './sql/migrate';
export { isStoreUnavailable } from './sql/unavailable';
export { eventStoreMigrations } from './postgres/migrations';
export {
  PostgresEventStore,
  EVENTS_CHANNEL,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export type { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
export { createKurrentDbEventStore } from './kurrentdb/create';
