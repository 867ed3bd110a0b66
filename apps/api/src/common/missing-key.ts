import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { StreamKeyMissingError, type SealedEventStore } from '@eenplan/security';

/**
 * A stream whose key the key store lost (StreamKeyMissingError: no erasure, see SealedEventStore)
 * cannot be read, and its reader gets a 500 naming the missing key. Whoever may not see the stream
 * must still get the one 404 rather than learn from the 500 that it exists: `admit` decides on the
 * stream as stored (personal parts still sealed, which no decider needs), and throws its refusal;
 * only those it admits get the original failure. Any other error is thrown as it is.
 */
export async function refuseOrRethrow<S>(
  error: unknown,
  sealed: SealedEventStore | undefined,
  fold: (events: readonly RecordedEvent[]) => S,
  admit: (state: S) => void,
): Promise<never> {
  if (!(error instanceof StreamKeyMissingError) || !sealed) throw error;
  admit(fold(await sealed.readSealed(error.streamId)));
  throw error;
}
