import { randomBytes } from 'node:crypto';
import { LIFE_DOMAINS } from '@eenplan/domain';
import { signToken, type Role } from '@eenplan/security';
import { startApi, type ApiProcess } from '../bench/api-process';
import { HttpClient, type HttpAnswer } from '../bench/http-client';
import { judge, type Line } from '../bench/report';
import { distribution, sleep } from '../bench/stats';
import { createRandom, type Random } from './random';

/**
 * Every item of a paged list (`{ [key]: [...], next }`), following `next` 200 at a time; the status
 * is that of the first answer that was not a 200 (the items stop there), else 200.
 */
async function allPages(
  c: HttpClient,
  path: string,
  token: string,
  key: string,
): Promise<{ status: number; items: unknown[] }> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await c.request(
      'GET',
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      token,
    );
    if (page.status !== 200) return { status: page.status, items };
    const body = page.body as Record<string, unknown> & { next: string | null };
    items.push(...(body[key] as unknown[]));
    cursor = body.next;
  } while (cursor);
  return { status: 200, items };
}

/**
 * Line R1: many clients write to ONE household at once through the HTTP API of the built process.
 * Each client adds goals and actions, completes its actions, agrees the plan, asks for regie for
 * itself and (as holder) accepts such requests, assigns and ends volunteer hours, repeats a request
 * with its Idempotency-Key, and sometimes sends If-Match with a version it read earlier.
 * Afterwards the household's stream is read back through the audit trail and checked against what
 * the clients were told: every 2xx has its event at the version it was answered with, versions run
 * 1..n, nothing acknowledged is missing from the plan, and the invariants that concurrency could
 * break still hold (one pending transfer at most, one regie holder at every instant with a history
 * without gaps, volunteer hours within what the volunteer has).
 */

