import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CONTENT_MODES, type ContentMode } from '@eenplan/messaging/cloud-event';
import { SASL_MECHANISMS, type KafkaSecurity, type SaslMechanism } from '@eenplan/messaging/kafka';
import { DEFAULT_MAX_LIFETIME_SECONDS, LOCAL_CLAIMS, MIN_SECRET_BYTES } from '@eenplan/security/tokens';
import {
  DEFAULT_OIDC_ALGORITHMS,
  isAllowedProviderUrl,
  OIDC_ALGORITHMS,
  type OidcSettings,
} from '@eenplan/security/oidc-settings';
import { loadRetentionPolicies, RetentionConfigError, type RetentionConfig } from './retention';

/** Every setting the API reads, validated once at start: a wrong one stops the process with its name. */
export interface AppConfig {
  readonly port: number;
  /** The embedded default's home: PGlite data and the local JWT secret. */
  readonly dataDir: string;
  /** When set, the event store and read models live on this PostgreSQL server instead of PGlite. */
  readonly databaseUrl?: string;
  /** 'memory' keeps PGlite in memory (tests); otherwise PGlite persists in `dataDir/pglite`. */
  readonly pgliteDir: string | 'memory';
  /**
   * The store without DATABASE_URL (EMBEDDED_DB): 'postgres', a PostgreSQL cluster of the API's own
   * in `embeddedPostgresDir` (the default), or 'pglite' (PGLITE_DIR set, or a DATA_DIR that already
   * holds PGlite's database). docs/adr/0011-embedded-postgres-default.md.
   */
  readonly embeddedDb: EmbeddedDb;
  /** Why `embeddedDb` is what it is, for the start-up log line. */
  readonly embeddedDbReason: 'EMBEDDED_DB' | 'PGLITE_DIR' | 'existing PGlite data' | 'default';
  /** The embedded PostgreSQL cluster's directory: DATA_DIR/postgres (0700, no keys in it). */
  readonly embeddedPostgresDir: string;
  readonly jwtSecret?: string;
  /**
   * Sign-in with the municipality's OpenID provider (OIDC_ISSUER and the other OIDC_* settings):
   * when set, the API accepts only the provider's access tokens and has no local secret.
   */
  readonly oidc?: OidcSettings;
  /**
   * The legal grounds a work/income signal may name instead of consent (references, never free
   * text: LEGAL_BASES); docs/MEASUREMENTS.md names the defaults and their articles.
   */
  readonly legalBases: readonly string[];
  /**
   * The legal grounds a referral may name instead of every member's consent (references, never free
   * text: REFERRAL_LEGAL_GROUNDS); docs/PERSONS.md "The consent register" names the defaults and their articles.
   */
  readonly referralLegalGrounds: readonly string[];
  /** Longest accepted life of a token (exp - iat), in seconds. */
  readonly tokenMaxLifetimeSeconds: number;
  /** How long a read waits for the read models to reach the feed's head (read-your-writes). */
  readonly readYourWritesMs: number;
  /** Run the projection runner inside the API process (the embedded default). */
  readonly runProjections: boolean;
  readonly bodyLimit: string;
  /** pino level of the JSON log lines on stdout. */
  readonly logLevel: LogLevel;
  /** Kafka bootstrap brokers (host:port); when set, readiness includes Kafka. */
  readonly kafkaBrokers?: readonly string[];
  /** TLS and SASL/SCRAM to the brokers (KAFKA_SSL*, KAFKA_SASL_*); absent, plain TCP without a login. */
  readonly kafkaSecurity?: KafkaSecurity;
  /** Readiness fails while any projection is more than this many events behind the store. */
  readonly readyMaxProjectionLag: number;
  /** On SIGTERM, how long in-flight requests may take before the process gives up on them. */
  readonly shutdownTimeoutMs: number;
  /** How often overdue check-ins are looked for where projections run; 0: never (tests trigger it). */
  readonly checkInSweepMs: number;
  /** A safety takeover no team lead confirmed or rejected within this many hours is listed and announced. */
  readonly safetyConfirmHours: number;
  /** How often unconfirmed safety takeovers are looked for where projections run; 0: never (tests trigger it). */
  readonly safetyTakeoverSweepMs: number;
  /** How often erasures left pending (the key not destroyed) are finished where projections run; 0: only at start-up. */
  readonly erasureSweepMs: number;
  /** How often the chains' heads are anchored in the key store where projections run (and at shutdown); 0: only at shutdown. */
  readonly anchorIntervalMs: number;
  /** The Kafka contract (API.md "Events on Kafka"); the relay runs only when `kafkaBrokers` is set. */
  readonly messaging: MessagingConfig;
  /**
   * PUBLIC_BASE_URL as configured (absent when unset): the OpenAPI document's server. The events
   * use `messaging.publicBaseUrl`, which falls back to the local machine.
   */
  readonly publicBaseUrl?: string;
  /**
   * Where the events live: 'postgres' (PGlite, or the server at `databaseUrl`) or 'kurrentdb'
   * (`kurrentdb`; the read models, checkpoints and idempotency records stay on PostgreSQL).
   */
  readonly eventStore: 'postgres' | 'kurrentdb';
  readonly kurrentdb?: KurrentDbConfig;
  /**
   * TLS ends in a proxy in front of the app (TLS_TERMINATED_BY_PROXY): only then is HSTS sent, since
   * a browser that reached the app over plain HTTP would otherwise be told to insist on HTTPS.
   */
  readonly tlsTerminatedByProxy: boolean;
  /** How often the lag gauges of /metrics are measured (a scrape itself queries nothing). */
  readonly metricsLagRefreshMs: number;
  /** Goals and actions one household's plan may hold (MAX_GOALS_PER_HOUSEHOLD, MAX_ACTIONS_PER_HOUSEHOLD). */
  readonly planLimits: { readonly maxGoals: number; readonly maxActions: number };
  /**
   * The plan's cycle (issue 19), in months: how long after an agreement (or an evaluating review
   * meeting) the plan is evaluated (PLAN_EVALUATION_AFTER), and how long after a person's latest ZRM
   * assessment the next is due (REASSESSMENT_AFTER). ISO 8601 periods of whole months and years
   * (P6M, P1Y), 1 month to 5 years.
   */
  readonly planCycle: { readonly evaluationAfterMonths: number; readonly reassessmentAfterMonths: number };
  /** How often the plan-cycle sweep records overdue evaluations (PLAN_CYCLE_SWEEP_MS); 0: never. */
  readonly planCycleSweepMs: number;
  /** Where the data keys and the seal key live, apart from the data (docs/SECURITY.md "Audit and privacy"). */
  readonly keyStore: KeyStoreConfig;
  /** Retention periods per kind of record (RETENTION_*) and how often the retention sweep runs. */
  readonly retention: RetentionConfig;
}

