import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { EventStore, WrongExpectedVersionError } from '@eenplan/event-store/event-store.port';
import { householdStream } from '@eenplan/domain';
import type { Sql, SqlExecutor } from '@eenplan/event-store/sql/sql';
import { EVENT_STORE, SQL } from '../../apps/api/src/common/tokens';
import { LagGauges } from '../../apps/api/src/observability/lag-gauges';
import { ProjectionRunner } from '@eenplan/projections';
import { createLogger } from '../../apps/api/src/observability/logger';
import { startTestApp, TestApp } from '../support/app';
import { auditor, expectProblem, householdBody, seedTeam, SeededTeam, uniq } from '../e2e/fixtures';

/** Every line the app logs, as written to its pino destination. */
class CapturedLog extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  entries() {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** One sample of a Prometheus text exposition, e.g. value(text, 'eenplan_commands_total', {command: 'X'}). */
const sample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
};

/** /metrics until `ready` holds for it: the lag gauges are measured by a timer, not at the scrape. */
const metricsWhen = async (t: TestApp, ready: (text: string) => boolean): Promise<string> => {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = (await t.http().get('/metrics').expect(200)).text;
    if (ready(text) || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
};

// Unusual enough that it cannot appear in a log line by accident.
const MEMBER_NAME = 'Sanne Zwartjes-Oudeland';
const FREE_TEXT = 'Zorgen over de schulden van Zwartjes-Oudeland';

describe('logs, metrics and readiness of the running app', () => {
  let t: TestApp;
  let team: SeededTeam;
  const log = new CapturedLog();

  beforeAll(async () => {
    t = await startTestApp({ metricsLagRefreshMs: 100 }, { logger: createLogger('debug', log) });
    team = await seedTeam(t, { workers: 2 });
  });
  afterAll(() => t?.close());

  it("never writes a member's name or free text about people to a log line, yet logs each request and command", async () => {
    const [w1, w2] = team.workers;
    const body = householdBody(team, {
      regie: { workerId: w1!.id },
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1984, name: MEMBER_NAME }],
    });
    const householdId = body.householdId as string;
    const correlationId = uniq('corr');
    await t
      .http()
      .post('/v1/households')
      .set(w1!.as)
      .set('X-Correlation-Id', correlationId)
      .send(body)
      .expect(201);
    // The same registration again is refused (409), and one with a bad field too (400): the refusals
    // carry the name in their request bodies as well.
    expectProblem(
      await t.http().post('/v1/households').set(w1!.as).send(body),
      409,
      'HouseholdAlreadyRegistered',
    );
    expectProblem(
      await t
        .http()
        .post('/v1/households')
        .set(w1!.as)
        .send({ ...body, householdId: uniq('hh'), district: 42 }),
      400,
      'ValidationFailed',
    );
    await t
      .http()
      .post(`/v1/households/${householdId}/regie/transfers`)
      .set(w1!.as)
      .send({
        transferId: 'tr-1',
        to: { kind: 'worker', id: w2!.id },
        reason: FREE_TEXT,
        handoverNotes: FREE_TEXT,
      })
      .expect(201);
    await t
      .http()
      .post('/v1/households/%20bad/goals')
      .set(w1!.as)
      .send({ description: FREE_TEXT })
      .expect(400);

    const text = log.lines.join('\n');
    expect(text).not.toContain('Zwartjes');
    expect(text).not.toContain('Oudeland');
    const entries = log.entries();
    // What the operator does get: the request with its route, status and the caller's correlation id,
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        method: 'POST',
        route: '/v1/households',
        status: 201,
        correlationId,
        principal: w1!.id,
        durationMs: expect.any(Number),
      }),
    );
    // and the command inside it, under the same correlation id.
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'command',
        command: 'RegisterHousehold',
        streamId: expect.stringContaining(householdId),
        outcome: 'accepted',
        version: 1,
        correlationId,
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'command',
        command: 'RegisterHousehold',
        outcome: 'rejected',
        code: 'HouseholdAlreadyRegistered',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: 'command', command: 'RequestRegieTransfer', outcome: 'accepted' }),
    );
  });

  it('answers with the correlation id it logged, and makes one when the caller sent none or a bad one', async () => {
    const sent = await t.http().get('/health/live').set('X-Correlation-Id', 'abc-123');
    expect(sent.headers['x-correlation-id']).toBe('abc-123');
    const made = await t.http().get('/health/live').set('X-Correlation-Id', 'not ok\u00e9');
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/metrics counts commands, conflicts, appends and HTTP answers per route', async () => {
    const [w1] = team.workers;
    const body = householdBody(team, { regie: { workerId: w1!.id } });
    const householdId = body.householdId as string;
    await t.http().post('/v1/households').set(w1!.as).send(body).expect(201);
    // A stale If-Match is the client's conflict: refused before anything is appended.
    await t
      .http()
      .post(`/v1/households/${householdId}/goals`)
      .set(w1!.as)
      .set('If-Match', '"7"')
      .send({ lifeDomain: 'finances', description: 'x' })
      .expect(409);
    // Concurrent writes to one stream without If-Match: all accepted (collisions are retried).
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () =>
        t
          .http()
          .post(`/v1/households/${householdId}/goals`)
          .set(w1!.as)
          .send({ lifeDomain: 'finances', description: 'x' }),
      ),
    );
    expect(concurrent.map((r) => r.status)).toEqual(Array(8).fill(201));

    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const m = res.text;
    expect(sample(m, 'eenplan_commands_total', { command: 'AddGoal', outcome: 'accepted' })).toBe(8);
    // A stale If-Match is refused before the command is built, so its type is not known yet.
    expect(sample(m, 'eenplan_commands_total', { command: 'unknown', outcome: 'conflict' })).toBe(1);
    expect(sample(m, 'eenplan_command_duration_seconds_count', { command: 'AddGoal' })).toBe(8);
    const conflictsBefore = sample(m, 'eenplan_version_conflicts_total')!;
    // An append for a stream that moved since it was read, through the app's own store.
    const store = t.app.get<EventStore>(EVENT_STORE);
    const stale = store.append(
      householdStream(householdId),
      [
        {
          eventId: randomUUID(),
          type: 'Probe',
          data: {},
          metadata: {
            schemaVersion: 1,
            actor: { kind: 'system', id: 'test' },
            recordedAt: new Date().toISOString(),
            correlationId: 'c',
            causationId: 'c',
          },
        },
      ],
      1,
    );
    await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersionError);
    const afterConflict = (await t.http().get('/metrics').expect(200)).text;
    expect(sample(afterConflict, 'eenplan_version_conflicts_total')).toBe(conflictsBefore + 1);
    expect(
      sample(afterConflict, 'eenplan_event_store_append_duration_seconds_count', { outcome: 'conflict' }),
    ).toBe(conflictsBefore + 1);
    expect(
      sample(afterConflict, 'eenplan_event_store_append_duration_seconds_count', { outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(9);
    expect(
      sample(m, 'eenplan_http_requests_total', {
        method: 'POST',
        route: '/v1/households/:id/goals',
        status: '201',
      }),
    ).toBe(8);
    expect(
      sample(m, 'eenplan_http_requests_total', {
        method: 'POST',
        route: '/v1/households/:id/goals',
        status: '409',
      }),
    ).toBe(1);
    expect(
      sample(m, 'eenplan_http_requests_total', { method: 'POST', route: '/v1/households', status: '201' }),
    ).toBeGreaterThanOrEqual(1);
    // The projections run in this app and have caught up by the time the writes are answered and read.
    await t.http().get('/v1/audit/handoffs').set(auditor(t).as).expect(200);
    const caughtUp = (text: string) =>
      ['regie-history', 'caseload', 'workers'].every(
        (projection) => sample(text, 'eenplan_projection_lag_events', { projection }) === 0,
      );
    const after = await metricsWhen(t, caughtUp);
    for (const projection of ['regie-history', 'caseload', 'workers'])
      expect(sample(after, 'eenplan_projection_lag_events', { projection })).toBe(0);
  });

  it('/health/live and /health/ready answer 200 while the store answers and the projections keep up', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toMatchObject({ status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      details: {
        accepting: { status: 'up' },
        eventStore: { status: 'up' },
        projections: { status: 'up', maxLagEvents: 1000 },
      },
    });
    expect(ready.body.details.kafka).toBeUndefined();
  });
});

