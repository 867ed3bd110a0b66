import { dateInNl, type MarkOverdueCheckIns } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { OverdueCheckInsQueries } from '@eenplan/projections';
import type { Clock } from '../clock';
import { announcementEventId, sweepHouseholds } from '../system-append';

export interface SweepResult {
  /** When the sweep decided (the app clock) and the Dutch calendar date that made dates overdue. */
  readonly at: string;
  readonly today: string;
  readonly households: number;
  readonly announced: number;
}

/**
 * Time-driven, not request-driven: records CheckInOverdue (invariant 16) for every due date whose
 * day is over without a contact. The read model only says where to look; each household is decided
 * from its own stream (sweepHouseholds), and the same missed due date always gets the same event id.
 */
export class CheckInSweep {
  constructor(
    private readonly store: EventStore,
    private readonly queries: OverdueCheckInsQueries,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<SweepResult> {
    const at = this.clock.now().toISOString();
    const today = dateInNl(at);
    const householdIds = await this.queries.awaitingAnnouncement(today);
    const announced = await sweepHouseholds(this.store, householdIds, {
      actor: 'check-in-sweep',
      at,
      command: (on): MarkOverdueCheckIns => ({ type: 'MarkOverdueCheckIns', ...on }),
      announcementIdOf: (householdId, e) =>
        e.type === 'CheckInOverdue'
          ? announcementEventId('CheckInOverdue', householdId, e.data.cadenceId, e.data.dueOn)
          : undefined,
    });
    return { at, today, households: householdIds.length, announced };
  }
}
