import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sampleRss, startApi, type ApiProcess } from './api-process';
import { cpuWindow, type CpuShares } from './cpu';
import { HttpClient, type HttpAnswer } from './http-client';
import { setupWorld } from './http-load';
import { createBenchDatabase } from './postgres';
import { summarizeProfile, type ProfileSummary } from './profile-summary';
import { distribution, now, sleep, type Distribution } from './stats';

/**
 * The largest household the API allows, read by many clients at once, while an orchestrator probes
 * liveness: one worker's big household must not stall the process for everyone (issue 16, item 8).
 * The household is built through the API up to its caps (goals and actions until the 409 that names
 * the cap), every free text at its longest and widest (2,000 four-byte characters).
 */
export interface BigHouseholdOptions {
  readonly kind: 'postgres' | 'pglite';
  readonly serverUrl: string;
  readonly readers: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly keepDb: boolean;
  readonly log: (line: string) => void;
  /** Stop adding goals/actions here even without a 409 (a build without caps would never end). */
  readonly maxItems: number;
  readonly extraEnv?: Record<string, string>;
  /** A V8 CPU profile of the API over the measured window, summarised. */
  readonly profileDir?: string;
}

export interface BigHouseholdResult {
  readonly kind: 'postgres' | 'pglite';
  readonly readers: number;
  readonly goals: number;
  readonly actions: number;
  /** The cap each 409 named, when one came. */
  readonly caps: { readonly goals?: number; readonly actions?: number };
  readonly events: number;
  readonly answerBytes: number;
  readonly buildSeconds: number;
  readonly gets: { readonly perSecond: number; readonly latency: Distribution; readonly errors: number };
  readonly live: Distribution & { readonly over100ms: number };
  readonly cpu: CpuShares;
  readonly rssPeakMb: number;
  readonly errorSamples: string[];
  readonly profile?: ProfileSummary & { readonly file: string };
}

/** 2,000 characters of four UTF-8 bytes each: the most bytes a 2,000-character text can take. */
const longText = (seed: string, chars = 2000) => `${seed} ${'\u{1F3E0}'.repeat(chars - seed.length - 1)}`;

const expect2xx = (what: string, answer: HttpAnswer) => {
  if (answer.status < 200 || answer.status >= 300)
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
};

/** Adds items until the API refuses with the cap's 409 (or `max` is reached); returns the count and cap. */
const fill = async (
  add: (i: number) => Promise<HttpAnswer>,
  code: string,
  max: number,
): Promise<{ count: number; cap?: number }> => {
  for (let i = 0; i < max; i++) {
    const answer = await add(i);
    if (answer.status === 409 && (answer.body as { code?: string }).code === code) {
      const body = answer.body as Record<string, unknown>;
      const cap = Object.entries(body).find(([k]) => k.startsWith('max'))?.[1];
      return { count: i, cap: typeof cap === 'number' ? cap : undefined };
    }
    expect2xx(`item ${i}`, answer);
  }
  return { count: max };
};

