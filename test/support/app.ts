import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Role, signToken } from '@eenplan/security';
import { createApp } from '../../apps/api/src/app.factory';
import { Clock } from '../../apps/api/src/common/tokens';
import { AppConfig, loadConfig } from '../../apps/api/src/config/app-config';
import { createTestDatabase, TestDatabase } from './postgres';

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
  token(sub: string, roles: Role[], teams?: string[]): string;
  close(): Promise<void>;
}

/**
 * The one way tests start the real app: PGlite in memory by default; in the `e2e-postgres` jest
 * project a fresh database on the PostgreSQL server, dropped on close. One per test file (a PGlite
 * instance costs seconds and hundreds of MB).
 */
export const startTestApp = async (
  overrides: Partial<AppConfig> = {},
  options: { clock?: TestClock } = {},
): Promise<TestApp> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-test-'));
  const database: TestDatabase | undefined =
    process.env.EENPLAN_E2E_STORE === 'postgres' && !overrides.databaseUrl
      ? await createTestDatabase()
      : undefined;
  const config: AppConfig = {
    ...loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: 'memory', JWT_SECRET: TEST_SECRET }),
    ...(database ? { databaseUrl: database.url } : {}),
    ...overrides,
  };
  // Apps that share a database share a clock, so their events' instants stay in one order.
  const clock = options.clock ?? new TestClock();
  const app = await createApp(config, { clock, logger: false });
  await app.init();
  return {
    app,
    clock,
    config,
    http: () => request(app.getHttpServer()),
    token: (sub, roles, teams = []) => signToken(TEST_SECRET, { sub, roles, teams }),
    close: async () => {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Bearer header for supertest's `.set(...)`. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
