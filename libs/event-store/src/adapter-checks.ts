import type { ExpectedVersion, NewEvent } from './event-store.port';

/** The checks every adapter makes before an append: a bad call is a bug in the caller, not a conflict. */
export function assertAppendArguments(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): void {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new RangeError('streamId must be a non-empty string');
  if (expected !== 'any' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new RangeError(`expectedVersion must be 'any' or a non-negative integer, got ${String(expected)}`);
  }
  const ids = new Set<string>();
  for (const { eventId } of events) {
    if (typeof eventId !== 'string' || eventId.length === 0)
      throw new RangeError('eventId must be a non-empty string');
    // Within one append this is a bug in the caller, not a retry: no DuplicateEventError.
    if (ids.has(eventId)) throw new RangeError(`event id ${eventId} appears twice in one append`);
    ids.add(eventId);
  }
}

/** A `readAll` page size: the adapter's default when none is asked, capped at its maximum. */
export function feedPageSize(limit: number | undefined, defaultLimit: number, maxLimit: number): number {
  if (limit === undefined) return defaultLimit;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`readAll limit must be a positive integer, got ${limit}`);
  return Math.min(limit, maxLimit);
}
