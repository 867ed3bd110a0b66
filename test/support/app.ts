import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Role, signToken } from '@eenplan/security';
import { createApp } from '../../apps/api/src/app.factory';
import { Clock } from '../../apps/api/src/common/tokens';
import { AppConfig, loadConfig } from '@eenplan/runtime';
import type { Logger } from '../../apps/api/src/observability/logger';
import { createTestDatabase, keyStoreDirFor, TestDatabase } from './postgres';

export const TEST_SECRET = 'test-secret-not-for-production-0123456789';

/**
 * Time under the test's control: every reading moves one second on, so events recorded by
 * consecutive commands get distinct, known instants; `advance` jumps further.
 */
export class TestClock implements Clock {
  private current: number;
  constructor(
    start = '2026-01-05T09:00:00.000Z',
    private readonly stepMs = 1000,
  ) {
    this.current = Date.parse(start);
  }
  now(): Date {
    this.current += this.stepMs;
    return new Date(this.current);
  }
  /** The last instant handed out. */
  peek(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface TestApp {
  readonly app: INestApplication;
  readonly clock: TestClock;
  readonly config: AppConfig;
  http(): ReturnType<typeof request>;
  /** `scope`: the household (and member id in it) a resident's or network member's token names. */
  token(
    sub: string,
    roles: Role[],
    teams?: string[],
    scope?: { household?: string; member?: string; organisation?: string },
  ): string;
  close(): Promise<void>;
}

/**
 * The one way tests start the real app: PGlite in memory by default; in the `e2e-postgres` jest
 * project a fresh database on the PostgreSQL server, dropped on close; in `e2e-kurrentdb` the events
 * on KurrentDB (KURRENTDB_URL) and the read models on such a database. One per test file (a PGlite
 * instance costs seconds and hundreds of MB).
 */
export const startTestApp = async (
  overrides: Partial<AppConfig> = {},
  /** tokenNow: the wall clock tokens are checked against (default Date.now), to see one expire. */
  options: { clock?: TestClock; logger?: Logger; tokenNow?: () => number } = {},
): Promise<TestApp> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-test-'));
  const store = process.env.EENPLAN_E2E_STORE;
  const database: TestDatabase | undefined =
    (store === 'postgres' || store === 'kurrentdb') && !overrides.databaseUrl
      ? await createTestDatabase()
      : undefined;
  const databaseUrl = overrides.databaseUrl ?? database?.url;
  const config: AppConfig = {
    ...loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: 'memory', JWT_SECRET: TEST_SECRET }),
    ...(database ? { databaseUrl: database.url } : {}),
    ...(databaseUrl ? { keyStore: { kind: 'directory' as const, dir: keyStoreDirFor(databaseUrl) } } : {}),
    // Named after the database: apps that share one share the events too.
    ...(store === 'kurrentdb' && databaseUrl
      ? {
          eventStore: 'kurrentdb' as const,
          kurrentdb: { url: process.env.KURRENTDB_URL!, namespace: namespaceOf(databaseUrl) },
        }
      : {}),
    ...overrides,
  };
  // Apps that share a database share a clock, so their events' instants stay in one order.
  const clock = options.clock ?? new TestClock();
  const app = await createApp(config, {
    clock,
    logger: options.logger ?? false,
    ...(options.tokenNow ? { tokenNow: options.tokenNow } : {}),
  });
  await app.init();
  return {
    app,
    clock,
    config,
    http: () => request(app.getHttpServer()),
    token: (sub, roles, teams = [], scope = {}) => signToken(TEST_SECRET, { sub, roles, teams, ...scope }),
    close: async () => {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** A KurrentDB namespace from a database name, e.g. eenplan_test_3f2a... */
const namespaceOf = (databaseUrl: string): string =>
  `db_${new URL(databaseUrl).pathname
    .slice(1)
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);

/** Bearer header for supertest's `.set(...)`. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
