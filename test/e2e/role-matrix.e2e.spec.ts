import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jwt from 'jsonwebtoken';
import { servedRoutes } from '../../tools/reliability/routes';
import { bearer, startTestApp, TEST_SECRET, TestApp } from '../support/app';
import { admin, auditor, CHILD, householdBody, PARENT, person, Person, uniq } from './fixtures';
import {
  type Call,
  LEAVER,
  measureBody,
  organisationBody,
  pendingTransfer,
  referral,
  safetyTakeover,
  seedWorld,
  volunteer,
  volunteerBody,
  type World,
  zrmScores,
} from './role-matrix.fixtures';

/**
 * Who may do what (issue 6): every endpoint of the running app times seven principals, asserted
 * against one table. The endpoints come from the app's own router, so a new endpoint without a row
 * fails this file until someone decides who may call it.
 */

const PRINCIPALS = [
  'teamWorker',
  'otherTeamWorker',
  'teamLead',
  'auditor',
  'integrator',
  'admin',
  'networkMember',
  'volunteer',
  'resident',
  'otherResident',
  'professional',
  'noToken',
] as const;
type Who = (typeof PRINCIPALS)[number];

/** How the table names them, also in docs/WHO-MAY-DO-WHAT.md. */
const LABEL: Record<Who, string> = {
  teamWorker: 'team worker',
  otherTeamWorker: 'other team’s worker',
  teamLead: 'team lead',
  auditor: 'auditor',
  integrator: 'integrator',
  admin: 'admin',
  networkMember: 'network member',
  volunteer: 'volunteer',
  resident: 'resident',
  otherResident: 'other household’s resident',
  professional: 'professional',
  noToken: 'no token',
};

interface Row {
  /** `METHOD /path` exactly as the router has it. */
  route: string;
  allowed: readonly Who[];
  /** Why the set is what it is, where the "who" column of API.md alone does not say it. */
  note?: string;
  /**
   * Seeds what the call needs (fresh where a write consumes it) and builds a call that succeeds for
   * an allowed principal (`who`: where what succeeds depends on who calls, as a circle member's own action).
   */
  call: (w: World, who: Who) => Promise<Call> | Call;
}

/** Routes that need no token at all, so they have no row: no data about households behind them. */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /health/live': 'liveness probe for the orchestrator; says only that the process runs',
  'GET /health/ready': 'readiness probe; names the dependencies and their state, no domain data',
  'GET /metrics': 'Prometheus scrape; counters and lags by route and type, never ids or bodies',
  'GET /asyncapi.json': 'the published Kafka contract',
  'GET /asyncapi/schemas/:name': 'the JSON Schemas of that contract',
  'GET /docs': 'the OpenAPI UI: the contract, no data',
  'GET /docs/': 'the same UI',
  'GET /docs/index.html': 'the same UI',
  'GET /docs/LICENSE': 'the licence of the OpenAPI UI',
  'GET /docs/swagger-ui-init.js': 'script of the OpenAPI UI (it carries the OpenAPI document)',
  'GET /docs/docs/swagger-ui-init.js': 'script of the OpenAPI UI (it carries the OpenAPI document)',
  'GET /docs-json': 'the OpenAPI document',
  'GET /openapi.json': 'the same OpenAPI document, at the name integrators look for',
  'GET /docs-yaml': 'the OpenAPI document as YAML',
  'GET /timeline':
    'the static HTML of the auditor’s timeline page: it asks for a token and fetches the guarded endpoints with it',
  'GET /timeline/timeline.js': 'script of that page',
  'GET /timeline/timeline.css': 'style of that page',
  'GET /timeline/favicon.svg': 'icon of that page (answered, so the browser logs no 404)',
  'GET /mijn-plan':
    'the static HTML of the residents’ page: it takes the token from the URL fragment and fetches the guarded endpoints with it',
  'GET /mijn-plan/mijn-plan.js': 'script of that page',
  'GET /mijn-plan/mijn-plan.css': 'style of that page',
  'GET /mijn-plan/icon.svg': 'icon of that page',
};

const TEAM = ['teamWorker', 'teamLead'] as const;
/** Every principal with a token the registry admits. */
const EVERYONE = [
  'teamWorker',
  'otherTeamWorker',
  'teamLead',
  'auditor',
  'integrator',
  'admin',
  'resident',
  'otherResident',
  'networkMember',
  'volunteer',
  'professional',
] as const;
const ANY_WORKER = ['teamWorker', 'otherTeamWorker', 'teamLead'] as const;

/** A fresh household of the team with a meldcode track, recorded by the team worker up to and including `upTo`. */
const meldcodeTrack = async (w: World, upTo: 'signals' | 'consultation' | 'conversation' | 'weighing') => {
  const householdId = await w.household();
  const path = `/v1/households/${householdId}/meldcode-tracks/${uniq('mc')}`;
  await w.post(w.worker, `/v1/households/${householdId}/meldcode-tracks`, {
    trackId: path.split('/').pop(),
    signals: 'Zorgen om de kinderen',
  });
  const after: [string, object][] = [
    ['consultations', { consultation: 'colleague', consultedRole: 'colleague', advice: 'Gesprek' }],
    ['conversation', { held: true, account: 'Gesprek gevoerd' }],
    ['weighing', { reportNecessary: false, helpPossible: true, explanation: 'Hulp mogelijk' }],
  ];
  const steps = ['signals', 'consultation', 'conversation', 'weighing'].indexOf(upTo);
  for (const [route, body] of after.slice(0, steps)) await w.post(w.worker, `${path}/${route}`, body);
  return { path };
};

