import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

/** The message a wrong setting stops the process with (main.ts prints it and exits 2). */
const refusal = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('loadConfig', () => {
  test('an empty environment gives the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: resolve('./data'),
      pgliteDir: resolve('./data/pglite'),
      databaseUrl: undefined,
      kafkaBrokers: undefined,
      readYourWritesMs: 5000,
      runProjections: true,
      bodyLimit: '100kb',
      logLevel: 'info',
      readyMaxProjectionLag: 1000,
      shutdownTimeoutMs: 10_000,
      tokenMaxLifetimeSeconds: 12 * 3600,
      legalBases: ['wet-suwi-art-54', 'participatiewet-art-64', 'wgs-art-3'],
      referralLegalGrounds: ['jeugdwet-art-7-4-0', 'wmo-art-5-2-1'],
      safetyConfirmHours: 24,
      erasureSweepMs: 300_000,
      anchorIntervalMs: 60_000,
    });
  });

  test('REFERRAL_LEGAL_GROUNDS: references a referral may name instead of consent; free text refused', () => {
    expect(loadConfig({ REFERRAL_LEGAL_GROUNDS: 'wmo-art-5-2-1, jeugdwet-art-7-4-0' })).toMatchObject({
      referralLegalGrounds: ['wmo-art-5-2-1', 'jeugdwet-art-7-4-0'],
    });
    expect(() => loadConfig({ REFERRAL_LEGAL_GROUNDS: 'omdat het moet' })).toThrow(
      'REFERRAL_LEGAL_GROUNDS must be a comma-separated list of references',
    );
  });

  test('the erasure sweep: how often it looks besides at start-up; 0 only at start-up', () => {
    expect(loadConfig({ ERASURE_SWEEP_MS: '0' })).toMatchObject({ erasureSweepMs: 0 });
    expect(loadConfig({ ERASURE_SWEEP_MS: '60000' })).toMatchObject({ erasureSweepMs: 60_000 });
  });

  test('safety takeovers: the hours a team lead has to confirm, and how often the sweep looks', () => {
    expect(loadConfig({ SAFETY_CONFIRM_HOURS: '8', SAFETY_TAKEOVER_SWEEP_MS: '0' })).toMatchObject({
      safetyConfirmHours: 8,
      safetyTakeoverSweepMs: 0,
    });
  });

  test('every setting is read from its variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/eenplan',
      PGLITE_DIR: 'memory',
      DATABASE_URL: 'postgresql://app@db:5432/eenplan',
      JWT_SECRET: 'a-secret-of-at-least-32-bytes-0123456789',
      TOKEN_MAX_LIFETIME: '30m',
      LEGAL_BASES: 'wet-suwi-art-54, jeugdwet-art-7-4-0',
      READ_YOUR_WRITES_MS: '0',
      RUN_PROJECTIONS: 'false',
      BODY_LIMIT: '1mb',
      LOG_LEVEL: 'debug',
      KAFKA_BROKERS: 'kafka:19092, 10.0.0.2:9092',
      READY_MAX_PROJECTION_LAG: '50',
      SHUTDOWN_TIMEOUT_MS: '2500',
    });
    // toMatchObject: settings added later need not be listed here.
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/eenplan',
      pgliteDir: 'memory',
      databaseUrl: 'postgresql://app@db:5432/eenplan',
      jwtSecret: 'a-secret-of-at-least-32-bytes-0123456789',
      tokenMaxLifetimeSeconds: 1800,
      legalBases: ['wet-suwi-art-54', 'jeugdwet-art-7-4-0'],
      readYourWritesMs: 0,
      runProjections: false,
      bodyLimit: '1mb',
      logLevel: 'debug',
      kafkaBrokers: ['kafka:19092', '10.0.0.2:9092'],
      readyMaxProjectionLag: 50,
      shutdownTimeoutMs: 2500,
    });
  });

  test.each([
    [{ PORT: 'http' }, 'PORT must be a whole number from 0 to 65535, got "http"'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535, got "70000"'],
    [{ PORT: '80.5' }, 'PORT must be a whole number'],
    [{ READ_YOUR_WRITES_MS: '-1' }, 'READ_YOUR_WRITES_MS must be a whole number from 0 to 60000'],
    [{ RUN_PROJECTIONS: 'maybe' }, 'RUN_PROJECTIONS must be true or false, got "maybe"'],
    [{ BODY_LIMIT: '10 MB' }, 'BODY_LIMIT must look like 100kb or 1mb, got "10 MB"'],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL must look like postgres://user@host:5432/db'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ KAFKA_BROKERS: 'kafka' }, 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    [{ KAFKA_BROKERS: 'a:9092,,b:9092' }, 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    [{ READY_MAX_PROJECTION_LAG: 'lots' }, 'READY_MAX_PROJECTION_LAG must be a whole number from 0'],
    [{ SHUTDOWN_TIMEOUT_MS: '10s' }, 'SHUTDOWN_TIMEOUT_MS must be a whole number from 0 to 600000'],
    [{ JWT_SECRET: 'too-short-31-bytes-0123456789ab' }, 'JWT_SECRET must be at least 32 bytes, got 31'],
    [{ TOKEN_MAX_LIFETIME: '30d' }, 'TOKEN_MAX_LIFETIME must be a duration from 60 s to 604800 s'],
    [{ TOKEN_MAX_LIFETIME: '10s' }, 'TOKEN_MAX_LIFETIME must be a duration from 60 s'],
    [{ TOKEN_MAX_LIFETIME: 'forever' }, 'TOKEN_MAX_LIFETIME must be a duration'],
    [
      { LEGAL_BASES: 'wet-suwi-art-54,zomaar mag het' },
      'LEGAL_BASES must be a comma-separated list of references',
    ],
    [{ SAFETY_CONFIRM_HOURS: '0' }, 'SAFETY_CONFIRM_HOURS must be a whole number from 1 to 720, got "0"'],
    [{ SAFETY_CONFIRM_HOURS: '1.5' }, 'SAFETY_CONFIRM_HOURS must be a whole number from 1 to 720'],
    [{ SAFETY_TAKEOVER_SWEEP_MS: '-5' }, 'SAFETY_TAKEOVER_SWEEP_MS must be a whole number from 0'],
    [{ ERASURE_SWEEP_MS: 'often' }, 'ERASURE_SWEEP_MS must be a whole number from 0'],
    [{ ANCHOR_INTERVAL_MS: '-1' }, 'ANCHOR_INTERVAL_MS must be a whole number from 0'],
  ])('%j is refused with a message naming the setting and its form', (env, message) => {
    expect(refusal(env)).toContain(message);
  });

  test('a refused JWT_SECRET is never shown', () => {
    expect(refusal({ JWT_SECRET: 'hunter2-hunter2' })).not.toContain('hunter2');
  });

  test('a refused DATABASE_URL is shown without its password', () => {
    const message = refusal({ DATABASE_URL: 'mysql://app:hunter2@db/x' });
    expect(message).toContain('mysql://app:***@db/x');
    expect(message).not.toContain('hunter2');
  });
});

