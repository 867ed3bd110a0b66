import { signToken, type Role } from '@eenplan/security';
import { HttpClient, type HttpAnswer } from './http-client';
import { distribution, now, type Distribution } from './stats';

/**
 * The HTTP load: N clients, each a worker of one of a few teams, each walking households through
 * a realistic life cycle back to back: register (the worker holds regie) -> add a goal -> add an
 * action the worker owns -> a member agrees the plan -> request a warm handover to a colleague ->
 * the colleague accepts. Six commands per household; every one loads its stream, decides and
 * appends, and most also gather worker facts (directory read model + the team's stream).
 */

export const COMMANDS = ['register', 'goal', 'action', 'agree', 'request', 'accept'] as const;
export type CommandName = (typeof COMMANDS)[number];

interface ClientIdentity {
  readonly workerId: string;
  readonly token: string;
  readonly partnerId: string;
  readonly partnerToken: string;
  readonly teamId: string;
}

/** The registration every load uses: a parent and a child, the client's worker holding regie. */
export const registrationBody = (householdId: string, me: { teamId: string; workerId: string }) => ({
  householdId,
  teamId: me.teamId,
  district: 'noord',
  regie: { workerId: me.workerId },
  members: [
    { memberId: 'm-1', role: 'parent', birthYear: 1985, name: 'Sanne Jansen' },
    { memberId: 'm-2', role: 'child', birthYear: 2015, name: 'Tim Jansen' },
  ],
});

export interface World {
  readonly clients: ClientIdentity[];
  readonly teams: number;
  readonly workersPerTeam: number;
}

const expectOk = (what: string, answer: HttpAnswer): HttpAnswer => {
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
  }
  return answer;
};

/** Teams and workers through the API itself (not measured). */
export async function setupWorld(
  http: HttpClient,
  secret: string,
  tag: string,
  clients: number,
  teams = 4,
): Promise<World> {
  const token = (sub: string, roles: Role[], teamIds: string[]) =>
    signToken(secret, { sub, roles, teams: teamIds }, 4 * 3600);
  const admin = token(`admin-${tag}`, ['admin'], []);
  const workersPerTeam = Math.max(2, Math.ceil(clients / teams));
  const ids = (t: number) => ({ teamId: `t-${tag}-${t}`, worker: (j: number) => `w-${tag}-${t}-${j}` });
  for (let t = 0; t < teams; t++) {
    const { teamId, worker } = ids(t);
    expectOk(
      'register team',
      await http.request('POST', '/v1/teams', admin, { teamId, name: `Wijkteam ${t}`, districts: ['noord'] }),
    );
    expectOk(
      'add team lead',
      await http.request('POST', `/v1/teams/${teamId}/workers`, admin, {
        workerId: `lead-${tag}-${t}`,
        name: 'Lies Bakker',
        role: 'team-lead',
        hoursPerWeek: 32,
      }),
    );
    for (let j = 0; j < workersPerTeam; j++) {
      expectOk(
        'add worker',
        await http.request('POST', `/v1/teams/${teamId}/workers`, admin, {
          workerId: worker(j),
          name: `Medewerker ${j}`,
          role: 'generalist',
          hoursPerWeek: 32,
        }),
      );
    }
  }
  const identities: ClientIdentity[] = [];
  for (let c = 0; c < clients; c++) {
    const t = c % teams;
    const j = Math.floor(c / teams) % workersPerTeam;
    const { teamId, worker } = ids(t);
    const partner = worker((j + 1) % workersPerTeam);
    identities.push({
      workerId: worker(j),
      token: token(worker(j), ['worker'], [teamId]),
      partnerId: partner,
      partnerToken: token(partner, ['worker'], [teamId]),
      teamId,
    });
  }
  return { clients: identities, teams, workersPerTeam };
}

export interface HttpLoadResult {
  readonly clients: number;
  readonly seconds: number;
  /** Successful commands per second inside the measured window. */
  readonly perSecond: number;
  readonly commands: number;
  readonly latency: Distribution;
  readonly byCommand: Record<string, Distribution>;
  readonly errors: number;
  readonly errorSamples: string[];
  /** Wall-clock bounds of the measured window (ms since epoch). */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly households: number;
  /** Successful commands over the whole run, warm-up included. */
  readonly totalCommands: number;
  /** Successful commands from the start of the warm-up to the end of the measured window. */
  readonly commandsUntilWindowEnd: number;
}

