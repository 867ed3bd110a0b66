import { randomUUID } from 'node:crypto';
import { dateInNl, householdDecider, DomainError, MarkOverdueCheckIns } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { StreamKeyMissingError } from '@eenplan/security';
import type { OverdueCheckInsQueries } from '@eenplan/projections';
import type { Clock } from '../clock';
import { announcementEventId, appendAsSystem } from '../system-append';

export interface SweepResult {
  /** When the sweep decided (the app clock) and the Dutch calendar date that made dates overdue. */
  readonly at: string;
  readonly today: string;
  readonly households: number;
  readonly announced: number;
}

const SWEEP_ACTOR = 'check-in-sweep';

/**
 * Time-driven, not request-driven: records CheckInOverdue (invariant 16) for every due date whose
 * day is over without a contact. The read model only says where to look; each household is decided
 * from its own stream (appendAsSystem), and the same missed due date always gets the same event id.
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
    const runId = randomUUID();
    const householdIds = await this.queries.awaitingAnnouncement(today);
    let announced = 0;
    let missingKey: StreamKeyMissingError | undefined;
    for (const householdId of householdIds) {
      try {
        announced += await appendAsSystem(this.store, householdId, {
          actor: SWEEP_ACTOR,
          at,
          runId,
          decide: (state) => {
            const command: MarkOverdueCheckIns = {
              type: 'MarkOverdueCheckIns',
              householdId,
              actor: { id: SWEEP_ACTOR, roles: [], teams: [] },
              at,
            };
            return householdDecider.decide(command, state);
          },
          eventIdOf: (e) =>
            e.type === 'CheckInOverdue'
              ? announcementEventId('CheckInOverdue', householdId, e.data.cadenceId, e.data.dueOn)
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
    return { at, today, households: householdIds.length, announced };
  }
}