export interface ConcurrencyOptions {
  /** Where the API stores its events and read models: a fresh database on the server. */
  readonly databaseUrl: string;
  readonly clients: number;
  readonly durationMs: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

/** One acknowledged write and the event it must have written. */
interface Acknowledged {
  readonly client: number;
  readonly command: string;
  readonly version: number;
  readonly eventType: string;
  readonly idField: string;
  readonly id: string;
}

export interface ConcurrencyResult {
  readonly seed: number;
  readonly clients: number;
  readonly seconds: number;
  readonly requests: number;
  /** Writes answered 2xx (replays of an Idempotency-Key not counted). */
  readonly acknowledged: number;
  readonly byStatus: Record<string, number>;
  /** 409s, by the problem's title: refusals the invariants or If-Match demanded. */
  readonly conflicts: Record<string, number>;
  /** VersionConflicts answered to writes sent without If-Match: the server should decide those again. */
  readonly conflictsWithoutIfMatch: number;
  readonly replays: number;
  readonly streamVersion: number;
  /** Acknowledged writes whose event is not at the version they were answered with. */
  readonly lost: number;
  /** Versions missing or repeated in 1..n. */
  readonly versionGaps: number;
  /** Replayed requests that wrote an event or answered differently. */
  readonly replayMismatches: number;
  readonly invariantViolations: string[];
  readonly latencyMs: { p50: number; p99: number };
  readonly lines: Line[];
}

const WEIGHTS: [string, number][] = [
  ['goal', 30],
  ['action', 22],
  ['complete', 10],
  ['agree', 6],
  ['transfer', 14],
  ['assign', 8],
  ['end-assignment', 4],
  ['replay', 6],
];

const VOLUNTEER_HOURS = 6;

/** A 409's reason: the problem's code (the invariant or the version check that refused it). */
const problemTitle = (body: unknown): string => {
  const p = (typeof body === 'object' && body ? body : {}) as { code?: unknown; title?: unknown };
  return String(p.code ?? p.title ?? 'no problem body');
};

export async function runConcurrency(o: ConcurrencyOptions): Promise<ConcurrencyResult> {
  const log = o.log ?? (() => undefined);
  const seed = o.seed ?? randomBytes(4).readUInt32LE(0);
  const secret = randomBytes(32).toString('hex');
  const tag = randomBytes(3).toString('hex');
  let api: ApiProcess | undefined;
  let client: HttpClient | undefined;
  try {
    api = await startApi({
      env: {
        JWT_SECRET: secret,
        DATABASE_URL: o.databaseUrl,
        RUN_PROJECTIONS: 'true',
        NODE_ENV: 'production',
      },
    });
    client = new HttpClient(api.baseUrl, o.clients + 4);
    const c = client;
    const token = (sub: string, roles: Role[], teams: string[]) =>
      signToken(secret, { sub, roles, teams }, 3600);
    const teamId = `t-${tag}`;
    const householdId = `h-${tag}`;
    const volunteerId = `v-${tag}`;
    const workers = Array.from({ length: o.clients }, (_, i) => `w-${tag}-${i}`);
    const workerToken = workers.map((w) => token(w, ['worker'], [teamId]));
    const admin = token(`admin-${tag}`, ['admin'], []);
    const auditor = token(`auditor-${tag}`, ['auditor'], []);
    const ok = (what: string, a: HttpAnswer) => {
      if (a.status >= 300)
        throw new Error(`${what}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
      return a;
    };
    ok(
      'team',
      await c.request('POST', '/v1/teams', admin, { teamId, name: 'Wijkteam Zuid', districts: ['zuid'] }),
    );
    for (const workerId of workers)
      ok(
        'worker',
        await c.request('POST', `/v1/teams/${teamId}/workers`, admin, {
          workerId,
          name: 'Medewerker',
          role: 'generalist',
          hoursPerWeek: 32,
        }),
      );
    // Only a team lead records a volunteer's VOG (the household has a child, so it needs one).
    const leadId = `lead-${tag}`;
    ok(
      'team lead',
      await c.request('POST', `/v1/teams/${teamId}/workers`, admin, {
        workerId: leadId,
        name: 'Teamleider',
        role: 'team-lead',
        hoursPerWeek: 32,
      }),
    );
    const leadToken = token(leadId, ['worker', 'team-lead'], [teamId]);
    ok(
      'household',
      await c.request('POST', '/v1/households', workerToken[0], {
        householdId,
        teamId,
        district: 'zuid',
        members: [
          { memberId: 'm-1', role: 'parent', birthYear: 1985, name: 'Sanne' },
          { memberId: 'm-2', role: 'child', birthYear: 2016, name: 'Daan' },
        ],
        regie: { workerId: workers[0] },
      }),
    );
    // Issue 18: the parent holds authority over the child, so m-1's agreement agrees the plan
    // (PlanAgreed at the version answered), as it did before.
    ok(
      'authority',
      await c.request('PUT', `/v1/households/${householdId}/members/m-2/authority`, workerToken[0], {
        holders: [{ memberId: 'm-1' }],
      }),
    );
    ok(
      'volunteer',
      await c.request('POST', '/v1/volunteers', leadToken, {
        volunteerId,
        name: 'Vrijwilliger',
        skills: ['taal'],
        hoursPerWeek: VOLUNTEER_HOURS,
        vogValidUntil: '2099-01-01',
      }),
    );
    const base = `/v1/households/${householdId}`;
    // The set-up wrote versions 1 and 2 (registration, authority); the load starts from there.
    log(
      `  R1: ${o.clients} clients on household ${householdId} for ${(o.durationMs / 1000).toFixed(0)} s, seed ${seed}`,
    );

    const acknowledged: Acknowledged[] = [];
    const byStatus: Record<string, number> = {};
    const conflicts: Record<string, number> = {};
    const latencies: number[] = [];
    let requests = 0;
    let replays = 0;
    let replayMismatches = 0;
    let conflictsWithoutIfMatch = 0;

    /** One request with an Idempotency-Key and optionally If-Match; counted. */
    const send = async (
      who: number,
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<HttpAnswer & { headers: Record<string, string | string[] | undefined> }> => {
      requests++;
      const answer = await c.requestWithHeaders(method, path, workerToken[who], body, headers);
      latencies.push(answer.ms);
      const cls = String(answer.status);
      byStatus[cls] = (byStatus[cls] ?? 0) + 1;
      if (answer.status === 409) {
        const title = problemTitle(answer.body);
        conflicts[title] = (conflicts[title] ?? 0) + 1;
      }
      return answer;
    };

    const deadline = Date.now() + o.durationMs;
    const runClient = async (i: number, random: Random) => {
      const goals: string[] = [];
      const openActions: string[] = [];
      const openAssignments: string[] = [];
      const done: { who: number; path: string; body: unknown; key: string; version: number }[] = [];
      let n = 0;
      const write = async (
        command: string,
        path: string,
        body: unknown,
        expect: { eventType: string; idField: string; id: string },
        ifMatch?: number,
        /** Whose token: this client's, or (to accept a transfer) the worker who must. */
        who = i,
      ) => {
        const key = `${tag}-${i}-${n++}`;
        const headers: Record<string, string> = { 'idempotency-key': key };
        if (ifMatch !== undefined) headers['if-match'] = `"${ifMatch}"`;
        const a = await send(who, 'POST', path, body, headers);
        if (a.status >= 200 && a.status < 300) {
          const version = (a.body as { version: number }).version;
          acknowledged.push({ client: who, command, version, ...expect });
          done.push({ who, path, body, key, version });
          return true;
        }
        if (a.status === 409 && ifMatch === undefined && problemTitle(a.body) === 'VersionConflict')
          conflictsWithoutIfMatch++;
        if (a.status >= 500)
          throw new Error(`${command}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
        return false;
      };
      while (Date.now() < deadline) {
        const pick = random.weighted(WEIGHTS);
        // One in five writes says which version it saw, as a client that shows the plan first would.
        let ifMatch: number | undefined;
        if (random.next() < 0.2) {
          const seen = await send(i, 'GET', base);
          ifMatch = (seen.body as { version: number }).version;
        }
        if (pick === 'goal' || (pick === 'action' && goals.length === 0)) {
          const goalId = `g-${i}-${n}`;
          if (
            await write(
              'add goal',
              `${base}/goals`,
              { goalId, lifeDomain: random.pick(LIFE_DOMAINS), description: 'Schulden op orde' },
              { eventType: 'GoalAdded', idField: 'goalId', id: goalId },
              ifMatch,
            )
          )
            goals.push(goalId);
        } else if (pick === 'action') {
          const actionId = `a-${i}-${n}`;
          if (
            await write(
              'add action',
              `${base}/actions`,
              {
                actionId,
                goalId: random.pick(goals),
                description: 'Afspraak bij de schuldhulp',
                owner: { kind: 'worker', id: workers[i] },
              },
              { eventType: 'ActionAdded', idField: 'actionId', id: actionId },
              ifMatch,
            )
          )
            openActions.push(actionId);
        } else if (pick === 'complete' && openActions.length) {
          const actionId = openActions.shift()!;
          if (
            !(await write(
              'complete action',
              `${base}/actions/${actionId}/complete`,
              undefined,
              { eventType: 'ActionCompleted', idField: 'actionId', id: actionId },
              ifMatch,
            ))
          )
            openActions.push(actionId);
        } else if (pick === 'agree') {
          await write(
            'agree plan',
            `${base}/plan/agreements`,
            { memberId: 'm-1' },
            { eventType: 'PlanAgreed', idField: 'agreedBy', id: 'm-1' },
            ifMatch,
          );
        } else if (pick === 'transfer') {
          // Ask for regie for yourself, or, as the holder, accept whoever asked: clients race for both.
          const seen = await send(i, 'GET', base);
          const plan = seen.body as {
            regie: { holder: { kind: string; id: string } };
            pendingTransfer: { transferId: string; variant: string; to: { id: string } } | null;
          };
          const holder = plan.regie.holder;
          const pending = plan.pendingTransfer;
          if (pending && holder.kind === 'worker') {
            const acceptor =
              pending.variant === 'reverse' ? workers.indexOf(holder.id) : workers.indexOf(pending.to.id);
            if (acceptor >= 0)
              await write(
                'accept transfer',
                `${base}/regie/transfers/${pending.transferId}/accept`,
                undefined,
                { eventType: 'RegieTransferAccepted', idField: 'transferId', id: pending.transferId },
                undefined,
                acceptor,
              );
          } else if (!pending && holder.id !== workers[i]) {
            const transferId = `tr-${i}-${n}`;
            await write(
              'request transfer',
              `${base}/regie/transfers`,
              { transferId, to: { kind: 'worker', id: workers[i] }, reason: 'Ik neem de regie over' },
              { eventType: 'RegieTransferRequested', idField: 'transferId', id: transferId },
            );
          }
        } else if (pick === 'assign') {
          const assignmentId = `as-${i}-${n}`;
          if (
            await write(
              'assign volunteer',
              `${base}/volunteer-assignments`,
              { assignmentId, volunteerId, hoursPerWeek: 1 },
              { eventType: 'VolunteerAssigned', idField: 'assignmentId', id: assignmentId },
            )
          )
            openAssignments.push(assignmentId);
        } else if (pick === 'end-assignment' && openAssignments.length) {
          const assignmentId = openAssignments.shift()!;
          await write(
            'end assignment',
            `${base}/volunteer-assignments/${assignmentId}/end`,
            { reason: 'Klaar' },
            { eventType: 'VolunteerAssignmentEnded', idField: 'assignmentId', id: assignmentId },
          );
        } else if (pick === 'replay' && done.length) {
          // The same request again with its key: the first answer back, nothing new written.
          const first = random.pick(done);
          const a = await send(first.who, 'POST', first.path, first.body, { 'idempotency-key': first.key });
          replays++;
          const replayed = a.headers['idempotent-replayed'] === 'true';
          if (a.status >= 300 || !replayed || (a.body as { version: number }).version !== first.version)
            replayMismatches++;
        }
      }
    };
    const started = Date.now();
    const root = createRandom(seed);
    await Promise.all(workers.map((_, i) => runClient(i, createRandom(root.int(0, 2 ** 31)))));
    const seconds = (Date.now() - started) / 1000;

    // The stream as the audit trail shows it (straight from the store).
    const read = await allPages(c, `/v1/audit/households/${householdId}/events`, auditor, 'events');
    if (read.status !== 200) throw new Error(`audit trail: HTTP ${read.status}`);
    const trail = read.items as { version: number; type: string; data: Record<string, unknown> }[];
    let versionGaps = 0;
    trail.forEach((e, index) => {
      if (e.version !== index + 1) versionGaps++;
    });
    let lost = 0;
    const lostExamples: string[] = [];
    for (const ack of acknowledged) {
      const event = trail[ack.version - 1];
      const found = event && event.type === ack.eventType && event.data[ack.idField] === ack.id;
      const elsewhere = trail.filter((e) => e.type === ack.eventType && e.data[ack.idField] === ack.id);
      // PlanAgreed carries the member, not a unique id: the event at its version is what counts.
      const once = ack.eventType === 'PlanAgreed' || elsewhere.length === 1;
      if (!found || !once) {
        lost++;
        if (lostExamples.length < 5) lostExamples.push(`${ack.command} ${ack.id} at version ${ack.version}`);
      }
    }
    const eventCountBeforeReplays = trail.length;
    const violations = checkInvariants(trail, VOLUNTEER_HOURS);

    // Read models: the regie history (projection) agrees with the stream and has no gaps or overlaps.
    const history = await waitForHistory(c, base, workerToken[0], trail);
    violations.push(...history);
    const volunteer = ok('volunteer', await c.request('GET', `/v1/volunteers/${volunteerId}`, workerToken[0]))
      .body as { assignedHoursPerWeek: number };
    const openHours = openAssignmentHours(trail);
    if (volunteer.assignedHoursPerWeek !== openHours)
      violations.push(
        `volunteer read model shows ${volunteer.assignedHoursPerWeek} h assigned, the stream ${openHours} h`,
      );
    const plan = ok('plan', await c.request('GET', base, workerToken[0])).body as { version: number };
    // The household shows the first goals; its goals endpoint pages through all of them.
    const goalIds = new Set<string>();
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = ok(
        'goals',
        await c.request('GET', `${base}/goals?limit=100${cursor ? `&cursor=${cursor}` : ''}`, workerToken[0]),
      ).body as { goals: { goalId: string }[]; next: string | null };
      for (const g of page.goals) goalIds.add(g.goalId);
      cursor = page.next;
    }
    for (const ack of acknowledged)
      if (ack.eventType === 'GoalAdded' && !goalIds.has(ack.id))
        violations.push(`goal ${ack.id} missing from the plan`);
    if (plan.version !== eventCountBeforeReplays)
      violations.push(
        `the plan says version ${plan.version}, the audit trail has ${eventCountBeforeReplays} events`,
      );
    if (lostExamples.length) log(`  R1 lost: ${lostExamples.join('; ')}`);
    if (violations.length) log(`  R1 invariant violations: ${violations.slice(0, 5).join('; ')}`);

    const latency = distribution(latencies);
    const result = {
      seed,
      clients: o.clients,
      seconds,
      requests,
      acknowledged: acknowledged.length,
      byStatus,
      conflicts,
      conflictsWithoutIfMatch,
      replays,
      streamVersion: trail.length,
      lost,
      versionGaps,
      replayMismatches,
      invariantViolations: violations,
      latencyMs: { p50: latency.p50, p99: latency.p99 },
    };
    return { ...result, lines: concurrencyLines(result) };
  } finally {
    client?.close();
    await api?.stop();
  }
}

