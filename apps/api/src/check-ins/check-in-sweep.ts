import { createHash, randomUUID } from 'node:crypto';
import {
  dateInNl,
  householdDecider,
  HouseholdEvent,
  householdStream,
  DomainError,
  MarkOverdueCheckIns,
  SCHEMA_VERSION,
} from '@eenplan/domain';
import {
  DuplicateEventError,
  EventStore,
  NewEvent,
  WrongExpectedVersionError,
} from '@eenplan/event-store/event-store.port';
import type { OverdueCheckInsQueries } from '@eenplan/projections';
import type { Clock } from '../common/tokens';

export interface SweepResult {
  /** When the sweep decided (the app clock) and the Dutch calendar date that made dates overdue. */
  readonly at: string;
  readonly today: string;
  readonly households: number;
  readonly announced: number;
}

const SWEEP_ACTOR = 'check-in-sweep';
const ATTEMPTS = 3;

/** The same missed due date always gets the same event id: a second process appending it is refused. */
const overdueEventId = (householdId: string, cadenceId: string, dueOn: string) => {
  const h = createHash('sha256')
    .update(`CheckInOverdue\n${householdId}\n${cadenceId}\n${dueOn}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Time-driven, not request-driven: records CheckInOverdue (invariant 16) for every due date whose
 * day is over without a contact. The read model only says where to look; each household is decided
 * from its own stream and appended with the version read, so a sweep in another process (API and
 * worker, two APIs) either finds nothing left to announce or is refused by the version check or by
 * the deterministic event ids. It appends as the system, so it does not go through the request
 * executor (which records a person as the actor).
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
    const sweepId = randomUUID();
    const householdIds = await this.queries.awaitingAnnouncement(today);
    let announced = 0;
    for (const householdId of householdIds) {
      try {
        announced += await this.announce(householdId, at, sweepId);
      } catch (error) {
        // One household the domain refuses (erased since the read model looked) must not stop the rest.
        if (!(error instanceof DomainError)) throw error;
      }
    }
    return { at, today, households: householdIds.length, announced };
  }

  private async announce(householdId: string, at: string, sweepId: string): Promise<number> {
    const streamId = householdStream(householdId);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const recorded = await this.store.readStream(streamId);
      const state = recorded.reduce(
        (s, e) => householdDecider.evolve(s, e as unknown as HouseholdEvent),
        householdDecider.initialState(),
      );
      const command: MarkOverdueCheckIns = {
        type: 'MarkOverdueCheckIns',
        householdId,
        actor: { id: SWEEP_ACTOR, roles: [], teams: [] },
        at,
      };
      const events = householdDecider.decide(command, state);
      if (events.length === 0) return 0;
      const toAppend: NewEvent[] = events.map((e) => ({
        eventId:
          e.type === 'CheckInOverdue'
            ? overdueEventId(householdId, e.data.cadenceId, e.data.dueOn)
            : randomUUID(),
        type: e.type,
        data: e.data as unknown as Record<string, unknown>,
        personal: null,
        metadata: {
          schemaVersion: SCHEMA_VERSION,
          actor: { kind: 'system', id: SWEEP_ACTOR },
          recordedAt: at,
          correlationId: sweepId,
          causationId: sweepId,
        },
      }));
      try {
        await this.store.append(streamId, toAppend, recorded.length);
        return events.length;
      } catch (error) {
        // Already announced by another sweep: nothing left to do here.
        if (error instanceof DuplicateEventError) return 0;
        // Someone wrote meanwhile (a contact, perhaps): decide again on the new history.
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    return 0;
  }
}

/** Runs the sweep every `intervalMs` until stopped; one run at a time, errors reported, never thrown. */
export class CheckInSweepTimer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly sweep: CheckInSweep,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep
        .run()
        .catch(this.onError)
        .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
