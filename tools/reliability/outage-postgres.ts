import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startApi, type ApiProcess } from '../bench/api-process';
import { HttpClient } from '../bench/http-client';
import { registrationBody, setupWorld, type World } from '../bench/http-load';
import { judge, type Line } from '../bench/report';
import { sleep } from '../bench/stats';
import { startOwnPostgres, type OwnPostgres } from './own-postgres';

/**
 * Outages, part one: PostgreSQL stopped under the API during a load of keyed writes, then started
 * again. Meanwhile every answer must be a prompt 503 problem+json (never a 500, never a hang), and
 * afterwards the same API process must serve again, with every acknowledged write stored once.
 */
export interface OutagePostgresOptions {
  /** Concurrent clients, each walking its own households through a life cycle. Default 8. */
  readonly clients?: number;
  /** One outage per entry: 'fast' is a clean shutdown, 'immediate' a crash. Default both. */
  readonly modes?: readonly ('fast' | 'immediate')[];
  /** How long PostgreSQL stays down each time. Default 5000. */
  readonly outageMs?: number;
  /** Load before the first outage and after each recovery. Default 4000. */
  readonly steadyMs?: number;
  /** Every answer must come within this (ms). Default 8000, above the pool's 5 s connect timeout. */
  readonly answerBoundMs?: number;
  /** Target: the first successful write within this after PostgreSQL accepts connections again (ms). Default 10000. */
  readonly recoveryBoundMs?: number;
  readonly log?: (line: string) => void;
}

export interface OutageRecord {
  readonly mode: 'fast' | 'immediate';
  /** When `pg_ctl stop` began and when PostgreSQL accepted connections again (ms since epoch). */
  readonly stoppedAt: number;
  readonly upAt: number;
  /** From `upAt` to the first 2xx write sent after it; NaN when none came. */
  readonly recoveryMs: number;
  /** Answers to requests sent while PostgreSQL was down (all must be 503 problem+json). */
  readonly answersWhileDown: number;
  readonly readyWhileDown: { readonly status: number; readonly namesStore: boolean }[];
}

export interface OutagePostgresResult {
  readonly outages: OutageRecord[];
  readonly requests: number;
  readonly acknowledged: number;
  readonly status503: number;
  readonly status500: number;
  /** 503 answers without Content-Type application/problem+json or without the store-unavailable code. */
  readonly bad503: number;
  /** 503 answers carrying a Retry-After header. */
  readonly retryAfter503: number;
  /** Any other answer >= 500 (502, 504, ...), or a request that failed without an HTTP answer. */
  readonly otherFailures: number;
  /** Answers slower than answerBoundMs (a hang counts here once it hits the client's abort). */
  readonly slowAnswers: number;
  readonly slowestMs: number;
  /** Keyed writes retried after a failure, and how many of those got the stored answer back. */
  readonly retried: number;
  readonly replayed: number;
  /** Writes that ended in a 4xx after a retry (a retry that was not recognised as one). */
  readonly refusedAfterRetry: string[];
  /** Acknowledged writes whose event is not in the store at the answered version and position. */
  readonly lost: string[];
  /** Households with an event type twice, or with versions that are not 1..n. */
  readonly duplicated: string[];
  /** Whether the read models reached the store's head, and a household written after the last recovery shows. */
  readonly projectionsResumed: boolean;
  readonly projectionsNote: string;
  /** Whether the API's LISTEN connection is back (pg_stat_activity shows it listening). */
  readonly listening: boolean;
  readonly apiRestarted: boolean;
  readonly lines: Line[];
}

export interface Answer {
  readonly sentAt: number;
  readonly at: number;
  readonly ms: number;
  readonly status: number;
  readonly problemJson: boolean;
  readonly code?: string;
  readonly retryAfter?: string;
  readonly replayed: boolean;
  readonly body: unknown;
  readonly error?: string;
}

export interface Acked {
  readonly household: string;
  readonly command: string;
  readonly version: number;
  readonly position: string;
}

/** A fetch well past any bound: a request still open then is a hang, reported as such. */
const HANG_MS = 30_000;

