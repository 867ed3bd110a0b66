/**
 * The safety takeover as break-glass over HTTP (DOMAIN.md invariant 6): a worker takes regie at once
 * without an approver; a team lead of the household's team who is not the taker confirms or rejects
 * it with their own token, once; a rejection gives regie back; takeovers left unconfirmed past
 * SAFETY_CONFIRM_HOURS are listed for the team's leads and auditors, flagged in the history and the
 * handoff report, and announced once by the sweep. And the regie reasons live in the events only.
 */
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SQL } from '../../apps/api/src/common/tokens';
import { SafetyTakeoverSweep } from '@eenplan/runtime';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import {
  admin,
  auditor,
  expectProblem,
  getHousehold,
  PARENT,
  person,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from './fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ safetyTakeoverSweepMs: 0 });
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 3_600_000;

const post = (path: string, who: Person, body: Record<string, unknown> = {}) =>
  t.http().post(path).set(who.as).send(body);
const takeOver = (householdId: string, who: Person, reason = 'Acute zorgen om veiligheid kinderen') =>
  post(`/v1/households/${householdId}/regie/safety-takeover`, who, { reason });
const confirm = (householdId: string, takeoverId: string, who: Person) =>
  post(`/v1/households/${householdId}/regie/safety-takeover/${takeoverId}/confirm`, who);
const reject = (
  householdId: string,
  takeoverId: string,
  who: Person,
  reason = 'Geen acuut gevaar gebleken',
) => post(`/v1/households/${householdId}/regie/safety-takeover/${takeoverId}/reject`, who, { reason });
const history = async (householdId: string) =>
  (await t.http().get(`/v1/households/${householdId}/regie/history`).set(auditor(t).as).expect(200)).body
    .intervals as Interval[];
const handoffs = async (teamId: string) =>
  (await t.http().get('/v1/audit/handoffs').query({ teamId, limit: '500' }).set(auditor(t).as).expect(200))
    .body.handoffs as (Interval & { householdId: string })[];
const unconfirmed = (who: Person, query: Record<string, string> = {}) =>
  t.http().get('/v1/regie/safety-takeovers/unconfirmed').query(query).set(who.as);

interface Interval {
  holder: { kind: 'household' | 'worker'; id: string; teamId?: string };
  from: string;
  to: string | null;
  cause: string;
  [k: string]: unknown;
}

/** A second active team lead of `team` (the seeded one is the first). */
const secondLead = async (team: SeededTeam): Promise<Person> => {
  const workerId = uniq('lead');
  await post(`/v1/teams/${team.teamId}/workers`, admin(t), {
    workerId,
    name: 'Tweede teamleider',
    role: 'team-lead',
    hoursPerWeek: 32,
  }).expect(201);
  return person(t, workerId, ['worker', 'team-lead'], [team.teamId]);
};

/** A household of a fresh team whose worker `a` holds regie; `b` has just taken it over for safety. */
const takenOver = async () => {
  const team = await seedTeam(t, { workers: 3 });
  const [a, b, c] = team.workers as [Person, Person, Person];
  const householdId = await seedHousehold(t, team, { regieWorker: a });
  const res = await takeOver(householdId, b).expect(200);
  return { team, a, b, c, householdId, takeoverId: res.body.takeoverId as string };
};

const workerHolder = (p: Person, team: SeededTeam) => ({ kind: 'worker', id: p.id, teamId: team.teamId });

describe('confirmation: only by a team lead of the household’s team, with their own token, once', () => {
  it('the history names the approver only after the lead confirmed', async () => {
    const { team, b, householdId, takeoverId } = await takenOver();
    const before = (await history(householdId))[1]!;
    expect(before).toMatchObject({
      cause: 'safety-takeover',
      takeoverId,
      confirmation: 'awaiting-confirmation',
    });
    expect(before).not.toHaveProperty('approvedBy');

    const res = await confirm(householdId, takeoverId, team.lead);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      householdId,
      takeoverId,
      confirmation: 'confirmed',
      approvedBy: team.lead.id,
      version: 3,
      position: expect.any(String),
    });
    const after = (await history(householdId))[1]!;
    expect(after).toMatchObject({
      holder: workerHolder(b, team),
      cause: 'safety-takeover',
      requestedBy: b.id,
      approvedBy: team.lead.id,
      confirmation: 'confirmed',
      confirmedAt: expect.any(String),
      reason: 'Acute zorgen om veiligheid kinderen',
    });
    expect(after).not.toHaveProperty('confirmationOverdue');
    // Regie itself did not move: the takeover stands.
    expect((await getHousehold(t, householdId, b)).body.regie.holder).toEqual(workerHolder(b, team));
    const [row] = (await handoffs(team.teamId)).filter((r) => r.householdId === householdId);
    expect(row).toMatchObject({
      cause: 'safety-takeover',
      approvedBy: team.lead.id,
      confirmation: 'confirmed',
    });
  });

  it('a second decision is 409 SafetyTakeoverAlreadyDecided, whichever it is, and writes nothing', async () => {
    const { team, householdId, takeoverId } = await takenOver();
    await confirm(householdId, takeoverId, team.lead).expect(200);
    const lead2 = await secondLead(team);

    expectProblem(await confirm(householdId, takeoverId, team.lead), 409, 'SafetyTakeoverAlreadyDecided', 6);
    const problem = expectProblem(
      await reject(householdId, takeoverId, lead2),
      409,
      'SafetyTakeoverAlreadyDecided',
      6,
    );

    expect(problem.detail).toContain('confirmed');
    expect(problem.decision).toBe('confirmed');
    expect((await history(householdId)).map((i) => i.cause)).toEqual(['registration', 'safety-takeover']);
  });

  it('refuses who may not decide, nothing written: the registry first, then the one 404, then invariant 6 (unit tests)', async () => {
    const { team, a, c, householdId, takeoverId } = await takenOver();
    const other = await seedTeam(t, { workers: 0 });
    const deactivated = await secondLead(team);
    await post(`/v1/teams/${team.teamId}/workers/${deactivated.id}/deactivate`, admin(t)).expect(200);
    // A token that claims team lead for a worker the registry knows as a generalist.
    const claims = person(t, a.id, ['worker', 'team-lead'], [team.teamId]);

    // The registry decides who is a team lead (issue 16): the claim alone is a 403 by role; a
    // deactivated lead is refused by the registry; a lead of another team may not even see it.
    for (const [who, status, code] of [
      [claims, 403, 'Forbidden'],
      [deactivated, 403, 'WorkerDeactivated'],
      [person(t, other.lead.id, ['worker', 'team-lead'], [other.teamId]), 404, 'HouseholdNotFound'],
    ] as const) {
      expectProblem(await confirm(householdId, takeoverId, who), status, code);
      expectProblem(await reject(householdId, takeoverId, who), status, code);
    }
    // A worker without the team-lead role is refused before the domain.
    expect((await confirm(householdId, takeoverId, c)).status).toBe(403);
    expect((await history(householdId))[1]).toMatchObject({ confirmation: 'awaiting-confirmation' });
  });

  it('a team lead who took over cannot confirm their own takeover; another lead of the team can', async () => {
    const team = await seedTeam(t, { workers: 1 });
    const householdId = await seedHousehold(t, team, { regieWorker: team.workers[0] });
    const { takeoverId } = (await takeOver(householdId, team.lead).expect(200)).body;

    expectProblem(await confirm(householdId, takeoverId, team.lead), 403, 'ConfirmerIsTaker', 6);
    await confirm(householdId, takeoverId, await secondLead(team)).expect(200);
  });

  it('an unknown takeover is 404; a bad takeover id is 400', async () => {
    const { team, householdId } = await takenOver();
    expectProblem(await confirm(householdId, 'sto-unknown', team.lead), 404, 'SafetyTakeoverNotFound');
    expectProblem(await confirm(householdId, 'no spaces!', team.lead), 400, 'InvalidId');
  });

  it('with an Idempotency-Key, a repeated takeover answers the same takeoverId and writes once', async () => {
    const team = await seedTeam(t, { workers: 2 });
    const [a, b] = team.workers as [Person, Person];
    const householdId = await seedHousehold(t, team, { regieWorker: a });
    const send = () =>
      t
        .http()
        .post(`/v1/households/${householdId}/regie/safety-takeover`)
        .set(b.as)
        .set('Idempotency-Key', uniq('key'))
        .send({ reason: 'Acute zorgen' });
    const key = uniq('key');
    const first = await t
      .http()
      .post(`/v1/households/${householdId}/regie/safety-takeover`)
      .set(b.as)
      .set('Idempotency-Key', key)
      .send({ reason: 'Acute zorgen' })
      .expect(200);
    const again = await t
      .http()
      .post(`/v1/households/${householdId}/regie/safety-takeover`)
      .set(b.as)
      .set('Idempotency-Key', key)
      .send({ reason: 'Acute zorgen' })
      .expect(200);

    expect(again.body.takeoverId).toBe(first.body.takeoverId);
    expect(again.body.version).toBe(first.body.version);
    // A new key is a new takeover, refused: b holds regie already.
    expectProblem(await send(), 409, 'AlreadyRegieHolder', 1);
  });
});

