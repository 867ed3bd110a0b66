import { randomUUID } from 'node:crypto';
import { DomainError, householdDecider, MarkUnconfirmedSafetyTakeovers } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { StreamKeyMissingError } from '@eenplan/security';
import type { RegieHistoryQueries } from '@eenplan/projections';
import type { Clock } from '../clock';
import { announcementEventId, appendAsSystem } from '../system-append';

export interface SafetyTakeoverSweepResult {
  readonly at: string;
  /** Takeovers taken at or before this instant and still unconfirmed are overdue. */
  readonly takenBefore: string;
  readonly households: number;
  readonly announced: number;
}

const SWEEP_ACTOR = 'safety-takeover-sweep';

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
    const runId = randomUUID();
    const householdIds = await this.queries.takeoversAwaitingAnnouncement(takenBefore);
    let announced = 0;
    let missingKey: StreamKeyMissingError | undefined;
    for (const householdId of householdIds) {
      try {
        announced += await appendAsSystem(this.store, householdId, {
          actor: SWEEP_ACTOR,
          at,
          runId,
          decide: (state) => {
            const command: MarkUnconfirmedSafetyTakeovers = {
              type: 'MarkUnconfirmedSafetyTakeovers',
              householdId,
              actor: { id: SWEEP_ACTOR, roles: [], teams: [] },
              at,
              confirmHours: this.confirmHours,
            };
            return householdDecider.decide(command, state);
          },
          eventIdOf: (e) =>
            e.type === 'SafetyTakeoverConfirmationOverdue'
              ? announcementEventId('SafetyTakeoverConfirmationOverdue', householdId, e.data.takeoverId)
              : undefined,
        });
      } catch (error) {
        // One household the domain refuses (erased since the read model looked) must not stop the
        // rest; nor one whose key the key store lost: that is reported once the rest are done.
        if (error instanceof StreamKeyMissingError) missingKey ??= error;
        else if (!(error instanceof DomainError)) throw error;
      }
    }
    if (missingKey) throw missingKey;
    return { at, takenBefore, households: householdIds.length, announced };
  }
}
