import { dateInNl, type MarkOverduePlanEvaluation, type MarkOverdueReassessments } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { PlanEvaluationsQueries } from '@eenplan/projections';
import type { Clock } from '../clock';
import { announcementEventId, sweepHouseholds } from '../system-append';
import type { SweepResult } from './check-in-sweep';

/**
 * Time-driven (issue 19): records PlanEvaluationOverdue once the day of a plan's evaluation date is
 * over, and ReassessmentOverdue once a person's ZRM re-assessment is past its day. The read model only says where to look; each household is decided from its own stream
 * (sweepHouseholds), and the same date always gets the same event id, so a rerun or a second
 * process adds nothing.
 */
export class PlanCycleSweep {
  constructor(
    private readonly store: EventStore,
    private readonly queries: PlanEvaluationsQueries,
    private readonly clock: Clock,
    /** REASSESSMENT_AFTER in months. */
    private readonly reassessmentAfterMonths: number,
  ) {}

  async run(): Promise<SweepResult> {
    const at = this.clock.now().toISOString();
    const today = dateInNl(at);
    const householdIds = await this.queries.awaitingAnnouncement(today);
    const announced = await sweepHouseholds(this.store, householdIds, {
      actor: 'plan-cycle-sweep',
      at,
      command: (on): MarkOverduePlanEvaluation => ({ type: 'MarkOverduePlanEvaluation', ...on }),
      announcementIdOf: (householdId, e) =>
        e.type === 'PlanEvaluationOverdue'
          ? announcementEventId('PlanEvaluationOverdue', householdId, e.data.evaluateBy)
          : undefined,
    });
    // And persons whose ZRM re-assessment is overdue (once per assessment).
    const reassess = await this.queries.reassessmentsAwaitingAnnouncement(
      today,
      this.reassessmentAfterMonths,
    );
    const reassessed = await sweepHouseholds(this.store, reassess, {
      actor: 'plan-cycle-sweep',
      at,
      command: (on): MarkOverdueReassessments => ({
        type: 'MarkOverdueReassessments',
        ...on,
        reassessmentAfterMonths: this.reassessmentAfterMonths,
      }),
      announcementIdOf: (householdId, e) =>
        e.type === 'ReassessmentOverdue'
          ? announcementEventId('ReassessmentOverdue', householdId, e.data.memberId, e.data.lastAssessedOn)
          : undefined,
    });
    return {
      at,
      today,
      households: new Set([...householdIds, ...reassess]).size,
      announced: announced + reassessed,
    };
  }
}