const concurrencyLines = (r: Omit<ConcurrencyResult, 'lines'>): Line[] => {
  const refused = Object.entries(r.conflicts)
    .sort((a, b) => b[1] - a[1])
    .map(([title, n]) => `${n} ${title}`)
    .join(', ');
  return [
    {
      id: 'R1',
      figure: `one household, ${r.clients} clients, ${r.seconds.toFixed(0)} s: acknowledged writes lost`,
      measured: `${r.lost} of ${r.acknowledged}`,
      target: '0',
      result: judge(r.lost === 0 && r.acknowledged > 0),
      value: r.lost,
      note: `${r.requests} requests (${Object.entries(r.byStatus)
        .map(([s, n]) => `${n}x ${s}`)
        .join(
          ', ',
        )}); ${(r.acknowledged / r.seconds).toFixed(1)} acknowledged writes/s; 409s: ${refused || 'none'} (VersionConflict without If-Match: ${r.conflictsWithoutIfMatch}); p50 ${r.latencyMs.p50.toFixed(0)} ms, p99 ${r.latencyMs.p99.toFixed(0)} ms; seed ${r.seed}`,
    },
    {
      id: 'R1b',
      figure: 'one household: stream versions contiguous',
      measured: `1..${r.streamVersion}, ${r.versionGaps} gaps`,
      target: '0 gaps',
      result: judge(r.versionGaps === 0),
      value: r.versionGaps,
    },
    {
      id: 'R1c',
      figure: 'one household: invariants and read models afterwards',
      measured: `${r.invariantViolations.length} violations`,
      target: '0',
      result: judge(r.invariantViolations.length === 0),
      value: r.invariantViolations.length,
      note: r.invariantViolations.slice(0, 3).join('; ') || undefined,
    },
    {
      id: 'R1d',
      figure: 'one household: Idempotency-Key replays that wrote again',
      measured: `${r.replayMismatches} of ${r.replays}`,
      target: '0',
      result: judge(r.replayMismatches === 0),
      value: r.replayMismatches,
    },
    {
      id: 'R1e',
      figure: 'one household: VersionConflict to a write without If-Match',
      measured: String(r.conflictsWithoutIfMatch),
      target: '0',
      // One API process: its writes to the household take turns, so none loses a version race.
      result: judge(r.conflictsWithoutIfMatch === 0),
      value: r.conflictsWithoutIfMatch,
    },
  ];
};

