/**
 * Check-in cadences, given household events: the next due date, the last contact, which overdue
 * dates were announced, and what the sweep still has to announce. On PGlite and the PostgreSQL
 * server, by `apply` and by the set-based `applyBatch` (projection-spec.suite.ts).
 */
import { describeProjection, recorded, rows } from '../projection-spec.suite';
import { overdueCheckInsProjection } from './overdue-check-ins.projection';
import { OverdueCheckInsQueries } from './overdue-check-ins.queries';

const on = (h: string, type: string, data: Record<string, unknown>) => recorded(`household-${h}`, type, data);
const registered = (h: string, teamId = 't-1') =>
  on(h, 'HouseholdRegistered', {
    householdId: h,
    teamId,
    district: 'noord',
    members: [],
    regie: { kind: 'worker', id: 'w-1', teamId },
    registeredAt: '2026-01-05T09:00:00.000Z',
  });
const scheduled = (h: string, startsOn: string, everyWeeks = 2) =>
  on(h, 'CheckInCadenceScheduled', { cadenceId: `c-${h}`, everyWeeks, startsOn });
const contact = (h: string, contactOn: string, nextDueOn: string, overdueDueOn: string | null = null) =>
  on(h, 'CheckInContactRecorded', { contactOn, nextDueOn, overdueDueOn });
const overdue = (h: string, dueOn: string, everyWeeks = 2) => on(h, 'CheckInOverdue', { dueOn, everyWeeks });

const cadences = rows(
  `SELECT household_id, team_id, plan_status, cadence_id, every_weeks, starts_on, next_due_on, last_contact_on,
          overdue_due_on, announced_through, next_unannounced_due_on
     FROM check_in_cadences ORDER BY household_id`,
);
const row = (over: Record<string, unknown>) => ({
  household_id: 'h-1',
  team_id: 't-1',
  plan_status: 'active',
  cadence_id: null,
  every_weeks: null,
  starts_on: null,
  next_due_on: null,
  last_contact_on: null,
  overdue_due_on: null,
  announced_through: null,
  next_unannounced_due_on: null,
  ...over,
});
const withCadence = { cadence_id: 'c-h-1', every_weeks: 2, starts_on: '2026-01-05' };

describeProjection(overdueCheckInsProjection, (spec) => {
  it('a registered household has a row without cadence; a registration seen twice is one row', () =>
    spec.given(registered('h-1'), registered('h-1', 't-2')).then(cadences, [row({})]));

  it('a schedule sets the first due date, still to announce', () =>
    spec
      .given(registered('h-1'))
      .when(scheduled('h-1', '2026-01-05'))
      .then(cadences, [
        row({ ...withCadence, next_due_on: '2026-01-05', next_unannounced_due_on: '2026-01-05' }),
      ]));

  it('an announced overdue date moves the sweep on by one period, and the queries call it announced', () =>
    spec
      .given(registered('h-1'), scheduled('h-1', '2026-01-05'))
      .when(overdue('h-1', '2026-01-05'))
      .then(
        async (db) => [
          await cadences(db),
          (await new OverdueCheckInsQueries(db).forHousehold('h-1', '2026-01-10'))?.overdue,
          await new OverdueCheckInsQueries(db).awaitingAnnouncement('2026-01-10'),
        ],
        [
          [
            row({
              ...withCadence,
              next_due_on: '2026-01-05',
              overdue_due_on: '2026-01-05',
              announced_through: '2026-01-05',
              next_unannounced_due_on: '2026-01-19',
            }),
          ],
          { dueOn: '2026-01-05', daysOverdue: 5, missedDueDates: 1, announced: true },
          [],
        ],
      ));

  it('a contact sets the next due date, never before the dates already announced', () =>
    spec
      .given(registered('h-1'), scheduled('h-1', '2026-01-05'), overdue('h-1', '2026-01-05'))
      .when(contact('h-1', '2026-01-08', '2026-01-12'))
      .then(cadences, [
        row({
          ...withCadence,
          next_due_on: '2026-01-12',
          last_contact_on: '2026-01-08',
          announced_through: '2026-01-05',
          next_unannounced_due_on: '2026-01-19',
        }),
      ]));

  it('a contact recorded late (an earlier day) does not move the last contact back', () =>
    spec
      .given(registered('h-1'), scheduled('h-1', '2026-01-05'), contact('h-1', '2026-01-10', '2026-01-19'))
      .when(contact('h-1', '2026-01-06', '2026-01-19'))
      .then(async (db) => (await cadences(db)).map((r) => r.last_contact_on), ['2026-01-10']));

  it('a second announcement keeps the first overdue date', () =>
    spec
      .given(registered('h-1'), scheduled('h-1', '2026-01-05'), overdue('h-1', '2026-01-05'))
      .when(overdue('h-1', '2026-01-19'))
      .then(
        async (db) =>
          (await cadences(db)).map((r) => [r.overdue_due_on, r.announced_through, r.next_unannounced_due_on]),
        [['2026-01-05', '2026-01-19', '2026-02-02']],
      ));

  it('an ended cadence clears the dates; closing and reopening the plan set its status', () =>
    spec
      .given(registered('h-1'), scheduled('h-1', '2026-01-05'), on('h-1', 'PlanClosed', {}))
      .when(on('h-1', 'CheckInCadenceEnded', {}), on('h-1', 'PlanReopened', {}))
      .then(cadences, [row({})]));

  it('a closed plan shows as closed', () =>
    spec
      .given(registered('h-1'))
      .when(on('h-1', 'PlanClosed', {}))
      .then(async (db) => (await cadences(db)).map((r) => r.plan_status), ['closed']));

  it('an erasure removes the household: nothing left to announce or show', () =>
    spec
      .given(registered('h-1'), scheduled('h-1', '2026-01-05'), registered('h-2'))
      .when(on('h-1', 'HouseholdDataErased', { erasedAt: '2026-03-01T00:00:00.000Z' }))
      .then(async (db) => (await cadences(db)).map((r) => r.household_id), ['h-2']));

  it('the team sees its overdue households only', () =>
    spec
      .given(
        registered('h-1'),
        scheduled('h-1', '2026-01-05'),
        registered('h-2'),
        scheduled('h-2', '2026-02-05'),
        registered('h-3', 't-2'),
        scheduled('h-3', '2026-01-05'),
      )
      .then(
        async (db) =>
          (await new OverdueCheckInsQueries(db).overdueForTeam('t-1', '2026-01-10')).households.map(
            (s) => s.householdId,
          ),
        ['h-1'],
      ));
});
