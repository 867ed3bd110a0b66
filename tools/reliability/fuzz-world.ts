import fc from 'fast-check';
import { CLOSURE_REASONS, LIFE_DOMAINS } from '@eenplan/domain';
import { signToken, type Role } from '@eenplan/security';
import type { HttpClient } from '../bench/http-client';

/**
 * The small valid world the fuzzer starts from, seeded through the API like any client would, so
 * that a generated path or body can name a household, goal or transfer that exists (and the check
 * behind the validation runs) as well as one that does not.
 */

export const PRINCIPALS = [
  'teamWorker',
  'colleague',
  'teamLead',
  'otherTeamWorker',
  'auditor',
  'integrator',
  'admin',
] as const;
export type Who = (typeof PRINCIPALS)[number];

export interface FuzzWorld {
  readonly tag: string;
  readonly teamId: string;
  readonly otherTeamId: string;
  readonly leadId: string;
  readonly workerIds: readonly string[];
  readonly otherWorkerId: string;
  /** Existing ids by the name a path parameter or body field gives them. */
  readonly ids: {
    readonly household: readonly string[];
    readonly goal: readonly string[];
    readonly action: readonly string[];
    readonly transfer: readonly string[];
    readonly takeover: readonly string[];
    readonly networkMember: readonly string[];
    readonly assignment: readonly string[];
    readonly referral: readonly string[];
    readonly volunteer: readonly string[];
    readonly organisation: readonly string[];
    readonly member: readonly string[];
    readonly schema: readonly string[];
  };
  readonly tokens: Record<Who, string>;
}

const PARENT = 'm-parent';
const CHILD = 'm-child';

