/**
 * Bounded answers (issue 16, item 8): a household's plan is capped (409 naming the cap), and
 * GET /v1/households/:id shows the first items of each growing section with totals, while each
 * section's own endpoint pages through all of it with `limit` and a cursor.
 */
import { startTestApp, TestApp } from '../support/app';
import { etagOf, expectProblem, Person, SeededTeam, seedHousehold, seedTeam } from './fixtures';

let t: TestApp;
let team: SeededTeam;
let worker: Person;
beforeAll(async () => {
  t = await startTestApp({ planLimits: { maxGoals: 30, maxActions: 3 } });
  team = await seedTeam(t, { workers: 2 });
  worker = team.workers[0];
});
afterAll(async () => {
  await t?.close();
});

const addGoal = (householdId: string, goalId: string) =>
  t
    .http()
    .post(`/v1/households/${householdId}/goals`)
    .set(worker.as)
    .send({ goalId, lifeDomain: 'housing', description: `Doel ${goalId}` });
const addAction = (householdId: string, actionId: string) =>
  t
    .http()
    .post(`/v1/households/${householdId}/actions`)
    .set(worker.as)
    .send({ actionId, goalId: 'g-01', description: 'Bellen', owner: { kind: 'household' } });
const goalIds = (n: number) => Array.from({ length: n }, (_, i) => `g-${String(i + 1).padStart(2, '0')}`);

describe('the plan is capped by MAX_GOALS_PER_HOUSEHOLD and MAX_ACTIONS_PER_HOUSEHOLD', () => {
  let householdId: string;
  beforeAll(async () => {
    householdId = await seedHousehold(t, team);
    for (const goalId of goalIds(30)) await addGoal(householdId, goalId).expect(201);
    for (const actionId of ['a-1', 'a-2', 'a-3']) await addAction(householdId, actionId).expect(201);
  });

  it('refuses the goal past the cap with a 409 naming the cap and its number, and writes nothing', async () => {
    const before = await etagOf(t, householdId, worker);
    const problem = expectProblem(await addGoal(householdId, 'g-31'), 409, 'GoalLimitReached');
    expect(problem.maxGoalsPerHousehold).toBe(30);
    expect(problem.detail).toContain('at most 30 goals');
    expect(await etagOf(t, householdId, worker)).toBe(before);
  });

  it('refuses the action past the cap likewise', async () => {
    const problem = expectProblem(await addAction(householdId, 'a-4'), 409, 'ActionLimitReached');
    expect(problem.maxActionsPerHousehold).toBe(3);
  });

  it('shows the first 25 goals with the total, and the goals endpoint pages through all 30', async () => {
    const res = await t.http().get(`/v1/households/${householdId}`).set(worker.as).expect(200);
    expect(res.body.goals.map((g: { goalId: string }) => g.goalId)).toEqual(goalIds(25));
    expect(res.body.goals[0]).toEqual({
      goalId: 'g-01',
      lifeDomain: 'housing',
      description: 'Doel g-01',
      status: 'open',
      targetDate: null,
    });
    expect(res.body.sections).toEqual({
      goals: { total: 30, next: 'g-25' },
      actions: { total: 3, next: null },
      notes: { total: 0, next: null },
      network: { total: 0, next: null },
      assignments: { total: 0, next: null },
      referrals: { total: 0, next: null },
      meetings: { total: 0, next: null },
    });

    const rest = await t
      .http()
      .get(`/v1/households/${householdId}/goals?cursor=${res.body.sections.goals.next}`)
      .set(worker.as)
      .expect(200);
    expect(rest.body).toMatchObject({ householdId, total: 30, next: null });
    expect(rest.body.goals.map((g: { goalId: string }) => g.goalId)).toEqual(goalIds(30).slice(25));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { goals: { goalId: string }[]; next: string | null } } = await t
        .http()
        .get(`/v1/households/${householdId}/goals`)
        .query({ limit: 7, ...(cursor ? { cursor } : {}) })
        .set(worker.as)
        .expect(200);
      expect(page.body.goals.length).toBeLessThanOrEqual(7);
      seen.push(...page.body.goals.map((g) => g.goalId));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toEqual(goalIds(30));
  });

  it('pages actions with their description and completion', async () => {
    await t.http().post(`/v1/households/${householdId}/actions/a-2/complete`).set(worker.as).expect(200);
    const page = await t
      .http()
      .get(`/v1/households/${householdId}/actions?limit=2`)
      .set(worker.as)
      .expect(200);
    expect(page.body).toMatchObject({ total: 3, next: 'a-2' });
    expect(page.body.actions).toEqual([
      expect.objectContaining({ actionId: 'a-1', completed: false, description: 'Bellen' }),
      expect.objectContaining({ actionId: 'a-2', completed: true }),
    ]);
  });

  it.each([
    ['limit=0', 'InvalidLimit'],
    ['limit=101', 'InvalidLimit'],
    ['limit=ten', 'InvalidLimit'],
    ['cursor=no%20such', 'InvalidCursor'],
    ['cursor=g-99', 'InvalidCursor'],
  ])('refuses %s with a 400 naming the parameter', async (query, code) => {
    const problem = expectProblem(
      await t.http().get(`/v1/households/${householdId}/goals?${query}`).set(worker.as),
      400,
      code,
    );
    expect(problem.errors?.[0]?.field).toBe(code === 'InvalidLimit' ? 'limit' : 'cursor');
  });

  it('answers another team as for a household that does not exist: the one 404 (issue 16)', async () => {
    const other = await seedTeam(t);
    const outsider = await t.http().get(`/v1/households/${householdId}/goals`).set(other.workers[0].as);
    const none = await t.http().get('/v1/households/no-such-household/goals').set(other.workers[0].as);
    expect([outsider.status, outsider.body.code]).toEqual([404, 'HouseholdNotFound']);
    expect(outsider.body.detail.replace(householdId, '<id>')).toBe(
      none.body.detail.replace('no-such-household', '<id>'),
    );
    expect((await t.http().get('/v1/households/no-such-household/goals').set(worker.as)).status).toBe(404);
  });
});

