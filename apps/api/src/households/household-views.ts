import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { EVENT_STORE } from '../common/tokens';
import { foldHousehold, HouseholdFold } from './household.view';

/** Households whose fold is kept; the least recently read go first. */
const MAX_KEPT = 256;
/** A fold holds names and free text in the clear: it is dropped once nobody has read it for this long. */
const IDLE_MS = 60_000;

/**
 * A household's stream folded for reading, remembered by version: a read asks the store only for
 * the events after the version it has, so 30 clients reading one long household fold and decrypt it
 * once, not 30 times (measured: `npm run bench -- --only=big-household`). Always current: every
 * read reads the stream's tail first. An erased household is never kept: its texts must come from
 * the store as it is now, where they are gone.
 */
@Injectable()
export class HouseholdViews implements OnModuleDestroy {
  private readonly kept = new Map<string, { fold: HouseholdFold; readAt: number }>();
  private readonly sweep = setInterval(() => this.dropIdle(), IDLE_MS / 2).unref();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The household folded up to its current version; version 0: it is not registered. */
  async read(householdId: string): Promise<HouseholdFold> {
    const streamId = householdStream(householdId);
    const kept = this.kept.get(householdId)?.fold;
    const events = await this.store.readStream(streamId, (kept?.version ?? 0) + 1);
    let fold: HouseholdFold;
    if (!kept) fold = foldHousehold(events);
    else if (events.length === 0) fold = kept;
    else if (events[0]!.streamVersion === kept.version + 1) fold = foldHousehold(events, kept);
    else fold = foldHousehold(await this.store.readStream(streamId));
    if (fold.state.erased) {
      this.kept.delete(householdId);
      // Folded from the earlier texts: read the whole stream again, as the store shows it now.
      if (kept) fold = foldHousehold(await this.store.readStream(streamId));
      return fold;
    }
    if (fold.version > 0) this.keep(householdId, fold);
    return fold;
  }

  private keep(householdId: string, fold: HouseholdFold): void {
    this.kept.delete(householdId);
    this.kept.set(householdId, { fold, readAt: Date.now() });
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
  }

  private dropIdle(): void {
    const before = Date.now() - IDLE_MS;
    for (const [id, entry] of this.kept) if (entry.readAt < before) this.kept.delete(id);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
    this.kept.clear();
  }
}
