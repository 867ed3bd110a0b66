import type { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb-event-store';

/**
 * The KurrentDB store on its own client for `url` (e.g. `kurrentdb://127.0.0.1:2113?tls=false`).
 * The client is loaded here, on first use, not with the library: it takes most of a second and a
 * native module, which processes on PostgreSQL never need.
 */
export async function createKurrentDbEventStore(
  url: string,
  options: Omit<KurrentDbEventStoreOptions, 'ownsClient'> = {},
): Promise<KurrentDbEventStore> {
  const { KurrentDbEventStore: Store } = await import('./kurrentdb-event-store');
  return Store.fromUrl(url, options);
}
