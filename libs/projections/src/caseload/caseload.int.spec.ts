/**
 * Caseloads, given household and team events: per household the regie holder, the pending
 * receiver, the status and the announced overdue check-in; per action its owner; volunteer
 * assignments, referrals and team norms. On PGlite and the PostgreSQL server, by `apply` and by the
 * set-based `applyBatch` (projection-spec.suite.ts).
 */
import type { Sql } from '@eenplan/event-store';
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
});