/**
 * 'directory': one file per key in `dir` (KEY_STORE_DIR, default DATA_DIR/keys), for processes on
 * one host. 'pkcs11': an HSM through its PKCS#11 library (processes on several hosts; docs/SECURITY.md "Keys
 * in an HSM (PKCS#11)").
 */
export type KeyStoreConfig = { readonly kind: 'directory'; readonly dir: string } | Pkcs11Config;

export interface Pkcs11Config {
  readonly kind: 'pkcs11';
  /** PKCS11_MODULE: the absolute path of the HSM vendor's PKCS#11 library. */
  readonly module: string;
  /** PKCS11_TOKEN_LABEL or PKCS11_SLOT: the token (an HSM partition) holding the keys. */
  readonly token: { readonly label: string } | { readonly slot: number };
  /** PKCS11_PIN: the token user's PIN. Never logged, never in a message. */
  readonly pin: string;
}

export interface KurrentDbConfig {
  /** e.g. kurrentdb://127.0.0.1:2113?tls=false */
  readonly url: string;
  /** Prefix of eenplan's streams (`<namespace>.<stream id>`), so installations can share a server. */
  readonly namespace: string;
}

export interface MessagingConfig {
  readonly clientId: string;
  readonly topics: {
    readonly householdPlan: string;
    readonly regieHandoffs: string;
    readonly uwvSignals: string;
    readonly outcomes: string;
  };
  /** The municipality's OIN, in every CloudEvent's `source`. */
  readonly oin: string;
  /** Reverse-domain prefix of every CloudEvent `type`, e.g. nl.utrecht.eenplan. */
  readonly typePrefix: string;
  /**
   * PUBLIC_BASE_URL: where integrators reach the API (https://eenplan.utrecht.nl), for the absolute
   * URLs in a CloudEvent's `dataschema` and `dataref` (CloudEvents wants an absolute URI there).
   * Unset: `http://localhost:<PORT>`, a development machine's own; a production process that
   * publishes (NODE_ENV=production with KAFKA_BROKERS) refuses to start without it.
   */
  readonly publicBaseUrl: string;
  /** CLOUDEVENTS_MODE: the whole CloudEvent as the value (structured) or `ce_` headers and data (binary). */
  readonly contentMode: ContentMode;
}