describe('readiness and lag when the projections fall behind', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ readyMaxProjectionLag: 2, readYourWritesMs: 0, metricsLagRefreshMs: 100 });
    // The projections stop applying, as when a worker is down: events pile up behind them.
    await t.app.get(ProjectionRunner).stop();
  });
  afterAll(() => t?.close());

  it('is ready within the bound, then 503 naming the projections once they are further behind', async () => {
    const asAdmin = { Authorization: `Bearer ${t.token('admin-1', ['admin'])}` };
    const teamId = uniq('team');
    await t
      .http()
      .post('/v1/teams')
      .set(asAdmin)
      .send({ teamId, name: 'Wijkteam', districts: ['noord'] })
      .expect(201);
    await t.http().get('/health/ready').expect(200);

    for (const workerId of [uniq('w'), uniq('w')])
      await t
        .http()
        .post(`/v1/teams/${teamId}/workers`)
        .set(asAdmin)
        .send({ workerId, name: 'Naam', role: 'generalist', hoursPerWeek: 32 })
        .expect(201);

    const res = await t.http().get('/health/ready');
    const problem = expectProblem(res, 503, 'NotReady');
    expect(problem.notReady).toEqual(['projections']);
    expect(problem.detail).toContain('projections');
    expect(problem.checks).toMatchObject({
      eventStore: { status: 'up' },
      projections: {
        status: 'down',
        maxLagEvents: 2,
        lagEvents: { 'regie-history': 3, caseload: 3, workers: 3 },
        message: expect.stringContaining('more than 2 events behind'),
      },
    });
    // Live is about the process only: still 200.
    await t.http().get('/health/live').expect(200);

    const m = await metricsWhen(
      t,
      (text) => sample(text, 'eenplan_projection_lag_events', { projection: 'workers' }) === 3,
    );
    expect(sample(m, 'eenplan_projection_lag_events', { projection: 'workers' })).toBe(3);
    expect(sample(m, 'eenplan_projection_lag_seconds', { projection: 'workers' })).toBeGreaterThan(0);
  });
});

