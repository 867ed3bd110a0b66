import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type ApiProcess } from './api-process';
import { cpuWindow, type CpuShares } from './cpu';
import { HttpClient, type HttpAnswer } from './http-client';
import { registrationBody, setupWorld } from './http-load';
import { createBenchDatabase } from './postgres';
import { summarizeProfile, type ProfileSummary } from './profile-summary';
import { distribution, now, sleep, type Distribution } from './stats';

/**
 * One busy household (issue 22): N clients, each a worker of the household's team, write to the
 * SAME household back to back without If-Match, so every command competes for the same stream.
 * The server decides a command that lost a version race again (AggregateExecutor); a client should
 * see no VersionConflict. The commands do not grow the plan towards its caps: three in four add a
 * note to the client's own goal (free text, sealed), one in four moves that goal's target date.
 */
export interface BusyHouseholdOptions {
  readonly kind: 'postgres' | 'embedded' | 'pglite';
  readonly serverUrl: string;
  readonly clients: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly keepDb: boolean;
  readonly log: (line: string) => void;
  readonly extraEnv?: Record<string, string>;
  /** A V8 CPU profile of the API over the measured window, summarised. */
  readonly profileDir?: string;
}

export interface BusyHouseholdResult {
  readonly kind: 'postgres' | 'embedded' | 'pglite';
  readonly clients: number;
  readonly seconds: number;
  /** Acknowledged (2xx) writes per second in the measured window. */
  readonly perSecond: number;
  readonly acknowledged: number;
  readonly latency: Distribution;
  /** Non-2xx answers in the measured window by problem code (or HTTP status). */
  readonly refusals: Record<string, number>;
  readonly errorSamples: string[];
  /** The household's version at the end: every acknowledged write is one event. */
  readonly finalVersion: number;
  readonly cpu: CpuShares;
  /** CPU per acknowledged write (us) of the API and of PostgreSQL (the server only). */
  readonly apiCpuUsPerWrite: number;
  readonly postgresCpuUsPerWrite: number;
  readonly profile?: ProfileSummary & { readonly file: string };
}

const expect2xx = (what: string, answer: HttpAnswer) => {
  if (answer.status < 200 || answer.status >= 300)
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
};

/** A target date `i` days after a fixed day well in the future (today or later is required). */
const targetDate = (i: number) =>
  new Date(Date.UTC(2030, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);

export async function runBusyHousehold(o: BusyHouseholdOptions): Promise<BusyHouseholdResult> {
  const tag = randomBytes(3).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), `eenplan-bench-busy-${o.kind}-`));
  const db = o.kind === 'postgres' ? await createBenchDatabase(o.serverUrl, 'busy', o.keepDb) : undefined;
  const secret = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    JWT_SECRET: secret,
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    // One goal per client: more than the default cap of 50 when BENCH_CLIENTS is raised.
    MAX_GOALS_PER_HOUSEHOLD: String(Math.max(50, o.clients)),
    ...o.extraEnv,
  };
  if (db) env.DATABASE_URL = db.url;
  else if (o.kind === 'pglite') env.PGLITE_DIR = join(dataDir, 'pglite');
  // 'embedded': nothing set, as `npm start` runs it (its own cluster in DATA_DIR/postgres).
  const profileFile = o.profileDir ? join(o.profileDir, `api-busy-${o.kind}-${tag}.cpuprofile`) : undefined;
  if (profileFile) env.BENCH_PROFILE_OUT = profileFile;
  const nodeArgs = profileFile ? ['-r', join(__dirname, 'profile-preload.js')] : [];
  let api: ApiProcess | undefined;
  let client: HttpClient | undefined;
  try {
    api = await startApi({ env, nodeArgs });
    client = new HttpClient(api.baseUrl, o.clients);
    // One team whose workers are the clients; the first holds regie.
    const world = await setupWorld(client, secret, tag, o.clients, 1);
    const workers = world.clients;
    const householdId = `h-busy-${tag}`;
    const base = `/v1/households/${householdId}`;
    const me = workers[0]!;
    expect2xx(
      'register',
      await client.request('POST', '/v1/households', me.token, registrationBody(householdId, me)),
    );
    for (let c = 0; c < o.clients; c++) {
      expect2xx(
        `goal ${c}`,
        await client.request('POST', `${base}/goals`, workers[c]!.token, {
          goalId: `g-${c}`,
          lifeDomain: 'finances',
          description: `Doel van medewerker ${c}`,
        }),
      );
    }

    const start = now();
    const from = start + o.warmupMs;
    const until = from + o.measureMs;
    let endCpu: (() => CpuShares) | undefined;
    const running = api;
    const timer = setTimeout(() => {
      endCpu = cpuWindow(running.pid, cpus().length);
      if (profileFile) running.signal('SIGWINCH');
    }, o.warmupMs);
    const latencies: number[] = [];
    const refusals: Record<string, number> = {};
    const errorSamples: string[] = [];
    const http = client;
    const writer = async (c: number) => {
      const { token } = workers[c]!;
      for (let i = 0; now() < until; i++) {
        const t0 = now();
        let answer: HttpAnswer;
        try {
          answer =
            i % 4 === 3
              ? await http.request('PUT', `${base}/goals/g-${c}/target-date`, token, {
                  targetDate: targetDate(i),
                })
              : await http.request('POST', `${base}/goals/g-${c}/notes`, token, {
                  text: `Gesprek ${i} met medewerker ${c}: afspraken gemaakt`,
                });
        } catch (error) {
          if (t0 >= from) refusals['network'] = (refusals['network'] ?? 0) + 1;
          if (errorSamples.length < 3) errorSamples.push((error as Error).message);
          continue;
        }
        const t1 = now();
        if (t0 < from || t1 > until) continue;
        if (answer.status >= 200 && answer.status < 300) latencies.push(t1 - t0);
        else {
          const code = (answer.body as { code?: string } | undefined)?.code ?? `HTTP ${answer.status}`;
          refusals[code] = (refusals[code] ?? 0) + 1;
          if (errorSamples.length < 3)
            errorSamples.push(`HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: o.clients }, (_, c) => writer(c)));
    clearTimeout(timer);
    const cpu = endCpu?.() ?? { seconds: 0, machineBusyPct: NaN, postgresPct: NaN, benchPct: NaN, cores: 0 };
    let profile: BusyHouseholdResult['profile'];
    if (profileFile) {
      running.signal('SIGWINCH');
      for (let i = 0; i < 50 && !existsSync(profileFile); i++) await sleep(100);
      if (existsSync(profileFile)) profile = { ...summarizeProfile(profileFile), file: profileFile };
    }
    const after = await client.requestWithHeaders('GET', base, me.token);
    expect2xx('final GET', after);
    const finalVersion = Number(String(after.headers.etag ?? '0').replace(/\D/g, ''));
    const perWrite = (pct: number | undefined) =>
      (((pct ?? NaN) / 100) * cpu.seconds * 1e6) / Math.max(1, latencies.length);
    return {
      kind: o.kind,
      clients: o.clients,
      seconds: o.measureMs / 1000,
      perSecond: latencies.length / (o.measureMs / 1000),
      acknowledged: latencies.length,
      latency: distribution(latencies),
      refusals,
      errorSamples,
      finalVersion,
      cpu,
      apiCpuUsPerWrite: perWrite(cpu.apiPct),
      postgresCpuUsPerWrite: o.kind === 'postgres' ? perWrite(cpu.postgresPct) : NaN,
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
