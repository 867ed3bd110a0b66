/**
 * The erasures read model, given HouseholdDataErased events: the erased households, earliest first,
 * each once. On PGlite and the PostgreSQL server (projection-spec.suite.ts).
 */
import { describeProjection, recorded } from '../projection-spec.suite';
import { erasuresProjection, ErasuresQueries } from './erasures.projection';

const erased = (householdId: string, erasedAt?: string, recordedAt = '2026-03-01T00:00:00.000Z') =>
  recorded(`household-${householdId}`, 'HouseholdDataErased', erasedAt ? { erasedAt } : {}, { recordedAt });

describeProjection(erasuresProjection, (spec) => {
  it('erased households, the earliest erasure first', () =>
    spec
      .given(erased('h-2', '2026-02-02T10:00:00.000Z'), erased('h-1', '2026-02-03T10:00:00.000Z'))
      .then((db) => new ErasuresQueries(db).erasedHouseholds(), ['h-2', 'h-1']));

  it('without erasedAt in the event, the recording time counts', () =>
    spec
      .given(erased('h-1', '2026-02-03T10:00:00.000Z'), erased('h-2', undefined, '2026-02-01T00:00:00.000Z'))
      .then((db) => new ErasuresQueries(db).erasedHouseholds(), ['h-2', 'h-1']));

  it('an erasure seen twice is recorded once, at the first time', () =>
    spec
      .given(erased('h-1', '2026-02-03T10:00:00.000Z'), erased('h-2', '2026-02-04T10:00:00.000Z'))
      .when(erased('h-1', '2026-02-05T10:00:00.000Z'))
      .then((db) => new ErasuresQueries(db).erasedHouseholds(), ['h-1', 'h-2']));

  it('other events and other streams are ignored', () =>
    spec
      .given(
        recorded('household-h-1', 'HouseholdRegistered', {
          householdId: 'h-1',
          teamId: 't',
          district: 'noord',
        }),
        recorded('team-t-1', 'HouseholdDataErased', { erasedAt: '2026-02-03T10:00:00.000Z' }),
      )
      .then((db) => new ErasuresQueries(db).erasedHouseholds(), []));

  const closed = (householdId: string, closedAt: string) =>
    recorded(`household-${householdId}`, 'PlanClosed', { closedAt, closedBy: 'w-1' });
  const reopened = (householdId: string) =>
    recorded(`household-${householdId}`, 'PlanReopened', { reopenedBy: 'w-1' });

  it('closed plans before an instant, the earliest first; the last closure counts', () =>
    spec
      .given(
        closed('h-1', '2026-02-03T10:00:00.000Z'),
        closed('h-2', '2026-01-03T10:00:00.000Z'),
        closed('h-3', '2026-01-01T10:00:00.000Z'),
        reopened('h-3'),
        closed('h-3', '2026-06-01T10:00:00.000Z'),
      )
      .then(
        (db) => new ErasuresQueries(db).closedBefore('2026-03-01T00:00:00.000Z'),
        [
          { householdId: 'h-2', closedAt: '2026-01-03T10:00:00.000Z' },
          { householdId: 'h-1', closedAt: '2026-02-03T10:00:00.000Z' },
        ],
      ));

  it('a reopened plan is no candidate, nor an erased household', () =>
    spec
      .given(closed('h-1', '2026-01-03T10:00:00.000Z'), closed('h-2', '2026-01-04T10:00:00.000Z'))
      .when(reopened('h-1'), erased('h-2', '2026-02-01T10:00:00.000Z'))
      .then((db) => new ErasuresQueries(db).closedBefore('2026-03-01T00:00:00.000Z'), []));
});

const memberErased = (householdId: string, memberId: string, erasedAt: string) =>
  recorded(`household-${householdId}`, 'MemberDataErased', { memberId, erasedAt });

describeProjection(erasuresProjection, (spec) => {
  it("members' erasures, the earliest first, each once, apart from the households'", () =>
    spec
      .given(
        memberErased('h-1', 'm-2', '2026-02-03T10:00:00.000Z'),
        memberErased('h-2', 'm-1', '2026-02-02T10:00:00.000Z'),
      )
      .when(memberErased('h-1', 'm-2', '2026-02-05T10:00:00.000Z'))
      .then(
        (db) => new ErasuresQueries(db).erasedMembers(),
        [
          { householdId: 'h-2', memberId: 'm-1' },
          { householdId: 'h-1', memberId: 'm-2' },
        ],
      ));

  it("a member's erasure is no household's, and a household's is no member's", () =>
    spec
      .given(
        memberErased('h-1', 'm-2', '2026-02-03T10:00:00.000Z'),
        erased('h-3', '2026-02-04T10:00:00.000Z'),
      )
      .then(
        async (db) => {
          const queries = new ErasuresQueries(db);
          return { households: await queries.erasedHouseholds(), members: await queries.erasedMembers() };
        },
        { households: ['h-3'], members: [{ householdId: 'h-1', memberId: 'm-2' }] },
      ));
});