describe('rejection: regie goes back to whoever held it before', () => {
  it('back to the previous worker, as a change of hands of its own, with who rejected and why', async () => {
    const { team, a, b, householdId, takeoverId } = await takenOver();

    const res = await reject(householdId, takeoverId, team.lead);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      householdId,
      takeoverId,
      confirmation: 'rejected',
      regieReturned: true,
      holder: workerHolder(a, team),
      version: 3,
      position: expect.any(String),
    });
    const intervals = await history(householdId);
    expect(intervals.map((i) => [i.cause, i.holder.id])).toEqual([
      ['registration', a.id],
      ['safety-takeover', b.id],
      ['safety-takeover-rejected', a.id],
    ]);
    expect(intervals[1]).toMatchObject({
      confirmation: 'rejected',
      rejectedBy: team.lead.id,
      rejectedAt: intervals[2]!.from,
      rejectionReason: 'Geen acuut gevaar gebleken',
      to: intervals[2]!.from,
    });
    expect(intervals[1]).not.toHaveProperty('approvedBy');
    expect(intervals[2]).toMatchObject({
      holder: workerHolder(a, team),
      takeoverId,
      rejectedBy: team.lead.id,
      reason: 'Geen acuut gevaar gebleken',
      to: null,
    });
    expect((await getHousehold(t, householdId, a)).body.regie.holder).toEqual(workerHolder(a, team));
    const caseload = await t.http().get(`/v1/caseloads/workers/${a.id}`).set(a.as).expect(200);
    expect(caseload.body.households.map((h: { householdId: string }) => h.householdId)).toContain(
      householdId,
    );
    // The report shows the rejection as a handoff of its own.
    const rows = (await handoffs(team.teamId)).filter((r) => r.householdId === householdId);
    expect(rows.map((r) => [r.cause, r.confirmation ?? null, r.rejectedBy])).toEqual([
      ['safety-takeover', 'rejected', team.lead.id],
      ['safety-takeover-rejected', null, team.lead.id],
    ]);
    const csv = await t
      .http()
      .get('/v1/audit/handoffs')
      .query({ teamId: team.teamId })
      .set(auditor(t).as)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.text).toContain(`"safety-takeover-rejected","worker","${b.id}","worker","${a.id}"`);
  });

  it('to the household when the previous worker was deactivated meanwhile (invariant 1)', async () => {
    const { team, a, householdId, takeoverId } = await takenOver();
    // a no longer holds regie, so may be deactivated (invariant 8).
    await post(`/v1/teams/${team.teamId}/workers/${a.id}/deactivate`, team.lead).expect(200);

    const res = await reject(householdId, takeoverId, team.lead).expect(200);

    expect(res.body).toMatchObject({ regieReturned: true, holder: { kind: 'household' } });
    const last = (await history(householdId)).at(-1)!;
    expect(last).toMatchObject({
      cause: 'safety-takeover-rejected',
      holder: { kind: 'household', id: householdId },
    });
  });

  it('cancels a transfer the taker asked meanwhile, then gives regie back', async () => {
    const { team, a, b, c, householdId, takeoverId } = await takenOver();
    const transferId = uniq('tr');
    await post(`/v1/households/${householdId}/regie/transfers`, b, {
      transferId,
      to: { kind: 'worker', id: c.id },
      reason: 'Doorzetten',
    }).expect(201);

    await reject(householdId, takeoverId, team.lead).expect(200);

    const got = (await getHousehold(t, householdId, a)).body;
    expect([got.regie.holder, got.pendingTransfer]).toEqual([workerHolder(a, team), null]);
    expectProblem(
      await post(`/v1/households/${householdId}/regie/transfers/${transferId}/accept`, c),
      409,
      'TransferNotPending',
      2,
    );
  });

  it('leaves regie where it is when it changed hands since: the rejection is recorded, nothing moves', async () => {
    const { team, b, householdId, takeoverId } = await takenOver();
    await post(`/v1/households/${householdId}/regie/return-to-household`, b, { agreedBy: PARENT }).expect(
      200,
    );

    const res = await reject(householdId, takeoverId, team.lead).expect(200);

    expect(res.body).toMatchObject({ regieReturned: false, holder: { kind: 'household' } });
    const intervals = await history(householdId);
    expect(intervals.map((i) => i.cause)).toEqual(['registration', 'safety-takeover', 'return-to-household']);
    expect(intervals[1]).toMatchObject({ confirmation: 'rejected', rejectedBy: team.lead.id });
  });

  it('on a closed plan, confirms and rejects still record; regie stays with the household', async () => {
    const { team, b, householdId, takeoverId } = await takenOver();
    await post(`/v1/households/${householdId}/close`, b, { outcome: 'Afgerond' }).expect(200);

    const res = await reject(householdId, takeoverId, team.lead).expect(200);

    expect(res.body).toMatchObject({ regieReturned: false, holder: { kind: 'household' } });
    expect((await history(householdId)).map((i) => i.cause)).toEqual([
      'registration',
      'safety-takeover',
      'closure',
    ]);
  });
});

