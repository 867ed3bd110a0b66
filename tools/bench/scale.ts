import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql, type NewEvent, type RecordedEvent } from '@eenplan/event-store';
import { ALL_PROJECTIONS, ProjectionRunner } from '@eenplan/projections';
import { createEventStore, loadConfig, migrateApp } from '@eenplan/runtime';
import { signToken } from '@eenplan/security';
import { startApi, type ApiProcess } from './api-process';
import { HttpClient, type HttpAnswer } from './http-client';
import { registrationBody, setupWorld, type World } from './http-load';
import { cpuWindow } from './cpu';
import { closedLoop } from './load-loop';
import { createBenchDatabase } from './postgres';
import { distribution, now, sleep, type Distribution } from './stats';

/**
 * How cost grows with the work: one fresh database grown through the store to each size in turn
 * (1k, 10k, 100k households of about 50 events each, plus access-log rows spread over them), and at
 * each size the built API on it answering a command, a household, a team's caseload and "who viewed
 * my file", and every projection rebuilt from the start.
 *
 * The households are copies of one template household made through the API (so every event is one
 * the domain really writes, valid for the projections and the fold): register, 22 goals, 22 actions,
 * plan agreed, regie handover requested and accepted. Copies get their own household id, event ids
 * and correlation ids, and a team and workers of the world set up through the API, and are appended
 * through the same SealedEventStore and directory key store the API uses (one key per stream), by
 * BENCH_SCALE_WRITERS (32) writers in parallel, one append per household. Access-log rows are inserted by SQL
 * (generate_series, in batches), without chain hashes: the bench reads them, it does not verify the
 * chain.
 */

export interface ScaleOptions {
  readonly serverUrl: string;
  readonly keepDb: boolean;
  readonly sizes: readonly number[];
  readonly accessRows: number;
  readonly goalsPerHousehold: number;
  readonly clients: number;
  /** Parallel appends while seeding (one household each). */
  readonly writers: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly log: (line: string) => void;
}

export interface ScaleRequest {
  readonly latency: Distribution;
  readonly perSecond: number;
  readonly errors: number;
  readonly firstError?: string;
}

export interface ScaleStep {
  readonly households: number;
  readonly events: number;
  readonly accessRows: number;
  readonly seed: {
    readonly households: number;
    readonly events: number;
    readonly seconds: number;
    readonly eventsPerSecond: number;
    /** Percent of a core over the seeding: this process (sealing, JSON) and PostgreSQL. */
    readonly benchCpuPct: number;
    readonly postgresCpuPct: number;
  };
  readonly accessSeedSeconds: number;
  readonly rebuild: { readonly events: number; readonly seconds: number; readonly usPerEvent: number };
  readonly apiStartSeconds: number;
  readonly catchUpSeconds: number;
  readonly requests: Record<ScaleRequestName, ScaleRequest>;
  readonly seconds: number;
}

export const SCALE_REQUESTS = ['command', 'household', 'caseload', 'access-log'] as const;
export type ScaleRequestName = (typeof SCALE_REQUESTS)[number];

export interface ScaleResult {
  readonly eventsPerHousehold: number;
  readonly templateSeconds: number;
  readonly steps: ScaleStep[];
}

const ACCESS_BATCH = 1_000_000;

const expectOk = (what: string, a: HttpAnswer) => {
  if (a.status < 200 || a.status >= 300)
    throw new Error(`${what}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 400)}`);
};

/** Every string value equal to a key of `map` replaced by its value (ids only, never substrings). */
const replaceIds = (value: unknown, map: ReadonlyMap<string, string>): unknown => {
  if (typeof value === 'string') return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceIds(v, map));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIds(v, map)]));
  return value;
};

