/**
 * The regie history, given household events: one interval per holder with no gap or overlap
 * (invariant 1), the pending transfer, safety takeovers awaiting confirmation; reasons only by
 * reference (the stream version of the event that holds them). On PGlite and the PostgreSQL server,
 * by `apply` and by the set-based `applyBatch` (projection-spec.suite.ts). The upgrade from the
 * previous release is regie-history.int.spec.ts.
 */
import { describeProjection, recorded, rows } from '../projection-spec.suite';
import { regieHistoryProjection } from './regie-history.projection';

const T0 = '2026-01-05T09:00:00.000Z';
const T1 = '2026-01-06T09:00:00.000Z';
const T2 = '2026-01-07T09:00:00.000Z';
const worker = (id: string) => ({ kind: 'worker', id, teamId: 't-1' });
const on = (h: string, type: string, data: Record<string, unknown>) => recorded(`household-${h}`, type, data);
const registered = (h: string) =>
  on(h, 'HouseholdRegistered', {
    householdId: h,
    teamId: 't-1',
    district: 'noord',
    members: [],
    regie: worker('w-1'),
    registeredAt: T0,
  });
const requested = (h: string, transferId: string) =>
  on(h, 'RegieTransferRequested', {
    transferId,
    from: worker('w-1'),
    to: worker('w-2'),
    requestedBy: 'w-1',
    requestedAt: T1,
  });
const accepted = (h: string, transferId: string) =>
  on(h, 'RegieTransferAccepted', {
    transferId,
    variant: 'forward',
    from: worker('w-1'),
    to: worker('w-2'),
    requestedBy: 'w-1',
    acceptedBy: 'w-2',
    acceptedAt: T2,
    handoverSeconds: 86400,
  });
const breakGlass = (h: string, takeoverId: string) =>
  on(h, 'RegieTakenOverForSafety', {
    takeoverId,
    householdTeamId: 't-1',
    from: worker('w-1'),
    to: worker('w-3'),
    takenAt: T1,
  });

const intervals = rows(
  `SELECT household_id, seq, holder_kind, holder_id, cause, to_char(from_at AT TIME ZONE 'UTC', 'MM-DD') AS from_day,
          to_char(to_at AT TIME ZONE 'UTC', 'MM-DD') AS to_day, transfer_id, reason_version, takeover_id, confirmation
     FROM regie_intervals ORDER BY household_id, seq`,
);
const brief = async (db: Parameters<typeof intervals>[0]) =>
  (await intervals(db)).map((r) => [r.seq, r.holder_id, r.cause, r.from_day, r.to_day]);
const pending = rows(
  `SELECT household_id, transfer_id, reason_version FROM regie_pending_transfers ORDER BY 1`,
);
const awaiting = rows(
  `SELECT household_id, takeover_id, taken_by, from_id, stream_version, announced_at IS NOT NULL AS announced
     FROM regie_safety_takeovers ORDER BY 1, 2`,
);