describe('regie reasons are read from the events: none in the read model, none after an erasure', () => {
  it('the regie tables hold no reason text; the history shows the reasons until the household is erased', async () => {
    const sql = t.app.get<Sql>(SQL);
    const TRANSFER_REASON = 'Zorgen om Vlindermeer specialist';
    const TAKEOVER_REASON = 'Vlindermeer acuut onveilig';
    const REJECTION_REASON = 'Vlindermeer bleek veilig';
    const team = await seedTeam(t, { workers: 3 });
    const [a, b, c] = team.workers as [Person, Person, Person];
    const householdId = await seedHousehold(t, team, { regieWorker: a });
    const transferId = uniq('tr');
    await post(`/v1/households/${householdId}/regie/transfers`, a, {
      transferId,
      to: { kind: 'worker', id: c.id },
      reason: TRANSFER_REASON,
    }).expect(201);
    await post(`/v1/households/${householdId}/regie/transfers/${transferId}/accept`, c).expect(200);
    const { takeoverId } = (await takeOver(householdId, b, TAKEOVER_REASON).expect(200)).body;
    await reject(householdId, takeoverId, team.lead, REJECTION_REASON).expect(200);
    // Regie is back with c (who held it before the takeover). One left pending, whose reason the
    // pending table refers to.
    const pending = uniq('tr');
    await post(`/v1/households/${householdId}/regie/transfers`, c, {
      transferId: pending,
      to: { kind: 'worker', id: a.id },
      reason: TRANSFER_REASON,
    }).expect(201);

    const shown = JSON.stringify(await history(householdId));
    for (const reason of [TRANSFER_REASON, TAKEOVER_REASON, REJECTION_REASON])
      expect(shown).toContain(reason);
    const { rows } = await sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM regie_intervals r WHERE r::text ILIKE '%Vlindermeer%')
            + (SELECT count(*) FROM regie_pending_transfers r WHERE r::text ILIKE '%Vlindermeer%')
            + (SELECT count(*) FROM regie_safety_takeovers r WHERE r::text ILIKE '%Vlindermeer%') AS n`,
    );
    expect(Number(rows[0]!.n)).toBe(0);
    const { rows: refs } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM regie_intervals WHERE household_id = $1 AND reason_version IS NOT NULL`,
      [householdId],
    );
    expect(refs[0]!.n).toBe(3);

    await post(`/v1/households/${householdId}/regie/transfers/${pending}/cancel`, c, {
      reason: 'Toch niet',
    }).expect(200);
    await post(`/v1/households/${householdId}/close`, c, { outcome: 'Afgerond' }).expect(200);
    const erased = await post(`/v1/households/${householdId}/erasure`, admin(t), {
      reason: 'AVG art. 17, 2026-7',
    });
    expect([200, 202]).toContain(erased.status);

    await eventually(async () => {
      const after = await history(householdId);
      expect(JSON.stringify(after)).not.toContain('Vlindermeer');
      expect(after.map((i) => i.cause)).toEqual([
        'registration',
        'transfer',
        'safety-takeover',
        'safety-takeover-rejected',
        'closure',
      ]);
    });
    const report = await t.http().get('/v1/audit/handoffs').query({ teamId: team.teamId }).set(auditor(t).as);
    expect(report.status).toBe(200);
    expect(report.text).not.toContain('Vlindermeer');
  });
});

