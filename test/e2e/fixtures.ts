import type { Response } from 'supertest';
import type { Role } from '@eenplan/security';
import { bearer, TestApp } from '../support/app';

/**
 * Seeding through the HTTP API only, so every e2e file builds its world the way a client would.
 * Tests in one file share one app: every id is made unique here so tests never see each other's data.
 */

let counter = 0;
/** A fresh id with a readable prefix, unique within the test process. */
export const uniq = (prefix: string) => `${prefix}-${++counter}`;

/** Someone with a token: `as` goes straight into supertest's `.set(...)`. */
export interface Person {
  readonly id: string;
  readonly as: { Authorization: string };
}

export const person = (t: TestApp, id: string, roles: Role[], teams: string[] = []): Person => ({
  id,
  as: bearer(t.token(id, roles, teams)),
});

export const admin = (t: TestApp): Person => person(t, 'admin-1', ['admin']);
export const auditor = (t: TestApp): Person => person(t, 'auditor-1', ['auditor']);

export interface SeededTeam {
  readonly teamId: string;
  readonly district: string;
  /** An active team lead (worker role team-lead, token roles worker + team-lead). */
  readonly lead: Person;
  /** Active generalists, in the order they joined. */
  readonly workers: Person[];
  /** The team stream's version after seeding. */
  readonly version: number;
}

/** Registers a team serving one district, a team lead and `workers` generalists. */
export const seedTeam = async (t: TestApp, options: { workers?: number } = {}): Promise<SeededTeam> => {
  const teamId = uniq('team');
  const district = 'noord';
  const asAdmin = admin(t).as;
  await t
    .http()
    .post('/v1/teams')
    .set(asAdmin)
    .send({ teamId, name: `Wijkteam ${teamId}`, districts: [district] })
    .expect(201);
  const join = async (role: 'team-lead' | 'generalist') => {
    const workerId = uniq(role === 'team-lead' ? 'lead' : 'w');
    const res = await t
      .http()
      .post(`/v1/teams/${teamId}/workers`)
      .set(asAdmin)
      .send({ workerId, name: `Naam ${workerId}`, role, hoursPerWeek: 32 })
      .expect(201);
    return { workerId, version: res.body.version as number };
  };
  const lead = await join('team-lead');
  let version = lead.version;
  const workers: Person[] = [];
  for (let i = 0; i < (options.workers ?? 2); i++) {
    const w = await join('generalist');
    version = w.version;
    workers.push(person(t, w.workerId, ['worker'], [teamId]));
  }
  return {
    teamId,
    district,
    lead: person(t, lead.workerId, ['worker', 'team-lead'], [teamId]),
    workers,
    version,
  };
};

export const PARENT = 'm-parent';
export const CHILD = 'm-child';

export const householdBody = (team: SeededTeam, extra: Record<string, unknown> = {}) => ({
  householdId: uniq('hh'),
  teamId: team.teamId,
  district: team.district,
  members: [
    { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
    { memberId: CHILD, role: 'child', birthYear: 2015, name: 'Daan Jansen' },
  ],
  ...extra,
});

/**
 * Registers a household of `team` (a parent and a child) by `by` (default the first worker).
 * `regieWorker` makes that worker the regie holder from the start; absent, the household holds it.
 */
export const seedHousehold = async (
  t: TestApp,
  team: SeededTeam,
  options: { by?: Person; regieWorker?: Person } = {},
): Promise<string> => {
  const body = householdBody(
    team,
    options.regieWorker ? { regie: { workerId: options.regieWorker.id } } : {},
  );
  await t
    .http()
    .post('/v1/households')
    .set((options.by ?? team.workers[0]).as)
    .send(body)
    .expect(201);
  return body.householdId;
};

/**
 * Records the parent as the holder of parental authority over the child (issue 18): without it
 * nobody has capacity to agree for the child (under 12), so the plan cannot be agreed. One event.
 */
export const setParentAuthority = async (t: TestApp, householdId: string, who: Person) => {
  await t
    .http()
    .put(`/v1/households/${householdId}/members/${CHILD}/authority`)
    .set(who.as)
    .send({ holders: [{ memberId: PARENT }] })
    .expect(200);
};

/** GET /v1/households/:id as `who`; asserts 200. */
export const getHousehold = async (t: TestApp, householdId: string, who: Person) =>
  t.http().get(`/v1/households/${householdId}`).set(who.as).expect(200);

/** The household's version as the ETag a client would read (for "nothing was written" checks). */
export const etagOf = async (t: TestApp, householdId: string, who: Person): Promise<string | undefined> =>
  (await getHousehold(t, householdId, who)).headers.etag;

/**
 * Asserts an RFC 9457 problem: content type, the standard members, the stable code and, when the
 * domain names one, the invariant.
 */
export const expectProblem = (res: Response, status: number, code: string, invariant?: number) => {
  // The message on failure shows the body, which is what one needs to see when a status is wrong.
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { code } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^urn:eenplan:problem:/),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    }),
  );
  if (invariant !== undefined) expect(res.body.invariant).toBe(invariant);
  return res.body as { detail: string; errors?: { field: string; reason: string }[]; [k: string]: unknown };
};