/** The liveness probe runs on a thread of its own, so the load client's work never delays it. */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const samples = [];
let running = true;
parentPort.on('message', (m) => { if (m === 'stop') running = false; });
const once = () => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.get({ agent, host: '127.0.0.1', port: workerData.port, path: '/health/live' }, (res) => {
    res.resume();
    res.on('end', () => resolve({ ms: performance.now() - t0, ok: res.statusCode === 200, at: Date.now() }));
  });
  req.on('error', () => resolve({ ms: performance.now() - t0, ok: false, at: Date.now() }));
});
(async () => {
  while (running) {
    samples.push(await once());
    await new Promise((r) => setTimeout(r, workerData.everyMs));
  }
  parentPort.postMessage(samples);
})();
`;

const startProbe = (port: number, everyMs = 20) => {
  const worker = new Worker(PROBE, { eval: true, workerData: { port, everyMs } });
  const done = new Promise<{ ms: number; ok: boolean; at: number }[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const samples = await done;
      await worker.terminate();
      return samples;
    },
  };
};

/** GET the household back to back on `readers` sockets; bodies are counted, not parsed. */
const readLoop = async (
  port: number,
  path: string,
  token: string,
  readers: number,
  from: number,
  until: number,
) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: readers, maxFreeSockets: readers });
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let bytes = 0;
  const get = () =>
    new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      const req = http.get(
        { agent, host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          let n = 0;
          res.on('data', (chunk: Buffer) => (n += chunk.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: n }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
  const reader = async () => {
    while (now() < until) {
      const t0 = now();
      try {
        const answer = await get();
        const t1 = now();
        if (answer.status !== 200) {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`GET: HTTP ${answer.status}`);
          continue;
        }
        bytes = answer.bytes;
        if (t1 >= from && t1 <= until) latencies.push(t1 - t0);
      } catch (error) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(`GET: ${(error as Error).message}`);
        await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: readers }, reader));
  agent.destroy();
  return { latencies, errors, errorSamples, bytes };
};

export async function runBigHousehold(o: BigHouseholdOptions): Promise<BigHouseholdResult> {
  const tag = randomBytes(3).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), `eenplan-bench-big-${o.kind}-`));
  const db = o.kind === 'postgres' ? await createBenchDatabase(o.serverUrl, 'big', o.keepDb) : undefined;
  const secret = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    JWT_SECRET: secret,
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    ...o.extraEnv,
  };
  if (db) env.DATABASE_URL = db.url;
  else env.PGLITE_DIR = join(dataDir, 'pglite');
  const profileFile = o.profileDir ? join(o.profileDir, `api-big-${o.kind}-${tag}.cpuprofile`) : undefined;
  if (profileFile) env.BENCH_PROFILE_OUT = profileFile;
  const nodeArgs = profileFile ? ['-r', join(__dirname, 'profile-preload.js')] : [];
  let api: ApiProcess | undefined;
  let client: HttpClient | undefined;
  try {
    api = await startApi({ env, nodeArgs });
    client = new HttpClient(api.baseUrl, 4);
    const world = await setupWorld(client, secret, tag, 1, 1);
    const me = world.clients[0]!;
    const householdId = `h-big-${tag}`;
    const base = `/v1/households/${householdId}`;
    const t0 = Date.now();
    expect2xx(
      'register',
      await client.request('POST', '/v1/households', me.token, {
        householdId,
        teamId: me.teamId,
        district: 'noord',
        regie: { workerId: me.workerId },
        members: Array.from({ length: 30 }, (_, i) => ({
          memberId: `m-${i}`,
          role: i < 2 ? 'parent' : 'child',
          birthYear: 1980 + i,
          name: longText(`lid ${i}`, 200),
        })),
      }),
    );
    const goals = await fill(
      (i) =>
        client!.request('POST', `${base}/goals`, me.token, {
          goalId: `g-${i}`,
          lifeDomain: 'finances',
          description: longText(`doel ${i}`),
        }),
      'GoalLimitReached',
      o.maxItems,
    );
    const actions = await fill(
      (i) =>
        client!.request('POST', `${base}/actions`, me.token, {
          actionId: `a-${i}`,
          goalId: `g-${i % Math.max(1, goals.count)}`,
          description: longText(`actie ${i}`),
          owner: { kind: 'worker', id: me.workerId },
        }),
      'ActionLimitReached',
      o.maxItems,
    );
    const buildSeconds = (Date.now() - t0) / 1000;
    const first = await client.requestWithHeaders('GET', base, me.token);
    expect2xx('first GET', first);
    const events = Number(String(first.headers.etag ?? '0').replace(/"/g, ''));
    o.log(
      `  ${o.kind}: household with ${goals.count} goals and ${actions.count} actions (${events} events) built in ${buildSeconds.toFixed(1)} s; ${o.readers} readers for ${(o.warmupMs / 1000).toFixed(0)} s warm-up + ${(o.measureMs / 1000).toFixed(0)} s`,
    );

    const rss = sampleRss(api.pid);
    const start = now();
    const from = start + o.warmupMs;
    const until = from + o.measureMs;
    let endCpu: (() => CpuShares) | undefined;
    let probe: ReturnType<typeof startProbe> | undefined;
    let windowStart = 0;
    const running = api;
    const startTimer = setTimeout(() => {
      rss.mark();
      endCpu = cpuWindow(running.pid, cpus().length);
      probe = startProbe(running.port);
      windowStart = Date.now();
      if (profileFile) running.signal('SIGWINCH');
    }, o.warmupMs);
    const reads = await readLoop(api.port, base, me.token, o.readers, from, until);
    clearTimeout(startTimer);
    const cpu = endCpu?.();
    let profile: BigHouseholdResult['profile'];
    if (profileFile) {
      running.signal('SIGWINCH');
      for (let i = 0; i < 50 && !existsSync(profileFile); i++) await sleep(100);
      if (existsSync(profileFile)) profile = { ...summarizeProfile(profileFile), file: profileFile };
    }
    const samples = probe ? await probe.stop() : [];
    const rssPeakMb = rss.window().peakMb;
    rss.stop();
    const inWindow = samples.filter((s) => s.at >= windowStart);
    const live = distribution(inWindow.map((s) => (s.ok ? s.ms : Number.POSITIVE_INFINITY)));
    return {
      kind: o.kind,
      readers: o.readers,
      goals: goals.count,
      actions: actions.count,
      caps: { goals: goals.cap, actions: actions.cap },
      events,
      answerBytes: reads.bytes,
      buildSeconds,
      gets: {
        perSecond: reads.latencies.length / (o.measureMs / 1000),
        latency: distribution(reads.latencies),
        errors: reads.errors,
      },
      live: { ...live, over100ms: inWindow.filter((s) => !s.ok || s.ms >= 100).length },
      cpu: cpu ?? { seconds: 0, machineBusyPct: NaN, postgresPct: NaN, benchPct: NaN, cores: 0 },
      rssPeakMb,
      errorSamples: reads.errorSamples,
      profile,
    };
  } catch (error) {
    if (api) o.log(`  API output:\n${api.output()}`);
    throw error;
  } finally {
    client?.close();
    await api?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