export async function runOutagePostgres(options: OutagePostgresOptions = {}): Promise<OutagePostgresResult> {
  const clients = options.clients ?? 8;
  const modes = options.modes ?? ['fast', 'immediate'];
  const outageMs = options.outageMs ?? 5000;
  const steadyMs = options.steadyMs ?? 4000;
  const answerBoundMs = options.answerBoundMs ?? 8000;
  const recoveryBoundMs = options.recoveryBoundMs ?? 10_000;
  const log = options.log ?? (() => undefined);

  const tag = randomBytes(3).toString('hex');
  const secret = randomBytes(32).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-outage-pg-'));
  let postgres: OwnPostgres | undefined;
  let api: ApiProcess | undefined;
  let setupClient: HttpClient | undefined;
  try {
    postgres = await startOwnPostgres();
    api = await startApi({
      env: {
        JWT_SECRET: secret,
        DATA_DIR: dataDir,
        DATABASE_URL: postgres.url,
        RUN_PROJECTIONS: 'true',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
      },
    });
    const apiPid = api.pid;
    setupClient = new HttpClient(api.baseUrl, 4);
    const world = await setupWorld(setupClient, secret, tag, clients, 2);
    log(
      `  outage-postgres: private PostgreSQL at port ${postgres.port}, API pid ${apiPid}, ${clients} clients`,
    );

    const load = startKeyedLoad(api.baseUrl, world, tag);
    const outages: OutageRecord[] = [];
    await sleep(steadyMs);
    for (const mode of modes) {
      const stoppedAt = Date.now();
      const answersBefore = load.answers.length;
      await postgres.stop({ mode });
      const downAt = Date.now();
      const ready = probeReadyWhileDown(api.baseUrl, downAt + outageMs);
      await sleep(Math.max(0, downAt + outageMs - Date.now()));
      const readyWhileDown = await ready;
      const startingAt = Date.now();
      await postgres.start();
      const upAt = Date.now();
      log(
        `  outage-postgres: ${mode} stop took ${downAt - stoppedAt} ms, down for ${startingAt - downAt} ms, start took ${upAt - startingAt} ms`,
      );
      // Recovered once a write sent after the server came back succeeds.
      const recoveredBy = upAt + Math.max(recoveryBoundMs, 30_000);
      let recoveryMs = Number.NaN;
      while (Date.now() < recoveredBy) {
        const first = load.answers.find((a) => a.sentAt >= upAt && a.status >= 200 && a.status < 300);
        if (first) {
          recoveryMs = first.at - upAt;
          break;
        }
        await sleep(50);
      }
      const answersWhileDown = load.answers
        .slice(answersBefore)
        .filter((a) => a.sentAt >= downAt && a.at <= startingAt).length;
      outages.push({ mode, stoppedAt, upAt, recoveryMs, answersWhileDown, readyWhileDown });
      log(
        `  outage-postgres: ${mode}: ${answersWhileDown} answers while down, first 2xx ${(recoveryMs / 1000).toFixed(2)} s after PostgreSQL was back`,
      );
      await sleep(steadyMs);
    }
    const lastUp = outages[outages.length - 1]?.upAt ?? 0;
    await load.stop();

    const answers = load.answers;
    const status503 = answers.filter((a) => a.status === 503);
    const bad503 = status503.filter((a) => !a.problemJson || a.code !== 'StoreUnavailable');
    const status500 = answers.filter((a) => a.status === 500);
    const otherFailures = answers.filter((a) => a.status === 0 || (a.status > 500 && a.status !== 503));
    // A 2xx while PostgreSQL was down would mean an answer from somewhere else than the store.
    const wrongWhileDown = answers.filter(
      (a) => outages.some((o) => a.sentAt >= o.stoppedAt + 2000 && a.at <= o.upAt - 100) && a.status !== 503,
    );
    const slow = answers.filter((a) => a.ms > answerBoundMs);

    // What the store holds, read directly.
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    let check: Awaited<ReturnType<typeof checkStore>>;
    try {
      check = await checkStore(db, load.acked, tag);
      const resumed = await checkProjections(db, api.baseUrl, load, lastUp);
      const listening = await checkListening(db);
      const apiRestarted = api.pid !== apiPid || api.exited() !== undefined;
      const refusedAfterRetry = load.refusedAfterRetry;
      const recoveries = outages.map((o) => o.recoveryMs);
      const worstRecovery = Math.max(...recoveries);
      const readyOk = outages.every(
        (o) => o.readyWhileDown.length > 0 && o.readyWhileDown.every((r) => r.status === 503 && r.namesStore),
      );
      const result: Omit<OutagePostgresResult, 'lines'> = {
        outages,
        requests: answers.length,
        acknowledged: load.acked.length,
        status503: status503.length,
        status500: status500.length,
        bad503: bad503.length,
        retryAfter503: status503.filter((a) => a.retryAfter !== undefined).length,
        otherFailures: otherFailures.length,
        slowAnswers: slow.length,
        slowestMs: Math.max(0, ...answers.map((a) => a.ms)),
        retried: load.retried(),
        replayed: answers.filter((a) => a.replayed).length,
        refusedAfterRetry,
        lost: check.lost,
        duplicated: check.duplicated,
        projectionsResumed: resumed.ok,
        projectionsNote: resumed.note,
        listening,
        apiRestarted,
      };
      const lines: Line[] = [
        {
          id: 'R3a',
          figure: `PostgreSQL down (${modes.join(' + ')} stop, ${outageMs / 1000} s each): answers 503 problem+json`,
          measured: `${status503.length} x 503 (${bad503.length} malformed), ${wrongWhileDown.length} other while down`,
          target: 'all 503 problem+json',
          result: judge(status503.length > 0 && bad503.length === 0 && wrongWhileDown.length === 0),
          value: status503.length,
          unit: 'answers',
          note: `${result.retryAfter503} of the 503s carry Retry-After; /health/ready while down: ${readyOk ? '503 naming eventStore' : JSON.stringify(outages.map((o) => o.readyWhileDown))}`,
        },
        {
          id: 'R3b',
          figure: 'PostgreSQL outage: answers >= 500 other than 503',
          measured: `${status500.length} x 500, ${otherFailures.length} other`,
          target: '0',
          result: judge(status500.length === 0 && otherFailures.length === 0),
          value: status500.length + otherFailures.length,
          unit: 'answers',
        },
        {
          id: 'R3c',
          figure: 'PostgreSQL outage: slowest answer',
          measured: `${(result.slowestMs / 1000).toFixed(2)} s`,
          target: `<= ${answerBoundMs / 1000} s`,
          result: judge(slow.length === 0),
          value: result.slowestMs / 1000,
          unit: 's',
        },
        {
          id: 'R3d',
          figure: 'PostgreSQL back: first 2xx write (same API process)',
          measured: recoveries.map((r) => `${(r / 1000).toFixed(2)} s`).join(' / '),
          target: `<= ${recoveryBoundMs / 1000} s, no restart`,
          result: judge(worstRecovery <= recoveryBoundMs && !apiRestarted && readyOk),
          value: worstRecovery / 1000,
          unit: 's',
          note: `per outage (${modes.join(', ')}), from PostgreSQL accepting connections again`,
        },
        {
          id: 'R3e',
          figure: 'PostgreSQL outage: acknowledged writes lost / written twice',
          measured: `${check.lost.length} / ${check.duplicated.length}`,
          target: '0 / 0',
          result: judge(
            check.lost.length === 0 && check.duplicated.length === 0 && refusedAfterRetry.length === 0,
          ),
          value: check.lost.length + check.duplicated.length,
          unit: 'writes',
          note: `${load.acked.length} acknowledged of ${answers.length} requests; ${result.retried} keyed retries, ${result.replayed} answered from the idempotency record, ${refusedAfterRetry.length} refused after a retry`,
        },
        {
          id: 'R3f',
          figure: 'PostgreSQL back: projections and LISTEN resume',
          measured: `${resumed.ok ? 'read models at head' : 'behind'}, ${listening ? 'listening' : 'not listening'}`,
          target: 'both',
          result: judge(resumed.ok && listening),
          note: resumed.note,
        },
      ];
      if (!readyOk || wrongWhileDown.length || bad503.length || status500.length || otherFailures.length)
        log(
          `  outage-postgres samples: ${JSON.stringify(
            [...status500, ...otherFailures, ...bad503, ...wrongWhileDown].slice(0, 5).map((a) => ({
              status: a.status,
              ms: Math.round(a.ms),
              body: a.body,
              error: a.error,
            })),
          )}`,
        );
      return { ...result, lines };
    } finally {
      await db.end().catch(() => undefined);
    }
  } catch (error) {
    if (api) log(`  API output:\n${api.output()}`);
    if (postgres) log(`  PostgreSQL log:\n${postgres.log().slice(-4000)}`);
    throw error;
  } finally {
    setupClient?.close();
    await api?.stop();
    await postgres?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface KeyedLoad {
  readonly answers: Answer[];
  readonly acked: Acked[];
  readonly refusedAfterRetry: string[];
  /** Households whose whole cycle completed, with who holds regie at the end and when it finished. */
  readonly completed: { household: string; token: string; holder: string; at: number }[];
  retried(): number;
  stop(): Promise<void>;
}

/**
 * Every client walks its own households (register, goal, read, action, transfer request, accept),
 * each write with a fresh Idempotency-Key. A write that fails is sent again with the same key
 * until it succeeds, as a careful client would: the key makes the repeat safe.
 */
export function startKeyedLoad(baseUrl: string, world: World, tag: string): KeyedLoad {
  const answers: Answer[] = [];
  const acked: Acked[] = [];
  const refusedAfterRetry: string[] = [];
  const completed: KeyedLoad['completed'] = [];
  let retried = 0;
  let running = true;

  const send = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    key?: string,
  ): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const sentAt = Date.now();
    const t0 = performance.now();
    let answer: Answer;
    try {
      const res = await fetch(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? (method === 'GET' ? undefined : '') : JSON.stringify(body),
        signal: AbortSignal.timeout(HANG_MS),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: kept as text for the failure samples
      }
      const contentType = res.headers.get('content-type') ?? '';
      answer = {
        sentAt,
        at: Date.now(),
        ms: performance.now() - t0,
        status: res.status,
        problemJson: contentType.startsWith('application/problem+json'),
        code: (parsed as { code?: string } | undefined)?.code,
        retryAfter: res.headers.get('retry-after') ?? undefined,
        replayed: res.headers.get('idempotent-replayed') === 'true',
        body: parsed,
      };
    } catch (error) {
      answer = {
        sentAt,
        at: Date.now(),
        ms: performance.now() - t0,
        status: 0,
        problemJson: false,
        replayed: false,
        body: undefined,
        error: (error as Error).message,
      };
    }
    answers.push(answer);
    return answer;
  };

  const pause = (answer: Answer) => {
    const seconds = Number(answer.retryAfter);
    // Retry-After says when to come back; capped so the test sees the recovery promptly.
    return sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 1000) : 250);
  };

  /** Sends a keyed write until it is acknowledged; false when it is refused (a 4xx). */
  const write = async (household: string, command: string, token: string, path: string, body?: unknown) => {
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) retried++;
      const answer = await send('POST', path, token, body, key);
      if (answer.status >= 200 && answer.status < 300) {
        const { version, position } = (answer.body ?? {}) as { version?: number; position?: string };
        acked.push({ household, command, version: version ?? -1, position: position ?? '?' });
        return answer;
      }
      if (answer.status >= 400 && answer.status < 500) {
        if (attempt > 1)
          refusedAfterRetry.push(`${command} ${household}: ${answer.status} ${answer.code ?? ''}`);
        return undefined;
      }
      // 5xx or no answer: the same request again, with the same key.
      if (attempt > 400) return undefined;
      await pause(answer);
    }
  };

  const client = async (c: number) => {
    const me = world.clients[c]!;
    for (let n = 0; running; n++) {
      const h = `h-${tag}-${c}-${n}`;
      const base = `/v1/households/${h}`;
      const steps: [string, string, string, unknown][] = [
        ['register', me.token, '/v1/households', registrationBody(h, me)],
        [
          'goal',
          me.token,
          `${base}/goals`,
          { goalId: 'g-1', lifeDomain: 'finances', description: 'Schulden onder controle' },
        ],
        [
          'action',
          me.token,
          `${base}/actions`,
          {
            actionId: 'a-1',
            goalId: 'g-1',
            description: 'Aanmelden schuldhulp',
            owner: { kind: 'worker', id: me.workerId },
          },
        ],
        [
          'request',
          me.token,
          `${base}/regie/transfers`,
          { transferId: 'tr-1', to: { kind: 'worker', id: me.partnerId }, reason: 'Gezinsbegeleiding nodig' },
        ],
        ['accept', me.partnerToken, `${base}/regie/transfers/tr-1/accept`, undefined],
      ];
      let complete = true;
      for (const [command, token, path, body] of steps) {
        // A started cycle is finished even after stop(): its last write may still be unconfirmed.
        const answer = await write(h, command, token, path, body);
        if (!answer) {
          complete = false;
          break;
        }
        if (command === 'goal') {
          // A read between writes: during an outage it must be a 503 as well, never a 500.
          const read = await send('GET', base, me.token);
          if (read.status === 0) await sleep(100);
        }
      }
      if (complete) completed.push({ household: h, token: me.token, holder: me.partnerId, at: Date.now() });
    }
  };

  const done = Promise.all(world.clients.map((_, c) => client(c)));
  return {
    answers,
    acked,
    refusedAfterRetry,
    completed,
    retried: () => retried,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function probeReadyWhileDown(baseUrl: string, until: number): Promise<OutageRecord['readyWhileDown']> {
  const seen: { status: number; namesStore: boolean }[] = [];
  while (Date.now() < until - 500) {
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(HANG_MS) });
      const body = (await res.json()) as { notReady?: string[] };
      seen.push({ status: res.status, namesStore: body.notReady?.includes('eventStore') ?? false });
    } catch {
      seen.push({ status: 0, namesStore: false });
    }
    await sleep(500);
  }
  return seen;
}

