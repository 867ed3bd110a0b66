import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { LIFE_DOMAINS } from '@eenplan/domain';
import type { components, paths } from '../../clients/eenplan-api';
import { API_VERSION } from '../../apps/api/src/openapi';
import { startTestApp, TestApp } from '../support/app';

/**
 * An integrator's client: the types generated from the OpenAPI document (clients/eenplan-api.d.ts,
 * checked current by test/ops/openapi.int.spec.ts) and openapi-fetch, against the app listening
 * on a loopback port. `npm run typecheck` compiles this file: a path, body or answer field the code
 * no longer has fails the build; at run time each answer's status must be one the document lists.
 */
let t: TestApp;
let baseUrl: string;
let document: {
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
  components: { responses: Record<string, unknown> };
};
const undocumented: string[] = [];

/** The document's schemas, to check each JSON answer against the one its operation names. */
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));

/**
 * OpenAPI 3.0's `nullable` as JSON Schema: Ajv reads it on `type` only, so a nullable `allOf`
 * (how Nest writes a nullable nested DTO) or `enum` also admits null here, as openapi-typescript
 * reads them (`PendingTransferDto | null`).
 */
const asJsonSchema = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, asJsonSchema(v)]));
  if (copy.nullable !== true) return copy;
  if (Array.isArray(copy.enum)) return { ...copy, enum: [...copy.enum, null] };
  if (Array.isArray(copy.allOf)) {
    const { allOf, nullable: _n, type: _t, ...rest } = copy;
    return { ...rest, anyOf: [{ allOf }, { type: 'null' }] };
  }
  return copy;
};

/**
 * Every answer: a status its operation documents, a body its schema allows (ProblemFilter's for
 * refusals), and the API-Version header.
 */
const documentedOnly: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const operation = document.paths[schemaPath]?.[request.method.toLowerCase()];
    const documented = operation?.responses[String(response.status)] as
      { $ref?: string; content?: Record<string, { schema?: object }> } | undefined;
    if (!documented) undocumented.push(`${request.method} ${schemaPath} answered ${response.status}`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
    const at = documented?.$ref
      ? [...documented.$ref.slice(2).split('/'), 'content', type, 'schema']
      : [
          'paths',
          schemaPath,
          request.method.toLowerCase(),
          'responses',
          String(response.status),
          'content',
          type,
          'schema',
        ];
    const pointer = at.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    const content = documented?.$ref
      ? (document.components.responses[documented.$ref.split('/').pop()!] as typeof documented)?.content
      : documented?.content;
    // An answer with a body whose media type the document does not list is undocumented too.
    const media = content?.[type];
    if (documented && type && !media)
      undocumented.push(`${request.method} ${schemaPath} ${response.status}: undocumented ${type}`);
    else if (
      media?.schema &&
      /[/+]json$/.test(type) &&
      !ajv.validate({ $ref: `openapi#/${pointer}` }, await response.clone().json())
    )
      undocumented.push(`${request.method} ${schemaPath} ${response.status}: ${ajv.errorsText()}`);
    if (response.headers.get('api-version') !== API_VERSION)
      undocumented.push(
        `${request.method} ${schemaPath}: API-Version ${response.headers.get('api-version')}`,
      );
    return undefined;
  },
};

const client = (sub: string, roles: string[], teams: string[] = []): Client<paths> => {
  const api = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${t.token(sub, roles as never, teams)}` },
  });
  api.use(documentedOnly);
  return api;
};

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${((t.app.getHttpServer() as Server).address() as AddressInfo).port}`;
  document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as typeof document;
  ajv.addSchema(asJsonSchema(document) as object, 'openapi');
  // A team with two workers, through the typed client too.
  const admin = client('admin-1', ['admin']);
  const team = await admin.POST('/v1/teams', {
    body: { teamId: 'tc-team', name: 'Wijkteam Noord', districts: ['noord'] },
  });
  expect(team.response.status).toBe(201);
  for (const workerId of ['tc-w1', 'tc-w2']) {
    const added = await admin.POST('/v1/teams/{teamId}/workers', {
      params: { path: { teamId: 'tc-team' } },
      body: { workerId, name: `Naam ${workerId}`, role: 'generalist', hoursPerWeek: 32 },
    });
    expect(added.response.status).toBe(201);
  }
  expect(undocumented.splice(0)).toEqual([]);
});
afterAll(async () => {
  await t.close();
});
afterEach(() => {
  expect(undocumented.splice(0)).toEqual([]);
});