export async function runScale(o: ScaleOptions): Promise<ScaleResult> {
  const tag = randomBytes(3).toString('hex');
  const db = await createBenchDatabase(o.serverUrl, 'scale', o.keepDb);
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-bench-scale-'));
  const secret = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    JWT_SECRET: secret,
    DATA_DIR: dataDir,
    KEY_STORE_DIR: join(dataDir, 'keys'),
    DATABASE_URL: db.url,
    RUN_PROJECTIONS: 'true',
    NODE_ENV: 'production',
  };
  let api: ApiProcess | undefined;
  let http: HttpClient | undefined;
  const config = loadConfig({ ...env });
  const sql = await createSql({ databaseUrl: db.url, poolSize: o.writers + 2 });
  try {
    // --- the template household and the world, through the API
    const t0 = now();
    api = await startApi({ env });
    http = new HttpClient(api.baseUrl, o.clients + 4);
    const world: World = await setupWorld(http, secret, tag, 8, 4);
    const me = world.clients[0]!;
    const template = `h-${tag}-template`;
    const base = `/v1/households/${template}`;
    expectOk(
      'register',
      await http.request('POST', '/v1/households', me.token, registrationBody(template, me)),
    );
    for (let g = 1; g <= o.goalsPerHousehold; g++) {
      expectOk(
        'goal',
        await http.request('POST', `${base}/goals`, me.token, {
          goalId: `g-${g}`,
          lifeDomain: 'finances',
          description: `Doel ${g}: schulden onder controle`,
        }),
      );
      expectOk(
        'action',
        await http.request('POST', `${base}/actions`, me.token, {
          actionId: `a-${g}`,
          goalId: `g-${g}`,
          description: `Actie ${g}: aanmelden schuldhulp`,
          owner: { kind: 'worker', id: me.workerId },
        }),
      );
    }
    expectOk('agree', await http.request('POST', `${base}/plan/agreements`, me.token, { memberId: 'm-1' }));
    expectOk(
      'request',
      await http.request('POST', `${base}/regie/transfers`, me.token, {
        transferId: 'tr-1',
        to: { kind: 'worker', id: me.partnerId },
        reason: 'Gezinsbegeleiding nodig',
      }),
    );
    expectOk('accept', await http.request('POST', `${base}/regie/transfers/tr-1/accept`, me.partnerToken));
    // One GET, so the access log shows the shape of a row the API writes.
    expectOk('get', await http.request('GET', base, me.partnerToken));
    http.close();
    await api.stop();
    api = undefined;
    const templateSeconds = (now() - t0) / 1000;

    const store = await createEventStore(config, sql);
    await migrateApp(sql);
    const templateEvents: RecordedEvent[] = await store.readStream(`household-${template}`);
    if (templateEvents.length === 0) throw new Error(`the template household-${template} has no events`);
    const { rows: sample } = await sql.query<{ actor_roles: string; action: string; purpose: string }>(
      `SELECT actor_roles, action, purpose FROM access_log WHERE household_id = $1 AND action LIKE 'GET %' LIMIT 1`,
      [template],
    );
    const accessShape = sample[0] ?? {
      actor_roles: 'worker',
      action: 'GET /v1/households/:id',
      purpose: 'care',
    };
    o.log(
      `  template: ${templateEvents.length} events per household (${[...new Set(templateEvents.map((e) => e.type))].join(', ')}), world and template in ${templateSeconds.toFixed(1)} s`,
    );

    const householdId = (i: number) => `h-${tag}-${i}`;
    const owner = (i: number) => world.clients[i % world.clients.length]!;
    const copy = (i: number): NewEvent[] => {
      const c = owner(i);
      const ids = new Map<string, string>([
        [template, householdId(i)],
        [me.workerId, c.workerId],
        [me.partnerId, c.partnerId],
        [me.teamId, c.teamId],
      ]);
      const correlation = new Map<string, string>();
      const fresh = (id: unknown) => {
        if (typeof id !== 'string') return id;
        if (!correlation.has(id)) correlation.set(id, randomUUID());
        return correlation.get(id)!;
      };
      return templateEvents.map((e) => {
        const metadata = replaceIds(e.metadata, ids) as Record<string, unknown>;
        return {
          eventId: randomUUID(),
          type: e.type,
          data: replaceIds(e.data, ids),
          ...(e.personal === undefined ? {} : { personal: replaceIds(e.personal, ids) }),
          metadata: {
            ...metadata,
            correlationId: fresh(metadata.correlationId),
            causationId: fresh(metadata.causationId),
          },
        } as NewEvent;
      });
    };

    const steps: ScaleStep[] = [];
    let seeded = 0;
    let accessSeeded = 0;
    const maxSize = Math.max(...o.sizes);
    for (const size of o.sizes) {
      const s0 = now();
      o.log(`  -- ${size.toLocaleString('en')} households`);
      // --- seed households through the store, 8 writers, one append per household
      const from = seeded;
      let next = from;
      let events = 0;
      const seedStart = now();
      const endSeedCpu = cpuWindow(undefined, cpus().length);
      let lastLog = now();
      await Promise.all(
        Array.from({ length: o.writers }, async () => {
          for (let i = next++; i < size; i = next++) {
            const batch = copy(i);
            for (let k = 0; k < batch.length; k += 50)
              await store.append(`household-${householdId(i)}`, batch.slice(k, k + 50), k);
            events += batch.length;
            if (now() - lastLog > 15_000) {
              lastLog = now();
              const done = i - from;
              const eta = ((now() - seedStart) / 1000 / Math.max(1, done)) * (size - i);
              o.log(
                `     seeded ${done.toLocaleString('en')} of ${(size - from).toLocaleString('en')} households, about ${eta.toFixed(0)} s to go`,
              );
            }
          }
        }),
      );
      seeded = Math.max(seeded, size);
      const seedSeconds = (now() - seedStart) / 1000;
      const seedCpu = endSeedCpu();
      o.log(
        `     seeded ${(size - from).toLocaleString('en')} households, ${events.toLocaleString('en')} events through the store in ${seedSeconds.toFixed(1)} s = ${Math.round(events / seedSeconds).toLocaleString('en')} events/s ` +
          `(this process ${seedCpu.benchPct.toFixed(0)}%, postgres ${seedCpu.postgresPct.toFixed(0)}% of a core, machine ${seedCpu.machineBusyPct.toFixed(0)}% busy)`,
      );

      // --- access-log rows, in proportion to the size
      const a0 = now();
      const accessTarget = Math.round((o.accessRows * size) / maxSize);
      const workers = world.clients.map((c) => c.workerId);
      for (let lo = accessSeeded; lo < accessTarget; lo += ACCESS_BATCH) {
        const hi = Math.min(accessTarget, lo + ACCESS_BATCH) - 1;
        await sql.query(
          `INSERT INTO access_log (at, actor_id, actor_roles, on_behalf_of, household_id, action, outcome, purpose,
                                   correlation_id, actor_verified, count)
           SELECT now() - (g % 2000000) * interval '1 second', ($5::text[])[1 + (g % $6::int)], $7, NULL,
                  $3 || (g % $4::bigint)::text, $8, 200, $9, NULL, true, 1
             FROM generate_series($1::bigint, $2::bigint) AS g`,
          [
            lo,
            hi,
            `h-${tag}-`,
            size,
            workers,
            workers.length,
            accessShape.actor_roles,
            accessShape.action,
            accessShape.purpose,
          ],
        );
      }
      accessSeeded = Math.max(accessSeeded, accessTarget);
      await sql.query('VACUUM ANALYZE events');
      await sql.query('VACUUM ANALYZE event_streams');
      await sql.query('VACUUM ANALYZE access_log');
      const accessSeedSeconds = (now() - a0) / 1000;
      o.log(
        `     access log: ${accessSeeded.toLocaleString('en')} rows, this step ${accessSeedSeconds.toFixed(1)} s (VACUUM ANALYZE included)`,
      );

      // --- rebuild every projection from START
      const { rows: countRows } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM events');
      const totalEvents = Number(countRows[0]!.n);
      const runner = new ProjectionRunner(store, sql, ALL_PROJECTIONS, { batchSize: 2000 });
      await runner.init();
      for (const p of ALL_PROJECTIONS) await runner.reset(p);
      const r0 = now();
      const applied = await runner.catchUp();
      const rebuildSeconds = (now() - r0) / 1000;
      await runner.stop();
      o.log(
        `     rebuild: ${applied.toLocaleString('en')} of ${totalEvents.toLocaleString('en')} events in ${rebuildSeconds.toFixed(1)} s = ${((rebuildSeconds * 1e6) / Math.max(1, applied)).toFixed(0)} us/event`,
      );

      // --- the API on it, projections caught up, then the requests
      const st0 = now();
      api = await startApi({ env, readyTimeoutMs: 600_000 });
      const apiStartSeconds = (now() - st0) / 1000;
      const c0 = now();
      await caughtUp(sql, store, 600_000);
      const catchUpSeconds = (now() - c0) / 1000;
      http = new HttpClient(api.baseUrl, o.clients + 4);
      const client = http;
      const pick = () => Math.floor(Math.random() * size);
      const leadTokens = new Map<string, string>();
      const leadToken = (teamId: string) => {
        if (!leadTokens.has(teamId)) {
          const t = Number(teamId.slice(teamId.lastIndexOf('-') + 1));
          leadTokens.set(
            teamId,
            signToken(secret, { sub: `lead-${tag}-${t}`, roles: ['team-lead'], teams: [teamId] }, 4 * 3600),
          );
        }
        return leadTokens.get(teamId)!;
      };
      let goal = 0;
      const ops: Record<ScaleRequestName, () => Promise<HttpAnswer>> = {
        command: () => {
          const i = pick();
          return client.request('POST', `/v1/households/${householdId(i)}/goals`, owner(i).partnerToken, {
            goalId: `g-s${size}-${goal++}`,
            lifeDomain: 'work-and-education',
            description: 'Werk vinden',
          });
        },
        household: () => {
          const i = pick();
          return client.request('GET', `/v1/households/${householdId(i)}`, owner(i).partnerToken);
        },
        caseload: () => {
          const teamId = world.clients[pick() % world.clients.length]!.teamId;
          return client.request('GET', `/v1/caseloads/teams/${teamId}`, leadToken(teamId));
        },
        'access-log': () => {
          const h = householdId(pick());
          const token = signToken(
            secret,
            { sub: `resident-${h}`, roles: ['resident'], teams: [], household: h, member: 'm-1' },
            3600,
          );
          return client.request('GET', `/v1/households/${h}/access-log`, token);
        },
      };
      const requests = {} as Record<ScaleRequestName, ScaleRequest>;
      for (const name of SCALE_REQUESTS) {
        const loop = await closedLoop(o.clients, o.warmupMs, o.measureMs, async () => {
          const a = await ops[name]();
          if (a.status < 200 || a.status >= 300)
            throw new Error(`${name}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
        });
        requests[name] = {
          latency: distribution(loop.latencies),
          perSecond: loop.perSecond,
          errors: loop.errors,
          firstError: loop.firstError,
        };
        o.log(
          `     ${name.padEnd(10)} p99 ${requests[name].latency.p99.toFixed(1)} ms (p50 ${requests[name].latency.p50.toFixed(1)} ms), ${Math.round(loop.perSecond)}/s, errors ${loop.errors}` +
            (loop.firstError ? ` (${loop.firstError})` : ''),
        );
      }
      http.close();
      http = undefined;
      await api.stop();
      api = undefined;
      steps.push({
        households: size,
        events: totalEvents,
        accessRows: accessSeeded,
        seed: {
          households: size - from,
          events,
          seconds: seedSeconds,
          eventsPerSecond: events / seedSeconds,
          benchCpuPct: seedCpu.benchPct,
          postgresCpuPct: seedCpu.postgresPct,
        },
        accessSeedSeconds,
        rebuild: {
          events: applied,
          seconds: rebuildSeconds,
          usPerEvent: (rebuildSeconds * 1e6) / Math.max(1, applied),
        },
        apiStartSeconds,
        catchUpSeconds,
        requests,
        seconds: (now() - s0) / 1000,
      });
      o.log(`     step took ${((now() - s0) / 1000).toFixed(0)} s`);
    }
    await store.close();
    return { eventsPerHousehold: templateEvents.length, templateSeconds, steps };
  } finally {
    http?.close();
    await api?.stop();
    await sql.close();
    await db.drop();
    if (!o.keepDb) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Until every projection's checkpoint is at the feed's head. */
async function caughtUp(
  sql: Awaited<ReturnType<typeof createSql>>,
  store: { headPosition(): Promise<string>; comparePositions(a: string, b: string): number },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await store.headPosition();
    const { rows } = await sql.query<{ position: string }>('SELECT position FROM projection_checkpoints');
    if (rows.length > 0 && rows.every((r) => store.comparePositions(r.position, head) >= 0)) return;
    if (Date.now() > deadline) throw new Error('the projections did not catch up in time');
    await sleep(200);
  }
}
