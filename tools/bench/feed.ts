import { START, type EventStore } from '@eenplan/event-store';
import { now } from './stats';

export interface FeedReadResult {
  readonly events: number;
  readonly pages: number;
  readonly pageSize: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Time inside readAll calls only (the rest is this reader's checks). */
  readonly readAllSeconds: number;
  /** Problems found; empty when the feed was complete and in order. */
  readonly problems: string[];
}

export interface FeedExpectations {
  /** Number of events the feed must hold. */
  readonly count?: number;
  /** Ids acknowledged by appends: each must appear exactly once. */
  readonly ackedIds?: ReadonlySet<string>;
}

/**
 * Pages through the whole feed from START with the last position as the cursor, as a projection
 * does, and checks it: positions strictly ascending, no event twice, each stream's versions
 * 1, 2, 3... in feed order, the expected count, every acknowledged id present.
 */
export async function readWholeFeed(
  store: EventStore,
  pageSize: number,
  expect: FeedExpectations = {},
): Promise<FeedReadResult> {
  const problems: string[] = [];
  const problem = (p: string) => {
    if (problems.length < 10) problems.push(p);
  };
  const streamVersions = new Map<string, number>();
  const seen = expect.ackedIds ? new Set<string>() : undefined;
  let after = START;
  let events = 0;
  let pages = 0;
  let readAllMs = 0;
  const t0 = now();
  for (;;) {
    const r0 = now();
    const page = await store.readAll(after, { limit: pageSize });
    readAllMs += now() - r0;
    if (page.length === 0) break;
    pages++;
    for (const e of page) {
      if (store.comparePositions(e.position, after) <= 0)
        problem(`position ${e.position} after ${after}: not ascending`);
      after = e.position;
      const previous = streamVersions.get(e.streamId) ?? 0;
      if (e.streamVersion !== previous + 1)
        problem(`${e.streamId}: version ${e.streamVersion} after ${previous}`);
      streamVersions.set(e.streamId, e.streamVersion);
      if (seen) {
        if (seen.has(e.eventId)) problem(`event ${e.eventId} twice`);
        seen.add(e.eventId);
      }
      events++;
    }
  }
  const seconds = (now() - t0) / 1000;
  if (expect.count !== undefined && events !== expect.count)
    problem(`read ${events} events, the table holds ${expect.count}`);
  if (expect.ackedIds && seen) {
    let missing = 0;
    for (const id of expect.ackedIds) if (!seen.has(id)) missing++;
    if (missing > 0) problem(`${missing} acknowledged events missing from the feed`);
  }
  return {
    events,
    pages,
    pageSize,
    seconds,
    perSecond: events / seconds,
    readAllSeconds: readAllMs / 1000,
    problems,
  };
}