export async function runHttpLoad(
  http: HttpClient,
  world: World,
  tag: string,
  warmupMs: number,
  measureMs: number,
  hooks: { onMeasureStart?: () => void; onMeasureEnd?: () => void; abort?: () => string | undefined } = {},
): Promise<HttpLoadResult> {
  const start = now();
  const from = start + warmupMs;
  const until = from + measureMs;
  let windowStart = Date.now() + warmupMs;
  let windowEnd = windowStart + measureMs;
  const startTimer = setTimeout(() => {
    windowStart = Date.now();
    hooks.onMeasureStart?.();
  }, warmupMs);
  const endTimer = setTimeout(() => {
    windowEnd = Date.now();
    hooks.onMeasureEnd?.();
  }, warmupMs + measureMs);
  const latencies: number[] = [];
  const perCommand = new Map<CommandName, number[]>(COMMANDS.map((c) => [c, []]));
  let errors = 0;
  const errorSamples: string[] = [];
  let households = 0;
  let totalCommands = 0;
  let commandsUntilWindowEnd = 0;

  const step = async (name: CommandName, call: () => Promise<HttpAnswer>): Promise<boolean> => {
    let answer: HttpAnswer;
    try {
      answer = await call();
    } catch (error) {
      errors++;
      if (errorSamples.length < 5)
        errorSamples.push(
          `${name} at ${((now() - from) / 1000).toFixed(2)} s into the window: ${(error as Error).message}`,
        );
      // A network error: the API may be gone; do not spin.
      await new Promise((r) => setTimeout(r, 50));
      return false;
    }
    const done = now();
    const ok = answer.status >= 200 && answer.status < 300;
    if (!ok) {
      errors++;
      if (errorSamples.length < 5)
        errorSamples.push(`${name}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      return false;
    }
    totalCommands++;
    if (done <= until) commandsUntilWindowEnd++;
    if (done >= from && done <= until) {
      latencies.push(answer.ms);
      perCommand.get(name)!.push(answer.ms);
    }
    return true;
  };

  const client = async (c: number) => {
    const me = world.clients[c]!;
    for (let n = 0; now() < until; n++) {
      const h = `h-${tag}-${c}-${n}`;
      const base = `/v1/households/${h}`;
      const cycle: [CommandName, () => Promise<HttpAnswer>][] = [
        ['register', () => http.request('POST', '/v1/households', me.token, registrationBody(h, me))],
        [
          'goal',
          () =>
            http.request('POST', `${base}/goals`, me.token, {
              goalId: 'g-1',
              lifeDomain: 'finances',
              description: 'Schulden onder controle',
            }),
        ],
        [
          'action',
          () =>
            http.request('POST', `${base}/actions`, me.token, {
              actionId: 'a-1',
              goalId: 'g-1',
              description: 'Aanmelden schuldhulp',
              owner: { kind: 'worker', id: me.workerId },
            }),
        ],
        ['agree', () => http.request('POST', `${base}/plan/agreements`, me.token, { memberId: 'm-1' })],
        [
          'request',
          () =>
            http.request('POST', `${base}/regie/transfers`, me.token, {
              transferId: 'tr-1',
              to: { kind: 'worker', id: me.partnerId },
              reason: 'Gezinsbegeleiding nodig',
            }),
        ],
        ['accept', () => http.request('POST', `${base}/regie/transfers/tr-1/accept`, me.partnerToken)],
      ];
      for (const [name, call] of cycle) {
        if (now() >= until) return;
        const why = hooks.abort?.();
        if (why) throw new Error(`the API went away during the load: ${why}`);
        if (!(await step(name, call))) break;
        if (name === 'register') households++;
      }
    }
  };
  await Promise.all(world.clients.map((_, c) => client(c)));
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  const seconds = measureMs / 1000;
  return {
    clients: world.clients.length,
    seconds,
    commands: latencies.length,
    perSecond: latencies.length / seconds,
    latency: distribution(latencies),
    byCommand: Object.fromEntries([...perCommand].map(([name, values]) => [name, distribution(values)])),
    errors,
    errorSamples,
    windowStart,
    windowEnd,
    households,
    totalCommands,
    commandsUntilWindowEnd,
  };
}
