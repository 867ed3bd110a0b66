/**
 * Caseloads, given household and team events: per household the regie holder, the pending
 * receiver, the status and the announced overdue check-in; per action its owner; volunteer
 * assignments, referrals and team norms. On PGlite and the PostgreSQL server, by `apply` and by the
 * set-based `applyBatch` (projection-spec.suite.ts).
 */
import { createSql, migrate, type RecordedEvent, type Sql } from '@eenplan/event-store';
import { describeProjection, recorded, rows } from '../projection-spec.suite';
import { caseloadProjection } from './caseload.projection';
import { CaseloadQueries } from './caseload.queries';

const T0 = '2026-01-05T09:00:00.000Z';
const T1 = '2026-01-06T09:00:00.000Z';
const T2 = '2026-01-07T09:00:00.000Z';
const worker = (id: string) => ({ kind: 'worker', id, teamId: 't-1' });
const on = (h: string, type: string, data: Record<string, unknown>) => recorded(`household-${h}`, type, data);
const registered = (h: string, regie: Record<string, unknown> = worker('w-1')) =>
  on(h, 'HouseholdRegistered', {
    householdId: h,
    teamId: 't-1',
    district: 'noord',
    members: [],
    regie,
    registeredAt: T0,
  });
const requested = (h: string, transferId: string, to: string) =>
  on(h, 'RegieTransferRequested', {
    transferId,
    from: worker('w-1'),
    to: worker(to),
    requestedBy: 'w-1',
    requestedAt: T1,
  });

const households = rows(
  `SELECT household_id, status, regie_worker_id, regie_since::text <> '' AS has_since,
          to_char(regie_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS since,
          pending_transfer_id, pending_receiver_id, pending_requested_by, overdue_check_in_due_on
     FROM caseload_households ORDER BY household_id`,
);
const household = (over: Record<string, unknown>) => ({
  household_id: 'h-1',
  status: 'active',
  regie_worker_id: 'w-1',
  has_since: true,
  since: '2026-01-05T09:00',
  pending_transfer_id: null,
  pending_receiver_id: null,
  pending_requested_by: null,
  overdue_check_in_due_on: null,
  ...over,
});
const regieOf = async (db: Sql) =>
  (await households(db)).map((r) => [r.household_id, r.regie_worker_id, r.since]);