type TrailEvent = { version: number; type: string; data: Record<string, unknown> };

const openAssignmentHours = (trail: readonly TrailEvent[]): number => {
  const open = new Map<string, number>();
  for (const e of trail) {
    if (e.type === 'VolunteerAssigned') open.set(String(e.data.assignmentId), Number(e.data.hoursPerWeek));
    if (e.type === 'VolunteerAssignmentEnded') open.delete(String(e.data.assignmentId));
  }
  return [...open.values()].reduce((a, b) => a + b, 0);
};

/** Invariants 2 and 12 over every prefix of the stream, and the plan revision (11). */
export function checkInvariants(trail: readonly TrailEvent[], volunteerHours: number): string[] {
  const violations: string[] = [];
  let pending: string | undefined;
  const open = new Map<string, number>();
  for (const e of trail) {
    switch (e.type) {
      case 'RegieTransferRequested':
        if (pending) violations.push(`v${e.version}: transfer requested while ${pending} is pending`);
        pending = String(e.data.transferId);
        break;
      case 'RegieTransferAccepted':
      case 'RegieTransferDeclined':
      case 'RegieTransferCancelled':
        if (pending !== e.data.transferId)
          violations.push(`v${e.version}: ${e.type} of a transfer that is not pending`);
        pending = undefined;
        break;
      case 'VolunteerAssigned':
        open.set(String(e.data.assignmentId), Number(e.data.hoursPerWeek));
        break;
      case 'VolunteerAssignmentEnded':
        if (!open.delete(String(e.data.assignmentId)))
          violations.push(`v${e.version}: ended assignment ${String(e.data.assignmentId)} that was not open`);
        break;
    }
    const hours = [...open.values()].reduce((a, b) => a + b, 0);
    if (hours > volunteerHours)
      violations.push(`v${e.version}: ${hours} volunteer hours assigned of ${volunteerHours}`);
  }
  return violations;
}