test('a household from registration to a regie transfer, typed end to end', async () => {
  const w1 = client('tc-w1', ['worker'], ['tc-team']);
  const w2 = client('tc-w2', ['worker'], ['tc-team']);

  const registered = await w1.POST('/v1/households', {
    body: {
      teamId: 'tc-team',
      district: 'noord',
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1984, name: 'Sanne Jansen' }],
      regie: { workerId: 'tc-w1' },
    },
    params: { header: { 'Idempotency-Key': 'tc-register-1' } },
  });
  expect(registered.response.status).toBe(201);
  // Typed: the answer names the household the server made, and the version (also the ETag).
  const householdId: string = registered.data!.householdId;
  expect(registered.response.headers.get('etag')).toBe(`"${registered.data!.version}"`);

  const read = await w1.GET('/v1/households/{id}', { params: { path: { id: householdId } } });
  expect(read.data).toMatchObject({
    householdId,
    teamId: 'tc-team',
    status: 'active',
    members: [{ memberId: 'm-1', role: 'parent', birthYear: 1984, name: 'Sanne Jansen' }],
    regie: { holder: { kind: 'worker', id: 'tc-w1', teamId: 'tc-team' } },
    pendingTransfer: null,
  });
  const etag = read.response.headers.get('etag')!;
  expect(etag).toBe(`"${read.data!.version}"`);

  const requested = await w1.POST('/v1/households/{id}/regie/transfers', {
    params: { path: { id: householdId }, header: { 'If-Match': etag } },
    body: { to: { kind: 'worker', id: 'tc-w2' }, reason: 'Specialistische hulp nodig' },
  });
  expect(requested.response.status).toBe(201);
  const transferId: string = requested.data!.transferId;
  expect(requested.data).toMatchObject({ householdId, variant: 'handover', status: 'pending' });

  // The same If-Match again is stale now: a typed problem, and nothing written.
  const stale = await w1.POST('/v1/households/{id}/actions', {
    params: { path: { id: householdId }, header: { 'If-Match': etag } },
    body: { goalId: 'g-none', description: 'x', owner: { kind: 'household', id: householdId } },
  });
  expect(stale.response.status).toBe(409);
  expect(stale.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(stale.error).toMatchObject({ status: 409, code: 'VersionConflict' });

  const accepted = await w2.POST('/v1/households/{id}/regie/transfers/{transferId}/accept', {
    params: { path: { id: householdId, transferId } },
  });
  expect(accepted.data).toMatchObject({
    householdId,
    transferId,
    status: 'accepted',
    holder: { kind: 'worker', id: 'tc-w2' },
  });

  const holder = await w2.GET('/v1/regie/holder', { params: { query: { householdId } } });
  expect(holder.data).toMatchObject({
    householdId,
    holder: { kind: 'worker', id: 'tc-w2' },
    cause: 'transfer',
  });

  const checkIns = await w2.GET('/v1/households/{id}/check-ins', { params: { path: { id: householdId } } });
  expect(checkIns.data).toMatchObject({ householdId, cadence: null, overdue: null });

  // Paged lists, each answer checked against its page's schema: the goals, and "who viewed my file".
  const added = await w2.POST('/v1/households/{id}/goals', {
    params: { path: { id: householdId } },
    body: { lifeDomain: 'finances', description: 'Schulden in beeld' },
  });
  expect(added.response.status).toBe(201);
  const goals = await w2.GET('/v1/households/{id}/goals', {
    params: { path: { id: householdId }, query: { limit: 10 } },
  });
  expect(goals.response.status).toBe(200);
  const goalsPage = goals.data!;
  expect(goalsPage).toMatchObject({ householdId, total: 1, next: null });
  expect(goalsPage.goals).toEqual([
    {
      goalId: expect.any(String),
      lifeDomain: 'finances',
      description: 'Schulden in beeld',
      status: 'open',
      targetDate: null,
    },
  ]);
  const viewers = await w2.GET('/v1/households/{id}/access-log', {
    params: { path: { id: householdId }, query: { limit: 50 } },
  });
  expect(viewers.response.status).toBe(200);
  const accesses = viewers.data!.entries.map((e) => `${e.actorId} ${e.action} ${e.outcome}`);
  expect(accesses).toEqual(
    expect.arrayContaining(['tc-w1 GET /v1/households/:id 200', 'tc-w2 POST /v1/households/:id/goals 201']),
  );

  // A list: the regie history, oldest first.
  const history = await w2.GET('/v1/households/{id}/regie/history', {
    params: { path: { id: householdId } },
  });
  expect(history.response.status).toBe(200);
  expect(JSON.stringify(history.data)).toContain('"tc-w2"');
});

