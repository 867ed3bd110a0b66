import type { MarkUnconfirmedSafetyTakeovers } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { RegieHistoryQueries } from '@eenplan/projections';
import type { Clock } from '../clock';
import { announcementEventId, sweepHouseholds } from '../system-append';

export interface SafetyTakeoverSweepResult {
  readonly at: string;
  /** Takeovers taken at or before this instant and still unconfirmed are overdue. */
  readonly takenBefore: string;
  readonly households: number;
  readonly announced: number;
}

/** A takeover taken at or before this instant and still unconfirmed is overdue (SAFETY_CONFIRM_HOURS). */
export const confirmDeadline = (now: Date, confirmHours: number): string =>
  new Date(now.getTime() - confirmHours * 3_600_000).toISOString();

/**
 * Announces every safety takeover that no team lead confirmed or rejected within
 * SAFETY_CONFIRM_HOURS (invariant 6) as SafetyTakeoverConfirmationOverdue, once per takeover: the
 * event id is derived from the household and the takeover, so two processes sweeping record it
 * once. The read model says where to look; the household's own stream decides.
 */
export class SafetyTakeoverSweep {
  constructor(
    private readonly store: EventStore,
    private readonly queries: RegieHistoryQueries,
    private readonly clock: Clock,
    private readonly confirmHours: number,
  ) {}

  async run(): Promise<SafetyTakeoverSweepResult> {
    const now = this.clock.now();
    const at = now.toISOString();
    const takenBefore = confirmDeadline(now, this.confirmHours);
    const householdIds = await this.queries.takeoversAwaitingAnnouncement(takenBefore);
    const announced = await sweepHouseholds(this.store, householdIds, {
      actor: 'safety-takeover-sweep',
      at,
      command: (on): MarkUnconfirmedSafetyTakeovers => ({
        type: 'MarkUnconfirmedSafetyTakeovers',
        ...on,
        confirmHours: this.confirmHours,
      }),
      announcementIdOf: (householdId, e) =>
        e.type === 'SafetyTakeoverConfirmationOverdue'
          ? announcementEventId('SafetyTakeoverConfirmationOverdue', householdId, e.data.takeoverId)
          : undefined,
    });
    return { at, takenBefore, households: householdIds.length, announced };
  }
}
