/**
 * The outcomes read model's rows, given household events (issue 19): one row per closure with its
 * reason and goal counts, in the district and team of the closure (or of the registration, for a
 * closure written before the codes); a recurrence marks the closure it follows. On PGlite and the
 * PostgreSQL server, by `apply` (projection-spec.suite.ts). The small-group rule over random
 * histories is outcomes.int.spec.ts.
 */
import { describeProjection, recorded, rows } from '../projection-spec.suite';
import { outcomesProjection } from './outcomes.projection';

const on = (h: string, type: string, data: Record<string, unknown>, recordedAt?: string) =>
  recorded(`household-${h}`, type, data, recordedAt === undefined ? {} : { recordedAt });
const registered = (h: string) =>
  on(h, 'HouseholdRegistered', {
    householdId: h,
    teamId: 't-1',
    district: 'noord',
    members: [],
    regie: { kind: 'household' },
    registeredAt: '2026-01-05T09:00:00.000Z',
  });
const holder = { kind: 'household' };
const closedV1 = (h: string, closedAt: string) =>
  on(h, 'PlanClosed', { closedBy: 'w-1', regieEndedFor: holder, closedAt });
const closed = (h: string, closedAt: string, reason = 'goals-achieved') =>
  on(h, 'PlanClosed', {
    closedBy: 'w-1',
    regieEndedFor: holder,
    closedAt,
    reason,
    district: 'zuid',
    teamId: 't-2',
    goals: [
      { goalId: 'g1', lifeDomain: 'finances', realisation: 'achieved' },
      { goalId: 'g2', lifeDomain: 'housing', realisation: 'achieved' },
      { goalId: 'g3', lifeDomain: 'justice', realisation: 'not-recorded' },
    ],
  });
const reopened = (h: string, closedAt: string, recurrence: boolean) =>
  on(h, 'PlanReopened', {
    reopenedBy: 'w-1',
    reopenedAt: '2026-09-01T09:00:00.000Z',
    closedAt,
    closureReason: 'goals-achieved',
    recurrence,
    district: 'zuid',
    teamId: 't-2',
  });
const reopenedV1 = (h: string, at: string) => on(h, 'PlanReopened', { reopenedBy: 'w-1' }, at);

const closures = rows(
  `SELECT household_id, closed_on, district, team_id, reason, achieved, not_recorded, recurred
     FROM outcome_closures ORDER BY household_id, closure_version`,
);
const row = (h: string, closedOn: string, o: Record<string, unknown> = {}) => ({
  household_id: h,
  closed_on: closedOn,
  district: 'zuid',
  team_id: 't-2',
  reason: 'goals-achieved',
  achieved: 2,
  not_recorded: 1,
  recurred: false,
  ...o,
});

describeProjection(outcomesProjection, (spec) => {
  it('a coded closure: its reason, its goals counted by realisation, its Dutch date', () =>
    spec
      .given(registered('h-1'))
      // 23:30 UTC on 31 March is 1 April in the Netherlands.
      .when(closed('h-1', '2026-03-31T22:30:00.000Z'))
      .then(closures, [row('h-1', '2026-04-01')]));

  it('a closure written before the codes: reason unknown, no goals, the registration’s district and team', () =>
    spec
      .given(registered('h-1'))
      .when(closedV1('h-1', '2026-02-10T09:00:00.000Z'))
      .then(closures, [
        row('h-1', '2026-02-10', {
          district: 'noord',
          team_id: 't-1',
          reason: 'unknown',
          achieved: 0,
          not_recorded: 0,
        }),
      ]));

  it('a reopen that is a recurrence marks the closure it undoes; one that is not, nothing', () =>
    spec
      .given(registered('h-1'), registered('h-2'), closed('h-1', '2026-02-10T09:00:00.000Z'))
      .when(
        reopened('h-1', '2026-02-10T09:00:00.000Z', true),
        closed('h-1', '2026-05-10T09:00:00.000Z', 'moved'),
        closed('h-2', '2025-02-10T09:00:00.000Z'),
        reopened('h-2', '2025-02-10T09:00:00.000Z', false),
      )
      .then(closures, [
        row('h-1', '2026-02-10', { recurred: true }),
        row('h-1', '2026-05-10', { reason: 'moved' }),
        row('h-2', '2025-02-10'),
      ]));

  it('a reopen written before issue 19 counts against the last closure, by the same 12 months', () =>
    spec
      .given(registered('h-1'), registered('h-2'))
      .when(
        closedV1('h-1', '2025-03-03T09:00:00.000Z'),
        reopenedV1('h-1', '2026-03-02T09:00:00.000Z'),
        closedV1('h-2', '2025-03-03T09:00:00.000Z'),
        reopenedV1('h-2', '2026-03-03T09:00:00.000Z'),
      )
      .then(closures, [
        row('h-1', '2025-03-03', {
          district: 'noord',
          team_id: 't-1',
          reason: 'unknown',
          achieved: 0,
          not_recorded: 0,
          recurred: true,
        }),
        row('h-2', '2025-03-03', {
          district: 'noord',
          team_id: 't-1',
          reason: 'unknown',
          achieved: 0,
          not_recorded: 0,
        }),
      ]));

  it('a closure written before the codes, of a household never registered here, has nowhere to count: no row', () =>
    spec.given().when(closedV1('h-9', '2026-02-10T09:00:00.000Z')).then(closures, []));
});
