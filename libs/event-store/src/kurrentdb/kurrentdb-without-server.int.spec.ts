import { createServer, type Server, type Socket } from 'node:net';
import { DuplicateEventError, START, WrongExpectedVersionError } from '../event-store.port';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The adapter with the real client where no KurrentDB answers: a port that accepts connections and
 * stays silent (a hung server), and one that refuses them (a server that is down). What the
 * projection runner and the API rely on: waits end by their timeout, failures surface as failures.
 */
describe('KurrentDbEventStore without a server', () => {
  let silent: Server;
  let silentPort: number;
  const sockets = new Set<Socket>();
  const stores: KurrentDbEventStore[] = [];

  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  const open = (url: string): KurrentDbEventStore => {
    const store = KurrentDbEventStore.fromUrl(url, { namespace: 'eenplan' });
    stores.push(store);
    return store;
  };

  test('waitForEvents returns at its timeout when the server does not answer', async () => {
    const store = open(`kurrentdb://127.0.0.1:${silentPort}?tls=false`);
    const started = Date.now();
    await store.waitForEvents(START, 150);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('a position of another store is refused before any I/O', async () => {
    const store = open(`kurrentdb://127.0.0.1:${silentPort}?tls=false`);
    await expect(store.waitForEvents('1042:17', 10)).rejects.toThrow(RangeError);
    await expect(store.readAll('1042:17')).rejects.toThrow(RangeError);
    expect(() => store.comparePositions('10/10', '1042:17')).toThrow(RangeError);
    await expect(store.readAll(START, { limit: 0 })).rejects.toThrow(RangeError);
  });

  test('a server that is down fails an append as such: not as a conflict, not as a duplicate', async () => {
    const store = open('kurrentdb://127.0.0.1:1?tls=false');
    const attempt = store.append('household-1', [event()], 0);
    await expect(attempt).rejects.toBeInstanceOf(Error);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(WrongExpectedVersionError);
    expect(error).not.toBeInstanceOf(DuplicateEventError);
  });

  test('a closed store refuses further use', async () => {
    const store = open(`kurrentdb://127.0.0.1:${silentPort}?tls=false`);
    await store.close();
    await expect(store.readStream('household-1')).rejects.toThrow('event store is closed');
    await store.close(); // twice is harmless
  });
});

const event = () => ({
  eventId: 'evt-1',
  type: 'HouseholdRegistered',
  data: {},
  metadata: {
    schemaVersion: 1,
    actor: { kind: 'worker' as const, id: 'w-1' },
    recordedAt: '2026-01-05T09:00:01.000Z',
    correlationId: 'c-1',
    causationId: 'c-1',
  },
});
