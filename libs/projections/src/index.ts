export * from './projection';
export * from './runner';
export * from './regie-history/regie-history.projection';
export * from './regie-history/regie-history.queries';
export * from './caseload/caseload.projection';
export * from './caseload/caseload.queries';
export * from './workers/workers.projection';
export * from './volunteer-assignments/volunteer-assignments.projection';
export * from './volunteer-assignments/volunteer-assignments.queries';
export * from './social-map/social-map.projection';
export * from './social-map/social-map.queries';
export * from './overdue-check-ins/overdue-check-ins.projection';
export * from './overdue-check-ins/overdue-check-ins.queries';
export * from './district-analysis/district-analysis.projection';
export * from './district-analysis/district-analysis.queries';
export * from './erasures/erasures.projection';
export * from './meldcode-tracks/meldcode-tracks.projection';
export * from './meldcode-tracks/meldcode-tracks.queries';
export * from './outcomes/outcomes.projection';
export * from './outcomes/outcomes.queries';
export * from './plan-evaluations/plan-evaluations.projection';
export * from './plan-evaluations/plan-evaluations.queries';

import { caseloadProjection } from './caseload/caseload.projection';
import { regieHistoryProjection } from './regie-history/regie-history.projection';
import { workersProjection } from './workers/workers.projection';
import { volunteerAssignmentsProjection } from './volunteer-assignments/volunteer-assignments.projection';
import { socialMapProjection } from './social-map/social-map.projection';
import { overdueCheckInsProjection } from './overdue-check-ins/overdue-check-ins.projection';
import { districtAnalysisProjection } from './district-analysis/district-analysis.projection';
import { erasuresProjection } from './erasures/erasures.projection';
import { meldcodeTracksProjection } from './meldcode-tracks/meldcode-tracks.projection';
import { outcomesProjection } from './outcomes/outcomes.projection';
import { planEvaluationsProjection } from './plan-evaluations/plan-evaluations.projection';

/** Every read model the app serves, in the order their tables are created. */
export const ALL_PROJECTIONS = [
  workersProjection,
  regieHistoryProjection,
  caseloadProjection,
  overdueCheckInsProjection,
  districtAnalysisProjection,
  volunteerAssignmentsProjection,
  socialMapProjection,
  erasuresProjection,
  meldcodeTracksProjection,
  outcomesProjection,
  planEvaluationsProjection,
];
