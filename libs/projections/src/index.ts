export * from './projection';
export * from './runner';
export * from './regie-history/regie-history.projection';
export * from './regie-history/regie-history.queries';
export * from './caseload/caseload.projection';
export * from './caseload/caseload.queries';
export * from './workers/workers.projection';

import { caseloadProjection } from './caseload/caseload.projection';
import { regieHistoryProjection } from './regie-history/regie-history.projection';
import { workersProjection } from './workers/workers.projection';

/** Every read model the app serves, in the order their tables are created. */
export const ALL_PROJECTIONS = [workersProjection, regieHistoryProjection, caseloadProjection];
