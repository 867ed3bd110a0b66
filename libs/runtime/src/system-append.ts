import { createHash, randomUUID } from 'node:crypto';
import {
  CommandActor,
  DomainError,
  HouseholdCommand,
  householdDecider,
  HouseholdEvent,
  HouseholdState,
  householdStream,
  schemaVersionOf,
} from '@eenplan/domain';
import {
  DuplicateEventError,
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedVersionError,
} from '@eenplan/event-store/event-store.port';
import { StreamKeyMissingError } from '@eenplan/security';

const ATTEMPTS = 3;

/**
 * A UUID from what an event announces (its type and the ids that make it unique), so the same
 * announcement always gets the same event id: a second process appending it is refused.
 */
export const announcementEventId = (...parts: string[]): string => {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * How the system's sweeps record what time alone decides (an overdue check-in, an unconfirmed
 * safety takeover): decide on the household's own stream and append with the version read, as
 * the system. A sweep in another process (API and worker, two APIs) either finds nothing left to
 * record, or is refused by the version check (then this decides again on the new history) or by
 * the deterministic event ids (then it was recorded already). Not through the request executor,
 * which records a person as the actor. Returns how many events were appended.
 */
export async function appendAsSystem(
  store: EventStore,
  householdId: string,
  options: {
    /** The sweep's name: the actor of its events. */
    readonly actor: string;
    readonly at: string;
    /** One per sweep run: correlation and causation of its events. */
    readonly runId: string;
    /** On the household's state, and its history as read (for what the state does not keep). */
    readonly decide: (state: HouseholdState, history: readonly RecordedEvent[]) => HouseholdEvent[];
    /** The deterministic id of an announcement; undefined for any other event (a fresh id). */
    readonly eventIdOf: (event: HouseholdEvent) => string | undefined;
  },
): Promise<number> {
  const streamId = householdStream(householdId);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const recorded = await store.readStream(streamId);
    const state = recorded.reduce(
      (s, e) => householdDecider.evolve(s, e as unknown as HouseholdEvent),
      householdDecider.initialState(),
    );
    const events = options.decide(state, recorded);
    if (events.length === 0) return 0;
    const toAppend: NewEvent[] = events.map((e) => ({
      eventId: options.eventIdOf(e) ?? randomUUID(),
      type: e.type,
      data: e.data as unknown as Record<string, unknown>,
      personal: e.personal ?? null,
      metadata: {
        schemaVersion: schemaVersionOf(e.type),
        actor: { kind: 'system', id: options.actor },
        recordedAt: options.at,
        correlationId: options.runId,
        causationId: options.runId,
      },
    }));
    try {
      await store.append(streamId, toAppend, recorded.length);
      return events.length;
    } catch (error) {
      // Already recorded by another sweep: nothing left to do here.
      if (error instanceof DuplicateEventError) return 0;
      // Someone wrote meanwhile (a contact, a confirmation): decide again on the new history.
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
  return 0;
}

/**
 * One run of a sweep over the households a read model names: on each, the sweep's command decided
 * on the household's own stream and appended as the system (appendAsSystem), one run id for all.
 * One household the domain refuses (erased since the read model looked) must not stop the rest;
 * nor one whose key the key store lost: that is thrown once the rest are done. Returns how many
 * events were appended.
 */
export async function sweepHouseholds(
  store: EventStore,
  householdIds: readonly string[],
  sweep: {
    /** The sweep's name: the actor of its commands and events. */
    readonly actor: string;
    readonly at: string;
    /** The sweep's command to one household. */
    readonly command: (on: {
      readonly householdId: string;
      readonly actor: CommandActor;
      readonly at: string;
    }) => HouseholdCommand;
    /** The deterministic id of the sweep's announcement (announcementEventId); undefined for any other event. */
    readonly announcementIdOf: (householdId: string, event: HouseholdEvent) => string | undefined;
  },
): Promise<number> {
  const runId = randomUUID();
  const actor: CommandActor = { id: sweep.actor, roles: [], teams: [] };
  let announced = 0;
  let missingKey: StreamKeyMissingError | undefined;
  for (const householdId of householdIds) {
    try {
      announced += await appendAsSystem(store, householdId, {
        actor: sweep.actor,
        at: sweep.at,
        runId,
        decide: (state) =>
          householdDecider.decide(sweep.command({ householdId, actor, at: sweep.at }), state),
        eventIdOf: (event) => sweep.announcementIdOf(householdId, event),
      });
    } catch (error) {
      if (error instanceof StreamKeyMissingError) missingKey ??= error;
      else if (!(error instanceof DomainError)) throw error;
    }
  }
  if (missingKey) throw missingKey;
  return announced;
}

/** Runs a sweep every `intervalMs` until stopped; one run at a time, errors reported, never thrown. */
export class SweepTimer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly sweep: { run(): Promise<unknown> },
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
