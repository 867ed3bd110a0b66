import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql, PostgresEventStore } from '@eenplan/event-store';
import { ALL_PROJECTIONS } from '@eenplan/projections';
import type { Topics } from '@eenplan/messaging';
import { householdStream, organisationStream } from '@eenplan/domain';
import { startApi, type ApiProcess } from '../bench/api-process';
import { HttpClient } from '../bench/http-client';
import { registrationBody, setupWorld, type World } from '../bench/http-load';
import { judge, type Line } from '../bench/report';
import { distribution, sleep, type Distribution } from '../bench/stats';
import {
  allEvents,
  checkStore,
  compareKafka,
  compareWithRebuild,
  type Acknowledged,
  type Sent,
} from './crash-checks';

export interface CrashOptions {
  readonly cycles: number;
  /** A fresh database on a PostgreSQL server: the API and the worker share it. */
  readonly databaseUrl: string;
  readonly kafkaBrokers: string[];
  /** Unique per run by default, so a run never reads another's messages. */
  readonly topics?: Topics;
  /** Load between two kills, on average; the kill falls at a random moment within it. */
  readonly durationPerCycleMs?: number;
  readonly clients?: number;
  /** Seeds the kill moments and targets; printed, so a failing run can be repeated. */
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface CrashResult {
  readonly seed: number;
  readonly cycles: number;
  readonly kills: { readonly api: number; readonly worker: number };
  readonly acknowledged: number;
  /** Commands sent more than once (same key) because an attempt got no answer or a 5xx. */
  readonly retried: number;
  /** Retried commands that the API then refused (4xx): a client cannot tell whether they were applied. */
  readonly refusedRetries: string[];
  /** First attempts refused (4xx): the load itself is wrong. */
  readonly refused: string[];
  readonly lost: number;
  readonly duplicates: number;
  readonly gaps: number;
  /** Cycles whose after-restart check found a lost, duplicated or missing event. */
  readonly failedCycleChecks: string[];
  readonly events: number;
  readonly projectionTables: number;
  readonly projectionRows: number;
  /** Rows per projection table (live), so an empty one (a projection the load never fed) shows. */
  readonly projectionRowsByTable: Record<string, number>;
  readonly projectionMismatches: string[];
  readonly kafkaExpected: number;
  readonly kafkaMissing: number;
  readonly kafkaUnknown: number;
  readonly kafkaRedelivered: number;
  /** From SIGKILL to the restarted process(es) ready, ms. */
  readonly recovery: Distribution;
  /** From the end of the load until projections and relay had passed the store's head, ms. */
  readonly catchUpMs: number;
  readonly seconds: number;
  readonly lines: Line[];
}

/** mulberry32: a small seeded generator, so the kill schedule repeats with the seed. */
const seeded = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Target = 'api' | 'worker' | 'both';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The Crashes line of issue 8: the built API and worker in server mode (the worker runs the
 * projections and the Kafka relay, the API only takes commands), a load of real commands through
 * HTTP with an Idempotency-Key on every write, and each cycle a SIGKILL at a random moment to the
 * API, the worker or both, then a restart. Requests that got no answer are sent again with the same
 * key, as a real client does. After each restart every acknowledged command's event must be in the
 * store exactly once; at the end the projections must equal a rebuild from scratch and the plan
 * topic must hold every household event id.
 */
export async function runCrash(options: CrashOptions): Promise<CrashResult> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seeded(seed);
  const cycleMs = options.durationPerCycleMs ?? 3000;
  const clients = options.clients ?? 6;
  const tag = randomBytes(3).toString('hex');
  const topics: Topics = options.topics ?? {
    householdPlan: `reliability.crash-${tag}.household-plan`,
    regieHandoffs: `reliability.crash-${tag}.regie-handoffs`,
    uwvSignals: `reliability.crash-${tag}.uwv-signals`,
    outcomes: `reliability.crash-${tag}.outcomes`,
  };
  log(
    `crash: seed ${seed} (repeat with seed: ${seed}), ${options.cycles} cycles of ~${cycleMs} ms, ${clients} clients`,
  );
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-crash-'));
  const secret = randomBytes(32).toString('hex');
  const common: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET: secret,
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    // The overdue check-in sweep writes events of its own: off, so every event comes from a key.
    CHECK_IN_SWEEP_MS: '0',
  };
  // The API only takes commands: no projections (it follows the worker's checkpoints) and no relay.
  const apiEnv = { ...common, RUN_PROJECTIONS: 'false', LOG_LEVEL: 'warn' };
  const workerEnv = {
    ...common,
    KAFKA_BROKERS: options.kafkaBrokers.join(','),
    // A production start that publishes refuses the placeholder OIN: a well-formed one of a test.
    EENPLAN_OIN: '00000001823288444000',
    PUBLIC_BASE_URL: 'https://eenplan.testgemeente.nl',
    KAFKA_TOPIC_HOUSEHOLD_PLAN: topics.householdPlan,
    KAFKA_TOPIC_REGIE_HANDOFFS: topics.regieHandoffs,
    KAFKA_TOPIC_UWV_SIGNALS: topics.uwvSignals,
    KAFKA_TOPIC_OUTCOMES: topics.outcomes,
  };
  const procs: { api?: ApiProcess; worker?: ApiProcess } = {};
  const startProcess = async (which: 'api' | 'worker') => {
    procs[which] =
      which === 'api'
        ? await startApi({ env: apiEnv, readyTimeoutMs: 60_000 })
        : await startApi({ env: workerEnv, worker: true, readyTimeoutMs: 60_000 });
  };

  const acknowledged: Acknowledged[] = [];
  const sent = new Map<string, Sent>();
  const refusedRetries: string[] = [];
  const refused: string[] = [];
  let retried = 0;
  let loadRunning = true;
  const kills = { api: 0, worker: 0 };
  const recoveries: number[] = [];
  const failedCycleChecks: string[] = [];
  const streamPrefixes = [householdStream(`h-${tag}-`), organisationStream(`o-${tag}-`)];

  /** One attempt; undefined when there was no answer (the API is down or died mid-request). */
  const attempt = async (
    method: string,
    path: string,
    token: string,
    key: string,
    body: unknown,
  ): Promise<Answer | undefined> => {
    const api = procs.api;
    if (!api || api.exited()) return undefined;
    try {
      const res = await fetch(`${api.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: kept as text for the message
      }
      return { status: res.status, body: parsed };
    } catch {
      return undefined;
    }
  };

  /**
   * A command as a real client sends it: until it gets an answer that is not a 5xx, it sends the
   * same request with the same key again. Returns whether it was acknowledged.
   */
  const command = async (
    principal: string,
    token: string,
    streamId: string,
    key: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<boolean> => {
    sent.set(`${principal}\n${key}`, { principal, key, streamId });
    let attempts = 0;
    const giveUpAt = () => (loadRunning ? Number.POSITIVE_INFINITY : stoppedAt + 120_000);
    for (;;) {
      attempts++;
      if (attempts === 2) retried++;
      const answer = await attempt(method, path, token, key, body);
      if (answer && answer.status >= 200 && answer.status < 300) {
        const version = (answer.body as { version?: unknown }).version;
        acknowledged.push({ principal, key, streamId, version: Number(version) });
        return true;
      }
      if (answer && answer.status < 500) {
        const problem = answer.body as { type?: string; code?: string; title?: string };
        const what = `${method} ${path.replace(/\/[ho]-[^/]+/, '/…')} -> ${answer.status} ${problem?.code ?? problem?.title ?? ''}`;
        (attempts > 1 ? refusedRetries : refused).push(what);
        return false;
      }
      if (Date.now() > giveUpAt()) {
        refused.push(`${method} ${path}: no answer for 120 s after the load stopped`);
        return false;
      }
      await sleep(answer ? 100 : 50);
    }
  };
  let stoppedAt = 0;

  const client = async (world: World, c: number) => {
    const me = world.clients[c]!;
    for (let n = 0; loadRunning; n++) {
      const h = `h-${tag}-${c}-${n}`;
      const stream = householdStream(h);
      const base = `/v1/households/${h}`;
      const k = (step: string) => `crash-${tag}-${c}-${n}-${step}`;
      const o = `o-${tag}-${c}-${n}`;
      const organisation = organisationStream(o);
      // Every projection gets events during the kills: caseload, regie history, district analysis
      // (households), overdue check-ins (the cadence), social map (the organisation); the workers
      // directory got its rows at setup.
      const steps: (() => Promise<boolean>)[] = [
        () =>
          command(
            me.workerId,
            me.token,
            stream,
            k('register'),
            'POST',
            '/v1/households',
            registrationBody(h, me),
          ),
        () =>
          command(me.workerId, me.token, stream, k('goal'), 'POST', `${base}/goals`, {
            goalId: 'g-1',
            lifeDomain: 'finances',
            description: 'Schulden onder controle',
          }),
        () =>
          command(me.workerId, me.token, stream, k('action'), 'POST', `${base}/actions`, {
            actionId: 'a-1',
            goalId: 'g-1',
            description: 'Aanmelden schuldhulp',
            owner: { kind: 'worker', id: me.workerId },
          }),
        () =>
          command(me.workerId, me.token, stream, k('agree'), 'POST', `${base}/plan/agreements`, {
            memberId: 'm-1',
          }),
        () =>
          command(me.workerId, me.token, stream, k('cadence'), 'POST', `${base}/check-ins/cadence`, {
            cadenceId: 'c-1',
            everyWeeks: 4,
          }),
        () =>
          command(me.workerId, me.token, organisation, k('organisation'), 'POST', '/v1/organisations', {
            organisationId: o,
            name: 'Schuldhulp Noord',
            expertise: { lifeDomains: ['finances'], tags: ['schuldhulp'] },
            location: 'noord',
            waitingDays: 21,
          }),
        () =>
          command(
            me.workerId,
            me.token,
            organisation,
            k('waiting'),
            'PUT',
            `/v1/organisations/${o}/waiting-time`,
            { waitingDays: 35 },
          ),
        () =>
          command(me.workerId, me.token, stream, k('request'), 'POST', `${base}/regie/transfers`, {
            transferId: 'tr-1',
            to: { kind: 'worker', id: me.partnerId },
            reason: 'Gezinsbegeleiding nodig',
          }),
        () =>
          command(
            me.partnerId,
            me.partnerToken,
            stream,
            k('accept'),
            'POST',
            `${base}/regie/transfers/tr-1/accept`,
          ),
      ];
      for (const step of steps) if (!loadRunning || !(await step())) break;
    }
  };

  const checkNow = async (label: string) => {
    const check = await checkStore(options.databaseUrl, streamPrefixes, acknowledged.slice(), () => [
      ...sent.values(),
    ]);
    if (check.lost.length || check.duplicates.length || check.gaps.length)
      failedCycleChecks.push(
        `${label}: ${check.lost.length} lost (${check.lost.slice(0, 3).join('; ')}), ${check.duplicates.length} duplicates (${check.duplicates.slice(0, 3).join('; ')}), ${check.gaps.length} gaps`,
      );
    return check;
  };

  let http: HttpClient | undefined;
  let load: Promise<void> | undefined;
  try {
    await startProcess('worker');
    await startProcess('api');
    http = new HttpClient(procs.api!.baseUrl, 4);
    // Teams and workers before the first kill (no kill can hit them, so they need no key).
    const world = await setupWorld(http, secret, tag, clients, 2);
    http.close();
    load = Promise.all(world.clients.map((_, c) => client(world, c))).then(() => undefined);

    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      await sleep(Math.round(cycleMs * (0.2 + random())));
      const r = random();
      const target: Target = r < 0.4 ? 'api' : r < 0.8 ? 'worker' : 'both';
      const victims: ('api' | 'worker')[] = target === 'both' ? ['api', 'worker'] : [target];
      const killedAt = Date.now();
      for (const v of victims) {
        procs[v]!.signal('SIGKILL');
        kills[v]++;
      }
      for (const v of victims) while (!procs[v]!.exited()) await sleep(5);
      // Both at once: the worker does not wait for the API, and the API waits only for its own
      // readiness (which includes the projections' lag, so a long-dead worker shows here).
      await Promise.all(victims.map((v) => startProcess(v)));
      const recovery = Date.now() - killedAt;
      recoveries.push(recovery);
      const check = await checkNow(`cycle ${cycle} (${target})`);
      log(
        `  cycle ${cycle}: killed ${target}, ready again after ${recovery} ms; ${check.acknowledged} acknowledged, ${check.lost.length} lost, ${check.duplicates.length} duplicates, ${check.gaps.length} gaps`,
      );
    }
    await sleep(Math.round(cycleMs / 2));
    loadRunning = false;
    stoppedAt = Date.now();
    await load;
    const loadEnd = Date.now();

    // Caught up: every projection and the relay have passed the store's head.
    await waitForCatchUp(options.databaseUrl, loadEnd + 120_000);
    const catchUpMs = Date.now() - loadEnd;
    await procs.api?.stop();
    await procs.worker?.stop();

    const final = await checkNow('after the load');
    const events = await allEvents(options.databaseUrl);
    const projections = await compareWithRebuild(options.databaseUrl, join(dataDir, 'keys'));
    const kafka = await compareKafka(events, options.kafkaBrokers, topics);
    const recovery = distribution(recoveries);
    const seconds = (Date.now() - started) / 1000;
    log(
      `  done in ${seconds.toFixed(0)} s: ${final.acknowledged} acknowledged, ${retried} retried, ${events.length} events, ${projections.rows} projection rows compared, ${kafka.expected} ids expected on Kafka (${kafka.redelivered} redelivered)`,
    );
    const result: Omit<CrashResult, 'lines'> = {
      seed,
      cycles: options.cycles,
      kills,
      acknowledged: final.acknowledged,
      retried,
      refusedRetries,
      refused,
      lost: final.lost.length,
      duplicates: final.duplicates.length,
      gaps: final.gaps.length,
      failedCycleChecks,
      events: events.length,
      projectionTables: projections.tables,
      projectionRows: projections.rows,
      projectionRowsByTable: projections.rowsByTable,
      projectionMismatches: projections.mismatches,
      kafkaExpected: kafka.expected,
      kafkaMissing: kafka.missing.length,
      kafkaUnknown: kafka.unknown,
      kafkaRedelivered: kafka.redelivered,
      recovery,
      catchUpMs,
      seconds,
    };
    return { ...result, lines: crashLines(result) };
  } catch (error) {
    for (const [name, p] of Object.entries(procs))
      if (p) log(`  ${name} output (last lines):\n${p.output().split('\n').slice(-40).join('\n')}`);
    throw error;
  } finally {
    loadRunning = false;
    http?.close();
    await procs.api?.stop();
    await procs.worker?.stop();
    await load?.catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Until every projection checkpoint and the relay's are at the store's head (no writes run now). */
const waitForCatchUp = async (databaseUrl: string, deadline: number): Promise<void> => {
  const sql = await createSql({ databaseUrl });
  const store = new PostgresEventStore(sql);
  try {
    const head = await store.committedPosition();
    for (;;) {
      const { rows } = await sql.query<{ position: string }>(
        `SELECT position FROM projection_checkpoints
          UNION ALL SELECT position FROM relay_checkpoints WHERE name = 'kafka'`,
      );
      const behind = rows.filter((r) => store.comparePositions(r.position, head) < 0);
      // ALL_PROJECTIONS plus the relay: a missing row is behind too.
      if (rows.length === ALL_PROJECTIONS.length + 1 && behind.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(
          `the worker did not catch up within 120 s after the load: ${behind.length} checkpoints behind`,
        );
      await sleep(100);
    }
  } finally {
    await store.close();
    await sql.close();
  }
};

export const crashLines = (r: Omit<CrashResult, 'lines'>): Line[] => {
  const n = (v: number) => v.toLocaleString('en');
  return [
    {
      id: 'R2',
      figure: 'crash cycles (SIGKILL api / worker)',
      measured: `${r.cycles} (${r.kills.api} / ${r.kills.worker})`,
      target: '>= 20',
      result: judge(r.cycles >= 20),
      value: r.cycles,
      note: `seed ${r.seed}: kill moments and targets repeat with it`,
    },
    {
      id: 'R2b',
      figure: 'acknowledged commands (retried with the same key)',
      measured: `${n(r.acknowledged)} (${n(r.retried)})`,
      target: 'info',
      result: 'info',
      value: r.acknowledged,
    },
    {
      id: 'R2c',
      figure: 'acknowledged commands lost',
      measured: n(r.lost + r.failedCycleChecks.length),
      target: '0',
      result: judge(r.lost === 0 && r.failedCycleChecks.length === 0),
      value: r.lost,
      note: 'checked after every restart and at the end',
    },
    {
      id: 'R2d',
      figure: 'commands applied twice / version gaps',
      measured: `${n(r.duplicates)} / ${n(r.gaps)}`,
      target: '0 / 0',
      result: judge(r.duplicates === 0 && r.gaps === 0),
      value: r.duplicates,
    },
    {
      id: 'R2e',
      figure: 'retries refused (4xx) after a kill',
      measured: n(r.refusedRetries.length),
      target: '0',
      result: judge(r.refusedRetries.length === 0 && r.refused.length === 0),
      value: r.refusedRetries.length,
      note: r.refused.length ? `first attempts refused: ${r.refused.slice(0, 3).join('; ')}` : undefined,
    },
    {
      id: 'R2f',
      figure: 'projection rows compared with a rebuild (mismatches)',
      measured: `${n(r.projectionRows)} (${r.projectionMismatches.length})`,
      target: '0 mismatches',
      result: judge(r.projectionMismatches.length === 0 && r.projectionRows > 0),
      value: r.projectionMismatches.length,
      note: r.projectionMismatches.length
        ? r.projectionMismatches.slice(0, 3).join('; ')
        : `${r.projectionTables} tables; all columns compared; empty: ${
            Object.entries(r.projectionRowsByTable)
              .filter(([, rows]) => rows === 0)
              .map(([table]) => table)
              .join(', ') || 'none'
          }`,
    },
    {
      id: 'R2g',
      figure: 'event ids missing on Kafka',
      measured: `${n(r.kafkaMissing)} of ${n(r.kafkaExpected)}`,
      target: '0',
      result: judge(r.kafkaMissing === 0 && r.kafkaUnknown === 0 && r.kafkaExpected > 0),
      value: r.kafkaMissing,
      note: `${n(r.kafkaRedelivered)} messages redelivered (same id, allowed)`,
    },
    {
      id: 'R2h',
      figure: 'recovery after a kill, p50 / max (kill to ready)',
      measured: `${(r.recovery.p50 / 1000).toFixed(1)} / ${(r.recovery.max / 1000).toFixed(1)}`,
      target: 'info',
      result: 'info',
      value: r.recovery.p50,
      unit: 's',
      note: `worker caught up (projections and relay) ${(r.catchUpMs / 1000).toFixed(1)} s after the load`,
    },
  ];
};