/** Invariant 1 on the read model: the regie history, once caught up, runs without gaps or overlaps. */
async function waitForHistory(
  c: HttpClient,
  base: string,
  token: string,
  trail: readonly TrailEvent[],
): Promise<string[]> {
  const accepted = trail
    .filter((e) => e.type === 'RegieTransferAccepted')
    .map((e) => e.data as { to: { id: string } });
  const expectedHolders = [
    trail[0]!.data.regie as { kind: string; id?: string },
    ...accepted.map((a) => a.to),
  ];
  let problems: string[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const a = await allPages(c, `${base}/regie/history`, token, 'intervals');
    const history = a.items as { holder: { kind: string; id: string }; from: string; to: string | null }[];
    problems = [];
    if (a.status !== 200) problems.push(`regie history: HTTP ${a.status}`);
    else if (history.length !== expectedHolders.length)
      problems.push(`regie history has ${history.length} intervals, the stream ${expectedHolders.length}`);
    else {
      history.forEach((interval, k) => {
        if (interval.holder.id !== expectedHolders[k]!.id)
          problems.push(
            `interval ${k + 1} held by ${interval.holder.id}, the stream says ${expectedHolders[k]!.id}`,
          );
        const next = history[k + 1];
        if (next && interval.to !== next.from) problems.push(`gap or overlap after interval ${k + 1}`);
        if (!next && interval.to !== null) problems.push('the last interval is closed');
      });
    }
    if (problems.length === 0) return [];
    await sleep(100);
  }
  return problems;
}