export const EMBEDDED_DBS = ['postgres', 'pglite'] as const;
export type EmbeddedDb = (typeof EMBEDDED_DBS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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

const MONTHS_PERIOD = /^P(?:(\d{1,2})Y)?(?:(\d{1,3})M)?$/;

/** A period of whole years and months (P6M, P1Y, P1Y6M) as months, from 1 month to 5 years. */
const months = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const m = MONTHS_PERIOD.exec(raw);
  const total =
    m && (m[1] !== undefined || m[2] !== undefined) ? Number(m[1] ?? 0) * 12 + Number(m[2] ?? 0) : 0;
  if (total < 1 || total > 60)
    throw new ConfigError(
      `${name} must be an ISO 8601 period of whole years and months from P1M to P5Y (P6M, P1Y), got "${raw}"`,
    );
  return total;
};

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration as seconds (`3600`) or with a unit (`90s`, `30m`, `12h`, `1d`). */
const duration = (
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const m = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2] || 's']! : NaN;
  if (!(seconds >= min && seconds <= max)) {
    throw new ConfigError(
      `${name} must be a duration from ${min} s to ${max} s, as seconds or with a unit (90s, 30m, 12h, 1d), got "${raw}"`,
    );
  }
  return seconds;
};

/** A configured local secret must be long enough to be a key; absent, one is generated. */
const jwtSecret = (env: NodeJS.ProcessEnv): string | undefined => {
  const secret = env.JWT_SECRET || undefined;
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    // The secret itself is never echoed: the message goes to the terminal and to logs.
    throw new ConfigError(
      `JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes, got ${Buffer.byteLength(secret, 'utf8')} (make one with: openssl rand -hex 32)`,
    );
  }
  return secret;
};

const OIDC_CLAIM_SETTINGS = {
  roles: 'OIDC_ROLES_CLAIM',
  teams: 'OIDC_TEAMS_CLAIM',
  household: 'OIDC_HOUSEHOLD_CLAIM',
  member: 'OIDC_MEMBER_CLAIM',
  organisation: 'OIDC_ORGANISATION_CLAIM',
} as const;
const OIDC_SETTINGS = [
  'OIDC_AUDIENCE',
  'OIDC_JWKS_URI',
  'OIDC_ALGORITHMS',
  'OIDC_JWKS_COOLDOWN',
  'OIDC_JWKS_CACHE_MAX_AGE',
  ...Object.values(OIDC_CLAIM_SETTINGS),
];

/**
 * Who signs the tokens the API accepts: the local secret (JWT_SECRET, or the one generated into the
 * data dir), or, with OIDC_ISSUER, only the municipality's OpenID provider. Never both: a second
 * way to sign a token is a second way in, and a local secret left over from before would outlive
 * the provider's withdrawal of a worker's access.
 */
const tokenIssuer = (env: NodeJS.ProcessEnv): Pick<AppConfig, 'jwtSecret' | 'oidc'> => {
  const secret = jwtSecret(env);
  const issuer = env.OIDC_ISSUER || undefined;
  if (issuer === undefined) {
    const stray = OIDC_SETTINGS.find((name) => env[name]);
    if (stray)
      throw new ConfigError(
        `${stray} is set but OIDC_ISSUER is not: set OIDC_ISSUER to sign in with an OpenID provider`,
      );
    return { jwtSecret: secret };
  }
  if (secret !== undefined)
    throw new ConfigError(
      'set JWT_SECRET or OIDC_ISSUER, not both: with an OpenID provider the API accepts only its tokens and keeps no local secret',
    );
  if (!isAllowedProviderUrl(issuer))
    throw new ConfigError(
      `OIDC_ISSUER must be the provider's https URL (http only on 127.0.0.1 or localhost), e.g. https://login.utrecht.nl/realms/eenplan, got "${issuer}"`,
    );
  const audience = env.OIDC_AUDIENCE?.trim();
  if (!audience)
    throw new ConfigError(
      "OIDC_ISSUER needs OIDC_AUDIENCE: the audience (aud) the provider puts in eenplan's access tokens, e.g. eenplan-api",
    );
  const jwksUri = env.OIDC_JWKS_URI || undefined;
  if (jwksUri !== undefined && !isAllowedProviderUrl(jwksUri))
    throw new ConfigError(
      `OIDC_JWKS_URI must be an https URL (http only on 127.0.0.1 or localhost), got "${jwksUri}"`,
    );
  const rawAlgorithms = env.OIDC_ALGORITHMS?.trim();
  const algorithms = rawAlgorithms
    ? [...new Set(rawAlgorithms.split(',').map((a) => a.trim()))]
    : [...DEFAULT_OIDC_ALGORITHMS];
  const wrong = algorithms.find((a) => !(OIDC_ALGORITHMS as readonly string[]).includes(a));
  if (wrong !== undefined)
    throw new ConfigError(
      `OIDC_ALGORITHMS must be a comma-separated list of ${OIDC_ALGORITHMS.join(', ')} (never HS* or none), got "${wrong}"`,
    );
  const claims = { ...LOCAL_CLAIMS };
  for (const [claim, name] of Object.entries(OIDC_CLAIM_SETTINGS) as [keyof typeof claims, string][]) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (!/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/.test(value) || value.length > 200)
      throw new ConfigError(
        `${name} must be a claim name or a dotted path to one (e.g. realm_access.roles), got "${value}"`,
      );
    claims[claim] = value;
  }
  return {
    oidc: {
      issuer,
      audience,
      ...(jwksUri !== undefined ? { jwksUri } : {}),
      algorithms,
      claims,
      jwksCooldownMs: duration(env, 'OIDC_JWKS_COOLDOWN', 30, 0, 3600) * 1000,
      jwksCacheMaxAgeMs: duration(env, 'OIDC_JWKS_CACHE_MAX_AGE', 600, 1, 86_400) * 1000,
    },
  };
};