export async function seedWorld(http: HttpClient, secret: string, tag: string): Promise<FuzzWorld> {
  const token = (sub: string, roles: Role[], teams: string[] = []) =>
    signToken(secret, { sub, roles, teams }, 8 * 3600);
  const teamId = `fz-${tag}-t1`;
  const otherTeamId = `fz-${tag}-t2`;
  const leadId = `fz-${tag}-lead`;
  const secondLeadId = `fz-${tag}-lead2`;
  const workerIds = [`fz-${tag}-w1`, `fz-${tag}-w2`];
  const otherWorkerId = `fz-${tag}-w3`;
  const tokens: Record<Who, string> = {
    teamWorker: token(workerIds[0]!, ['worker'], [teamId]),
    colleague: token(workerIds[1]!, ['worker'], [teamId]),
    teamLead: token(leadId, ['worker', 'team-lead'], [teamId]),
    otherTeamWorker: token(otherWorkerId, ['worker'], [otherTeamId]),
    auditor: token(`fz-${tag}-auditor`, ['auditor']),
    integrator: token(`fz-${tag}-integrator`, ['integrator']),
    admin: token(`fz-${tag}-admin`, ['admin']),
  };
  const ok = async (who: Who, path: string, body?: object) => {
    const answer = await http.request('POST', path, tokens[who], body ?? {});
    if (answer.status < 200 || answer.status >= 300)
      throw new Error(
        `seeding the fuzz world: POST ${path} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`,
      );
  };
  for (const [id, district] of [
    [teamId, 'noord'],
    [otherTeamId, 'zuid'],
  ] as const)
    await ok('admin', '/v1/teams', { teamId: id, name: `Wijkteam ${district}`, districts: [district] });
  const join = (team: string, workerId: string, role: string) =>
    ok('admin', `/v1/teams/${team}/workers`, { workerId, name: 'Naam', role, hoursPerWeek: 32 });
  await join(teamId, leadId, 'team-lead');
  await join(teamId, secondLeadId, 'team-lead');
  for (const w of workerIds) await join(teamId, w, 'generalist');
  await join(otherTeamId, otherWorkerId, 'generalist');

  const organisationId = `fz-${tag}-org`;
  await ok('admin', '/v1/organisations', {
    organisationId,
    name: 'Schuldhulp Noord',
    expertise: { lifeDomains: ['finances'], tags: ['schuldhulp'] },
    location: 'noord',
    waitingDays: 21,
  });
  const volunteerId = `fz-${tag}-vol`;
  // Only a team lead records a VOG date.
  await ok('teamLead', '/v1/volunteers', {
    volunteerId,
    name: 'Vrijwilliger Kees',
    skills: ['taal'],
    hoursPerWeek: 4,
    vogValidUntil: '2030-12-31',
  });

  const households = [`fz-${tag}-h1`, `fz-${tag}-h2`, `fz-${tag}-h3`];
  for (const [i, householdId] of households.entries())
    await ok('teamWorker', '/v1/households', {
      householdId,
      teamId,
      district: 'noord',
      members: [
        { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
        { memberId: CHILD, role: 'child', birthYear: 2015, name: 'Daan Jansen' },
      ],
      // The second household has a worker as its regie holder; the others hold regie themselves.
      ...(i === 1 ? { regie: { workerId: workerIds[0] } } : {}),
    });
  for (const householdId of households.slice(0, 2)) {
    const base = `/v1/households/${householdId}`;
    await ok('teamWorker', `${base}/goals`, { goalId: 'g-1', lifeDomain: 'finances', description: 'Rust' });
    await ok('teamWorker', `${base}/actions`, {
      actionId: 'a-1',
      goalId: 'g-1',
      description: 'Formulier invullen',
      owner: { kind: 'household' },
    });
    await ok('teamWorker', `${base}/network`, {
      networkMemberId: 'nm-1',
      role: 'friend',
      name: 'Vriend Piet',
    });
    await ok('teamWorker', `${base}/volunteer-assignments`, {
      assignmentId: 'as-1',
      volunteerId,
      hoursPerWeek: 2,
    });
    await ok('teamWorker', `${base}/referrals`, {
      referralId: 'ref-1',
      organisationId,
      legalGround: 'wmo-art-5-2-1',
    });
    await ok('teamWorker', `${base}/check-ins/cadence`, { everyWeeks: 4 });
  }
  // A safety takeover left unconfirmed, so confirm and reject can meet a real one.
  await ok('colleague', `/v1/households/${households[2]}/regie/safety-takeover`, {
    takeoverId: 'sto-1',
    reason: 'Acute zorgen',
  });
  // A transfer left pending, so accept, decline and cancel can meet a real one.
  await ok('teamWorker', `/v1/households/${households[0]}/regie/transfers`, {
    transferId: 'tr-1',
    to: { kind: 'worker', id: workerIds[1] },
    reason: 'Specialistische hulp',
    agreedBy: PARENT,
  });
  return {
    tag,
    teamId,
    otherTeamId,
    leadId,
    workerIds,
    otherWorkerId,
    ids: {
      household: households,
      goal: ['g-1'],
      action: ['a-1'],
      transfer: ['tr-1'],
      takeover: ['sto-1'],
      networkMember: ['nm-1'],
      assignment: ['as-1'],
      referral: ['ref-1'],
      volunteer: [volunteerId],
      organisation: [organisationId],
      member: [PARENT, CHILD],
      schema: ['plan-closed.v1.json', 'regie-transferred.v1.json'],
    },
    tokens,
  };
}

/** Which kind of id a path parameter names: `:id` depends on the resource it follows. */
export const idKindOf = (route: string, param: string): keyof FuzzWorld['ids'] | 'team' | 'worker' => {
  switch (param) {
    case 'teamId':
      return 'team';
    case 'workerId':
      return 'worker';
    case 'actionId':
      return 'action';
    case 'transferId':
      return 'transfer';
    case 'takeoverId':
      return 'takeover';
    case 'networkMemberId':
      return 'networkMember';
    case 'assignmentId':
      return 'assignment';
    case 'referralId':
      return 'referral';
    case 'memberId':
      return 'member';
    case 'name':
      return 'schema';
    case 'memberId':
      return 'member';
    default:
      if (route.includes('/volunteers/')) return 'volunteer';
      if (route.includes('/organisations/')) return 'organisation';
      return 'household';
  }
};

/** A client-chosen id that matches the id pattern and is (almost always) new. */
const freshId = fc.stringMatching(/^fz-[a-z0-9]{4,12}$/);
const text = fc.constantFrom('Rust', 'Bellen met de woningcorporatie', 'Gebeld, gaat goed', 'Verzoek');

/**
 * A body each endpoint accepts (given the world's state, most of the time), keyed by `METHOD /path`.
 * The fuzzer mutates these; an endpoint without an entry gets `{}` and random JSON.
 */
export const validBodies = (w: FuzzWorld): Record<string, fc.Arbitrary<Record<string, unknown>>> => {
  const any = <K extends keyof FuzzWorld['ids']>(k: K) => fc.constantFrom(...w.ids[k]);
  const worker = fc.constantFrom(...w.workerIds, w.leadId);
  const domain = fc.constantFrom(...LIFE_DOMAINS);
  const member = any('member');
  const day = fc.constantFrom('2026-01-05', '2030-12-31', '2025-06-01');
  return {
    'POST /v1/teams': fc.record({ teamId: freshId, name: text, districts: fc.constant(['oost']) }),
    'POST /v1/teams/:teamId/workers': fc.record({
      workerId: freshId,
      name: text,
      role: fc.constantFrom('generalist', 'team-lead', 'debt-specialist'),
      hoursPerWeek: fc.integer({ min: 0, max: 60 }),
    }),
    'PUT /v1/teams/:teamId/caseload-norm': fc.record({
      householdsPerWorker: fc.integer({ min: 1, max: 60 }),
    }),
    'POST /v1/households': fc.record({
      householdId: freshId,
      teamId: fc.constant(w.teamId),
      district: fc.constant('noord'),
      members: fc.constant([{ memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' }]),
    }),
    'POST /v1/households/:id/goals': fc.record({ goalId: freshId, lifeDomain: domain, description: text }),
    'POST /v1/households/:id/actions': fc.record({
      actionId: freshId,
      goalId: any('goal'),
      description: text,
      owner: fc.constant({ kind: 'household' }),
    }),
    'POST /v1/households/:id/plan/agreements': fc.record({ memberId: member }),
    'POST /v1/households/:id/members': fc.record({
      memberId: freshId,
      role: fc.constantFrom('parent', 'child', 'adult'),
      birthYear: fc.integer({ min: 1930, max: 2025 }),
      name: text,
      reason: fc.constant('moved-in'),
      on: fc.constant('2026-01-01'),
    }),
    'POST /v1/households/:id/members/:memberId/leave': fc.record({
      reason: fc.constantFrom('moved-out', 'death', 'other'),
      on: fc.constant('2026-01-01'),
    }),
    'PUT /v1/households/:id/members/:memberId/authority': fc.record({
      holders: fc.constant([{ memberId: PARENT }]),
    }),
    'POST /v1/households/:id/close': fc.record(
      { outcome: text, reason: fc.constantFrom(...CLOSURE_REASONS) },
      { requiredKeys: ['outcome'] },
    ),
    'POST /v1/households/:id/reopen': fc.record({ reason: text }),
    'POST /v1/households/:id/regie/transfers': fc.record({
      transferId: freshId,
      to: fc.record({ kind: fc.constant('worker'), id: worker }),
      reason: text,
      agreedBy: member,
    }),
    'POST /v1/households/:id/regie/transfers/:transferId/decline': fc.record({ reason: text }),
    'POST /v1/households/:id/regie/transfers/:transferId/cancel': fc.record({ reason: text }),
    'POST /v1/households/:id/regie/safety-takeover': fc.record({ takeoverId: freshId, reason: text }),
    'POST /v1/households/:id/regie/safety-takeover/:takeoverId/reject': fc.record({ reason: text }),
    'POST /v1/households/:id/regie/return-to-household': fc.record({ agreedBy: member }),
    'POST /v1/households/:id/network': fc.record({
      networkMemberId: freshId,
      role: fc.constantFrom('family', 'friend', 'neighbour'),
      name: text,
    }),
    'POST /v1/households/:id/volunteer-assignments': fc.record({
      assignmentId: freshId,
      volunteerId: any('volunteer'),
      hoursPerWeek: fc.integer({ min: 1, max: 4 }),
    }),
    'POST /v1/households/:id/volunteer-assignments/:assignmentId/end': fc.record({ reason: text }),
    'POST /v1/households/:id/referrals': fc.record({
      referralId: freshId,
      organisationId: any('organisation'),
      lifeDomain: domain,
    }),
    'POST /v1/households/:id/referrals/:referralId/withdraw': fc.record({ reason: text }),
    'POST /v1/volunteers': fc.record({
      volunteerId: freshId,
      name: text,
      skills: fc.constant(['taal']),
      hoursPerWeek: fc.integer({ min: 0, max: 60 }),
      vogValidUntil: day,
    }),
    'PUT /v1/volunteers/:id/vog': fc.record({ vogValidUntil: day }),
    'POST /v1/organisations': fc.record({
      organisationId: freshId,
      name: text,
      expertise: fc.constant({ lifeDomains: ['finances'], tags: ['schuldhulp'] }),
      location: fc.constant('noord'),
      waitingDays: fc.integer({ min: 0, max: 3650 }),
    }),
    'PUT /v1/organisations/:id/waiting-time': fc.record({ waitingDays: fc.integer({ min: 0, max: 3650 }) }),
    'POST /v1/households/:id/check-ins/cadence': fc.record({ everyWeeks: fc.integer({ min: 1, max: 12 }) }),
    'POST /v1/households/:id/check-ins/cadence/end': fc.record({ reason: text }),
    'POST /v1/households/:id/check-ins/contacts': fc.record({ notes: text }),
    'POST /v1/households/:id/assessments': fc
      .array(fc.integer({ min: 1, max: 5 }), {
        minLength: LIFE_DOMAINS.length,
        maxLength: LIFE_DOMAINS.length,
      })
      .chain((scores) =>
        fc.record({
          memberId: member,
          scores: fc.constant(Object.fromEntries(LIFE_DOMAINS.map((d, i) => [d, scores[i]]))),
        }),
      ),
    'POST /v1/households/:id/consents': fc.record({
      memberId: member,
      purpose: fc.constantFrom('referral', 'uwv-signals', 'network-sharing', 'regie-outside-organisation'),
      recipient: fc.constantFrom('uwv', 'org-1'),
      givenBy: fc.constant([{ memberId: PARENT }]),
    }),
    'POST /v1/households/:id/consents/:consentId/withdraw': fc.record({
      withdrawnBy: fc.constant([{ memberId: PARENT }]),
    }),
    'POST /v1/households/:id/uwv-consent': fc.record({ memberId: member }),
    'POST /v1/households/:id/uwv-consent/withdraw': fc.record({ memberId: member }),
    'POST /v1/households/:id/work-income-signals': fc.record({
      category: fc.constantFrom('income-change', 'work-resumption'),
      legalBasis: fc.constant('participatiewet-art-64'),
      description: text,
    }),
    'POST /v1/households/:id/questions': fc.record({ lifeDomain: domain, description: text }),
    'POST /v1/households/:id/erasure': fc.record({ reason: text }),
    // A member's restriction only, so the world's households go on taking the other requests.
    'POST /v1/households/:id/restrictions': fc.record({
      restrictionId: freshId,
      memberId: member,
      ground: fc.constantFrom('AVG art. 18, verzoek 2026-7', 'Verzoek'),
    }),
    'POST /v1/households/:id/corrections': fc.record({
      correctionId: freshId,
      field: fc.constantFrom('goalDescription', 'actionDescription'),
      goalId: any('goal'),
      actionId: any('action'),
      value: text,
    }),
    'POST /v1/households/:id/members/:memberId/erasure': fc.record({ ground: text }),
  };
};

/** Query parameters the endpoints read, with values they accept. */
export const validQuery = (w: FuzzWorld): Record<string, fc.Arbitrary<string>> => ({
  householdId: fc.constantFrom(...w.ids.household),
  at: fc.constantFrom('2026-01-05T10:00:00.000Z', '2030-01-01T00:00:00Z'),
  from: fc.constantFrom('2026-01-01T00:00:00Z', '2026-01'),
  to: fc.constantFrom('2031-01-01T00:00:00Z', '2026-06'),
  workerId: fc.constantFrom(...w.workerIds),
  teamId: fc.constant(w.teamId),
  limit: fc.constantFrom('1', '50', '200'),
  actorId: fc.constantFrom(...w.workerIds),
  expertise: fc.constantFrom('finances', 'schuldhulp'),
  location: fc.constant('noord'),
  district: fc.constantFrom('noord', 'zuid'),
});
