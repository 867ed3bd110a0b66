import { dateInNl, type MarkOverduePlanEvaluation } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { PlanEvaluationsQueries } from '@eenplan/projections';
import type { Clock } from '../clock';
import { announcementEventId, sweepHouseholds } from '../system-append';
import type { SweepResult } from './check-in-sweep';

/**
 * Time-driven (issue 19): records PlanEvaluationOverdue once the day of a plan's evaluation date is
 * over. The read model only says where to look; each household is decided from its own stream
 * (sweepHouseholds), and the same date always gets the same event id, so a rerun or a second
 * process adds nothing.
 */
export class PlanCycleSweep {
  constructor(
    private readonly store: EventStore,
    private readonly queries: PlanEvaluationsQueries,
    private readonly clock: Clock,
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
    return { at, today, households: householdIds.length, announced };
  }
}