/** Legal grounds for sharing work/income signals without consent (docs/MEASUREMENTS.md, "Consent for sharing with UWV"). */
export const DEFAULT_LEGAL_BASES = ['wet-suwi-art-54', 'participatiewet-art-64', 'wgs-art-3'] as const;
const LEGAL_BASIS = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Legal grounds for a referral without every member's consent (docs/PERSONS.md, "The consent
 * register"): Jeugdwet art. 7.4.0 (the college processes personal data, health data included, as far
 * as needed for its tasks under the Jeugdwet, such as the way to youth aid) and Wmo 2015 art. 5.2.1
 * (the college processes personal data as far as needed for the investigation and provision of
 * support).
 */
export const DEFAULT_REFERRAL_LEGAL_GROUNDS = ['jeugdwet-art-7-4-0', 'wmo-art-5-2-1'] as const;

const references =
  (name: string, defaults: readonly string[], example: string) =>
  (env: NodeJS.ProcessEnv): readonly string[] => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return defaults;
    const codes = raw.split(',').map((c) => c.trim());
    const wrong = codes.find((c) => !LEGAL_BASIS.test(c) || c.length > 100);
    if (wrong !== undefined)
      throw new ConfigError(
        `${name} must be a comma-separated list of references such as ${example} (lower-case letters, digits, -), got "${wrong}"`,
      );
    return [...new Set(codes)];
  };
const legalBases = references('LEGAL_BASES', DEFAULT_LEGAL_BASES, 'wet-suwi-art-54');
const referralLegalGrounds = references(
  'REFERRAL_LEGAL_GROUNDS',
  DEFAULT_REFERRAL_LEGAL_GROUNDS,
  'jeugdwet-art-7-4-0',
);

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
    // Never echo a password: the message goes to the terminal and to logs.
    const shown = databaseUrl.replace(/:[^:@/]*@/, ':***@');
    throw new ConfigError(`DATABASE_URL must look like postgres://user@host:5432/db, got "${shown}"`);
  }
  const bodyLimit = env.BODY_LIMIT || '100kb';
  if (!/^\d+(b|kb|mb)$/.test(bodyLimit))
    throw new ConfigError(`BODY_LIMIT must look like 100kb or 1mb, got "${bodyLimit}"`);
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const kafkaBrokers = env.KAFKA_BROKERS ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()) : undefined;
  if (kafkaBrokers?.some((b) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b)))
    throw new ConfigError(
      `KAFKA_BROKERS must be a comma-separated list of host:port, e.g. 127.0.0.1:9092, got "${env.KAFKA_BROKERS}"`,
    );
  const port = int(env, 'PORT', 3000, 0, 65535);
  return {
    messaging: messagingConfig(env, port),
    ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: publicBaseUrl(env, port) } : {}),
    port,
    dataDir,
    databaseUrl,
    pgliteDir: env.PGLITE_DIR === 'memory' ? 'memory' : resolve(env.PGLITE_DIR || `${dataDir}/pglite`),
    ...embeddedDbConfig(env, dataDir, databaseUrl),
    ...tokenIssuer(env),
    legalBases: legalBases(env),
    referralLegalGrounds: referralLegalGrounds(env),
    tokenMaxLifetimeSeconds: duration(
      env,
      'TOKEN_MAX_LIFETIME',
      DEFAULT_MAX_LIFETIME_SECONDS,
      60,
      7 * 86_400,
    ),
    readYourWritesMs: int(env, 'READ_YOUR_WRITES_MS', 5000, 0, 60000),
    runProjections: bool(env, 'RUN_PROJECTIONS', true),
    bodyLimit,
    logLevel,
    kafkaBrokers,
    ...kafkaSecurity(env),
    readyMaxProjectionLag: int(env, 'READY_MAX_PROJECTION_LAG', 1000, 0, 10_000_000),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    checkInSweepMs: int(env, 'CHECK_IN_SWEEP_MS', 900_000, 0, 86_400_000),
    planCycleSweepMs: int(env, 'PLAN_CYCLE_SWEEP_MS', 3_600_000, 0, 86_400_000),
    tlsTerminatedByProxy: bool(env, 'TLS_TERMINATED_BY_PROXY', false),
    metricsLagRefreshMs: int(env, 'METRICS_LAG_REFRESH_MS', 5000, 100, 600_000),
    planLimits: {
      maxGoals: int(env, 'MAX_GOALS_PER_HOUSEHOLD', 50, 1, 1000),
      maxActions: int(env, 'MAX_ACTIONS_PER_HOUSEHOLD', 250, 1, 5000),
    },
    planCycle: {
      evaluationAfterMonths: months(env, 'PLAN_EVALUATION_AFTER', 6),
      reassessmentAfterMonths: months(env, 'REASSESSMENT_AFTER', 6),
    },
    safetyConfirmHours: int(env, 'SAFETY_CONFIRM_HOURS', 24, 1, 720),
    safetyTakeoverSweepMs: int(env, 'SAFETY_TAKEOVER_SWEEP_MS', 300_000, 0, 86_400_000),
    erasureSweepMs: int(env, 'ERASURE_SWEEP_MS', 300_000, 0, 86_400_000),
    anchorIntervalMs: int(env, 'ANCHOR_INTERVAL_MS', 60_000, 0, 86_400_000),
    ...eventStoreConfig(env, databaseUrl),
    keyStore: keyStoreConfig(env, dataDir),
    retention: {
      policies: retentionPolicies(env),
      // Daily by default, at most weekly; 0: only on demand (POST /v1/retention/sweep).
      sweepMs: int(env, 'RETENTION_SWEEP_MS', 86_400_000, 0, 7 * 86_400_000),
    },
  };
};