describe('the OpenAPI document', () => {
  it('documents the break-glass routes, and no approver in the takeover body', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { description?: string; requestBody?: unknown }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    };
    const base = '/v1/households/{id}/regie/safety-takeover';
    for (const [path, method] of [
      [base, 'post'],
      [`${base}/{takeoverId}/confirm`, 'post'],
      [`${base}/{takeoverId}/reject`, 'post'],
      ['/v1/regie/safety-takeovers/unconfirmed', 'get'],
    ] as const) {
      expect({ path, method, documented: typeof doc.paths[path]?.[method] }).toEqual({
        path,
        method,
        documented: 'object',
      });
    }
    const body = doc.components.schemas.SafetyTakeoverDto!;
    // `meldcode` (optional) starts a meldcode track in the same append (docs/MELDCODE.md); still no approver.
    expect(Object.keys(body.properties).sort()).toEqual(['meldcode', 'reason', 'takeoverId']);
    expect(body.required).toEqual(['reason']);
  });
});

// Last in the file: it moves the shared clock on by days.
describe('takeovers left unconfirmed past SAFETY_CONFIRM_HOURS', () => {
  it('are listed for the team’s leads and auditors, flagged, announced once by the sweep, and leave the list when decided', async () => {
    const team = await seedTeam(t, { workers: 3 });
    const other = await seedTeam(t, { workers: 0 });
    const households = [] as { householdId: string; takeoverId: string }[];
    for (const [i, taker] of team.workers.entries()) {
      const householdId = await seedHousehold(t, team, { regieWorker: team.workers[(i + 1) % 3] });
      households.push({
        householdId,
        takeoverId: (await takeOver(householdId, taker).expect(200)).body.takeoverId,
      });
    }
    const ours = { teamId: team.teamId };

    // Not yet past the hours: listed nowhere, not overdue, the sweep announces nothing.
    expect((await unconfirmed(team.lead).expect(200)).body).toMatchObject({
      confirmHours: 24,
      takeovers: [],
      next: null,
    });
    expect((await t.app.get(SafetyTakeoverSweep).run()).announced).toBe(0);
    expect((await history(households[0]!.householdId))[1]).toMatchObject({ confirmationOverdue: false });

    t.clock.advance(24 * HOUR);

    const listed = (await unconfirmed(team.lead, { limit: '2' }).expect(200)).body;
    expect(listed.takeovers).toEqual([
      {
        householdId: households[0]!.householdId,
        takeoverId: households[0]!.takeoverId,
        teamId: team.teamId,
        takenBy: team.workers[0]!.id,
        takenAt: expect.any(String),
        previousHolder: { kind: 'worker', id: team.workers[1]!.id },
      },
      expect.objectContaining({ householdId: households[1]!.householdId }),
    ]);
    const page2 = (await unconfirmed(team.lead, { limit: '2', cursor: listed.next }).expect(200)).body;
    expect(page2.takeovers.map((x: { householdId: string }) => x.householdId)).toEqual([
      households[2]!.householdId,
    ]);
    expect(page2.next).toBeNull();
    // Auditors see every team's, and filter by team; the same three.
    const audited = (await unconfirmed(auditor(t), { ...ours, limit: '200' }).expect(200)).body;
    expect(audited.takeovers).toHaveLength(3);
    // Another team's lead sees none of them, and may not ask for this team's.
    expect((await unconfirmed(other.lead).expect(200)).body.takeovers).toEqual([]);
    expect((await unconfirmed(other.lead, ours)).status).toBe(403);
    expectProblem(await unconfirmed(team.lead, { cursor: 'not-a-cursor' }), 400, 'InvalidCursor');
    // A well-formed cursor with a date PostgreSQL would refuse is a 400, never the database's 500;
    // so is another list's cursor with a valid key.
    const made = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const feb30 = ['unconfirmed-takeovers', '2026-02-30T10:00:00.000Z', 'h-1', 't-1'];
    expectProblem(await unconfirmed(team.lead, { cursor: made(feb30) }), 400, 'InvalidCursor');
    const unscoped = ['2026-02-30T10:00:00.000Z', 'h-1', 't-1'];
    expectProblem(await unconfirmed(team.lead, { cursor: made(unscoped) }), 400, 'InvalidCursor');
    const otherList = ['handoffs', '2026-02-03T10:00:00.000Z', 'h-1', 't-1'];
    expectProblem(await unconfirmed(team.lead, { cursor: made(otherList) }), 400, 'InvalidCursor');
    expectProblem(await unconfirmed(team.lead, { limit: '0' }), 400, 'InvalidLimit');
    expectProblem(await unconfirmed(team.lead, { limit: '201' }), 400, 'InvalidLimit');
    // The history and the handoff report flag them.
    expect((await history(households[0]!.householdId))[1]).toMatchObject({ confirmationOverdue: true });
    const flagged = (await handoffs(team.teamId)).filter((r) => r.cause === 'safety-takeover');
    expect(flagged.map((r) => r.confirmationOverdue)).toEqual([true, true, true]);

    // Two sweeps at once (as two processes would): each takeover announced once.
    const sweep = t.app.get(SafetyTakeoverSweep);
    const runs = await Promise.all([sweep.run(), sweep.run()]);
    // Earlier tests' takeovers are past the hours now too.
    expect(runs[0]!.announced + runs[1]!.announced).toBeGreaterThanOrEqual(3);
    expect((await sweep.run()).announced).toBe(0);
    for (const { householdId, takeoverId } of households) {
      const trail = (
        await t.http().get(`/v1/audit/households/${householdId}/events`).set(auditor(t).as).expect(200)
      ).body.events as { type: string; actor: { kind: string }; data: Record<string, unknown> }[];
      const notices = trail.filter((e) => e.type === 'SafetyTakeoverConfirmationOverdue');
      expect(notices).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining({ kind: 'system' }),
          data: expect.objectContaining({ takeoverId, householdTeamId: team.teamId, confirmHours: 24 }),
        }),
      ]);
    }
    const announced = (await unconfirmed(team.lead).expect(200)).body.takeovers;
    expect(announced.every((x: { announcedAt?: string }) => typeof x.announcedAt === 'string')).toBe(true);

    // Decided late: off the list, no longer overdue.
    await confirm(households[0]!.householdId, households[0]!.takeoverId, team.lead).expect(200);
    await reject(households[1]!.householdId, households[1]!.takeoverId, team.lead).expect(200);
    const left = (await unconfirmed(team.lead).expect(200)).body.takeovers;
    expect(left.map((x: { householdId: string }) => x.householdId)).toEqual([households[2]!.householdId]);
    expect((await history(households[0]!.householdId))[1]).not.toHaveProperty('confirmationOverdue');
  });
});
