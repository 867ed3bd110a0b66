import type { EventStore, GlobalPosition } from '@eenplan/event-store/event-store.port';
import { START } from '@eenplan/event-store/event-store.port';

export interface FeedLag {
  /** Events after the checkpoint, counted up to the cap the caller gave. */
  readonly events: number;
  /** Age of the oldest event after the checkpoint; 0 when there is none. */
  readonly seconds: number;
}

const PAGE = 1000;

/**
 * How far a feed consumer (a projection, the relay) is behind the store, from its stored checkpoint.
 * Counted through the port's feed rather than SQL on the events table, so it holds for any adapter;
 * counting stops at `cap`, which keeps a scrape cheap even when a consumer is far behind.
 */
export const feedLag = async (
  store: EventStore,
  checkpoint: GlobalPosition | undefined,
  committed: GlobalPosition,
  now: Date,
  cap: number,
): Promise<FeedLag> => {
  let from = checkpoint ?? START;
  if (store.comparePositions(from, committed) >= 0) return { events: 0, seconds: 0 };
  let events = 0;
  let oldest: string | undefined;
  while (events < cap) {
    const page = await store.readAll(from, { limit: Math.min(PAGE, cap - events) });
    if (page.length === 0) break;
    oldest ??= page[0]!.metadata.recordedAt;
    events += page.length;
    from = page[page.length - 1]!.position;
  }
  const seconds = oldest ? Math.max(0, (now.getTime() - Date.parse(oldest)) / 1000) : 0;
  return { events, seconds };
};