test("the writes' answers are their documented ones: each body is checked against its schema", async () => {
  const w1 = client('tc-w1', ['worker'], ['tc-team']);
  const w2 = client('tc-w2', ['worker'], ['tc-team']);
  const registered = await w1.POST('/v1/households', {
    body: {
      teamId: 'tc-team',
      district: 'noord',
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1984, name: 'Sanne Jansen' }],
      regie: { workerId: 'tc-w1' },
    },
  });
  const id = registered.data!.householdId;
  const path = { path: { id } };

  const goal = await w1.POST('/v1/households/{id}/goals', {
    params: path,
    body: { lifeDomain: 'housing', description: 'Een eigen huis' },
  });
  expect(goal.data).toMatchObject({ householdId: id, revision: expect.any(Number) });
  const goalId: string = goal.data!.goalId;
  const action = await w1.POST('/v1/households/{id}/actions', {
    params: path,
    body: { goalId, description: 'Inschrijven', owner: { kind: 'household', id } },
  });
  expect(action.data).toMatchObject({ householdId: id, revision: expect.any(Number) });
  const actionId: string = action.data!.actionId;
  const note = await w1.POST('/v1/households/{id}/goals/{goalId}/notes', {
    params: { path: { id, goalId } },
    body: { text: 'Wachtlijst van twee jaar' },
  });
  expect(note.data).toMatchObject({ householdId: id, goalId, noteId: expect.any(String) });
  const done = await w1.POST('/v1/households/{id}/actions/{actionId}/complete', {
    params: { path: { id, actionId } },
  });
  expect(done.data).toMatchObject({ householdId: id, actionId, completed: true });
  const agreed = await w1.POST('/v1/households/{id}/plan/agreements', {
    params: path,
    body: { memberId: 'm-1' },
  });
  expect(agreed.data).toMatchObject({ householdId: id, revision: action.data!.revision, agreedBy: 'm-1' });

  const member = await w1.POST('/v1/households/{id}/network', {
    params: path,
    body: { role: 'neighbour', name: 'Piet' },
  });
  const networkMemberId: string = member.data!.networkMemberId;
  const removed = await w1.POST('/v1/households/{id}/network/{networkMemberId}/remove', {
    params: { path: { id, networkMemberId } },
  });
  expect(removed.data).toMatchObject({ householdId: id, networkMemberId, removed: true });

  // Members over time (issue 18): a birth, the authority over the newborn, someone moving in and out.
  const born = await w1.POST('/v1/households/{id}/members', {
    params: path,
    body: {
      memberId: 'm-2',
      role: 'child',
      birthYear: 2026,
      birthMonth: 1,
      name: 'Noor',
      reason: 'birth',
      on: '2026-01-02',
    },
  });
  expect(born.data).toMatchObject({ householdId: id, memberId: 'm-2', reason: 'birth', on: '2026-01-02' });
  const authority = await w1.PUT('/v1/households/{id}/members/{memberId}/authority', {
    params: { path: { id, memberId: 'm-2' } },
    body: { holders: [{ memberId: 'm-1' }, { holderId: 'gh-1', name: 'Karim' }] },
  });
  expect(authority.data).toMatchObject({
    householdId: id,
    memberId: 'm-2',
    holders: [
      { kind: 'member', memberId: 'm-1' },
      { kind: 'external', holderId: 'gh-1' },
    ],
  });
  await w1.POST('/v1/households/{id}/members', {
    params: path,
    body: {
      memberId: 'm-3',
      role: 'adult',
      birthYear: 1960,
      name: 'Opa',
      reason: 'moved-in',
      on: '2026-01-02',
    },
  });
  const left = await w1.POST('/v1/households/{id}/members/{memberId}/leave', {
    params: { path: { id, memberId: 'm-3' } },
    body: { reason: 'moved-out', on: '2026-01-03' },
  });
  expect(left.data).toMatchObject({
    householdId: id,
    memberId: 'm-3',
    reason: 'moved-out',
    on: '2026-01-03',
  });

  const cadence = await w1.POST('/v1/households/{id}/check-ins/cadence', {
    params: path,
    body: { cadenceId: 'tc-cadence', everyWeeks: 2, startsOn: '2026-12-07' },
  });
  expect(cadence.data).toMatchObject({ householdId: id, cadenceId: 'tc-cadence', nextDueOn: '2026-12-07' });
  const contact = await w1.POST('/v1/households/{id}/check-ins/contacts', { params: path, body: {} });
  expect(contact.data).toMatchObject({ householdId: id, contactId: expect.any(String) });
  const ended = await w1.POST('/v1/households/{id}/check-ins/cadence/end', {
    params: path,
    body: { reason: 'niet meer nodig' },
  });
  expect(ended.data).toMatchObject({ householdId: id, cadence: null });

  const consent = await w1.POST('/v1/households/{id}/uwv-consent', {
    params: path,
    body: { memberId: 'm-1' },
  });
  expect(consent.data).toMatchObject({ householdId: id, consent: 'given', agreedBy: 'm-1' });
  const signal = await w1.POST('/v1/households/{id}/work-income-signals', {
    params: path,
    body: { category: 'work-started', memberId: 'm-1', description: 'Nieuwe baan' },
  });
  expect(signal.data).toMatchObject({
    householdId: id,
    direction: 'outbound',
    publication: { publish: true, basis: 'consent' },
  });
  const withdrawn = await w1.POST('/v1/households/{id}/uwv-consent/withdraw', {
    params: path,
    body: { memberId: 'm-1' },
  });
  expect(withdrawn.data).toMatchObject({ householdId: id, consent: 'withdrawn', withdrawnBy: 'm-1' });
  const question = await w1.POST('/v1/households/{id}/questions', {
    params: path,
    body: { lifeDomain: 'finances', description: 'Hulp bij formulieren' },
  });
  expect(question.data).toMatchObject({ householdId: id, lifeDomain: 'finances' });

  const takeover = await w2.POST('/v1/households/{id}/regie/safety-takeover', {
    params: path,
    body: { reason: 'Acuut onveilig' },
  });
  expect(takeover.data).toMatchObject({
    householdId: id,
    holder: { kind: 'worker', id: 'tc-w2' },
    cause: 'safety-takeover',
    confirmation: 'awaiting-confirmation',
  });
  const returned = await w2.POST('/v1/households/{id}/regie/return-to-household', {
    params: path,
    body: { agreedBy: 'm-1' },
  });
  expect(returned.data).toMatchObject({ householdId: id, holder: { kind: 'household', id } });

  const closed = await w2.POST('/v1/households/{id}/close', {
    params: path,
    body: { outcome: 'Doelen bereikt' },
  });
  expect(closed.data).toMatchObject({ householdId: id, status: 'closed' });
  const reopened = await w2.POST('/v1/households/{id}/reopen', { params: path, body: { reason: 'Terug' } });
  expect(reopened.data).toMatchObject({ householdId: id, status: 'active' });
});