/**
 * EMBEDDED_DB picks the store when DATABASE_URL is not set. Unset: PGlite when PGLITE_DIR is set
 * (tests, and setups of earlier releases) or DATA_DIR already holds PGlite's database (an earlier
 * release's default: its data must not silently give way to an empty cluster), else PostgreSQL.
 */
const embeddedDbConfig = (
  env: NodeJS.ProcessEnv,
  dataDir: string,
  databaseUrl: string | undefined,
): Pick<AppConfig, 'embeddedDb' | 'embeddedDbReason' | 'embeddedPostgresDir'> => {
  const embeddedPostgresDir = resolve(dataDir, 'postgres');
  const raw = env.EMBEDDED_DB || undefined;
  if (raw !== undefined && !(EMBEDDED_DBS as readonly string[]).includes(raw))
    throw new ConfigError(`EMBEDDED_DB must be one of ${EMBEDDED_DBS.join(', ')}, got "${raw}"`);
  const pgliteData = `${dataDir}/pglite`;
  if (raw === 'postgres') {
    if (env.PGLITE_DIR && !databaseUrl)
      throw new ConfigError(
        'set EMBEDDED_DB=postgres or PGLITE_DIR, not both: PGLITE_DIR is only for EMBEDDED_DB=pglite',
      );
    if (!databaseUrl && existsSync(pgliteData) && !existsSync(embeddedPostgresDir))
      throw new ConfigError(
        `EMBEDDED_DB=postgres, but ${pgliteData} holds the PGlite database of an earlier release and the embedded PostgreSQL would start empty: unset EMBEDDED_DB (or set EMBEDDED_DB=pglite) to keep using it, or use a new DATA_DIR (docs/OPERATIONS.md "The embedded database")`,
      );
    return { embeddedDb: 'postgres', embeddedDbReason: 'EMBEDDED_DB', embeddedPostgresDir };
  }
  if (raw === 'pglite') return { embeddedDb: 'pglite', embeddedDbReason: 'EMBEDDED_DB', embeddedPostgresDir };
  if (env.PGLITE_DIR) return { embeddedDb: 'pglite', embeddedDbReason: 'PGLITE_DIR', embeddedPostgresDir };
  if (!databaseUrl && existsSync(pgliteData) && !existsSync(embeddedPostgresDir))
    return { embeddedDb: 'pglite', embeddedDbReason: 'existing PGlite data', embeddedPostgresDir };
  return { embeddedDb: 'postgres', embeddedDbReason: 'default', embeddedPostgresDir };
};