describeProjection(caseloadProjection, (spec) => {
  it('a registration with a worker holding regie makes the household row; seen twice, one row', () =>
    spec.given(registered('h-1'), registered('h-1', worker('w-2'))).then(households, [household({})]));

  it('a household holding its own regie has no regie worker', () =>
    spec
      .given(registered('h-1', { kind: 'household' }))
      .then(households, [household({ regie_worker_id: null })]));

  it('a transfer request shows the pending receiver; a decline or cancel clears it', () =>
    spec
      .given(
        registered('h-1'),
        registered('h-2'),
        requested('h-1', 'tr-1', 'w-2'),
        requested('h-2', 'tr-2', 'w-3'),
      )
      .when(
        on('h-1', 'RegieTransferDeclined', { transferId: 'tr-1' }),
        on('h-2', 'RegieTransferCancelled', { transferId: 'tr-2' }),
      )
      .then(async (db) => (await households(db)).map((r) => r.pending_receiver_id), [null, null]));

  it('a pending transfer, as the receiver sees it', () =>
    spec
      .given(registered('h-1'), requested('h-1', 'tr-1', 'w-2'))
      .then(households, [
        household({ pending_transfer_id: 'tr-1', pending_receiver_id: 'w-2', pending_requested_by: 'w-1' }),
      ]));

  it('an accepted transfer moves regie and clears the pending transfer', () =>
    spec
      .given(registered('h-1'), requested('h-1', 'tr-1', 'w-2'))
      .when(
        on('h-1', 'RegieTransferAccepted', {
          transferId: 'tr-1',
          from: worker('w-1'),
          to: worker('w-2'),
          acceptedAt: T2,
        }),
      )
      .then(households, [household({ regie_worker_id: 'w-2', since: '2026-01-07T09:00' })]));

  it('a safety takeover moves regie; its rejection moves it back', () =>
    spec
      .given(
        registered('h-1'),
        on('h-1', 'RegieTakenOverForSafety', {
          from: worker('w-1'),
          to: worker('w-2'),
          approvedBy: 'l-1',
          takenAt: T1,
        }),
      )
      .when(
        on('h-1', 'SafetyTakeoverRejected', {
          rejectedAt: T2,
          regieReturned: { from: worker('w-2'), to: worker('w-1') },
        }),
      )
      .then(regieOf, [['h-1', 'w-1', '2026-01-07T09:00']]));

  it('a rejection that returned nothing leaves regie where it is', () =>
    spec
      .given(
        registered('h-1'),
        on('h-1', 'RegieTakenOverForSafety', {
          from: worker('w-1'),
          to: worker('w-2'),
          approvedBy: 'l-1',
          takenAt: T1,
        }),
      )
      .when(on('h-1', 'SafetyTakeoverRejected', { rejectedAt: T2, regieReturned: null }))
      .then(regieOf, [['h-1', 'w-2', '2026-01-06T09:00']]));

  it('regie returned to the household; a closed plan ends a worker regie; an unknown household changes nothing', () =>
    spec
      .given(registered('h-1'), registered('h-2'), on('h-1', 'RegieReturnedToHousehold', { returnedAt: T1 }))
      .when(
        on('h-2', 'PlanClosed', { regieEndedFor: worker('w-1'), closedAt: T2 }),
        recorded('household-h-3', 'PlanReopened', {}),
      )
      .then(
        async (db) => (await households(db)).map((r) => [r.household_id, r.status, r.regie_worker_id]),
        [
          ['h-1', 'active', null],
          ['h-2', 'closed', null],
        ],
      ));

  it('a reopened plan is active again', () =>
    spec
      .given(
        registered('h-1'),
        on('h-1', 'PlanClosed', { regieEndedFor: { kind: 'household' }, closedAt: T1 }),
      )
      .when(on('h-1', 'PlanReopened', {}))
      .then(
        async (db) => (await households(db)).map((r) => [r.status, r.regie_worker_id]),
        [['active', 'w-1']],
      ));

  it('actions by owner, completed or not; the worker caseload counts the open ones', () =>
    spec
      .given(
        registered('h-1', worker('w-2')),
        on('h-1', 'ActionAdded', { actionId: 'a-1', owner: worker('w-1') }),
        on('h-1', 'ActionAdded', { actionId: 'a-2', owner: worker('w-1') }),
        on('h-1', 'ActionAdded', { actionId: 'a-1', owner: worker('w-9') }),
      )
      .when(on('h-1', 'ActionCompleted', { actionId: 'a-2' }))
      .then(
        async (db) => {
          const c = await new CaseloadQueries(db).forWorker('w-1');
          return [
            await rows(`SELECT action_id, owner_id, completed FROM caseload_actions ORDER BY action_id`)(db),
            c.households.map((h) => [h.householdId, h.roles, h.openActions]),
          ];
        },
        [
          [
            { action_id: 'a-1', owner_id: 'w-1', completed: false },
            { action_id: 'a-2', owner_id: 'w-1', completed: true },
          ],
          [['h-1', ['action-owner'], 1]],
        ],
      ));

  it('an announced overdue check-in keeps the first date; a contact sets it; a schedule or end clears it', () =>
    spec
      .given(
        registered('h-1'),
        registered('h-2'),
        registered('h-3'),
        on('h-1', 'CheckInOverdue', { dueOn: '2026-01-05', everyWeeks: 2 }),
        on('h-2', 'CheckInOverdue', { dueOn: '2026-01-05', everyWeeks: 2 }),
        on('h-3', 'CheckInOverdue', { dueOn: '2026-01-05', everyWeeks: 2 }),
      )
      .when(
        on('h-1', 'CheckInOverdue', { dueOn: '2026-01-19', everyWeeks: 2 }),
        on('h-2', 'CheckInContactRecorded', {
          contactOn: '2026-01-20',
          nextDueOn: '2026-02-03',
          overdueDueOn: null,
        }),
        on('h-3', 'CheckInCadenceEnded', {}),
      )
      .then(
        async (db) => (await households(db)).map((r) => r.overdue_check_in_due_on),
        ['2026-01-05', null, null],
      ));

  it('volunteer assignments and referrals per household, with their status', () =>
    spec
      .given(
        registered('h-1'),
        on('h-1', 'VolunteerAssigned', { assignmentId: 'as-1', volunteerId: 'v-1', hoursPerWeek: 2 }),
        on('h-1', 'VolunteerAssigned', { assignmentId: 'as-2', volunteerId: 'v-2', hoursPerWeek: 1 }),
        on('h-1', 'ReferralRequested', { referralId: 'r-1', organisationId: 'o-1' }),
        on('h-1', 'ReferralRequested', { referralId: 'r-2', organisationId: 'o-1' }),
        on('h-1', 'ReferralRequested', { referralId: 'r-3', organisationId: 'o-2' }),
      )
      .when(
        on('h-1', 'VolunteerAssignmentEnded', { assignmentId: 'as-2' }),
        on('h-1', 'ReferralAccepted', { referralId: 'r-1' }),
        on('h-1', 'ReferralCompleted', { referralId: 'r-2' }),
        on('h-1', 'ReferralWithdrawn', { referralId: 'r-3' }),
        on('h-1', 'ReferralRequested', { referralId: 'r-3', organisationId: 'o-9' }),
      )
      .then(
        async (db) => [
          await rows(
            `SELECT assignment_id, hours_per_week::text AS hours, open FROM caseload_assignments ORDER BY 1`,
          )(db),
          await rows(`SELECT referral_id, organisation_id, status FROM caseload_referrals ORDER BY 1`)(db),
        ],
        [
          [
            { assignment_id: 'as-1', hours: '2', open: true },
            { assignment_id: 'as-2', hours: '1', open: false },
          ],
          [
            { referral_id: 'r-1', organisation_id: 'o-1', status: 'accepted' },
            { referral_id: 'r-2', organisation_id: 'o-1', status: 'completed' },
            { referral_id: 'r-3', organisation_id: 'o-2', status: 'withdrawn' },
          ],
        ],
      ));

  it("a team's norm, from whatever stream; the last one counts", () =>
    spec
      .given(recorded('team-t-1', 'TeamCaseloadNormSet', { teamId: 't-1', householdsPerWorker: 20 }))
      .when(recorded('team-t-1', 'TeamCaseloadNormSet', { teamId: 't-1', householdsPerWorker: 25 }))
      .then(
        async (db) => [
          await new CaseloadQueries(db).normOf('t-1'),
          await new CaseloadQueries(db).normOf('t-2'),
        ],
        [25, null],
      ));

  it('events on other streams, and unknown households, change nothing', () =>
    spec
      .given(
        recorded('team-t-1', 'HouseholdRegistered', {
          householdId: 'h-1',
          teamId: 't-1',
          district: 'noord',
          members: [],
          regie: worker('w-1'),
          registeredAt: T0,
        }),
        on('h-9', 'RegieReturnedToHousehold', { returnedAt: T1 }),
        on('h-9', 'ActionCompleted', { actionId: 'a-1' }),
      )
      .then(households, []));

  it("a team's and each worker's counts are kept as the rows change, equal to counting the rows", () =>
    spec
      .given(
        registered('h-1'),
        on('h-1', 'ActionAdded', { actionId: 'a-1', owner: worker('w-1') }),
        on('h-1', 'ActionAdded', { actionId: 'a-2', owner: worker('w-2') }),
        on('h-1', 'ActionAdded', { actionId: 'a-3', owner: { kind: 'household', id: 'h-1' } }),
        on('h-1', 'ActionCompleted', { actionId: 'a-2' }),
        on('h-1', 'VolunteerAssigned', { assignmentId: 'as-1', volunteerId: 'v-1', hoursPerWeek: 2 }),
        on('h-1', 'ReferralRequested', { referralId: 'r-1', organisationId: 'o-1' }),
        requested('h-1', 'tr-1', 'w-2'),
        registered('h-2', { kind: 'household' }),
        on('h-2', 'CheckInOverdue', { dueOn: '2026-01-05', everyWeeks: 2 }),
        on('h-2', 'ReferralRequested', { referralId: 'r-2', organisationId: 'o-1' }),
        on('h-2', 'ReferralCompleted', { referralId: 'r-2' }),
        on('h-2', 'VolunteerAssigned', { assignmentId: 'as-2', volunteerId: 'v-2', hoursPerWeek: 1 }),
        on('h-2', 'VolunteerAssignmentEnded', { assignmentId: 'as-2' }),
        on('h-3', 'HouseholdRegistered', {
          householdId: 'h-3',
          teamId: 't-2',
          district: 'zuid',
          members: [],
          regie: worker('w-2'),
          registeredAt: T0,
        }),
        requested('h-3', 'tr-3', 'w-1'),
        on('h-3', 'PlanClosed', { regieEndedFor: worker('w-2'), closedAt: T1 }),
        // Unknown household: counted nowhere.
        on('h-9', 'VolunteerAssigned', { assignmentId: 'as-9', volunteerId: 'v-9', hoursPerWeek: 1 }),
      )
      .when(
        on('h-1', 'RegieTransferAccepted', {
          transferId: 'tr-1',
          from: worker('w-1'),
          to: worker('w-2'),
          acceptedAt: T2,
        }),
        on('h-3', 'PlanReopened', {}),
        on('h-2', 'CheckInContactRecorded', {
          contactOn: '2026-01-20',
          nextDueOn: '2026-02-03',
          overdueDueOn: null,
        }),
        on('h-2', 'ReferralRequested', { referralId: 'r-3', organisationId: 'o-2' }),
        on('h-1', 'ReferralAccepted', { referralId: 'r-1' }),
        requested('h-2', 'tr-2', 'w-1'),
      )
      .then(
        countedBothWays,
        (() => {
          // The same counts, kept by the triggers and recounted from the rows.
          const counts = {
            teams: [
              {
                team_id: 't-1',
                households: 2,
                active: 2,
                eigen_regie: 1,
                pending_transfers: 1,
                overdue_check_ins: 0,
                open_assignments: 1,
                open_referrals: 2,
              },
              {
                team_id: 't-2',
                households: 1,
                active: 1,
                eigen_regie: 1,
                pending_transfers: 0,
                overdue_check_ins: 0,
                open_assignments: 0,
                open_referrals: 0,
              },
            ],
            workers: [
              { worker_id: 'w-1', regie: 0, pending_receiver: 1, open_actions: 1 },
              { worker_id: 'w-2', regie: 1, pending_receiver: 0, open_actions: 0 },
            ],
          };
          return { kept: counts, recounted: counts };
        })(),
      ));
});

