import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { foldHousehold, HouseholdFold } from './household-fold';
import { EVENT_STORE } from './tokens';

interface TailRead {
  /** Whether its query has been sent: a request that arrives later must not take its answer. */
  readonly begun: boolean;
  readonly fold: Promise<HouseholdFold>;
}

/** What the remembered folds and answers may take together, about; the least recently read go first. */
const MAX_WEIGHT = 48 * 1024 * 1024;
/** A fold holds names and free text in the clear: it is dropped once nobody has read it for this long. */
const IDLE_MS = 60_000;

/**
 * A household's stream folded for reading, remembered by version: a read asks the store only for
 * the events after the version it has, so 30 clients reading one long household fold and decrypt it
 * once, not 30 times, and its answer is serialised once per version (measured: `npm run bench --
 * --only=big-household`). Always current: every answer rests on a read of the stream's tail that
 * began after its request arrived. Reads of one household that arrive together share one read, and
 * those that arrive while it is under way share the next, so 30 concurrent readers cost a couple of
 * queries, not 30. An erased
 * household is never kept, and shows no text once its state says erased, though its key may not be
 * destroyed yet (an erasure pending).
 */
@Injectable()
export class HouseholdViews implements OnModuleDestroy {
  private readonly kept = new Map<string, { fold: HouseholdFold; readAt: number; weight: number }>();
  private weight = 0;
  /** Per household: the tail read under way (or about to begin), and the one after it for readers who came later. */
  private readonly flights = new Map<string, { current: TailRead; next?: TailRead }>();
  private readonly bodies = new WeakMap<HouseholdFold, { render: unknown; body: Buffer }>();
  private readonly sweep = setInterval(() => this.dropIdle(), IDLE_MS / 2).unref();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The household folded up to its current version; version 0: it is not registered. */
  read(householdId: string): Promise<HouseholdFold> {
    const flight = this.flights.get(householdId);
    if (!flight) return this.fly(householdId);
    // Not begun yet: it will begin after this request arrived, so it sees every write answered before.
    if (!flight.current.begun) return flight.current.fold;
    // Begun before this request: a write answered meanwhile may be missing there; share the next one.
    flight.next ??= this.tailRead(
      householdId,
      flight.current.fold.catch(() => undefined),
    );
    return flight.next.fold;
  }

  /**
   * A tail read begins on the next turn of the event loop, so the requests that arrive together
   * (30 readers' GETs come in bursts) share it; on PGlite the database work runs on this thread.
   */
  private fly(householdId: string): Promise<HouseholdFold> {
    const flight: { current: TailRead; next?: TailRead } = {
      current: this.tailRead(householdId, new Promise((resolve) => setImmediate(resolve))),
    };
    this.flights.set(householdId, flight);
    const settled = () => {
      if (flight.next) {
        flight.current = flight.next;
        flight.next = undefined;
        flight.current.fold.then(settled, settled);
      } else this.flights.delete(householdId);
    };
    flight.current.fold.then(settled, settled);
    return flight.current.fold;
  }

  private tailRead(householdId: string, after: Promise<unknown>): TailRead {
    const read = { begun: false } as { begun: boolean; fold: Promise<HouseholdFold> };
    read.fold = after.then(() => {
      read.begun = true;
      return this.readOn(householdId);
    });
    return read;
  }

  /**
   * The answer made of the whole household (GET /v1/households/:id's, `render`: householdBody) as
   * JSON, made once per version of the household. One answer per fold: another `render` is made
   * anew, not remembered.
   */
  body(fold: HouseholdFold, render: (fold: HouseholdFold) => unknown): Buffer {
    const made = this.bodies.get(fold);
    if (made?.render === render) return made.body;
    const body = Buffer.from(JSON.stringify(render(fold)));
    if (!made) {
      this.bodies.set(fold, { render, body });
      const entry = this.kept.get(fold.state.householdId);
      if (entry?.fold === fold) {
        entry.weight += body.length;
        this.weight += body.length;
      }
    }
    return body;
  }

  /** One read of the stream's tail after the kept fold (all of it without one); never two at once per household. */
  private async readOn(householdId: string): Promise<HouseholdFold> {
    const kept = this.kept.get(householdId)?.fold;
    const streamId = householdStream(householdId);
    const events = await this.store.readStream(streamId, (kept?.version ?? 0) + 1);
    let fold: HouseholdFold;
    if (!kept) fold = foldHousehold(events);
    else if (events.length === 0) fold = kept;
    else if (events[0]!.streamVersion === kept.version + 1) fold = foldHousehold(events, kept);
    else fold = foldHousehold(await this.store.readStream(streamId));
    if (fold.state.erased) {
      // Its texts are blank from the fold on (foldHousehold); the remembered fold still holds them.
      this.forget(householdId);
      return fold;
    }
    if (fold.version > 0) this.keep(householdId, fold);
    return fold;
  }

  private keep(householdId: string, fold: HouseholdFold): void {
    const entry = this.kept.get(householdId);
    if (entry?.fold === fold) {
      // Most recently read last, so the first in the map are the ones to drop.
      this.kept.delete(householdId);
      this.kept.set(householdId, { ...entry, readAt: Date.now() });
      return;
    }
    this.forget(householdId);
    this.kept.set(householdId, { fold, readAt: Date.now(), weight: fold.weight });
    this.weight += fold.weight;
    for (const id of this.kept.keys()) {
      if (this.weight <= MAX_WEIGHT || id === householdId) break;
      this.forget(id);
    }
  }

  private forget(householdId: string): void {
    const entry = this.kept.get(householdId);
    if (!entry) return;
    this.kept.delete(householdId);
    this.weight -= entry.weight;
  }

  private dropIdle(): void {
    const before = Date.now() - IDLE_MS;
    for (const [id, entry] of this.kept) if (entry.readAt < before) this.forget(id);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
    this.kept.clear();
    this.weight = 0;
  }
}
