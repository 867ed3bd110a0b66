import { resolve } from 'node:path';

/** Every setting the API reads, validated once at start: a wrong one stops the process with its name. */
export interface AppConfig {
  readonly port: number;
  /** The embedded default's home: PGlite data and the local JWT secret. */
  readonly dataDir: string;
  /** When set, the event store and read models live on this PostgreSQL server instead of PGlite. */
  readonly databaseUrl?: string;
  /** 'memory' keeps PGlite in memory (tests); otherwise PGlite persists in `dataDir/pglite`. */
  readonly pgliteDir: string | 'memory';
  readonly jwtSecret?: string;
  /** How long a read waits for the read models to reach the feed's head (read-your-writes). */
  readonly readYourWritesMs: number;
  /** Run the projection runner inside the API process (the embedded default). */
  readonly runProjections: boolean;
  readonly bodyLimit: string;
}

export class ConfigError extends Error {}

const int = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
};

const bool = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const dataDir = resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must look like postgres://user@host:5432/db, got "${databaseUrl}"`);
  }
  const bodyLimit = env.BODY_LIMIT || '100kb';
  if (!/^\d+(b|kb|mb)$/.test(bodyLimit))
    throw new ConfigError(`BODY_LIMIT must look like 100kb or 1mb, got "${bodyLimit}"`);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    dataDir,
    databaseUrl,
    pgliteDir: env.PGLITE_DIR === 'memory' ? 'memory' : resolve(env.PGLITE_DIR || `${dataDir}/pglite`),
    jwtSecret: env.JWT_SECRET || undefined,
    readYourWritesMs: int(env, 'READ_YOUR_WRITES_MS', 5000, 0, 60000),
    runProjections: bool(env, 'RUN_PROJECTIONS', true),
    bodyLimit,
  };
};
