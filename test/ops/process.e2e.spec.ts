import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request, IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@eenplan/security';
import { TEST_SECRET } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/postgres';

/**
 * The built API as an operator runs it (`node dist/apps/api/src/main.js`): configuration refused at
 * start, and SIGTERM with requests in flight. Needs `npm run build` first (CI builds before testing).
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const WORKER = join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const run = (script: string, env: Record<string, string>) => {
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, lines, exited };
};

/** Starts the API and resolves once its start-up log line names the port it listens on. */
const startApi = async (env: Record<string, string>): Promise<Running> => {
  const { child, lines, exited } = run(MAIN, { PORT: '0', LOG_LEVEL: 'info', ...env });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      for (const line of lines) {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg?.startsWith('eenplan API on') && entry.port) {
          clearInterval(timer);
          resolve(entry.port);
        }
      }
    }, 100);
    void exited.then(({ code, stderr }) => {
      clearInterval(timer);
      reject(new Error(`the API exited with ${code} before listening: ${stderr}`));
    });
  });
  return { child, port, lines, exited };
};

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

/** One request on its own connection (no keep-alive pool), body sent in `parts` the caller releases. */
const send = (port: number, method: string, path: string, token: string, body?: unknown) => {
  const payload = body === undefined ? '' : JSON.stringify(body);
  let connected!: () => void;
  const connection = new Promise<void>((r) => (connected = r));
  const req = request({
    host: '127.0.0.1',
    port,
    method,
    path,
    agent: false,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(payload
        ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
        : {}),
    },
  });
  req.on('socket', (s) => s.on('connect', connected));
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : {} }),
      );
    });
  });
  const half = Math.floor(payload.length / 2);
  return {
    connection,
    answer,
    /** Headers and the first half of the body now: the server has a request it cannot finish yet. */
    begin: () => {
      req.flushHeaders();
      if (half > 0) req.write(payload.slice(0, half));
    },
    finish: () => req.end(payload.slice(half)),
    whole: () => {
      req.end(payload);
      return answer;
    },
  };
};

const onPostgres = process.env.EENPLAN_E2E_STORE === 'postgres';

describe('the built API process', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  });

  it.each([
    [{ PORT: 'http' }, 'PORT must be a whole number from 0 to 65535, got "http"'],
    [{ KAFKA_BROKERS: 'kafka' }, 'KAFKA_BROKERS must be a comma-separated list of host:port'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ EMBEDDED_DB: 'sqlite' }, 'EMBEDDED_DB must be one of postgres, pglite, got "sqlite"'],
  ])('with %j stops at once with exit code 2 and a message naming the setting', async (env, message) => {
    const { exited } = run(MAIN, env);
    const { code, stderr } = (await exited) as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr).toContain(`configuration error: ${message}`);
  });

  it('the worker without the DATABASE_URL it needs stops with exit code 2 naming it', async () => {
    const { exited } = run(WORKER, {});
    const { code, stderr } = (await exited) as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr).toContain('DATABASE_URL is required for the worker');
  });

  describe('on SIGTERM with commands in flight', () => {
    let dataDir: string;
    let database: TestDatabase | undefined;
    let env: Record<string, string>;
    const admin = signToken(TEST_SECRET, { sub: 'admin-1', roles: ['admin'], teams: [] });
    const worker = signToken(TEST_SECRET, { sub: 'w-1', roles: ['worker'], teams: ['t-1'] });

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'eenplan-shutdown-'));
      // PGlite persisted in DATA_DIR (so a restart sees what was stored), or the e2e-postgres server.
      database = onPostgres ? await createTestDatabase() : undefined;
      env = {
        DATA_DIR: dataDir,
        JWT_SECRET: TEST_SECRET,
        ...(database ? { DATABASE_URL: database.url } : {}),
      };
    });
    afterAll(async () => {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('stops accepting, answers every request it had received, exits 0, and a restart has them all', async () => {
      const api = await startApi(env);
      try {
        const seed = async (path: string, body: unknown) =>
          expect((await send(api.port, 'POST', path, admin, body).whole()).status).toBe(201);
        await seed('/v1/teams', { teamId: 't-1', name: 'Wijkteam Noord', districts: ['noord'] });
        await seed('/v1/teams/t-1/workers', {
          workerId: 'w-1',
          name: 'Anna',
          role: 'generalist',
          hoursPerWeek: 32,
        });

        // Twenty registrations whose bodies are half sent: received by the server, not yet decidable.
        const households = Array.from({ length: 20 }, (_, i) => `hh-${i + 1}`);
        const inFlight = households.map((householdId) =>
          send(api.port, 'POST', '/v1/households', worker, {
            householdId,
            teamId: 't-1',
            district: 'noord',
            regie: { workerId: 'w-1' },
            members: [{ memberId: 'm-1', role: 'parent', birthYear: 1980, name: 'Sanne Jansen' }],
          }),
        );
        for (const r of inFlight) r.begin();
        await Promise.all(inFlight.map((r) => r.connection));
        // A later connection answered means every earlier one was accepted (one accept queue, in order).
        expect((await send(api.port, 'GET', '/health/live', worker).whole()).status).toBe(200);

        api.child.kill('SIGTERM');
        // The listener closes: a new connection is refused while the twenty are still open.
        let refused: unknown;
        for (let i = 0; i < 50 && !refused; i++) {
          await new Promise((r) => setTimeout(r, 100));
          refused = await send(api.port, 'GET', '/health/live', worker)
            .whole()
            .then(
              () => undefined,
              (e: NodeJS.ErrnoException) => e.code,
            );
        }
        expect(refused).toBe('ECONNREFUSED');

        for (const r of inFlight) r.finish();
        const answers = await Promise.all(inFlight.map((r) => r.answer));
        expect(answers.map((a) => [a.status, a.body.version])).toEqual(households.map(() => [201, 1]));
        // Each answered connection is closed rather than kept alive for requests that would be lost.
        expect(answers.every((a) => a.headers.connection === 'close')).toBe(true);

        const { code, signal } = await api.exited;
        expect({ code, signal }).toEqual({ code: 0, signal: null });
        const messages = api.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
        expect(messages).toEqual(
          expect.arrayContaining(['shutting down: finishing in-flight requests', 'stopped']),
        );
        expect(messages.indexOf('stopped')).toBeGreaterThan(
          messages.indexOf('shutting down: finishing in-flight requests'),
        );
      } finally {
        api.child.kill('SIGKILL');
      }

      // Started again on the same data: every answered registration is there, and the read models
      // (fed from the stored checkpoints) have all twenty households in the worker's caseload.
      const again = await startApi(env);
      try {
        const caseload = await send(again.port, 'GET', '/v1/caseloads/workers/w-1', worker).whole();
        expect(caseload.status).toBe(200);
        const ids = (caseload.body.households as { householdId: string }[]).map((h) => h.householdId).sort();
        expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `hh-${i + 1}`).sort());
        const ready = await send(again.port, 'GET', '/health/ready', worker).whole();
        expect(ready.status).toBe(200);
        again.child.kill('SIGTERM');
        expect((await again.exited).code).toBe(0);
      } finally {
        again.child.kill('SIGKILL');
      }
    }, 240_000);
  });
});