/**
 * How a process opens the store: the server at DATABASE_URL, the embedded PostgreSQL cluster, or
 * PGlite. `whenInUse`: a CLI beside a running API uses its cluster ('attach'); a second API on one
 * DATA_DIR is refused ('refuse').
 */
export const storeSqlConfig = (
  config: Pick<AppConfig, 'databaseUrl' | 'embeddedDb' | 'embeddedPostgresDir' | 'pgliteDir'>,
  whenInUse: 'attach' | 'refuse' = 'attach',
  log?: (message: string) => void,
): {
  databaseUrl?: string;
  embeddedPostgres?: { dir: string; whenInUse: 'attach' | 'refuse'; log?: (message: string) => void };
  dataDir?: string;
} => {
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl };
  if (config.embeddedDb === 'postgres')
    return { embeddedPostgres: { dir: config.embeddedPostgresDir, whenInUse, ...(log ? { log } : {}) } };
  return { dataDir: config.pgliteDir === 'memory' ? undefined : config.pgliteDir };
};

const retentionPolicies = (env: NodeJS.ProcessEnv) => {
  try {
    return loadRetentionPolicies(env);
  } catch (error) {
    if (error instanceof RetentionConfigError) throw new ConfigError(error.message);
    throw error;
  }
};

const keyStoreConfig = (env: NodeJS.ProcessEnv, dataDir: string): KeyStoreConfig => {
  const kind = env.KEY_STORE || 'directory';
  if (kind === 'pkcs11') return pkcs11Config(env);
  if (kind !== 'directory') throw new ConfigError(`KEY_STORE must be directory or pkcs11, got "${kind}"`);
  return { kind, dir: resolve(env.KEY_STORE_DIR || `${dataDir}/keys`) };
};

const pkcs11Config = (env: NodeJS.ProcessEnv): Pkcs11Config => {
  const module = env.PKCS11_MODULE;
  if (!module)
    throw new ConfigError(
      "KEY_STORE=pkcs11 needs PKCS11_MODULE, the path of the HSM's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so",
    );
  // Not looked up on the library path: the library gets the PIN, so it is named exactly.
  if (!isAbsolute(module)) throw new ConfigError(`PKCS11_MODULE must be an absolute path, got "${module}"`);
  const label = env.PKCS11_TOKEN_LABEL;
  const slot = env.PKCS11_SLOT;
  if (label && slot) throw new ConfigError('set PKCS11_TOKEN_LABEL or PKCS11_SLOT, not both');
  if (!label && !slot)
    throw new ConfigError(
      "KEY_STORE=pkcs11 needs PKCS11_TOKEN_LABEL (the token's label) or PKCS11_SLOT (its slot id)",
    );
  // CK_TOKEN_INFO holds the label in 32 bytes.
  if (label && Buffer.byteLength(label) > 32)
    throw new ConfigError(`PKCS11_TOKEN_LABEL must be at most 32 bytes, got ${Buffer.byteLength(label)}`);
  if (slot && !/^\d{1,10}$/.test(slot))
    throw new ConfigError(`PKCS11_SLOT must be a slot id (a whole number), got "${slot}"`);
  const pin = env.PKCS11_PIN;
  if (!pin) throw new ConfigError("KEY_STORE=pkcs11 needs PKCS11_PIN, the token user's PIN");
  return { kind: 'pkcs11', module, token: label ? { label } : { slot: Number(slot) }, pin };
};

const eventStoreConfig = (
  env: NodeJS.ProcessEnv,
  databaseUrl: string | undefined,
): Pick<AppConfig, 'eventStore' | 'kurrentdb'> => {
  const eventStore = env.EVENT_STORE || 'postgres';
  if (eventStore === 'postgres') return { eventStore };
  if (eventStore !== 'kurrentdb')
    throw new ConfigError(`EVENT_STORE must be postgres or kurrentdb, got "${eventStore}"`);
  const url = env.KURRENTDB_URL;
  if (!url)
    throw new ConfigError(
      'EVENT_STORE=kurrentdb needs KURRENTDB_URL, e.g. kurrentdb://127.0.0.1:2113?tls=false',
    );
  if (!/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/./.test(url))
    throw new ConfigError(
      `KURRENTDB_URL must look like kurrentdb://host:2113?tls=false, got "${url.replace(/:[^:@/]*@/, ':***@')}"`,
    );
  if (!databaseUrl)
    throw new ConfigError(
      'EVENT_STORE=kurrentdb keeps the read models on PostgreSQL: set DATABASE_URL as well',
    );
  const namespace = env.KURRENTDB_NAMESPACE || 'eenplan';
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(namespace))
    throw new ConfigError(
      `KURRENTDB_NAMESPACE must be lower-case letters, digits or _ (starting with a letter), got "${namespace}"`,
    );
  return { eventStore, kurrentdb: { url, namespace } };
};

