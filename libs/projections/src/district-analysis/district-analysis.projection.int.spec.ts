/**
 * The district analysis's ZRM rows, given household events (issue 18): one row per person assessed
 * and life domain, with their first and latest score; an assessment of the household as a whole
 * (schema v1, no member) is no person and makes no row. On PGlite and the PostgreSQL server, by
 * `apply` and by the set-based `applyBatch` (projection-spec.suite.ts). The small-group rule over
 * random histories is district-analysis.int.spec.ts.
 */
import { LIFE_DOMAINS } from '@eenplan/domain';
import { describeProjection, recorded, rows } from '../projection-spec.suite';
import { districtAnalysisProjection } from './district-analysis.projection';

const on = (h: string, type: string, data: Record<string, unknown>) => recorded(`household-${h}`, type, data);
const registered = (h: string) =>
  on(h, 'HouseholdRegistered', {
    householdId: h,
    teamId: 't-1',
    district: 'noord',
    members: [],
    regie: { kind: 'household' },
    registeredAt: '2026-01-05T09:00:00.000Z',
  });
const scores = (finances: number) =>
  Object.fromEntries(LIFE_DOMAINS.map((d) => [d, d === 'finances' ? finances : 3]));
const assessed = (h: string, assessmentId: string, finances: number, memberId?: string) =>
  on(h, 'AssessmentRecorded', {
    assessmentId,
    ...(memberId === undefined ? {} : { memberId }),
    assessedOn: '2026-01-05',
    scores: scores(finances),
    assessedBy: 'w-1',
    recordedAt: '2026-01-05T10:00:00.000Z',
  });

const finances = rows(
  `SELECT household_id, member_id, first_score, latest_score, assessments
     FROM district_analysis_scores WHERE life_domain = 'finances' ORDER BY household_id, member_id`,
);
const count = rows(`SELECT count(*)::int AS n FROM district_analysis_scores`);

describeProjection(districtAnalysisProjection, (spec) => {
  it('keeps the first and latest score per person, apart from the other members of the household', () =>
    spec
      .given(registered('h-1'), assessed('h-1', 'z1', 1, 'm-1'), assessed('h-1', 'z2', 4, 'm-2'))
      .when(assessed('h-1', 'z3', 3, 'm-1'), assessed('h-1', 'z4', 5, 'm-1'))
      .then(finances, [
        { household_id: 'h-1', member_id: 'm-1', first_score: 1, latest_score: 5, assessments: 3 },
        { household_id: 'h-1', member_id: 'm-2', first_score: 4, latest_score: 4, assessments: 1 },
      ]));

  it('a row for every life domain of every person', () =>
    spec
      .given(registered('h-1'), registered('h-2'))
      .when(assessed('h-1', 'z1', 2, 'm-1'), assessed('h-2', 'z1', 2, 'm-1'))
      .then(count, [{ n: 2 * LIFE_DOMAINS.length }]));

  it('counts no one for an assessment of the household as a whole (schema v1)', () =>
    spec
      .given(registered('h-1'), assessed('h-1', 'z0', 1), assessed('h-1', 'z00', 2))
      .when(assessed('h-1', 'z1', 4, 'm-1'))
      .then(finances, [
        { household_id: 'h-1', member_id: 'm-1', first_score: 4, latest_score: 4, assessments: 1 },
      ]));
});
