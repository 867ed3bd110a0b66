import { EventStore, WrongExpectedVersionError } from '@eenplan/event-store/event-store.port';
import { Metrics } from './metrics';

/**
 * The EventStore port with append timed and version conflicts counted. A proxy rather than a
 * delegating class, so methods added to the port later pass through untouched.
 */
export const meteredEventStore = (store: EventStore, metrics: Metrics): EventStore => {
  const append: EventStore['append'] = async (streamId, events, expectedVersion) => {
    const end = metrics.appendDuration.startTimer();
    try {
      const result = await store.append(streamId, events, expectedVersion);
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      const conflict = error instanceof WrongExpectedVersionError;
      if (conflict) metrics.versionConflicts.inc();
      end({ outcome: conflict ? 'conflict' : 'error' });
      throw error;
    }
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
};
