/**
 * Paging everywhere (issue 21): every list takes `limit` (1..its maximum) and `cursor` (the `next` of
 * the page before) and answers with `next`, null on the last page. Walking a list page by page gives
 * each item once, in the order of the whole list, also while items are added between the pages; a
 * bad limit or cursor is a 400 that names it. And on every route, an unknown or repeated query
 * parameter is a 400 naming it, before anything is read or written.
 */
import { dateInNl, LIFE_DOMAINS } from '@eenplan/domain';
import { startTestApp, TestApp } from '../support/app';
import {
  admin,
  auditor,
  etagOf,
  expectProblem,
  householdBody,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';

const DAY = 86_400_000;
let t: TestApp;
let team: SeededTeam;
let w1: Person;
let w2: Person;
let w3: Person;
/** Held by w1 from registration: w1's caseload. */
const held: string[] = [];
/** The retention sweep's dry runs, newest first. */
const retentionRuns: string[] = [];
/** Regie goes w2 → w3 → w2 → w3 → w2: five intervals, four handoffs. */
let moved: string;
let volunteerId: string;
let tag: string;
const organisations: string[] = [];

const get = (path: string, who: Person) => t.http().get(path).set(who.as);
const post = (path: string, who: Person, body: Record<string, unknown>) =>
  t.http().post(path).set(who.as).send(body);

/** w `from` (the holder) hands regie of `householdId` to `to`, who accepts. */
const handOver = async (householdId: string, from: Person, to: Person) => {
  const transferId = uniq('tr');
  await post(`/v1/households/${householdId}/regie/transfers`, from, {
    transferId,
    to: { kind: 'worker', id: to.id },
    reason: 'Specialistische hulp nodig',
  }).expect(201);
  await post(`/v1/households/${householdId}/regie/transfers/${transferId}/accept`, to, {}).expect(200);
};

beforeAll(async () => {
  t = await startTestApp({ checkInSweepMs: 0 });
  team = await seedTeam(t, { workers: 3 });
  [w1, w2, w3] = team.workers as [Person, Person, Person];

  for (let i = 0; i < 5; i++) held.push(await seedHousehold(t, team, { regieWorker: w1 }));
  moved = await seedHousehold(t, team, { regieWorker: w2 });
  await handOver(moved, w2, w3);
  await handOver(moved, w3, w2);
  await handOver(moved, w2, w3);
  await handOver(moved, w3, w2);

  // Five organisations under one tag, two with the same waiting time (then ordered by name).
  tag = uniq('tag');
  for (const [name, waitingDays] of [
    ['Delta', 10],
    ['Bravo', 5],
    ['Alfa', 5],
    ['Echo', 20],
    ['Charlie', 1],
  ] as const) {
    const organisationId = uniq('org');
    await post('/v1/organisations', w1, {
      organisationId,
      name,
      expertise: { lifeDomains: ['finances'], tags: [tag] },
      location: 'noord',
      waitingDays,
    }).expect(201);
    organisations.push(organisationId);
  }

  // One volunteer in each of w1's five households; three more in the first of them.
  const registerVolunteer = async () => {
    const id = uniq('vol');
    await post('/v1/volunteers', team.lead, {
      volunteerId: id,
      name: 'Henk Visser',
      skills: ['taalmaatje'],
      hoursPerWeek: 6,
      vogValidUntil: '2030-12-31',
    }).expect(201);
    return id;
  };
  volunteerId = await registerVolunteer();
  for (const householdId of held)
    await post(`/v1/households/${householdId}/volunteer-assignments`, w1, {
      volunteerId,
      hoursPerWeek: 1,
    }).expect(201);
  for (let i = 0; i < 3; i++)
    await post(`/v1/households/${held[0]}/volunteer-assignments`, w1, {
      volunteerId: await registerVolunteer(),
      hoursPerWeek: 1,
    }).expect(201);

  // The district analysis: five households (its smallest group) ask about three life domains, and
  // each one's parent is assessed twice (a group of five persons per life domain).
  for (const householdId of held) {
    for (const lifeDomain of ['housing', 'finances', 'mental-health'])
      await post(`/v1/households/${householdId}/questions`, w1, {
        lifeDomain,
        askedOn: '2025-11-12',
        description: 'Vraag van het huishouden',
      }).expect(201);
    for (const score of [2, 4])
      await post(`/v1/households/${householdId}/assessments`, w1, {
        memberId: PARENT,
        scores: Object.fromEntries(LIFE_DOMAINS.map((d) => [d, score])),
      }).expect(201);
  }

  // Three of w1's households miss a weekly check-in.
  for (const householdId of held.slice(0, 3))
    await post(`/v1/households/${householdId}/check-ins/cadence`, w1, {
      everyWeeks: 1,
      startsOn: dateInNl(t.clock.peek().toISOString()),
    }).expect(201);
  t.clock.advance(8 * DAY);
  // Three dry retention runs: the auditors' report of them, newest first.
  for (let i = 0; i < 3; i++)
    retentionRuns.unshift(
      (await post('/v1/retention/sweep', admin(t), { dryRun: true }).expect(200)).body.runId as string,
    );
  // Some 70 writes, each waited for: longer than one test's time on a busy machine.
}, 300_000);
afterAll(async () => {
  await t?.close();
});

interface Page {
  items: Record<string, unknown>[];
  next: string | null;
  body: Record<string, unknown>;
}

const withQuery = (path: string, query: Record<string, string>) => {
  const q = new URLSearchParams(query).toString();
  return q ? `${path}${path.includes('?') ? '&' : '?'}${q}` : path;
};

const page = async (path: string, who: Person, key: string, query: Record<string, string>) => {
  const res = await get(withQuery(path, query), who).expect(200);
  expect(res.body.next === null || typeof res.body.next === 'string').toBe(true);
  return { items: res.body[key], next: res.body.next, body: res.body } as Page;
};

/**
 * Every page of a list with `limit`, following `next` until it is null: each page but the last full,
 * and between pages `between(n)` runs (to add items while a client pages).
 */
const walk = async (
  path: string,
  who: Person,
  key: string,
  limit: number,
  between: (pagesSeen: number) => Promise<void> = async () => {},
) => {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const p = await page(path, who, key, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    if (p.next !== null) expect(p.items).toHaveLength(limit);
    else expect(p.items.length).toBeLessThanOrEqual(limit);
    pages.push(p);
    cursor = p.next;
    expect(pages.length).toBeLessThan(50);
    if (cursor !== null) await between(pages.length);
  } while (cursor !== null);
  return pages;
};

/** The whole list in one page, to compare the walk with. */
const whole = async (path: string, who: Person, key: string, max: number) => {
  const p = await page(path, who, key, { limit: String(max) });
  expect(p.next).toBeNull();
  return p.items;
};

interface List {
  readonly name: string;
  readonly path: () => string;
  readonly who: () => Person;
  readonly key: string;
  readonly max: number;
  /** What identifies an item, to see none is skipped or repeated. */
  readonly idOf: (item: Record<string, unknown>) => string;
  /** The ids the set-up made, in the list's order (or, where the order is the database's text order, as a set). */
  readonly expected: () => string[];
  readonly inOrder?: false;
}

const LISTS: List[] = [
  {
    name: 'GET /v1/households/:id/regie/history',
    path: () => `/v1/households/${moved}/regie/history`,
    who: () => w2,
    key: 'intervals',
    max: 200,
    idOf: (i) => `${i.from as string} ${(i.holder as { id: string }).id}`,
    expected: () => [w2, w3, w2, w3, w2].map((w) => w.id),
  },
  {
    name: 'GET /v1/audit/handoffs',
    path: () => `/v1/audit/handoffs?teamId=${team.teamId}`,
    who: () => auditor(t),
    key: 'handoffs',
    max: 500,
    idOf: (h) => `${h.householdId as string} ${h.from as string}`,
    expected: () => [w3, w2, w3, w2].map((w) => w.id),
  },
  {
    name: 'GET /v1/audit/households/:id/events',
    path: () => `/v1/audit/households/${moved}/events`,
    who: () => auditor(t),
    key: 'events',
    max: 500,
    idOf: (e) => String(e.version),
    expected: () => Array.from({ length: 9 }, (_, i) => String(i + 1)),
  },
  {
    name: 'GET /v1/organisations',
    path: () => `/v1/organisations?expertise=${tag}`,
    who: () => w1,
    key: 'organisations',
    max: 200,
    idOf: (o) => o.organisationId as string,
    expected: () => [4, 2, 1, 0, 3].map((i) => organisations[i]!),
  },
  {
    name: 'GET /v1/caseloads/workers/:workerId',
    path: () => `/v1/caseloads/workers/${w1.id}`,
    who: () => w1,
    key: 'households',
    max: 500,
    idOf: (h) => h.householdId as string,
    expected: () => held,
    inOrder: false,
  },
  {
    name: 'GET /v1/caseloads/teams/:teamId',
    path: () => `/v1/caseloads/teams/${team.teamId}`,
    who: () => team.lead,
    key: 'households',
    max: 500,
    idOf: (h) => h.householdId as string,
    expected: () => [...held, moved],
    inOrder: false,
  },
  {
    name: 'GET /v1/teams/:teamId/check-ins/overdue',
    path: () => `/v1/teams/${team.teamId}/check-ins/overdue`,
    who: () => w1,
    key: 'households',
    max: 500,
    idOf: (h) => h.householdId as string,
    expected: () => held.slice(0, 3),
    inOrder: false,
  },
  {
    name: 'GET /v1/volunteers/:id/assignments',
    path: () => `/v1/volunteers/${volunteerId}/assignments`,
    who: () => w1,
    key: 'assignments',
    max: 200,
    idOf: (a) => a.householdId as string,
    expected: () => held,
  },
  {
    name: 'GET /v1/households/:id/volunteer-assignments',
    path: () => `/v1/households/${held[0]}/volunteer-assignments`,
    who: () => w1,
    key: 'assignments',
    max: 100,
    idOf: (a) => a.assignmentId as string,
    expected: () => [],
  },
  {
    name: 'GET /v1/analysis/districts/questions',
    path: () => '/v1/analysis/districts/questions?district=noord',
    who: () => team.lead,
    key: 'groups',
    max: 1000,
    idOf: (g) => `${g.district as string} ${g.month as string} ${g.lifeDomain as string}`,
    expected: () => ['finances', 'housing', 'mental-health'].map((d) => `noord 2025-11 ${d}`),
    inOrder: false,
  },
  {
    name: 'GET /v1/analysis/districts/zrm-progress',
    path: () => '/v1/analysis/districts/zrm-progress?district=noord',
    who: () => team.lead,
    key: 'groups',
    max: 1000,
    idOf: (g) => `${g.district as string} ${g.lifeDomain as string}`,
    expected: () => LIFE_DOMAINS.map((d) => `noord ${d}`),
    inOrder: false,
  },
  {
    name: 'GET /v1/retention/runs',
    path: () => '/v1/retention/runs',
    who: () => auditor(t),
    key: 'runs',
    max: 100,
    idOf: (r) => r.runId as string,
    expected: () => retentionRuns,
  },
];

describe.each(LISTS)('$name', (list) => {
  it('pages through the whole list with limit and cursor: each item once, in order, next null at the end', async () => {
    const all = await whole(list.path(), list.who(), list.key, list.max);
    const pages = await walk(list.path(), list.who(), list.key, 2);
    expect(pages.length).toBe(Math.max(1, Math.ceil(all.length / 2)));
    expect(pages.length).toBeGreaterThan(1);
    const walked = pages.flatMap((p) => p.items);
    expect(walked).toEqual(all);
    expect(new Set(walked.map(list.idOf)).size).toBe(walked.length);
  });

  it('lists what was made, in its order', async () => {
    const all = await whole(list.path(), list.who(), list.key, list.max);
    const expected = list.expected();
    if (list.key === 'intervals' || list.key === 'handoffs')
      expect(all.map((i) => (i.holder as { id: string }).id)).toEqual(expected);
    else if (expected.length === 0) expect(all.length).toBeGreaterThan(2);
    else if (list.inOrder === false) expect([...all.map(list.idOf)].sort()).toEqual([...expected].sort());
    else expect(all.map(list.idOf)).toEqual(expected);
  });

  it('refuses a limit out of range, a cursor it did not give, an unknown or a repeated parameter: 400 naming it', async () => {
    for (const limit of ['0', String(list.max + 1), 'ten', '-1', '1.5']) {
      const problem = expectProblem(
        await get(withQuery(list.path(), { limit }), list.who()),
        400,
        'InvalidLimit',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
      expect(problem.detail).toContain(`1 to ${list.max}`);
    }
    const forged = Buffer.from(JSON.stringify(['x', 'y', 'z', 'w', 'v'])).toString('base64url');
    for (const cursor of ['not a cursor!', forged]) {
      const problem = expectProblem(
        await get(withQuery(list.path(), { cursor }), list.who()),
        400,
        'InvalidCursor',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
    const unknown = expectProblem(
      await get(withQuery(list.path(), { limt: '2' }), list.who()),
      400,
      'UnknownQueryParameter',
    );
    expect(unknown.errors).toEqual([expect.objectContaining({ field: 'limt' })]);
    expect(unknown.detail).toMatch(/limt .*limit/);
    const repeated = expectProblem(
      await get(`${withQuery(list.path(), { limit: '1' })}&limit=2`, list.who()),
      400,
      'RepeatedQueryParameter',
    );
    expect(repeated.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});

describe('paging while items are added between the pages', () => {
  it('regie history: every interval once, the new handoff last', async () => {
    const other = await seedTeam(t, { workers: 2 });
    const [a, b] = other.workers as [Person, Person];
    const householdId = await seedHousehold(t, other, { regieWorker: a });
    await handOver(householdId, a, b);
    await handOver(householdId, b, a);
    const path = `/v1/households/${householdId}/regie/history`;
    const before = await whole(path, a, 'intervals', 200);
    expect(before).toHaveLength(3);
    const pages = await walk(path, a, 'intervals', 1, async (n) => {
      if (n === 1) await handOver(householdId, a, b);
    });
    const walked = pages.flatMap((p) => p.items);
    expect(walked).toHaveLength(before.length + 1);
    // The interval open when the walk began was closed by the handoff: the same interval, now with its end.
    expect(walked.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(walked[2]).toMatchObject({ from: before[2]!.from, holder: { id: a.id }, to: expect.any(String) });
    expect(walked[3]).toMatchObject({ holder: { id: b.id }, to: null, cause: 'transfer' });
  });

  it('handoffs: every handoff once, the ones added after the first page at the end', async () => {
    const other = await seedTeam(t, { workers: 2 });
    const [a, b] = other.workers as [Person, Person];
    const householdId = await seedHousehold(t, other, { regieWorker: a });
    await handOver(householdId, a, b);
    await handOver(householdId, b, a);
    await handOver(householdId, a, b);
    const path = `/v1/audit/handoffs?teamId=${other.teamId}`;
    const before = await whole(path, auditor(t), 'handoffs', 500);
    expect(before).toHaveLength(3);
    const pages = await walk(path, auditor(t), 'handoffs', 2, async (n) => {
      if (n === 1) await handOver(householdId, b, a);
    });
    const walked = pages.flatMap((p) => p.items);
    expect(walked.map((h) => h.from)).toEqual([...before.map((h) => h.from), expect.any(String)]);
    expect(new Set(walked.map((h) => h.from)).size).toBe(4);
  });

  it("a team's caseload: every household there before once, whatever ids the new ones have; counts cover all", async () => {
    const other = await seedTeam(t, { workers: 1 });
    const ids = ['m-b', 'm-d', 'm-f', 'm-h'].map((p) => `${p}-${uniq('x')}`);
    const register = (householdId: string) =>
      post('/v1/households', other.workers[0]!, householdBody(other, { householdId })).expect(201);
    for (const id of ids) await register(id);
    const path = `/v1/caseloads/teams/${other.teamId}`;
    const added = ['m-a', 'm-c', 'm-z'].map((p) => `${p}-${uniq('x')}`);
    const pages = await walk(path, other.lead, 'households', 2, async (n) => {
      if (n === 1) for (const id of added) await register(id);
    });
    const seen = pages.flatMap((p) => p.items.map((h) => h.householdId as string));
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen.filter((s) => s === id)).toHaveLength(1);
    // The order is by id: one added behind the cursor is not on a later page, one after it is.
    expect(seen).not.toContain(added[0]);
    expect(seen).not.toContain(added[1]);
    expect(seen).toContain(added[2]);
    expect(pages[0]!.body.counts).toMatchObject({ households: ids.length });
    expect(pages[pages.length - 1]!.body.counts).toMatchObject({ households: ids.length + added.length });
  });
});

describe('counts and totals stay whole on every page', () => {
  it("a worker's caseload counts all its households, not the page's", async () => {
    const first = await page(`/v1/caseloads/workers/${w1.id}`, w1, 'households', { limit: '2' });
    expect(first.items).toHaveLength(2);
    expect(first.body.counts).toMatchObject({ households: 5, regie: 5, openAssignments: 8 });
    expect(first.body).toMatchObject({ workerId: w1.id, teamId: team.teamId, norm: { regieHouseholds: 5 } });
  });

  it('overdue check-ins count all overdue households', async () => {
    const first = await page(`/v1/teams/${team.teamId}/check-ins/overdue`, w1, 'households', { limit: '1' });
    expect(first.items).toHaveLength(1);
    expect(first.body.count).toBe(3);
  });

  it("a volunteer's load counts every assignment", async () => {
    const first = await page(`/v1/volunteers/${volunteerId}/assignments`, w1, 'assignments', { limit: '2' });
    expect(first.body).toMatchObject({ openAssignments: 5, assignedHoursPerWeek: 5, notShown: 0 });
  });
});

describe('the handoff report as CSV', () => {
  it('sends the next page in a Link header (rel="next") until the last page, which has none', async () => {
    const rows: string[] = [];
    let url: string | null = `/v1/audit/handoffs?teamId=${team.teamId}&limit=3`;
    let pages = 0;
    while (url) {
      const res = await t.http().get(url).set(auditor(t).as).set('Accept', 'text/csv').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...lines] = res.text.trim().split('\r\n');
      expect(header).toMatch(/^householdId,from,cause/);
      rows.push(...lines);
      pages++;
      const link = res.headers.link as string | undefined;
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
      if (url) expect(url).toContain(`teamId=${team.teamId}`);
    }
    expect(pages).toBe(2);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.startsWith(`"${moved}"`))).toBe(true);
  });
});

describe('unknown and repeated query parameters on every route', () => {
  it('refuses one on a write and writes nothing', async () => {
    const householdId = held[1]!;
    const before = await etagOf(t, householdId, w1);
    const problem = expectProblem(
      await t
        .http()
        .post(`/v1/households/${householdId}/goals?dryRun=true`)
        .set(w1.as)
        .send({ lifeDomain: 'housing', description: 'Een huis' }),
      400,
      'UnknownQueryParameter',
    );
    expect(problem.detail).toContain('takes none');
    expect(await etagOf(t, householdId, w1)).toBe(before);
    const registered = householdBody(team);
    expectProblem(
      await t.http().post('/v1/households?teamId=x').set(w1.as).send(registered),
      400,
      'UnknownQueryParameter',
    );
    await get(`/v1/households/${registered.householdId}`, w1).expect(404);
  });

  it('refuses one on reads that take no parameters', async () => {
    for (const path of [`/v1/households/${held[1]}`, `/v1/households/${held[1]}/check-ins`, '/health/live'])
      expectProblem(await get(`${path}?verbose=1`, w1), 400, 'UnknownQueryParameter');
  });

  it('keeps the parameters a route takes working, and refuses them repeated', async () => {
    const holder = await get(`/v1/regie/holder?householdId=${held[1]}`, w1).expect(200);
    expect(holder.body.holder).toEqual({ kind: 'worker', id: w1.id, teamId: team.teamId });
    await get(`/v1/regie/holder?householdId=${held[1]}&at=${t.clock.peek().toISOString()}`, w1).expect(200);
    expectProblem(
      await get(`/v1/regie/holder?householdId=${held[1]}&householdId=${held[2]}`, w1),
      400,
      'RepeatedQueryParameter',
    );
    const verified = await get(`/v1/audit/verify?householdId=${held[1]}`, auditor(t)).expect(200);
    expect(verified.body.ok).toBe(true);
    await get(`/v1/audit/access-log?householdId=${held[1]}&limit=1`, auditor(t)).expect(200);
    expectProblem(
      await get(`/v1/audit/access-log?household=${held[1]}`, auditor(t)),
      400,
      'UnknownQueryParameter',
    );
    await get('/v1/regie/safety-takeovers/unconfirmed?limit=1', team.lead).expect(200);
    expectProblem(
      await get('/v1/regie/safety-takeovers/unconfirmed?team=x', team.lead),
      400,
      'UnknownQueryParameter',
    );
    const name = 'a'.repeat(300);
    const long = expectProblem(
      await get(`/v1/households/${held[1]}?${name}=1`, w1),
      400,
      'UnknownQueryParameter',
    );
    expect(long.errors![0]!.field.length).toBeLessThanOrEqual(101);
  });

  it('answers 401 before 400 to a caller without a token', async () => {
    const res = await t.http().get(`/v1/households/${held[1]}?verbose=1`);
    expect(res.status).toBe(401);
  });

  it('takes as a cursor only what this server issued: an item id is refused where the cursor is a key', async () => {
    expectProblem(await get(`/v1/caseloads/workers/${w1.id}?cursor=${held[0]}`, w1), 400, 'InvalidCursor');
  });
});

describe('the OpenAPI document', () => {
  type Schema = { $ref?: string; properties?: Record<string, { nullable?: boolean; type?: string }> };
  type Operation = {
    parameters?: { name: string; in: string }[];
    responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  };

  it.each(LISTS.map((l) => l.name))(
    '%s: limit and cursor documented, the answer typed with its items and a nullable next',
    async (name) => {
      const doc = (await t.http().get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, Operation>>;
        components: { schemas: Record<string, Schema> };
      };
      const path = name.replace(/^GET /, '').replace(/:(\w+)/g, '{$1}');
      const list = LISTS.find((l) => l.name === name)!;
      const op = doc.paths[path]?.get;
      expect(op).toBeDefined();
      expect(op!.parameters!.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
        expect.arrayContaining(['limit', 'cursor']),
      );
      const ref = op!.responses['200']!.content!['application/json']!.schema!.$ref!;
      const schema = doc.components.schemas[ref.replace('#/components/schemas/', '')]!;
      expect(schema.properties![list.key]).toMatchObject({ type: 'array' });
      expect(schema.properties!.next).toMatchObject({ type: 'string', nullable: true });
    },
  );
});