const MATRIX: Row[] = [
  // ---- who is calling ---------------------------------------------------------------------------
  {
    route: 'GET /v1/me',
    allowed: EVERYONE,
    note: 'the caller as the registry admitted them',
    call: () => ({ path: '/v1/me' }),
  },
  // ---- the household's own way in (issue 20) -------------------------------------------------------
  {
    route: 'GET /v1/households/:id/my-plan',
    allowed: ['resident'],
    note: 'a resident of this household; its workers have GET /v1/households/:id',
    call: (w) => ({ path: `/v1/households/${w.householdId}/my-plan` }),
  },
  {
    route: 'POST /v1/households/:id/goal-proposals',
    allowed: ['resident'],
    note: 'a resident of this household, as themselves',
    call: (w) => ({
      path: `/v1/households/${w.householdId}/goal-proposals`,
      body: { text: 'Weer aan het werk', lifeDomain: 'work-and-education' },
    }),
  },
  {
    route: 'GET /v1/households/:id/goal-proposals',
    allowed: [...TEAM, 'resident'],
    call: (w) => ({ path: `/v1/households/${w.householdId}/goal-proposals` }),
  },
  // ---- teams ------------------------------------------------------------------------------------
  {
    route: 'POST /v1/teams',
    allowed: ['admin'],
    call: () => ({
      path: '/v1/teams',
      body: { teamId: uniq('team'), name: 'Wijkteam Oost', districts: ['oost'] },
    }),
  },
  {
    route: 'POST /v1/teams/:teamId/workers',
    allowed: ['teamLead', 'admin'],
    note: 'a team lead of this team only',
    call: (w) => ({
      path: `/v1/teams/${w.team.teamId}/workers`,
      body: { workerId: uniq('w'), name: 'Naam', role: 'generalist', hoursPerWeek: 24 },
    }),
  },
  {
    route: 'POST /v1/teams/:teamId/workers/:workerId/deactivate',
    allowed: ['teamLead', 'admin'],
    call: async (w) => {
      const workerId = uniq('w');
      await w.post(admin(w.t), `/v1/teams/${w.team.teamId}/workers`, {
        workerId,
        name: 'Naam',
        role: 'generalist',
        hoursPerWeek: 24,
      });
      return { path: `/v1/teams/${w.team.teamId}/workers/${workerId}/deactivate` };
    },
  },
  {
    route: 'PUT /v1/teams/:teamId/caseload-norm',
    allowed: ['teamLead', 'admin'],
    call: (w) => ({ path: `/v1/teams/${w.team.teamId}/caseload-norm`, body: { householdsPerWorker: 25 } }),
  },
  {
    route: 'GET /v1/teams/:teamId/check-ins/overdue',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/teams/${w.team.teamId}/check-ins/overdue` }),
  },
  // ---- households and the plan ----------------------------------------------------------------
  {
    route: 'POST /v1/households',
    allowed: TEAM,
    note: 'for their own team only (NotHouseholdTeam)',
    call: (w) => ({ path: '/v1/households', body: householdBody(w.team) }),
  },
  {
    route: 'GET /v1/households/:id',
    allowed: TEAM,
    note: 'the team and the regie holder; not auditors (they have the audit trail), not admins',
    call: (w) => ({ path: `/v1/households/${w.householdId}` }),
  },
  {
    route: 'GET /v1/households/:id/goals',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/goals` }),
  },
  {
    route: 'GET /v1/households/:id/actions',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/actions` }),
  },
  {
    route: 'GET /v1/households/:id/notes',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/notes` }),
  },
  {
    route: 'GET /v1/households/:id/my-actions',
    allowed: ['networkMember', 'volunteer'],
    note: "their own actions (and a volunteer's assignments) in their household; workers read the plan itself",
    call: (w) => ({ path: `/v1/households/${w.householdId}/my-actions` }),
  },
  {
    route: 'GET /v1/households/:id/network',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/network` }),
  },
  {
    route: 'GET /v1/households/:id/referrals',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/referrals` }),
  },
  {
    route: 'GET /v1/households/:id/meetings',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/meetings` }),
  },
  {
    route: 'POST /v1/households/:id/meetings',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/meetings`,
      body: {
        on: '2025-01-01',
        attendees: [{ kind: 'member', id: PARENT }],
        householdPresent: true,
        decisions: [{ text: 'Over drie maanden terugkijken' }],
      },
    }),
  },
  {
    route: 'POST /v1/households/:id/goals',
    allowed: TEAM,
    note: 'and a regie holder from another team',
    call: (w) => ({
      path: `/v1/households/${w.householdId}/goals`,
      body: { lifeDomain: 'housing', description: 'Een eigen woning' },
    }),
  },
  {
    route: 'POST /v1/households/:id/actions',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/actions`,
      body: { goalId: w.goalId, description: 'Bellen met de woningcorporatie', owner: { kind: 'household' } },
    }),
  },
  {
    route: 'POST /v1/households/:id/goals/:goalId/notes',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/goals/${w.goalId}/notes`,
      body: { text: 'Eerste gesprek ging goed' },
    }),
  },
  {
    route: 'POST /v1/households/:id/goals/:goalId/status',
    allowed: TEAM,
    call: async (w) => {
      // A household and goal of its own: a second call with the same status would be refused as
      // unchanged, and one household holds MAX_GOALS_PER_HOUSEHOLD goals at most.
      const householdId = await w.household();
      const goalId = uniq('goal');
      await w.post(w.worker, `/v1/households/${householdId}/goals`, {
        goalId,
        lifeDomain: 'finances',
        description: 'Schulden onder controle',
      });
      return { path: `/v1/households/${householdId}/goals/${goalId}/status`, body: { status: 'achieved' } };
    },
  },
  {
    route: 'PUT /v1/households/:id/goals/:goalId/target-date',
    allowed: TEAM,
    call: async (w) => {
      const householdId = await w.household();
      const goalId = uniq('goal');
      await w.post(w.worker, `/v1/households/${householdId}/goals`, {
        goalId,
        lifeDomain: 'finances',
        description: 'Schulden onder controle',
      });
      return {
        path: `/v1/households/${householdId}/goals/${goalId}/target-date`,
        body: { targetDate: '2099-12-31' },
      };
    },
  },
  {
    route: 'POST /v1/households/:id/actions/:actionId/complete',
    allowed: [...TEAM, 'networkMember', 'volunteer'],
    note: 'a network member or volunteer their own action only (any other: 404)',
    call: async (w, who) => {
      const actionId = uniq('action');
      await w.post(w.worker, `/v1/households/${w.householdId}/actions`, {
        actionId,
        goalId: w.goalId,
        description: 'Formulier invullen',
        owner:
          who === 'networkMember'
            ? { kind: 'network', id: w.circle.networkMemberId }
            : who === 'volunteer'
              ? { kind: 'volunteer', id: w.circle.assignmentId }
              : { kind: 'household' },
      });
      return { path: `/v1/households/${w.householdId}/actions/${actionId}/complete` };
    },
  },
  {
    route: 'POST /v1/households/:id/plan/agreements',
    allowed: [...TEAM, 'resident'],
    note: 'a resident records their own agreement only (AgreeOnlyForYourself)',
    call: async (w) => {
      const householdId = await w.household();
      await w.post(w.worker, `/v1/households/${householdId}/goals`, {
        lifeDomain: 'finances',
        description: 'Schulden op orde',
      });
      return { path: `/v1/households/${householdId}/plan/agreements`, body: { memberId: PARENT } };
    },
  },
  {
    route: 'POST /v1/households/:id/members',
    allowed: TEAM,
    note: 'members over time (issue 18): the household’s team, and a regie holder from elsewhere',
    call: (w) => ({
      path: `/v1/households/${w.householdId}/members`,
      body: {
        memberId: uniq('m'),
        role: 'adult',
        birthYear: 1990,
        name: 'Ali Jansen',
        reason: 'moved-in',
        on: '2025-12-01',
      },
    }),
  },
  {
    route: 'POST /v1/households/:id/members/:memberId/leave',
    allowed: TEAM,
    call: async (w) => ({
      path: `/v1/households/${await w.household()}/members/${CHILD}/leave`,
      body: { reason: 'moved-out', on: '2025-12-01' },
    }),
  },
  {
    route: 'PUT /v1/households/:id/members/:memberId/authority',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/members/${CHILD}/authority`,
      body: { holders: [{ memberId: PARENT }] },
    }),
  },
  {
    route: 'PUT /v1/households/:id/plan/evaluation-date',
    allowed: ['teamWorker'],
    note: 'the regie holder (here the team worker); while the household holds regie, a worker of its team',
    call: async (w) => ({
      path: `/v1/households/${await w.household(w.worker)}/plan/evaluation-date`,
      body: { evaluateBy: '2099-01-01' },
    }),
  },
  {
    route: 'POST /v1/households/:id/close',
    allowed: ['teamWorker'],
    note: 'the regie holder (here the team worker); while the household holds regie, a worker of its team',
    call: async (w) => ({
      path: `/v1/households/${await w.household(w.worker)}/close`,
      body: { outcome: 'Doelen bereikt', reason: 'goals-achieved' },
    }),
  },
  {
    route: 'POST /v1/households/:id/reopen',
    allowed: TEAM,
    call: async (w) => {
      const householdId = await w.household();
      await w.post(w.worker, `/v1/households/${householdId}/close`, { outcome: 'Doelen bereikt' }, 200);
      return { path: `/v1/households/${householdId}/reopen`, body: { reason: 'Nieuwe zorgen' } };
    },
  },
  // ---- compulsory frameworks (issue 19) ----------------------------------------------------------
  {
    route: 'POST /v1/households/:id/child-protection-measures',
    allowed: TEAM,
    note: 'the team and the regie holder (a worker, or a professional such as the jeugdbeschermer)',
    call: async (w) => ({
      path: `/v1/households/${await w.household()}/child-protection-measures`,
      body: measureBody(w),
    }),
  },
  {
    route: 'POST /v1/households/:id/child-protection-measures/:measureId/end',
    allowed: TEAM,
    note: 'as recording it',
    call: async (w) => {
      const householdId = await w.household();
      const body = measureBody(w);
      await w.post(w.worker, `/v1/households/${householdId}/child-protection-measures`, body);
      return {
        path: `/v1/households/${householdId}/child-protection-measures/${body.measureId}/end`,
        body: { reason: 'Opgeheven' },
      };
    },
  },
  // ---- regie ----------------------------------------------------------------------------------
  {
    route: 'POST /v1/households/:id/regie/transfers',
    allowed: TEAM,
    note: 'while the household holds regie, a worker of its team asks on its behalf (invariant 5)',
    call: async (w) => ({
      path: `/v1/households/${await w.household()}/regie/transfers`,
      body: { to: { kind: 'worker', id: w.colleague.id }, reason: 'Kent het gezin', agreedBy: PARENT },
    }),
  },
  {
    route: 'POST /v1/households/:id/regie/transfers/:transferId/accept',
    allowed: TEAM,
    note: "the receiver (here the team worker) or a team lead of the receiver's team (invariant 4)",
    call: (w) => pendingTransfer(w, w.colleague, w.worker, 'accept'),
  },
  {
    route: 'POST /v1/households/:id/regie/transfers/:transferId/decline',
    allowed: TEAM,
    note: 'as accept',
    call: (w) => pendingTransfer(w, w.colleague, w.worker, 'decline', { reason: 'Geen ruimte' }),
  },
  {
    route: 'POST /v1/households/:id/regie/transfers/:transferId/cancel',
    allowed: ['teamWorker'],
    note: 'the requester (here the team worker) or the holder (invariant 4); not the team lead',
    call: (w) => pendingTransfer(w, w.worker, w.colleague, 'cancel', { reason: 'Niet meer nodig' }),
  },
  {
    route: 'POST /v1/households/:id/regie/safety-takeover',
    allowed: ANY_WORKER,
    note:
      "break-glass: any active worker, at once and without an approver; a team lead of the household's team " +
      'who is not the taker confirms or rejects it afterwards (invariant 6)',
    call: async (w) => ({
      path: `/v1/households/${await w.household()}/regie/safety-takeover`,
      body: { reason: 'Veiligheid in het geding' },
    }),
  },
  {
    route: 'POST /v1/households/:id/regie/safety-takeover/:takeoverId/confirm',
    allowed: ['teamLead'],
    note: "an active team lead of the household's team per its registry, not the taker (invariant 6)",
    call: (w) => safetyTakeover(w, 'confirm'),
  },
  {
    route: 'POST /v1/households/:id/regie/safety-takeover/:takeoverId/reject',
    allowed: ['teamLead'],
    note: 'as confirm; regie goes back to whoever held it before',
    call: (w) => safetyTakeover(w, 'reject', { reason: 'Geen acuut gevaar' }),
  },
  {
    route: 'GET /v1/regie/safety-takeovers/unconfirmed',
    allowed: ['teamLead', 'auditor'],
    note: 'a team lead sees their own teams’ takeovers, an auditor every team’s',
    call: () => ({ path: '/v1/regie/safety-takeovers/unconfirmed' }),
  },
  {
    route: 'POST /v1/households/:id/regie/return-to-household',
    allowed: ['teamWorker'],
    note: 'the regie holder (here the team worker) (invariant 7)',
    call: async (w) => ({
      path: `/v1/households/${await w.household(w.worker)}/regie/return-to-household`,
      body: { agreedBy: PARENT },
    }),
  },
  {
    route: 'GET /v1/households/:id/regie/history',
    allowed: [...TEAM, 'auditor'],
    call: (w) => ({ path: `/v1/households/${w.householdId}/regie/history` }),
  },
  {
    route: 'GET /v1/regie/holder',
    allowed: [...TEAM, 'auditor'],
    call: (w) => ({ path: '/v1/regie/holder', query: { householdId: w.householdId } }),
  },
  // ---- the people around a household ----------------------------------------------------------
  {
    route: 'POST /v1/households/:id/network',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/network`,
      body: { role: 'neighbour', name: 'Buurvrouw Els' },
    }),
  },
  {
    route: 'POST /v1/households/:id/network/:networkMemberId/remove',
    allowed: TEAM,
    call: async (w) => {
      const networkMemberId = uniq('nm');
      await w.post(w.worker, `/v1/households/${w.householdId}/network`, {
        networkMemberId,
        role: 'friend',
        name: 'Vriend Piet',
      });
      return { path: `/v1/households/${w.householdId}/network/${networkMemberId}/remove` };
    },
  },
  {
    route: 'POST /v1/households/:id/volunteer-assignments',
    allowed: TEAM,
    call: async (w) => ({
      path: `/v1/households/${w.householdId}/volunteer-assignments`,
      body: { volunteerId: await volunteer(w), hoursPerWeek: 2 },
    }),
  },
  {
    route: 'POST /v1/households/:id/volunteer-assignments/:assignmentId/end',
    allowed: TEAM,
    call: async (w) => {
      const assignmentId = uniq('as');
      await w.post(w.worker, `/v1/households/${w.householdId}/volunteer-assignments`, {
        assignmentId,
        volunteerId: await volunteer(w),
        hoursPerWeek: 2,
      });
      return {
        path: `/v1/households/${w.householdId}/volunteer-assignments/${assignmentId}/end`,
        body: { reason: 'Klaar' },
      };
    },
  },
  {
    route: 'GET /v1/households/:id/volunteer-assignments',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/volunteer-assignments` }),
  },
  {
    route: 'POST /v1/households/:id/referrals',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/referrals`,
      body: { organisationId: w.organisationId, lifeDomain: 'finances', legalGround: 'wmo-art-5-2-1' },
    }),
  },
  {
    route: 'POST /v1/households/:id/referrals/:referralId/accept',
    allowed: [...TEAM, 'professional'],
    note: "a professional of the referral's organisation, in a household they see by it (issue 19)",
    call: async (w, who) => ({ path: `${await referral(w, who === 'professional')}/accept` }),
  },
  {
    route: 'POST /v1/households/:id/referrals/:referralId/complete',
    allowed: [...TEAM, 'professional'],
    note: 'as accept',
    call: async (w, who) => {
      const path = await referral(w, who === 'professional');
      await w.post(w.worker, `${path}/accept`, undefined, 200);
      return { path: `${path}/complete` };
    },
  },
  {
    route: 'POST /v1/households/:id/referrals/:referralId/withdraw',
    allowed: TEAM,
    call: async (w) => ({ path: `${await referral(w)}/withdraw`, body: { reason: 'Niet meer nodig' } }),
  },
  // ---- volunteers and the social map: not bound to a team ---------------------------------------
  {
    route: 'POST /v1/volunteers',
    allowed: ANY_WORKER,
    note: 'volunteers act in any circle, so any worker keeps the register (a VOG date only a team lead records)',
    call: () => ({ path: '/v1/volunteers', body: { ...volunteerBody(), vogValidUntil: undefined } }),
  },
  {
    route: 'GET /v1/volunteers/:id',
    allowed: ANY_WORKER,
    call: async (w) => ({ path: `/v1/volunteers/${await volunteer(w)}` }),
  },
  {
    route: 'PUT /v1/volunteers/:id/vog',
    allowed: ['teamLead'],
    note: 'a VOG lets a volunteer work with children: a team lead (of any team) records it',
    call: async (w) => ({
      path: `/v1/volunteers/${await volunteer(w)}/vog`,
      body: { vogValidUntil: '2031-01-31' },
    }),
  },
  {
    route: 'POST /v1/volunteers/:id/deactivate',
    allowed: ANY_WORKER,
    call: async (w) => ({ path: `/v1/volunteers/${await volunteer(w)}/deactivate` }),
  },
  {
    route: 'GET /v1/volunteers/:id/assignments',
    allowed: [...ANY_WORKER, 'volunteer'],
    note: 'a volunteer their own (another id: 404 VolunteerNotFound)',
    call: async (w, who) => ({
      path: `/v1/volunteers/${who === 'volunteer' ? w.circle.volunteerId : await volunteer(w)}/assignments`,
    }),
  },
  {
    route: 'POST /v1/organisations',
    allowed: [...ANY_WORKER, 'admin'],
    note: 'the social map is shared by all teams',
    call: () => ({ path: '/v1/organisations', body: organisationBody() }),
  },
  {
    route: 'GET /v1/organisations',
    allowed: [...ANY_WORKER, 'admin'],
    call: () => ({ path: '/v1/organisations' }),
  },
  {
    route: 'GET /v1/organisations/:id',
    allowed: [...ANY_WORKER, 'admin'],
    call: (w) => ({ path: `/v1/organisations/${w.organisationId}` }),
  },
  {
    route: 'POST /v1/organisations/:id/professionals',
    allowed: ['admin'],
    note: 'issue 19: who may receive regie and answer referrals for the organisation',
    call: (w) => ({
      path: `/v1/organisations/${w.organisationId}/professionals`,
      body: { professionalId: uniq('pro'), kind: 'family-worker' },
    }),
  },
  {
    route: 'POST /v1/organisations/:id/professionals/:professionalId/deactivate',
    allowed: ['admin'],
    call: async (w) => {
      const professionalId = uniq('pro');
      await w.post(admin(w.t), `/v1/organisations/${w.organisationId}/professionals`, {
        professionalId,
        kind: 'personal-supporter',
      });
      return { path: `/v1/organisations/${w.organisationId}/professionals/${professionalId}/deactivate` };
    },
  },
  {
    route: 'PUT /v1/organisations/:id/waiting-time',
    allowed: [...ANY_WORKER, 'admin'],
    call: (w) => ({ path: `/v1/organisations/${w.organisationId}/waiting-time`, body: { waitingDays: 14 } }),
  },
  // ---- caseloads ------------------------------------------------------------------------------
  {
    route: 'GET /v1/caseloads/workers/:workerId',
    allowed: TEAM,
    note: 'the worker themself (here the team worker) and their team lead',
    call: (w) => ({ path: `/v1/caseloads/workers/${w.worker.id}` }),
  },
  {
    route: 'GET /v1/caseloads/organisations/:organisationId',
    allowed: ['professional'],
    note: "a professional of that organisation (issue 19): its professionals' regie and its open referrals",
    call: (w) => ({ path: `/v1/caseloads/organisations/${w.professional.organisationId}` }),
  },
  {
    route: 'GET /v1/caseloads/teams/:teamId',
    allowed: ['teamLead'],
    call: (w) => ({ path: `/v1/caseloads/teams/${w.team.teamId}` }),
  },
  // ---- check-ins, assessments, consent and signals, questions ----------------------------------
  {
    route: 'POST /v1/households/:id/check-ins/cadence',
    allowed: TEAM,
    note: 'and a regie holder from another team',
    call: (w) => ({ path: `/v1/households/${w.householdId}/check-ins/cadence`, body: { everyWeeks: 6 } }),
  },
  {
    route: 'POST /v1/households/:id/check-ins/cadence/end',
    allowed: TEAM,
    call: async (w) => {
      const householdId = await w.household();
      await w.post(w.worker, `/v1/households/${householdId}/check-ins/cadence`, { everyWeeks: 6 });
      return { path: `/v1/households/${householdId}/check-ins/cadence/end`, body: { reason: 'Gaat goed' } };
    },
  },
  {
    route: 'POST /v1/households/:id/check-ins/contacts',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/check-ins/contacts`, body: { notes: 'Gebeld' } }),
  },
  {
    route: 'GET /v1/households/:id/check-ins',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/check-ins` }),
  },
  {
    route: 'POST /v1/check-ins/sweep',
    allowed: ['admin'],
    note: 'the timed sweep on demand; an operator’s lever',
    call: () => ({ path: '/v1/check-ins/sweep' }),
  },
  // ---- the meldcode and the safety plan (docs/MELDCODE.md) ------------------------------------
  {
    route: 'POST /v1/households/:id/meldcode-tracks',
    allowed: TEAM,
    note: 'and a regie holder from another team; a break-glass takeover may start one too',
    call: async (w) => ({
      path: `/v1/households/${await w.household()}/meldcode-tracks`,
      body: { signals: 'Zorgen om de kinderen' },
    }),
  },
  {
    route: 'POST /v1/households/:id/meldcode-tracks/:trackId/consultations',
    allowed: TEAM,
    call: async (w) => ({
      path: `${(await meldcodeTrack(w, 'signals')).path}/consultations`,
      body: { consultation: 'veilig-thuis', advice: 'Advies van Veilig Thuis' },
    }),
  },
  {
    route: 'POST /v1/households/:id/meldcode-tracks/:trackId/conversation',
    allowed: TEAM,
    call: async (w) => ({
      path: `${(await meldcodeTrack(w, 'consultation')).path}/conversation`,
      body: { held: false, account: 'Niet veilig om het gesprek te voeren' },
    }),
  },
  {
    route: 'POST /v1/households/:id/meldcode-tracks/:trackId/weighing',
    allowed: TEAM,
    call: async (w) => ({
      path: `${(await meldcodeTrack(w, 'conversation')).path}/weighing`,
      body: { reportNecessary: true, helpPossible: true, explanation: 'Structurele onveiligheid' },
    }),
  },
  {
    route: 'POST /v1/households/:id/meldcode-tracks/:trackId/decision',
    allowed: TEAM,
    call: async (w) => ({
      path: `${(await meldcodeTrack(w, 'weighing')).path}/decision`,
      body: { reportToVeiligThuis: false, organiseHelp: true, reasons: 'Hulp via het wijkteam' },
    }),
  },
  {
    route: 'POST /v1/households/:id/meldcode-tracks/:trackId/close',
    allowed: TEAM,
    call: async (w) => ({
      path: `${(await meldcodeTrack(w, 'signals')).path}/close`,
      body: { reason: 'Zorgen bleken ongegrond' },
    }),
  },
  {
    route: 'GET /v1/households/:id/meldcode-tracks',
    allowed: TEAM,
    note: 'with every text; not auditors (they have the audit trail)',
    call: (w) => ({ path: `/v1/households/${w.householdId}/meldcode-tracks` }),
  },
  {
    route: 'GET /v1/teams/:teamId/meldcode-tracks',
    allowed: ['teamLead'],
    note: "the team's leads: where each open track stands and since when, no texts",
    call: (w) => ({ path: `/v1/teams/${w.team.teamId}/meldcode-tracks` }),
  },
  {
    route: 'PUT /v1/households/:id/safety-plan',
    allowed: TEAM,
    call: async (w) => ({
      path: `/v1/households/${await w.household()}/safety-plan`,
      body: { agreements: [{ text: 'Oma haalt de kinderen op', who: 'oma' }], reviewOn: '2099-01-01' },
    }),
  },
  {
    route: 'GET /v1/households/:id/safety-plan',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/safety-plan` }),
  },
  {
    route: 'POST /v1/households/:id/assessments',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/assessments`,
      body: { memberId: PARENT, scores: zrmScores() },
    }),
  },
  {
    route: 'GET /v1/households/:id/assessments',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/assessments` }),
  },
  {
    route: 'POST /v1/households/:id/uwv-consent',
    allowed: TEAM,
    call: async (w) => ({
      path: `/v1/households/${await w.household()}/uwv-consent`,
      body: { memberId: PARENT },
    }),
  },
  {
    route: 'POST /v1/households/:id/uwv-consent/withdraw',
    allowed: TEAM,
    call: async (w) => {
      const householdId = await w.household();
      await w.post(w.worker, `/v1/households/${householdId}/uwv-consent`, { memberId: PARENT });
      return { path: `/v1/households/${householdId}/uwv-consent/withdraw`, body: { memberId: PARENT } };
    },
  },
  {
    route: 'POST /v1/households/:id/consents',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/consents`,
      body: { memberId: PARENT, purpose: 'referral', recipient: 'org-rm', givenBy: [{ memberId: PARENT }] },
    }),
  },
  {
    route: 'POST /v1/households/:id/consents/:consentId/withdraw',
    allowed: TEAM,
    call: async (w) => {
      const householdId = await w.household();
      const given = await w.post(w.worker, `/v1/households/${householdId}/consents`, {
        memberId: PARENT,
        purpose: 'referral',
        recipient: 'org-rm',
        givenBy: [{ memberId: PARENT }],
      });
      return {
        path: `/v1/households/${householdId}/consents/${(given.body as { consentId: string }).consentId}/withdraw`,
        body: { withdrawnBy: [{ memberId: PARENT }] },
      };
    },
  },
  {
    route: 'GET /v1/households/:id/consents',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/consents` }),
  },
  {
    route: 'POST /v1/households/:id/work-income-signals',
    allowed: [...TEAM, 'integrator'],
    note: 'a worker raises an outbound signal; an integrator posts an inbound one (with consent or a legal basis: invariant 14)',
    call: (w) => ({
      path: `/v1/households/${w.householdId}/work-income-signals`,
      body: {
        category: 'income-change',
        legalBasis: 'participatiewet-art-64',
        description: 'Inkomen gedaald',
      },
    }),
  },
  {
    route: 'GET /v1/households/:id/work-income-signals',
    allowed: TEAM,
    call: (w) => ({ path: `/v1/households/${w.householdId}/work-income-signals` }),
  },
  {
    route: 'POST /v1/households/:id/questions',
    allowed: TEAM,
    call: (w) => ({
      path: `/v1/households/${w.householdId}/questions`,
      body: { lifeDomain: 'housing', description: 'Vraag over huurtoeslag' },
    }),
  },
  {
    route: 'GET /v1/analysis/districts/questions',
    allowed: ['teamLead', 'auditor'],
    note: 'aggregates with groups under 5 households left out',
    call: () => ({ path: '/v1/analysis/districts/questions' }),
  },
  {
    route: 'GET /v1/analysis/districts/zrm-progress',
    allowed: ['teamLead', 'auditor'],
    call: () => ({ path: '/v1/analysis/districts/zrm-progress' }),
  },
  {
    route: 'GET /v1/analysis/outcomes',
    allowed: ['teamLead', 'auditor'],
    call: () => ({ path: '/v1/analysis/outcomes?period=quarter' }),
  },
  // ---- audit and privacy ----------------------------------------------------------------------
  {
    route: 'GET /v1/audit/handoffs',
    allowed: ['auditor'],
    call: () => ({ path: '/v1/audit/handoffs' }),
  },
  {
    route: 'GET /v1/audit/households/:id/events',
    allowed: ['auditor'],
    call: (w) => ({ path: `/v1/audit/households/${w.householdId}/events` }),
  },
  {
    route: 'GET /v1/audit/households/:id/timeline',
    allowed: ['auditor'],
    call: (w) => ({ path: `/v1/audit/households/${w.householdId}/timeline` }),
  },
  {
    route: 'GET /v1/audit/verify',
    allowed: ['auditor'],
    call: (w) => ({ path: '/v1/audit/verify', query: { householdId: w.householdId } }),
  },
  {
    route: 'GET /v1/audit/access-log',
    allowed: ['auditor'],
    call: (w) => ({ path: '/v1/audit/access-log', query: { householdId: w.householdId } }),
  },
  {
    route: 'GET /v1/households/:id/access-log',
    allowed: [...TEAM, 'auditor', 'admin', 'resident'],
    note: '"who viewed my file": the team, auditors, administrators and its residents',
    call: (w) => ({ path: `/v1/households/${w.householdId}/access-log` }),
  },
  {
    route: 'GET /v1/households/:id/members/:memberId/export',
    allowed: [...TEAM, 'admin', 'resident'],
    note: 'AVG art. 15: everything about one person, nothing about others; a resident their own only',
    call: (w) => ({ path: `/v1/households/${w.householdId}/members/${PARENT}/export` }),
  },
  {
    route: 'POST /v1/households/:id/erasure',
    allowed: ['admin'],
    note: 'after the plan closed (invariant 9)',
    call: async (w) => {
      const householdId = await w.household();
      await w.post(w.worker, `/v1/households/${householdId}/close`, { outcome: 'Afgerond' }, 200);
      return { path: `/v1/households/${householdId}/erasure`, body: { reason: 'Verzoek AVG art. 17' } };
    },
  },
  {
    route: 'POST /v1/households/:id/restrictions',
    allowed: ['admin'],
    note: 'AVG art. 18: of a fresh household, so the others go on',
    call: async (w) => {
      const householdId = await w.household();
      return {
        path: `/v1/households/${householdId}/restrictions`,
        body: { memberId: PARENT, ground: 'AVG art. 18, verzoek 2026-7' },
      };
    },
  },
  {
    route: 'POST /v1/households/:id/restrictions/:restrictionId/lift',
    allowed: ['admin'],
    call: async (w) => {
      const householdId = await w.household();
      const restrictionId = uniq('rs');
      await w.post(admin(w.t), `/v1/households/${householdId}/restrictions`, {
        restrictionId,
        ground: 'AVG art. 18, verzoek 2026-7',
      });
      return { path: `/v1/households/${householdId}/restrictions/${restrictionId}/lift` };
    },
  },
  {
    route: 'GET /v1/households/:id/restrictions',
    allowed: [...TEAM, 'auditor', 'admin'],
    note: 'its workers also while it is restricted (so they see why); auditors and admins for audit',
    call: (w) => ({ path: `/v1/households/${w.householdId}/restrictions` }),
  },
  {
    route: 'POST /v1/households/:id/corrections',
    allowed: TEAM,
    note: 'AVG art. 16; and a regie holder from another team',
    call: (w) => ({
      path: `/v1/households/${w.householdId}/corrections`,
      body: { field: 'goalDescription', goalId: w.goalId, value: uniq('Rust en regelmaat') },
    }),
  },
  {
    route: 'GET /v1/households/:id/erasure',
    allowed: ['auditor', 'admin'],
    note: 'whether an erasure is complete: ids, times and the ground (a reference), no personal data',
    call: (w) => ({ path: `/v1/households/${w.householdId}/erasure` }),
  },
  {
    route: 'POST /v1/households/:id/members/:memberId/erasure',
    allowed: ['admin'],
    note: 'a member who left the household; the household goes on',
    call: async (w) => {
      const householdId = await w.household();
      await w.post(
        w.worker,
        `/v1/households/${householdId}/members/${PARENT}/leave`,
        { reason: 'moved-out', on: w.t.clock.peek().toISOString().slice(0, 10) },
        200,
      );
      return {
        path: `/v1/households/${householdId}/members/${PARENT}/erasure`,
        body: { ground: 'Verzoek AVG art. 17' },
      };
    },
  },
  {
    route: 'GET /v1/households/:id/members/:memberId/erasure',
    allowed: ['auditor', 'admin'],
    note: "whether one member's erasure is complete: ids, times and the ground, no personal data",
    call: (w) => ({ path: `/v1/households/${w.householdId}/members/${PARENT}/erasure` }),
  },
  {
    route: 'POST /v1/retention/sweep',
    allowed: ['admin'],
    note: 'dry run here; a real run erases, as the system, what passed its retention period',
    call: () => ({ path: '/v1/retention/sweep', body: { dryRun: true } }),
  },
  {
    route: 'GET /v1/retention/runs',
    allowed: ['auditor', 'admin'],
    note: 'every run, dry or real: pseudonymous ids only',
    call: () => ({ path: '/v1/retention/runs' }),
  },
  {
    route: 'GET /v1/retention/policy',
    allowed: ['auditor', 'admin'],
    note: 'the periods in force and their legal sources',
    call: () => ({ path: '/v1/retention/policy' }),
  },
];

/**
 * Refusals on a household's routes to a worker who may not see that household are the one 404
 * (issue 16, "refusals reveal nothing"); other refusals (the wrong role, a reader without the
 * right, a role the route does not admit) are 403. The household of every such call belongs to `team`, and `otherTeamWorker` never
 * holds its regie.
 */
const hiddenFrom = (row: Row, who: Who): boolean =>
  // Issue 19: a professional on a route open to them, about a household they do not see.
  (who === 'professional' && PROFESSIONAL_HOUSEHOLD_ROUTES.includes(row.route)) ||
  (who === 'otherTeamWorker' &&
    // A route closed to plain workers refuses them by role first (403), reading nothing.
    row.allowed.includes('teamWorker') &&
    (row.route.includes(' /v1/households/:id') || row.route === 'GET /v1/regie/holder')) ||
  // A resident of another household: the one 404 wherever a resident of this one may go.
  (who === 'otherResident' && row.allowed.includes('resident') && row.route.includes(' /v1/households/:id'));

/** Routes whose roles admit a professional and which are about one household (the one 404 to others). */
const PROFESSIONAL_HOUSEHOLD_ROUTES = [
  'GET /v1/households/:id',
  'GET /v1/households/:id/goals',
  'GET /v1/households/:id/actions',
  'GET /v1/households/:id/notes',
  'GET /v1/households/:id/network',
  'GET /v1/households/:id/referrals',
  'POST /v1/households/:id/goals',
  'POST /v1/households/:id/actions',
  'POST /v1/households/:id/goals/:goalId/notes',
  'POST /v1/households/:id/actions/:actionId/complete',
  'POST /v1/households/:id/close',
  'GET /v1/households/:id/meetings',
  'POST /v1/households/:id/meetings',
  'POST /v1/households/:id/goals/:goalId/status',
  'PUT /v1/households/:id/goals/:goalId/target-date',
  'PUT /v1/households/:id/plan/evaluation-date',
  'POST /v1/households/:id/child-protection-measures',
  'POST /v1/households/:id/child-protection-measures/:measureId/end',
  'POST /v1/households/:id/regie/transfers',
  'POST /v1/households/:id/regie/transfers/:transferId/accept',
  'POST /v1/households/:id/regie/transfers/:transferId/decline',
  'POST /v1/households/:id/regie/transfers/:transferId/cancel',
  'POST /v1/households/:id/regie/return-to-household',
  'GET /v1/households/:id/regie/history',
  'GET /v1/regie/holder',
];

/** The household a call is about (its path's), for the resident principal: a resident of that one. */
const householdOf = (path: string): string | undefined => /^\/v1\/households\/([^/?]+)/.exec(path)?.[1];
const residentToken = (householdId: string, member = PARENT) =>
  craft({ sub: `login-${householdId}`, roles: ['resident'], teams: [], household: householdId, member });

const routesOf = (t: TestApp): string[] => servedRoutes(t.app);

/**
 * The "Who may do what" table (docs/WHO-MAY-DO-WHAT.md) as this matrix has it: one line per set of
 * principals, in the order the sets first appear (without a token every endpoint answers 401).
 */
const readmeTable = (): string => {
  const groups = new Map<string, string[]>();
  for (const row of MATRIX) {
    const who = PRINCIPALS.filter((p) => row.allowed.includes(p))
      .map((p) => LABEL[p])
      .join(', ');
    groups.set(who, [...(groups.get(who) ?? []), `\`${row.route}\``]);
  }
  return [
    '| who may call | endpoints |',
    '| --- | --- |',
    ...[...groups].map(([who, routes]) => `| ${who} | ${routes.join(', ')} |`),
  ].join('\n');
};