const matching = (env: NodeJS.ProcessEnv, name: string, fallback: string, pattern: RegExp, form: string) => {
  const value = env[name] || fallback;
  if (!pattern.test(value)) throw new ConfigError(`${name} must be ${form}, got "${value}"`);
  return value;
};

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const topic = (env: NodeJS.ProcessEnv, name: string, fallback: string) =>
  matching(env, name, fallback, TOPIC, 'a Kafka topic name (letters, digits, . _ -)');

/** All zeros: the default, which no real organisation has. */
export const PLACEHOLDER_OIN = '00000000000000000000';

/**
 * The OIN goes out in every published event's `source`: a production process that publishes
 * (NODE_ENV=production with KAFKA_BROKERS) refuses to start on the placeholder, rather than tell
 * every consumer that the events come from no one.
 */
const oin = (env: NodeJS.ProcessEnv): string => {
  const value = matching(env, 'EENPLAN_OIN', PLACEHOLDER_OIN, /^\d{20}$/, 'an OIN of 20 digits');
  if (value === PLACEHOLDER_OIN && env.NODE_ENV === 'production' && env.KAFKA_BROKERS)
    throw new ConfigError(
      `EENPLAN_OIN must be the municipality's own OIN (20 digits, from the OIN register) when NODE_ENV=production publishes events to Kafka, not the placeholder ${PLACEHOLDER_OIN}${env.EENPLAN_OIN ? '' : ' (it is not set)'}`,
    );
  return value;
};

const publicBaseUrl = (env: NodeJS.ProcessEnv, port: number): string => {
  const raw = env.PUBLIC_BASE_URL;
  if (raw === undefined || raw === '') {
    if (env.NODE_ENV === 'production' && env.KAFKA_BROKERS)
      throw new ConfigError(
        'PUBLIC_BASE_URL must be set when NODE_ENV=production publishes events to Kafka: every CloudEvent names its schema (dataschema) and the resource of its personal part (dataref) by an absolute URL under it, e.g. https://eenplan.utrecht.nl',
      );
    return `http://localhost:${port}`;
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username)
    throw new ConfigError(
      `PUBLIC_BASE_URL must be the http(s) URL integrators reach the API at, e.g. https://eenplan.utrecht.nl, got "${raw}"`,
    );
  return raw.replace(/\/+$/, '');
};

/**
 * Each topic its own name: the relay tells an outcomes message by its topic, so an outcomes topic
 * named like the plan topic would drop every other event from it (and two topics of one name mix
 * what each consumer was promised).
 */
const distinctTopics = (topics: MessagingConfig['topics']): MessagingConfig['topics'] => {
  const settings: Record<keyof MessagingConfig['topics'], string> = {
    householdPlan: 'KAFKA_TOPIC_HOUSEHOLD_PLAN',
    regieHandoffs: 'KAFKA_TOPIC_REGIE_HANDOFFS',
    uwvSignals: 'KAFKA_TOPIC_UWV_SIGNALS',
    outcomes: 'KAFKA_TOPIC_OUTCOMES',
  };
  const seen = new Map<string, string>();
  for (const [key, name] of Object.entries(topics) as [keyof typeof settings, string][]) {
    const other = seen.get(name);
    if (other !== undefined)
      throw new ConfigError(`${settings[key]} and ${other} must name different topics, both are "${name}"`);
    seen.set(name, settings[key]);
  }
  return topics;
};

const messagingConfig = (env: NodeJS.ProcessEnv, port: number): MessagingConfig => {
  const source = oin(env); // before the base URL: a placeholder OIN is the first thing to name
  const base = publicBaseUrl(env, port);
  return {
    clientId: matching(
      env,
      'KAFKA_CLIENT_ID',
      'eenplan',
      /^[A-Za-z0-9._-]{1,100}$/,
      'letters, digits, . _ -',
    ),
    topics: distinctTopics({
      householdPlan: topic(env, 'KAFKA_TOPIC_HOUSEHOLD_PLAN', 'eenplan.household-plan.events.v1'),
      regieHandoffs: topic(env, 'KAFKA_TOPIC_REGIE_HANDOFFS', 'eenplan.regie.handoffs.v1'),
      uwvSignals: topic(env, 'KAFKA_TOPIC_UWV_SIGNALS', 'eenplan.uwv.signals.v1'),
      outcomes: topic(env, 'KAFKA_TOPIC_OUTCOMES', 'eenplan.outcomes.v1'),
    }),
    oin: source,
    typePrefix: matching(
      env,
      'EVENT_TYPE_PREFIX',
      'nl.gemeente.eenplan',
      /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/,
      'a reverse-domain name such as nl.utrecht.eenplan',
    ),
    publicBaseUrl: base,
    contentMode: oneOf(env, 'CLOUDEVENTS_MODE', CONTENT_MODES, 'structured'),
  };
};