describeProjection(regieHistoryProjection, (spec) => {
  it('a registration opens the first interval', () =>
    spec.given(registered('h-1')).then(brief, [[1, 'w-1', 'registration', '01-05', null]]));

  it('an accepted transfer closes the interval where the next opens, taking the request as its reason', () => {
    const request = requested('h-1', 'tr-1');
    return spec
      .given(registered('h-1'), request)
      .when(accepted('h-1', 'tr-1'))
      .then(
        async (db) => [await brief(db), (await intervals(db))[1]?.reason_version, await pending(db)],
        [
          [
            [1, 'w-1', 'registration', '01-05', '01-07'],
            [2, 'w-2', 'transfer', '01-07', null],
          ],
          request.streamVersion,
          [],
        ],
      );
  });

  it('a pending transfer by reference; a new request replaces it; a decline removes it', () => {
    const second = requested('h-1', 'tr-2');
    return spec
      .given(registered('h-1'), registered('h-2'), requested('h-1', 'tr-1'), second, requested('h-2', 'tr-3'))
      .when(on('h-2', 'RegieTransferDeclined', { transferId: 'tr-3' }))
      .then(pending, [{ household_id: 'h-1', transfer_id: 'tr-2', reason_version: second.streamVersion }]);
  });

  it('a break-glass takeover awaits confirmation; a confirmation settles it', () =>
    spec
      .given(registered('h-1'), registered('h-2'), breakGlass('h-1', 'to-1'), breakGlass('h-2', 'to-2'))
      .when(on('h-1', 'SafetyTakeoverConfirmed', { takeoverId: 'to-1', confirmedBy: 'l-1', confirmedAt: T2 }))
      .then(
        async (db) => [
          (await intervals(db)).map((r) => [r.household_id, r.seq, r.takeover_id, r.confirmation]),
          (await awaiting(db)).map((r) => [r.household_id, r.takeover_id, r.taken_by, r.from_id]),
        ],
        [
          [
            ['h-1', 1, null, null],
            ['h-1', 2, 'to-1', 'confirmed'],
            ['h-2', 1, null, null],
            ['h-2', 2, 'to-2', 'awaiting-confirmation'],
          ],
          [['h-2', 'to-2', 'w-3', 'w-1']],
        ],
      ));

  it('a rejected takeover is marked and regie goes back in an interval of its own', () =>
    spec
      .given(registered('h-1'), breakGlass('h-1', 'to-1'))
      .when(
        on('h-1', 'SafetyTakeoverRejected', {
          takeoverId: 'to-1',
          rejectedBy: 'l-1',
          rejectedAt: T2,
          regieReturned: { from: worker('w-3'), to: worker('w-1') },
        }),
      )
      .then(
        async (db) => [await brief(db), (await intervals(db)).map((r) => r.confirmation), await awaiting(db)],
        [
          [
            [1, 'w-1', 'registration', '01-05', '01-06'],
            [2, 'w-3', 'safety-takeover', '01-06', '01-07'],
            [3, 'w-1', 'safety-takeover-rejected', '01-07', null],
          ],
          [null, 'rejected', null],
          [],
        ],
      ));

  it('an overdue confirmation is marked announced', () =>
    spec
      .given(registered('h-1'), breakGlass('h-1', 'to-1'))
      .when(on('h-1', 'SafetyTakeoverConfirmationOverdue', { takeoverId: 'to-1', detectedAt: T2 }))
      .then(async (db) => (await awaiting(db)).map((r) => r.announced), [true]));

  it('a takeover from the release before break-glass is shown as named by the taker', () =>
    spec
      .given(
        registered('h-1'),
        on('h-1', 'RegieTakenOverForSafety', {
          from: worker('w-1'),
          to: worker('w-3'),
          approvedBy: 'l-1',
          takenAt: T1,
        }),
      )
      .then(
        async (db) => [(await intervals(db)).map((r) => r.confirmation), await awaiting(db)],
        [[null, 'named-by-taker'], []],
      ));

  it('regie returned to the household and a closure hand it to the household; a closure while it holds it changes nothing', () =>
    spec
      .given(
        registered('h-1'),
        registered('h-2'),
        on('h-1', 'RegieReturnedToHousehold', { returnedAt: T1, returnedBy: 'w-1', agreedBy: 'm-1' }),
      )
      .when(
        on('h-1', 'PlanClosed', { regieEndedFor: { kind: 'household' }, closedAt: T2, closedBy: 'w-1' }),
        on('h-2', 'PlanClosed', { regieEndedFor: worker('w-1'), closedAt: T2, closedBy: 'w-1' }),
      )
      .then(
        async (db) =>
          (await intervals(db)).map((r) => [r.household_id, r.seq, r.holder_kind, r.holder_id, r.cause]),
        [
          ['h-1', 1, 'worker', 'w-1', 'registration'],
          ['h-1', 2, 'household', 'h-1', 'return-to-household'],
          ['h-2', 1, 'worker', 'w-1', 'registration'],
          ['h-2', 2, 'household', 'h-2', 'closure'],
        ],
      ));

  it('an erasure takes the pending transfer and the takeover awaiting confirmation off the lists; the intervals stay', () =>
    spec
      .given(registered('h-1'), requested('h-1', 'tr-1'), breakGlass('h-1', 'to-1'))
      .when(on('h-1', 'HouseholdDataErased', { erasedAt: T2 }))
      .then(
        async (db) => [(await intervals(db)).length, await pending(db), await awaiting(db)],
        [2, [], []],
      ));

  it('events on other streams are ignored', () =>
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
      )
      .then(intervals, []));
});