/**
 * The counts the triggers keep (rows all zero are no row), and the same counted from the rows as
 * the team caseload did before it kept them.
 */
async function countedBothWays(db: Sql) {
  const num = <T extends Record<string, unknown>>(list: T[]) =>
    list.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /_id$/.test(k) ? v : Number(v)])),
    );
  return {
    kept: {
      teams: num(
        await rows(
          `SELECT * FROM caseload_team_counts
            WHERE households <> 0 OR open_assignments <> 0 OR open_referrals <> 0 ORDER BY team_id`,
        )(db),
      ),
      workers: num(
        await rows(
          `SELECT * FROM caseload_worker_counts
            WHERE regie <> 0 OR pending_receiver <> 0 OR open_actions <> 0 ORDER BY worker_id`,
        )(db),
      ),
    },
    recounted: {
      teams: num(
        await rows(
          `SELECT h.team_id, count(*) AS households,
                  count(*) FILTER (WHERE status = 'active') AS active,
                  count(*) FILTER (WHERE status = 'active' AND regie_worker_id IS NULL) AS eigen_regie,
                  count(*) FILTER (WHERE pending_transfer_id IS NOT NULL) AS pending_transfers,
                  count(*) FILTER (WHERE overdue_check_in_due_on IS NOT NULL) AS overdue_check_ins,
                  sum((SELECT count(*) FROM caseload_assignments s WHERE s.household_id = h.household_id AND s.open))
                    AS open_assignments,
                  sum((SELECT count(*) FROM caseload_referrals f WHERE f.household_id = h.household_id
                        AND f.status IN ('requested', 'accepted'))) AS open_referrals
             FROM caseload_households h GROUP BY h.team_id ORDER BY h.team_id`,
        )(db),
      ),
      workers: num(
        await rows(
          `SELECT w AS worker_id,
                  (SELECT count(*) FROM caseload_households WHERE regie_worker_id = w) AS regie,
                  (SELECT count(*) FROM caseload_households WHERE pending_receiver_id = w) AS pending_receiver,
                  (SELECT count(*) FROM caseload_actions WHERE owner_kind = 'worker' AND owner_id = w
                      AND NOT completed) AS open_actions
             FROM (SELECT regie_worker_id AS w FROM caseload_households
                   UNION SELECT pending_receiver_id FROM caseload_households
                   UNION SELECT owner_id FROM caseload_actions WHERE owner_kind = 'worker' AND NOT completed) ws
            WHERE w IS NOT NULL ORDER BY w`,
        )(db),
      ),
    },
  };
}