describe('a /metrics scrape runs no database query', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ metricsLagRefreshMs: 600_000 });
    // Nothing else in the app may query meanwhile: the projections stop, as when a worker owns them.
    await t.app.get(ProjectionRunner).stop();
  });
  afterAll(() => t?.close());

  /** Every statement sent on the app's own connection (pool) while `work` runs, counted where it is sent. */
  const statementsDuring = async (work: () => Promise<void>): Promise<string[]> => {
    const sql = t.app.get<Sql>(SQL);
    const sent: string[] = [];
    const query = sql.query.bind(sql);
    const transaction = sql.transaction.bind(sql);
    sql.query = ((text: string, ...rest: unknown[]) => {
      sent.push(text);
      return (query as (...a: unknown[]) => unknown)(text, ...rest);
    }) as Sql['query'];
    sql.transaction = ((fn: (tx: SqlExecutor) => Promise<unknown>) =>
      transaction((tx) =>
        fn({
          query: ((text: string, ...rest: unknown[]) => {
            sent.push(text);
            return (tx.query as (...a: unknown[]) => unknown)(text, ...rest);
          }) as SqlExecutor['query'],
        }),
      )) as Sql['transaction'];
    try {
      await work();
    } finally {
      sql.query = query;
      sql.transaction = transaction;
    }
    return sent;
  };

  it("serves 50 scrapes without a statement, while the timer's measurement does query", async () => {
    // The measurement made at start, which may still be under way, is not a scrape's.
    await metricsWhen(t, (text) => (sample(text, 'eenplan_lag_measured_at_seconds') ?? 0) > 0);
    const scrapes = await statementsDuring(async () => {
      for (let i = 0; i < 50; i++) {
        const text = (await t.http().get('/metrics').expect(200)).text;
        expect(text).toContain('eenplan_projection_lag_events');
      }
    });
    expect(scrapes).toEqual([]);

    // The same counting sees the measurement's statements: it is not blind.
    const refresh = await statementsDuring(() => t.app.get(LagGauges).refresh());
    expect(refresh.some((text) => text.includes('projection_checkpoints'))).toBe(true);
  });

  it('says when the gauges were measured', async () => {
    const before = Date.now() / 1000;
    await t.app.get(LagGauges).refresh();
    const text = (await t.http().get('/metrics').expect(200)).text;
    expect(sample(text, 'eenplan_lag_measured_at_seconds')).toBeGreaterThanOrEqual(Math.floor(before));
  });
});
