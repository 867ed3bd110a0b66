import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { START } from '@eenplan/event-store';
import { KurrentDbEventStore } from '@eenplan/event-store/kurrentdb/kurrentdb-event-store';
import { describeWithKurrentDb, testNamespace } from '../support/kurrentdb';
import { eventStoreContract, newEvent } from './event-store.contract';

describeWithKurrentDb('KurrentDB adapter on a KurrentDB server', (url) => {
  // One client (one connection) for the file; every store gets a namespace of its own, so each
  // starts empty on a server other tests and runs also write to.
  let client: KurrentDBClient;
  beforeAll(() => {
    client = KurrentDBClient.connectionString(url);
  });
  afterAll(async () => {
    await client?.dispose();
  });

  eventStoreContract('KurrentDB server', async () => {
    const store = new KurrentDbEventStore(client, { namespace: testNamespace() });
    return { store, startsEmpty: true, dispose: () => store.close() };
  });

  describe('KurrentDB specifics', () => {
    const stores: KurrentDbEventStore[] = [];
    const open = (namespace: string, pollIntervalMs?: number): KurrentDbEventStore => {
      const store = new KurrentDbEventStore(client, { namespace, pollIntervalMs });
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
    });

    test("another namespace's events are neither in the feed nor at its head", async () => {
      const ours = open(testNamespace());
      const theirs = open(testNamespace());
      await theirs.append('household-1', [newEvent()], 0);
      expect(await ours.readAll(START)).toEqual([]);
      expect(await ours.headPosition()).toBe(START);
      expect(await ours.streamVersion('household-1')).toBe(0);
    });

    test('positions are the log position as commit/prepare, equal in stream and feed reads', async () => {
      const store = open(testNamespace());
      const { position } = await store.append('team-1', [newEvent(), newEvent()], 0);
      expect(position).toMatch(/^\d+\/\d+$/);
      const [fromFeed] = (await store.readAll(START)).slice(-1);
      const [fromStream] = (await store.readStream('team-1')).slice(-1);
      expect(fromFeed!.position).toBe(position);
      expect(fromStream!.position).toBe(position);
    });

    test('system events in our streams (a tombstone) stay out of the feed and off its head', async () => {
      const namespace = testNamespace();
      const store = open(namespace);
      const kept = await store.append('household-kept', [newEvent('Kept')], 0);
      await store.append('household-gone', [newEvent('Gone')], 0);
      // Tombstoning writes a $streamDeleted event into the stream itself, inside our prefix.
      await client.tombstoneStream(`${namespace}.household-gone`);

      const feed = await store.readAll(START);
      expect(feed.map((e) => e.type)).toContain('Kept');
      expect(feed.filter((e) => e.type.startsWith('$'))).toEqual([]);
      expect(await store.headPosition()).toBe(feed.at(-1)!.position);
      expect(store.comparePositions(kept.position, await store.headPosition())).toBeLessThanOrEqual(0);
    });

    test("waitForEvents wakes on another process's append through the $all subscription, not polling", async () => {
      const namespace = testNamespace();
      const reader = open(namespace, 60_000);
      const writer = open(namespace);
      const head = await reader.headPosition();
      // Lets the subscription come up first: the wait below must be woken, not poll.
      await reader.waitForEvents(head, 300);
      const started = Date.now();
      const waiting = reader.waitForEvents(head, 10_000);
      await writer.append('household-1', [newEvent()], 0);
      await waiting;
      expect(Date.now() - started).toBeLessThan(1000);
    });

    test('an append another process made already (same ids) is reported as a duplicate, not a conflict', async () => {
      const namespace = testNamespace();
      const first = open(namespace);
      const second = open(namespace);
      const event = newEvent();
      await second.streamVersion('plan-1'); // `second` has read the stream while it was empty
      await first.append('plan-1', [event], 0);
      await expect(second.append('plan-1', [event], 0)).rejects.toMatchObject({
        name: 'DuplicateEventError',
        eventId: event.eventId,
      });
      expect(await second.streamVersion('plan-1')).toBe(1);
    });
  });
});