test('the ZRM per adult, typed: assessments per person in the list, the household answer and the district progress', async () => {
  const w1 = client('tc-w1', ['worker'], ['tc-team']);
  const registered = await w1.POST('/v1/households', {
    body: {
      teamId: 'tc-team',
      district: 'noord',
      members: [
        { memberId: 'm-1', role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
        { memberId: 'm-2', role: 'child', birthYear: 2015, name: 'Daan Jansen' },
      ],
    },
  });
  expect(registered.response.status).toBe(201);
  const id = registered.data!.householdId;
  const scores = (value: number) =>
    Object.fromEntries(LIFE_DOMAINS.map((d) => [d, value])) as components['schemas']['ZrmScoresDto'];
  for (const [assessmentId, value] of [
    ['tc-z1', 2],
    ['tc-z2', 4],
  ] as const) {
    const recorded = await w1.POST('/v1/households/{id}/assessments', {
      params: { path: { id } },
      body: { assessmentId, memberId: 'm-1', scores: scores(value) },
    });
    expect(recorded.response.status).toBe(201);
  }
  const child = await w1.POST('/v1/households/{id}/assessments', {
    params: { path: { id } },
    body: { memberId: 'm-2', scores: scores(3) },
  });
  expect(child.response.status).toBe(409);
  expect(child.error).toMatchObject({ code: 'NotAnAdultMember' });

  const list = await w1.GET('/v1/households/{id}/assessments', { params: { path: { id } } });
  expect(list.data!.assessments.map((a) => [a.assessmentId, a.memberId])).toEqual([
    ['tc-z1', 'm-1'],
    ['tc-z2', 'm-1'],
  ]);
  expect(list.data!.persons).toEqual([
    expect.objectContaining({ memberId: 'm-1', total: 2, progressSinceFirst: scores(2) }),
  ]);
  const read = await w1.GET('/v1/households/{id}', { params: { path: { id } } });
  expect(read.data!.assessments).toEqual([
    expect.objectContaining({
      memberId: 'm-1',
      total: 2,
      latest: expect.objectContaining({ assessmentId: 'tc-z2' }),
    }),
  ]);
  // One person is no group: left out, and the minimum said.
  const progress = await client('tc-auditor', ['auditor']).GET('/v1/analysis/districts/zrm-progress', {});
  expect(progress.data).toEqual({ minimumPersonsPerGroup: 5, groups: [], next: null });
});

test('an unknown household is the typed 404, no token the typed 401', async () => {
  const w1 = client('tc-w1', ['worker'], ['tc-team']);
  const unseen = await w1.GET('/v1/households/{id}', { params: { path: { id: 'no-such-household' } } });
  expect(unseen.response.status).toBe(404);
  expect(unseen.error).toMatchObject({ status: 404, type: expect.stringMatching(/^urn:eenplan:problem:/) });

  const anonymous = createClient<paths>({ baseUrl });
  anonymous.use(documentedOnly);
  const refused = await anonymous.GET('/v1/households/{id}', { params: { path: { id: 'h-1' } } });
  expect(refused.response.status).toBe(401);
  expect(refused.error).toMatchObject({ status: 401, code: 'Unauthenticated' });
});

test('security in the document is what the server does: public routes answer without a token, the others 401', async () => {
  const wrong: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const url = baseUrl + path.replace(/\{[^}]+\}/g, 'x-1');
      const res = await fetch(url, {
        method: method.toUpperCase(),
        ...(method === 'get' ? {} : { headers: { 'Content-Type': 'application/json' }, body: '{}' }),
      });
      const isPublic = operation.security?.length === 0;
      if (isPublic === (res.status === 401)) wrong.push(`${method} ${path}: ${res.status}`);
      if (!operation.responses[String(res.status)])
        wrong.push(`${method} ${path}: undocumented ${res.status}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('the document is served at /openapi.json and /docs-json alike, and names this API version', async () => {
  const [a, b] = await Promise.all(
    ['/openapi.json', '/docs-json'].map(async (p) => (await fetch(baseUrl + p)).json()),
  );
  expect(a).toEqual(b);
  expect((a as { info: { version: string; license: { name: string } } }).info).toMatchObject({
    version: API_VERSION,
    license: { name: 'EUPL-1.2' },
  });
});

test('the retention routes answer what the document says: a dry run, its report, the policy, refusals', async () => {
  const admin = client('admin-1', ['admin']);
  const auditor = client('auditor-1', ['auditor']);
  const dry = await admin.POST('/v1/retention/sweep', { body: { dryRun: true } });
  expect(dry.response.status).toBe(200);
  expect(dry.data).toMatchObject({
    dryRun: true,
    requestedBy: 'admin-1',
    kinds: [{ kind: 'household-closed' }, { kind: 'member-left' }],
  });
  const runs = await auditor.GET('/v1/retention/runs', { params: { query: { limit: 1 } } });
  expect(runs.data?.runs[0]?.runId).toBe(dry.data?.runId);
  const policy = await auditor.GET('/v1/retention/policy');
  expect(policy.data?.kinds.map((k) => k.kind)).toEqual(['household-closed', 'member-left']);
  const invalid = await admin.POST('/v1/retention/sweep', { body: {} as never });
  expect(invalid.response.status).toBe(400);
  const worker = client('tc-w1', ['worker'], ['tc-team']);
  expect((await worker.POST('/v1/retention/sweep', { body: { dryRun: true } })).response.status).toBe(403);
});

test("a resident's plan, proposal and who viewed their file, typed end to end (issue 20)", async () => {
  const w1 = client('tc-w1', ['worker'], ['tc-team']);
  const registered = await w1.POST('/v1/households', {
    body: {
      teamId: 'tc-team',
      district: 'noord',
      members: [
        { memberId: 'm-1', role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
        { memberId: 'm-2', role: 'child', birthYear: 2013, name: 'Daan Jansen' },
      ],
      regie: { workerId: 'tc-w1' },
    },
  });
  const householdId: string = registered.data!.householdId;
  const goal = await w1.POST('/v1/households/{id}/goals', {
    params: { path: { id: householdId } },
    body: { lifeDomain: 'finances', description: 'Schulden in beeld' },
  });
  await w1.POST('/v1/households/{id}/actions', {
    params: { path: { id: householdId } },
    body: { goalId: goal.data!.goalId, description: 'Bellen', owner: { kind: 'household', id: householdId } },
  });
  const resident = createClient<paths>({
    baseUrl,
    headers: {
      Authorization: `Bearer ${t.token('login-tc', ['resident'], [], { household: householdId, member: 'm-1' })}`,
    },
  });
  resident.use(documentedOnly);

  const me = await resident.GET('/v1/me');
  expect(me.data).toEqual({
    sub: 'login-tc',
    roles: ['resident'],
    household: householdId,
    member: 'm-1',
    teams: [],
  });
  const proposed = await resident.POST('/v1/households/{id}/goal-proposals', {
    params: { path: { id: householdId } },
    body: { text: 'Zwemles voor Daan', lifeDomain: 'social-network' },
  });
  expect(proposed.response.status).toBe(201);
  const plan = await resident.GET('/v1/households/{id}/my-plan', { params: { path: { id: householdId } } });
  expect(plan.data).toMatchObject({
    householdId,
    you: { memberId: 'm-1', name: 'Sanne Jansen' },
    goals: [
      { text: 'Schulden in beeld', actions: [{ text: 'Bellen', owner: { kind: 'household', name: null } }] },
    ],
    regie: { holder: { kind: 'worker', name: 'Naam tc-w1', team: 'Wijkteam Noord', contact: null } },
    proposals: [{ proposalId: proposed.data!.proposalId, text: 'Zwemles voor Daan' }],
  });
  const agreed = await resident.POST('/v1/households/{id}/plan/agreements', {
    params: { path: { id: householdId } },
    body: {},
  });
  expect(agreed.data).toMatchObject({ agreedBy: 'm-1', agreed: false });
  const log = await resident.GET('/v1/households/{id}/access-log', { params: { path: { id: householdId } } });
  expect(log.response.status).toBe(200);
  const exported = await resident.GET('/v1/households/{id}/members/{memberId}/export', {
    params: { path: { id: householdId, memberId: 'm-1' } },
  });
  expect(exported.response.status).toBe(200);
});