/**
 * Random histories (seeded: a failure names its seed), applied in random batches by either way: the
 * kept counts equal a count of the rows after each batch; emptying the tables as a reset does leaves
 * no count behind; and migration 0430 on a database that already holds rows counts them.
 */
describe('caseload counts on random histories (PGlite)', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await createSql({});
  });
  afterAll(async () => {
    await sql?.close();
  });

  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** A history of `length` events over six households in two teams and four workers. */
  const history = (seed: number, length: number): RecordedEvent[] => {
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const workers = ['w-1', 'w-2', 'w-3', 'w-4'];
    const holder = () => (next() < 0.2 ? { kind: 'household' } : worker(pick(workers)));
    const events: RecordedEvent[] = [];
    let n = 0;
    for (let i = 0; i < length; i++) {
      const h = `r${seed}-${pick([1, 2, 3, 4, 5, 6])}`;
      const id = `${++n}`;
      const choice = pick([
        () =>
          on(h, 'HouseholdRegistered', {
            householdId: h,
            teamId: pick(['t-1', 't-2']),
            district: 'noord',
            members: [],
            regie: holder(),
            registeredAt: T0,
          }),
        () =>
          on(h, 'ActionAdded', {
            actionId: `a-${pick([1, 2, 3])}`,
            owner: next() < 0.8 ? worker(pick(workers)) : { kind: 'household', id: h },
          }),
        () => on(h, 'ActionCompleted', { actionId: `a-${pick([1, 2, 3])}` }),
        () => requested(h, `tr-${id}`, pick(workers)),
        () => on(h, pick(['RegieTransferDeclined', 'RegieTransferCancelled']), { transferId: `tr-${id}` }),
        () =>
          on(h, 'RegieTransferAccepted', {
            transferId: `tr-${id}`,
            from: worker('w-1'),
            to: holder(),
            acceptedAt: T2,
          }),
        () =>
          on(h, 'RegieTakenOverForSafety', {
            from: worker('w-1'),
            to: worker(pick(workers)),
            approvedBy: 'l-1',
            takenAt: T1,
          }),
        () => on(h, 'RegieReturnedToHousehold', { returnedAt: T1 }),
        () => on(h, 'PlanClosed', { regieEndedFor: holder(), closedAt: T2 }),
        () => on(h, 'PlanReopened', {}),
        () => on(h, 'CheckInOverdue', { dueOn: '2026-01-05', everyWeeks: 2 }),
        () =>
          on(h, 'CheckInContactRecorded', {
            contactOn: '2026-01-20',
            nextDueOn: '2026-02-03',
            overdueDueOn: next() < 0.5 ? null : '2026-01-19',
          }),
        () => on(h, 'CheckInCadenceEnded', {}),
        () =>
          on(h, 'VolunteerAssigned', {
            assignmentId: `as-${pick([1, 2])}`,
            volunteerId: 'v-1',
            hoursPerWeek: 2,
          }),
        () => on(h, 'VolunteerAssignmentEnded', { assignmentId: `as-${pick([1, 2])}` }),
        () => on(h, 'ReferralRequested', { referralId: `r-${pick([1, 2])}`, organisationId: 'o-1' }),
        () =>
          on(h, pick(['ReferralAccepted', 'ReferralCompleted', 'ReferralWithdrawn']), {
            referralId: `r-${pick([1, 2])}`,
          }),
      ]);
      events.push(choice());
    }
    return events;
  };

  const emptyAll = async () =>
    sql.transaction(async (tx) => {
      for (const table of caseloadProjection.tables) await tx.query(`DELETE FROM ${table}`);
    });

  it('the kept counts equal a count of the rows after every batch, by apply and by applyBatch', async () => {
    await migrate(sql, [...caseloadProjection.migrations]);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      await emptyAll();
      const next = random(seed * 7919);
      const events = history(seed, 120);
      for (let i = 0; i < events.length;) {
        const batch = events.slice(i, (i += 1 + Math.floor(next() * 15)));
        await sql.transaction(async (tx) => {
          if (next() < 0.5) for (const e of batch) await caseloadProjection.apply(tx, e);
          else await caseloadProjection.applyBatch!(tx, batch);
        });
        const counted = await countedBothWays(sql);
        if (JSON.stringify(counted.kept) !== JSON.stringify(counted.recounted))
          expect({ seed, after: i, ...counted.kept }).toEqual({ seed, after: i, ...counted.recounted });
      }
      // The history counted something, so the comparison above was not between two empty lists.
      expect((await countedBothWays(sql)).recounted.teams.length).toBeGreaterThan(0);
      // Emptying the rows (as a reset does, the counts last) takes every count back to zero.
      await sql.transaction(async (tx) => {
        for (const table of caseloadProjection.tables.filter((t) => !t.endsWith('_counts')))
          await tx.query(`DELETE FROM ${table}`);
      });
      expect(await countedBothWays(sql)).toEqual({
        kept: { teams: [], workers: [] },
        recounted: { teams: [], workers: [] },
      });
    }
  });

  it('migration 0430 on a database that already holds caseload rows counts them', async () => {
    const before = await createSql({});
    try {
      const earlier = caseloadProjection.migrations.filter((m) => m.id < '0430');
      expect(earlier.length).toBeLessThan(caseloadProjection.migrations.length);
      await migrate(before, earlier);
      await before.transaction(async (tx) => {
        for (const e of history(99, 150)) await caseloadProjection.apply(tx, e);
      });
      await migrate(before, [...caseloadProjection.migrations]);
      const counted = await countedBothWays(before);
      expect(counted.recounted.teams.length).toBeGreaterThan(0);
      expect(counted.recounted.workers.length).toBeGreaterThan(0);
      expect(counted.kept).toEqual(counted.recounted);
    } finally {
      await before.close();
    }
  });
});