describe('bounded work settings', () => {
  test('plan limits default to 50 goals and 250 actions, and are read from their variables', () => {
    expect(loadConfig({}).planLimits).toEqual({ maxGoals: 50, maxActions: 250 });
    expect(loadConfig({ MAX_GOALS_PER_HOUSEHOLD: '3', MAX_ACTIONS_PER_HOUSEHOLD: '7' }).planLimits).toEqual({
      maxGoals: 3,
      maxActions: 7,
    });
  });

  test("the plan's evaluation and the ZRM re-assessment default to six months on, and read ISO periods", () => {
    expect(loadConfig({}).planCycle).toEqual({ evaluationAfterMonths: 6, reassessmentAfterMonths: 6 });
    expect(loadConfig({ PLAN_EVALUATION_AFTER: 'P1Y3M', REASSESSMENT_AFTER: 'P3M' }).planCycle).toEqual({
      evaluationAfterMonths: 15,
      reassessmentAfterMonths: 3,
    });
    expect(loadConfig({ PLAN_EVALUATION_AFTER: 'P5Y' }).planCycle.evaluationAfterMonths).toBe(60);
  });

  test('a plan cycle period that is no period of 1 month to 5 years stops the start', () => {
    for (const raw of ['P0M', 'P6Y', '6', 'P', 'P2W', 'P1D'])
      expect(refusal({ PLAN_EVALUATION_AFTER: raw })).toContain(
        'PLAN_EVALUATION_AFTER must be an ISO 8601 period',
      );
  });

  test('a plan limit that is not a whole number in range stops the start', () => {
    expect(refusal({ MAX_GOALS_PER_HOUSEHOLD: '0' })).toContain('MAX_GOALS_PER_HOUSEHOLD');
    expect(refusal({ MAX_ACTIONS_PER_HOUSEHOLD: 'many' })).toContain('MAX_ACTIONS_PER_HOUSEHOLD');
  });
});

describe('TLS_TERMINATED_BY_PROXY', () => {
  test('is off by default, on with true, and anything else stops the start', () => {
    expect(loadConfig({}).tlsTerminatedByProxy).toBe(false);
    expect(loadConfig({ TLS_TERMINATED_BY_PROXY: 'true' }).tlsTerminatedByProxy).toBe(true);
    expect(refusal({ TLS_TERMINATED_BY_PROXY: 'https' })).toContain('TLS_TERMINATED_BY_PROXY');
  });
});