/**
 * Tokens an attacker would try (issue 16): signed with the right secret but malformed, or well
 * formed for someone the registry does not know as such. None of them gets through on any route.
 */
const now = () => Math.floor(Date.now() / 1000);
const craft = (claims: Record<string, unknown>) => {
  const payload = JSON.parse(
    JSON.stringify({ iss: 'eenplan-embedded', aud: 'eenplan', iat: now(), exp: now() + 3600, ...claims }),
  ) as Record<string, unknown>;
  return jwt.sign(payload, TEST_SECRET, { algorithm: 'HS256', noTimestamp: !('iat' in payload) });
};

interface Crafted {
  readonly label: string;
  readonly status: 401 | 403;
  readonly code: string;
  readonly token: (w: World) => string;
}

const CRAFTED: Crafted[] = [
  {
    label: 'a token with roles []',
    status: 403,
    code: 'Forbidden',
    token: (w) => craft({ sub: w.worker.id, roles: [], teams: [w.team.teamId] }),
  },
  {
    label: 'roles as a string',
    status: 401,
    code: 'InvalidToken',
    token: (w) => craft({ sub: w.worker.id, roles: 'worker', teams: [w.team.teamId] }),
  },
  {
    label: 'no exp',
    status: 401,
    code: 'InvalidToken',
    token: (w) => craft({ sub: w.worker.id, roles: ['worker'], teams: [w.team.teamId], exp: undefined }),
  },
  {
    label: 'a 30-day life',
    status: 401,
    code: 'InvalidToken',
    token: (w) =>
      craft({ sub: w.worker.id, roles: ['worker'], teams: [w.team.teamId], exp: now() + 30 * 86_400 }),
  },
  {
    label: 'an iat an hour ahead',
    status: 401,
    code: 'InvalidToken',
    token: (w) =>
      craft({
        sub: w.worker.id,
        roles: ['worker'],
        teams: [w.team.teamId],
        iat: now() + 3600,
        exp: now() + 7200,
      }),
  },
  {
    label: 'a worker no team registered, claiming the team',
    status: 403,
    code: 'WorkerNotRegistered',
    token: (w) => craft({ sub: 'w-nobody', roles: ['worker', 'team-lead'], teams: [w.team.teamId] }),
  },
  {
    label: 'a deactivated worker',
    status: 403,
    code: 'WorkerDeactivated',
    token: (w) => craft({ sub: w.deactivated, roles: ['worker'], teams: [w.team.teamId] }),
  },
  {
    label: "an auditor with a regie holder's id (a registered worker)",
    status: 403,
    code: 'PrincipalKindConflict',
    token: (w) => craft({ sub: w.worker.id, roles: ['auditor'], teams: [w.team.teamId] }),
  },
  {
    label: 'worker and admin roles in one token',
    status: 403,
    code: 'PrincipalKindConflict',
    token: (w) => craft({ sub: 'admin-1', roles: ['worker', 'admin'], teams: [w.team.teamId] }),
  },
  {
    label: 'a network member removed from the household',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) =>
      craft({
        sub: 'login-gone',
        roles: ['network-member'],
        teams: [],
        household: w.householdId,
        member: w.circle.removedNetworkMemberId,
      }),
  },
  {
    label: 'a network member of one household naming another',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) =>
      craft({
        sub: 'login-els',
        roles: ['network-member'],
        teams: [],
        household: w.circle.otherHouseholdId,
        member: w.circle.networkMemberId,
      }),
  },
  {
    label: 'a network member without a household claim',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) =>
      craft({ sub: 'login-els', roles: ['network-member'], teams: [], member: w.circle.networkMemberId }),
  },
  {
    label: 'a deactivated volunteer',
    status: 403,
    code: 'VolunteerDeactivated',
    token: (w) => craft({ sub: w.circle.deactivatedVolunteerId, roles: ['volunteer'], teams: [] }),
  },
  {
    label: 'a volunteer id nobody registered',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: () => craft({ sub: 'vol-nobody', roles: ['volunteer'], teams: [] }),
  },
  {
    label: 'volunteer and worker roles in one token',
    status: 403,
    code: 'PrincipalKindConflict',
    token: (w) => craft({ sub: w.worker.id, roles: ['volunteer', 'worker'], teams: [w.team.teamId] }),
  },
  // Residents (issue 20): the household's stream decides, and every refusal reads the same.
  {
    label: 'a resident without a household claim',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: () => craft({ sub: 'login-x', roles: ['resident'], teams: [], member: PARENT }),
  },
  {
    label: 'a resident of a household that does not exist',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: () => residentToken('hh-nowhere'),
  },
  {
    label: 'a resident who left the household',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) => residentToken(w.leftHouseholdId, LEAVER),
  },
  {
    label: 'a resident under 16',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) => residentToken(w.householdId, CHILD),
  },
  {
    label: 'a resident of an erased household',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) => residentToken(w.erasedHouseholdId),
  },
  {
    label: "a resident naming another household's member",
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) => residentToken(w.householdId, LEAVER),
  },
  // Professionals (issue 19): their organisation's stream decides, not the token.
  {
    label: 'a professional without an organisation claim',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) => craft({ sub: w.professional.professionalId, roles: ['professional'], teams: [] }),
  },
  {
    label: 'a professional naming an organisation that did not register them',
    status: 403,
    code: 'PrincipalNotRegistered',
    token: (w) =>
      craft({
        sub: w.professional.professionalId,
        roles: ['professional'],
        teams: [],
        organisation: w.professional.otherOrganisationId,
      }),
  },
  {
    label: 'a deactivated professional',
    status: 403,
    code: 'ProfessionalDeactivated',
    token: (w) =>
      craft({
        sub: w.professional.deactivatedProfessionalId,
        roles: ['professional'],
        teams: [],
        organisation: w.professional.organisationId,
      }),
  },
  {
    label: 'professional and worker roles in one token',
    status: 403,
    code: 'PrincipalKindConflict',
    token: (w) =>
      craft({
        sub: w.professional.professionalId,
        roles: ['professional', 'worker'],
        teams: [w.team.teamId],
        organisation: w.professional.organisationId,
      }),
  },
  {
    label: 'resident and worker roles in one token',
    status: 403,
    code: 'PrincipalKindConflict',
    token: (w) =>
      craft({
        sub: w.worker.id,
        roles: ['resident', 'worker'],
        teams: [w.team.teamId],
        household: w.householdId,
        member: PARENT,
      }),
  },
];