describe('network and referrals page the same way', () => {
  it('lists network members with names beyond the first 25', async () => {
    const householdId = await seedHousehold(t, team);
    for (let i = 1; i <= 27; i++) {
      await t
        .http()
        .post(`/v1/households/${householdId}/network`)
        .set(worker.as)
        .send({ networkMemberId: `n-${i}`, role: 'neighbour', name: `Buur ${i}` })
        .expect(201);
    }
    const view = await t.http().get(`/v1/households/${householdId}`).set(worker.as).expect(200);
    expect(view.body.network).toHaveLength(25);
    expect(view.body.sections.network).toEqual({ total: 27, next: 'n-25' });
    const rest = await t
      .http()
      .get(`/v1/households/${householdId}/network?cursor=n-25`)
      .set(worker.as)
      .expect(200);
    expect(rest.body.network).toEqual([
      { networkMemberId: 'n-26', role: 'neighbour', removed: false, name: 'Buur 26' },
      { networkMemberId: 'n-27', role: 'neighbour', removed: false, name: 'Buur 27' },
    ]);
    const referrals = await t
      .http()
      .get(`/v1/households/${householdId}/referrals`)
      .set(worker.as)
      .expect(200);
    expect(referrals.body).toEqual({ householdId, referrals: [], total: 0, next: null, version: 28 });
  });
});

describe('free text is bounded in bytes too', () => {
  it('takes 2,000 characters of four bytes each, and refuses what JSON would write larger', async () => {
    const householdId = await seedHousehold(t, team);
    const widest = '\u{1F3E0}'.repeat(2000);
    await t
      .http()
      .post(`/v1/households/${householdId}/goals`)
      .set(worker.as)
      .send({ goalId: 'g-wide', lifeDomain: 'housing', description: widest })
      .expect(201);
    const before = await etagOf(t, householdId, worker);
    // @Length counts an emoji with a variation selector as one character: 7 bytes each.
    for (const description of ['\u{1F3E0}\uFE0F'.repeat(2000), '\u0001'.repeat(2000)]) {
      const problem = expectProblem(
        await t
          .http()
          .post(`/v1/households/${householdId}/goals`)
          .set(worker.as)
          .send({ lifeDomain: 'housing', description }),
        400,
        'ValidationFailed',
      );
      expect(problem.errors).toEqual([
        { field: 'description', reason: expect.stringContaining('at most 8000 bytes') },
      ]);
    }
    expect(await etagOf(t, householdId, worker)).toBe(before);
  });
});
