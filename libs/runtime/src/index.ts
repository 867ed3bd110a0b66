/**
 * What both processes run: the API (apps/api) and the worker (apps/worker) load their configuration,
 * open the event store, migrate, log, relay to Kafka and sweep with these, so neither imports the other.
 * Plain classes and functions, no Nest: the API wires them into its modules itself.
 */
export * from './clock';
export * from './config/app-config';
export * from './config/retention';
export * from './event-store.factory';
export * from './logger';
export * from './migrations';
export * from './relay';
export * from './system-append';
export * from './sweeps/check-in-sweep';
export * from './sweeps/plan-cycle-sweep';
export * from './sweeps/erasure-sweep';
export * from './sweeps/safety-takeover-sweep';
export * from './sweeps/retention-runs';
export * from './sweeps/retention-sweep';