describe('who may do what: every endpoint × every principal', () => {
  let t: TestApp;
  let w: World;
  let as: Record<Exclude<Who, 'noToken' | 'resident' | 'otherResident'>, Person>;
  /** A resident of the household the call is about (PARENT, 41), and one of another household. */
  const tokenOf = (who: Exclude<Who, 'noToken'>, call: Call) =>
    who === 'resident'
      ? bearer(residentToken(householdOf(call.path) ?? w.householdId))
      : who === 'otherResident'
        ? bearer(residentToken(w.leftHouseholdId))
        : as[who].as;

  beforeAll(async () => {
    t = await startTestApp();
    w = await seedWorld(t);
    const { worker, other, team } = w;
    as = {
      teamWorker: worker,
      otherTeamWorker: other.workers[0]!,
      teamLead: team.lead,
      auditor: auditor(t),
      integrator: person(t, 'integrator-1', ['integrator']),
      admin: admin(t),
      networkMember: {
        id: 'login-els',
        as: bearer(
          t.token('login-els', ['network-member'], [], {
            household: w.householdId,
            member: w.circle.networkMemberId,
          }),
        ),
      },
      volunteer: person(t, w.circle.volunteerId, ['volunteer']),
      professional: {
        id: w.professional.professionalId,
        as: bearer(
          t.token(w.professional.professionalId, ['professional'], [], {
            organisation: w.professional.organisationId,
          }),
        ),
      },
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('has a row for every endpoint the app serves, and no row for one it does not', () => {
    const served = routesOf(t).filter((r) => !(r in PUBLIC_ROUTES));
    const inMatrix = MATRIX.map((r) => r.route).sort();
    expect(new Set(inMatrix).size).toBe(inMatrix.length);
    expect(inMatrix).toEqual(served);
  });

  it('the routes left out answer without a token: they are public by decision, not by omission', async () => {
    const served = routesOf(t);
    expect(Object.keys(PUBLIC_ROUTES).filter((r) => !served.includes(r))).toEqual([]);
    for (const route of Object.keys(PUBLIC_ROUTES)) {
      const path = route.slice('GET '.length).replace(':name', 'plan-closed.v1.json');
      const res = await t.http().get(path);
      expect({ route, refused: [401, 403].includes(res.status) }).toEqual({ route, refused: false });
    }
  });

  it('docs/WHO-MAY-DO-WHAT.md shows this matrix as its "Who may do what" table', () => {
    const doc = readFileSync(join(__dirname, '../../docs/WHO-MAY-DO-WHAT.md'), 'utf8');
    expect(doc).toContain(readmeTable());
  });

  const cases = MATRIX.flatMap((row) => PRINCIPALS.map((who) => ({ row, who })));
  it.each(cases.map((c) => [c.row.route, LABEL[c.who], c] as const))(
    '%s as %s',
    async (_route, _label, { row, who }) => {
      const call = await row.call(w, who);
      const method = row.route.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      let req = t.http()[method](call.path);
      if (call.query) req = req.query(call.query);
      if (who !== 'noToken') req = req.set(tokenOf(who, call));
      const res = await (method === 'get' ? req : req.send(call.body ?? {}));
      const seen = { route: row.route, who, status: res.status, body: res.body as unknown };
      if (who === 'noToken') {
        expect(seen).toMatchObject({ status: 401 });
      } else if (row.allowed.includes(who)) {
        // Allowed means it did what it was asked: the call was built to succeed.
        expect(res.status >= 200 && res.status < 300 ? 'succeeded' : seen).toBe('succeeded');
      } else if (hiddenFrom(row, who)) {
        // Issue 16: one who may not see the household learns nothing, not even that it exists.
        expect(seen).toMatchObject({ status: 404, body: { code: 'HouseholdNotFound' } });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      } else {
        expect(seen).toMatchObject({ status: 403 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    },
  );

  /**
   * One call per route serves every crafted token: a refused call consumes nothing (that is what each
   * case asserts), so the seeding a write needs (often a fresh household) is done once per route, not
   * once per token. Were a token let through, its case fails, and so may the next on that route.
   */
  const callFor = new Map<Row, Promise<Call>>();
  const sharedCall = (row: Row) => {
    let call = callFor.get(row);
    if (!call) callFor.set(row, (call = Promise.resolve(row.call(w, 'teamWorker'))));
    return call;
  };
  const crafted = MATRIX.flatMap((row) => CRAFTED.map((token) => ({ row, token })));
  it.each(crafted.map((c) => [c.row.route, c.token.label, c] as const))(
    '%s with %s is refused',
    async (_route, _label, { row, token }) => {
      const call = await sharedCall(row);
      const method = row.route.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      let req = t
        .http()
        [method](call.path)
        .set(bearer(token.token(w)));
      if (call.query) req = req.query(call.query);
      const res = await (method === 'get' ? req : req.send(call.body ?? {}));
      expect({ route: row.route, status: res.status, code: res.body?.code }).toEqual({
        route: row.route,
        status: token.status,
        code: token.code,
      });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  );
});