describe('the key store settings', () => {
  test('by default a directory in DATA_DIR/keys; KEY_STORE_DIR moves it', () => {
    expect(loadConfig({}).keyStore).toEqual({ kind: 'directory', dir: resolve('./data/keys') });
    expect(loadConfig({ DATA_DIR: '/var/lib/eenplan' }).keyStore).toEqual({
      kind: 'directory',
      dir: '/var/lib/eenplan/keys',
    });
    expect(loadConfig({ KEY_STORE: 'directory', KEY_STORE_DIR: '/srv/keys' }).keyStore).toEqual({
      kind: 'directory',
      dir: '/srv/keys',
    });
  });

  // The PKCS#11 settings themselves: pkcs11-config.unit.spec.ts.
  test('pkcs11 needs its module; anything else is refused by name', () => {
    expect(refusal({ KEY_STORE: 'pkcs11' })).toMatch(/^KEY_STORE=pkcs11 needs PKCS11_MODULE/);
    expect(refusal({ KEY_STORE: 'database' })).toBe('KEY_STORE must be directory or pkcs11, got "database"');
  });
});

describe('sign-in with an OpenID provider (OIDC_*)', () => {
  const issuer = 'https://login.utrecht.nl/realms/eenplan';

  test('unset: the local secret, no OIDC', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  test('the issuer and audience; the defaults for the rest', () => {
    expect(loadConfig({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'eenplan-api' }).oidc).toEqual({
      issuer,
      audience: 'eenplan-api',
      algorithms: ['RS256', 'ES256'],
      claims: {
        roles: 'roles',
        teams: 'teams',
        household: 'household',
        member: 'member',
        organisation: 'organisation',
      },
      jwksCooldownMs: 30_000,
      jwksCacheMaxAgeMs: 600_000,
    });
  });

  test('every setting as a municipality would map its claims', () => {
    const config = loadConfig({
      OIDC_ISSUER: 'http://127.0.0.1:8080/realms/dev',
      OIDC_AUDIENCE: 'eenplan-api',
      OIDC_JWKS_URI: 'http://localhost:8080/realms/dev/protocol/openid-connect/certs',
      OIDC_ALGORITHMS: 'PS256, ES256',
      OIDC_ROLES_CLAIM: 'resource_access.eenplan-api.roles',
      OIDC_TEAMS_CLAIM: 'eenplan_teams',
      OIDC_HOUSEHOLD_CLAIM: 'eenplan_household',
      OIDC_MEMBER_CLAIM: 'eenplan_member',
      OIDC_ORGANISATION_CLAIM: 'org',
      OIDC_JWKS_COOLDOWN: '10s',
      OIDC_JWKS_CACHE_MAX_AGE: '5m',
    });
    expect(config.oidc).toMatchObject({
      jwksUri: 'http://localhost:8080/realms/dev/protocol/openid-connect/certs',
      algorithms: ['PS256', 'ES256'],
      claims: {
        roles: 'resource_access.eenplan-api.roles',
        teams: 'eenplan_teams',
        household: 'eenplan_household',
        member: 'eenplan_member',
        organisation: 'org',
      },
      jwksCooldownMs: 10_000,
      jwksCacheMaxAgeMs: 300_000,
    });
    expect(config.jwtSecret).toBeUndefined();
  });

  test.each([
    [
      { OIDC_ISSUER: 'http://login.utrecht.nl', OIDC_AUDIENCE: 'a' },
      "OIDC_ISSUER must be the provider's https URL",
    ],
    [{ OIDC_ISSUER: 'login.utrecht.nl', OIDC_AUDIENCE: 'a' }, "OIDC_ISSUER must be the provider's https URL"],
    [{ OIDC_ISSUER: issuer }, 'OIDC_ISSUER needs OIDC_AUDIENCE'],
    [{ OIDC_AUDIENCE: 'eenplan-api' }, 'OIDC_AUDIENCE is set but OIDC_ISSUER is not'],
    [{ OIDC_ROLES_CLAIM: 'groups' }, 'OIDC_ROLES_CLAIM is set but OIDC_ISSUER is not'],
    [
      { OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'a', JWT_SECRET: 'a-secret-of-at-least-32-bytes-0123456789' },
      'set JWT_SECRET or OIDC_ISSUER, not both',
    ],
    [
      { OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'a', OIDC_ALGORITHMS: 'RS256,HS256' },
      'never HS* or none), got "HS256"',
    ],
    [{ OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'a', OIDC_ALGORITHMS: 'none' }, 'got "none"'],
    [
      { OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'a', OIDC_JWKS_URI: 'http://idp.example/certs' },
      'OIDC_JWKS_URI must be an https URL',
    ],
    [
      { OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'a', OIDC_ROLES_CLAIM: 'realm access..roles' },
      'OIDC_ROLES_CLAIM must be a claim name or a dotted path',
    ],
    [
      { OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'a', OIDC_JWKS_CACHE_MAX_AGE: '0' },
      'OIDC_JWKS_CACHE_MAX_AGE must be a duration from 1 s',
    ],
  ])('%j is refused with a message naming the setting', (env, message) => {
    expect(refusal(env)).toContain(message);
  });
});