async function checkStore(db: pg.Client, acked: readonly Acked[], tag: string) {
  const { rows } = await db.query<{
    stream_id: string;
    stream_version: number;
    type: string;
    position: string;
  }>(
    `SELECT stream_id, stream_version, type, tx::text || ':' || sequence::text AS position
       FROM events WHERE stream_id LIKE $1 ORDER BY stream_id, stream_version`,
    [`household-h-${tag}-%`],
  );
  const at = new Map(rows.map((r) => [`${r.stream_id}@${r.stream_version}`, r.position]));
  const lost = acked
    .filter((a) => at.get(`household-${a.household}@${a.version}`) !== a.position)
    .map((a) => `${a.command} ${a.household} v${a.version}`);
  const byStream = new Map<string, typeof rows>();
  for (const r of rows) byStream.set(r.stream_id, [...(byStream.get(r.stream_id) ?? []), r]);
  const duplicated: string[] = [];
  for (const [stream, events] of byStream) {
    const types = events.map((e) => e.type);
    const contiguous = events.every((e, i) => e.stream_version === i + 1);
    if (new Set(types).size !== types.length || !contiguous) duplicated.push(`${stream}: ${types.join(',')}`);
  }
  return { lost, duplicated };
}

async function checkProjections(
  db: pg.Client,
  baseUrl: string,
  load: KeyedLoad,
  lastUp: number,
): Promise<{ ok: boolean; note: string }> {
  const deadline = Date.now() + 30_000;
  let behind = '';
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ name: string; at_head: boolean }>(
      `SELECT name, position = (SELECT tx::text || ':' || sequence::text FROM events ORDER BY tx DESC, sequence DESC LIMIT 1) AS at_head
         FROM projection_checkpoints`,
    );
    behind = rows
      .filter((r) => !r.at_head)
      .map((r) => r.name)
      .join(', ');
    if (rows.length > 0 && !behind) break;
    await sleep(200);
  }
  if (behind)
    return { ok: false, note: `projections not at the store's head 30 s after the load: ${behind}` };
  // Through the API's own read side: a household whose cycle ended after the last recovery.
  const recent = load.completed.filter((c) => c.at > lastUp + 1000).pop();
  if (!recent) return { ok: false, note: 'no household completed its cycle after the last recovery' };
  const res = await fetch(`${baseUrl}/v1/households/${recent.household}/regie/history`, {
    headers: { authorization: `Bearer ${recent.token}` },
  });
  // The default page holds far more intervals than one load cycle makes.
  const history = ((await res.json()) as { intervals?: { holder?: { id?: string } }[] }).intervals;
  const last = Array.isArray(history) ? history[history.length - 1] : undefined;
  const ok = res.status === 200 && last?.holder?.id === recent.holder;
  return {
    ok,
    note: ok
      ? `every checkpoint at the head; regie history of a household written after the last recovery shows its handover`
      : `regie history after recovery: HTTP ${res.status} ${JSON.stringify(history).slice(0, 300)}`,
  };
}

/** The API's dedicated LISTEN connection: its last statement stays `LISTEN ...` while it idles. */
async function checkListening(db: pg.Client): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`,
    );
    if (rows[0]!.n > 0) return true;
    await sleep(250);
  }
  return false;
}