const oneOf = <T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  values: readonly T[],
  fallback: T,
): T => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw))
    throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
};

/**
 * A file the process must read at start (a CA, a password): a path that does not read is named,
 * except a secret's: an operator who put the password itself in the _FILE setting would see it in
 * the message and the logs.
 */
const readSetting = (name: string, path: string, secret = false): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(
      secret
        ? `${name}: cannot read the file it names (${why}); it must be the path of a file holding the password, not the password`
        : `${name}: cannot read ${path} (${why})`,
    );
  }
};

/**
 * TLS (KAFKA_SSL, KAFKA_SSL_CA_FILE) and SASL/SCRAM (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME,
 * KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE). Half a setting is refused, naming what is
 * missing, rather than connecting without the protection the operator meant; a password is never
 * repeated in a message.
 */
const kafkaSecurity = (env: NodeJS.ProcessEnv): Pick<AppConfig, 'kafkaSecurity'> => {
  const ssl = bool(env, 'KAFKA_SSL', false);
  const caFile = env.KAFKA_SSL_CA_FILE || undefined;
  if (caFile && !ssl)
    throw new ConfigError(
      'KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not: set KAFKA_SSL=true to connect over TLS',
    );
  let ca: string | undefined;
  if (caFile) {
    ca = readSetting('KAFKA_SSL_CA_FILE', caFile);
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new ConfigError(
        `KAFKA_SSL_CA_FILE must hold PEM certificates (-----BEGIN CERTIFICATE-----), ${caFile} does not`,
      );
  }
  const rawMechanism = env.KAFKA_SASL_MECHANISM || undefined;
  const username = env.KAFKA_SASL_USERNAME || undefined;
  const password = env.KAFKA_SASL_PASSWORD || undefined;
  const passwordFile = env.KAFKA_SASL_PASSWORD_FILE || undefined;
  let sasl: KafkaSecurity['sasl'];
  if (rawMechanism === undefined) {
    const stray = [
      ['KAFKA_SASL_USERNAME', username],
      ['KAFKA_SASL_PASSWORD', password],
      ['KAFKA_SASL_PASSWORD_FILE', passwordFile],
    ].find(([, v]) => v !== undefined);
    if (stray)
      throw new ConfigError(
        `${stray[0]} is set but KAFKA_SASL_MECHANISM is not: set it to ${SASL_MECHANISMS.join(' or ')}`,
      );
  } else {
    const mechanism = rawMechanism.toLowerCase() as SaslMechanism;
    if (!SASL_MECHANISMS.includes(mechanism))
      throw new ConfigError(
        `KAFKA_SASL_MECHANISM must be ${SASL_MECHANISMS.join(' or ')}, got "${rawMechanism}"`,
      );
    if (!username) throw new ConfigError(`KAFKA_SASL_MECHANISM=${rawMechanism} needs KAFKA_SASL_USERNAME`);
    if (password && passwordFile)
      throw new ConfigError('set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both');
    if (!password && !passwordFile)
      throw new ConfigError(
        `KAFKA_SASL_MECHANISM=${rawMechanism} needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE (a file holding the password, e.g. a mounted secret)`,
      );
    // A secret file usually ends in a newline that is not part of the password.
    const secret =
      password ?? readSetting('KAFKA_SASL_PASSWORD_FILE', passwordFile!, true).replace(/\r?\n$/, '');
    if (secret === '') throw new ConfigError(`KAFKA_SASL_PASSWORD_FILE: ${passwordFile} is empty`);
    sasl = { mechanism, username, password: secret };
    // SCRAM keeps the password off the wire, not the events: in production a login without TLS must
    // be asked for (KAFKA_SSL=false), never the result of a forgotten setting.
    if (!ssl && env.NODE_ENV === 'production' && !env.KAFKA_SSL)
      throw new ConfigError(
        `KAFKA_SASL_MECHANISM=${rawMechanism} without KAFKA_SSL: in production the events would cross the network unencrypted; set KAFKA_SSL=true (or KAFKA_SSL=false to connect without TLS knowingly)`,
      );
  }
  if (!ssl && !sasl) return {};
  return {
    kafkaSecurity: { ...(ssl ? { ssl: ca === undefined ? {} : { ca } } : {}), ...(sasl ? { sasl } : {}) },
  };
};
