/**
 * The executor decides a stream's next command from the state it appended last, without reading
 * the stream again; the append's version check catches a stream someone else wrote meanwhile.
 * "Someone else" is a second executor on the same store: another API process.
 */
import 'reflect-metadata';
import { DomainError, type Decider, type DomainEvent } from '@eenplan/domain';
import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  WrongExpectedVersionError,
  type EventStore,
  type NewEvent,
  type Sql,
} from '@eenplan/event-store';
import { randomUUID } from 'node:crypto';
import { AggregateExecutor } from '../../apps/api/src/common/aggregate-executor';
import { WriteContext } from '../../apps/api/src/common/write-context';
import { TestClock } from '../support/app';

let sql: Sql;
let store: PostgresEventStore;
beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, eventStoreMigrations);
  store = new PostgresEventStore(sql);
});
afterAll(async () => {
  await store?.close();
  await sql?.close();
});

/** A counter that refuses to go above a limit: enough to tell a stale decision from a fresh one. */
type Added = DomainEvent<'Added', { by: number }>;
type Command = { by: number; limit: number };
const counter: Decider<Command, number, Added> = {
  initialState: () => 0,
  evolve: (total, e) => total + e.data.by,
  decide: ({ by, limit }, total) => {
    if (total + by > limit)
      throw new DomainError('OverLimit', 'conflict', `${total} + ${by} is over ${limit}`);
    return [{ type: 'Added', data: { by } }];
  },
};

const ctx = (extra: Partial<WriteContext> = {}): WriteContext => ({
  principal: { sub: 'w-1', roles: ['worker'], teams: ['t-1'] },
  actor: { id: 'w-1', roles: ['worker'], teams: ['t-1'] },
  correlationId: randomUUID(),
  requestId: randomUUID(),
  ...extra,
});

let reads: number;
/** Each read's first version (1: the whole stream) and how many events it returned. */
let readLog: { from: number; events: number }[];
const counted = (inner: EventStore): EventStore =>
  new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return async (...args: Parameters<EventStore['readStream']>) => {
          reads++;
          const events = await target.readStream(...args);
          readLog.push({ from: args[1] ?? 1, events: events.length });
          return events;
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });

const add = (executor: AggregateExecutor, stream: string, by: number, limit = 100, extra = {}) =>
  executor.execute(stream, counter, ctx(extra), () => ({ by, limit }));

beforeEach(() => {
  reads = 0;
  readLog = [];
});

test('the next command on a stream this process wrote decides without reading it', async () => {
  const executor = new AggregateExecutor(counted(store), new TestClock());
  const stream = `counter-${randomUUID()}`;
  await add(executor, stream, 1);
  const second = await add(executor, stream, 2);
  const third = await add(executor, stream, 3);
  expect(reads).toBe(1);
  expect([second.state, second.version, third.state, third.version]).toEqual([3, 2, 6, 3]);
  expect((await store.readStream(stream)).map((e) => e.data['by'])).toEqual([1, 2, 3]);
});

test('a stream another process wrote meanwhile is read, and the command decided again', async () => {
  const mine = new AggregateExecutor(counted(store), new TestClock());
  const theirs = new AggregateExecutor(store, new TestClock());
  const stream = `counter-${randomUUID()}`;
  await add(mine, stream, 1);
  await add(theirs, stream, 5);
  const written = await add(mine, stream, 2);
  expect([written.state, written.version]).toEqual([8, 3]);
  expect((await store.readStream(stream)).map((e) => e.data['by'])).toEqual([1, 5, 2]);
});

test('a command decided on a stale state is decided again on the stream as it is', async () => {
  const mine = new AggregateExecutor(store, new TestClock());
  const theirs = new AggregateExecutor(store, new TestClock());
  const stream = `counter-${randomUUID()}`;
  await add(mine, stream, 9);
  await add(theirs, stream, 9);
  // Mine saw 9, so 9 + 5 fits under 15; the stream holds 18, so it does not.
  await expect(add(mine, stream, 5, 15)).rejects.toMatchObject({ code: 'OverLimit' });
  expect((await store.readStream(stream)).length).toBe(2);
});

test('a refusal on a stale state is not given: the stream as it is allows the command', async () => {
  const mine = new AggregateExecutor(store, new TestClock());
  const stream = `counter-${randomUUID()}`;
  await add(mine, stream, 10);
  // Another process cannot lower a counter, so stand in for it with a stream written around mine:
  // mine last saw 10 at version 1; the stream gets a -8 from elsewhere.
  await store.append(
    stream,
    [
      {
        eventId: randomUUID(),
        type: 'Added',
        data: { by: -8 },
        personal: null,
        metadata: {
          schemaVersion: 1,
          actor: { kind: 'worker', id: 'w-2' },
          recordedAt: new Date().toISOString(),
          correlationId: randomUUID(),
          causationId: randomUUID(),
        },
      },
    ],
    1,
  );
  const written = await add(mine, stream, 5, 10);
  expect([written.state, written.version]).toEqual([7, 3]);
});

test('If-Match is checked against the stream, not against what this process saw last', async () => {
  const mine = new AggregateExecutor(store, new TestClock());
  const theirs = new AggregateExecutor(store, new TestClock());
  const stream = `counter-${randomUUID()}`;
  await add(mine, stream, 1);
  await add(theirs, stream, 1);
  // The client saw version 2 (theirs); mine last saw 1: the client is right.
  const written = await add(mine, stream, 1, 100, { expectedVersion: 2 });
  expect(written.version).toBe(3);
  // The client saw version 1, which mine knows, but the stream is at 3: refused, nothing written.
  await add(theirs, stream, 1);
  await expect(add(mine, stream, 1, 100, { expectedVersion: 3 })).rejects.toBeInstanceOf(
    WrongExpectedVersionError,
  );
  expect((await store.readStream(stream)).length).toBe(4);
});

const foreignEvent = (by: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'Added',
  data: { by },
  personal: null,
  metadata: {
    schemaVersion: 1,
    actor: { kind: 'worker', id: 'w-2' },
    recordedAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
  },
});

describe('one busy stream (issue 22)', () => {
  test('32 commands at once on one stream in one process are all written, one after another', async () => {
    const executor = new AggregateExecutor(counted(store), new TestClock());
    const stream = `counter-${randomUUID()}`;
    const written = await Promise.all(Array.from({ length: 32 }, () => add(executor, stream, 1, 1000)));
    // No one lost a race: each decided on what the previous one left, so the stream was read once.
    expect(written.map((w) => w.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    expect(written.map((w) => w.state).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    expect(reads).toBe(1);
    expect((await store.readStream(stream)).length).toBe(32);
  });

  test('a limit holds under concurrency: of 20 commands at once, exactly those that fit are written', async () => {
    const executor = new AggregateExecutor(store, new TestClock());
    const stream = `counter-${randomUUID()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => add(executor, stream, 1, 12)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(12);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.map((o) => (o.reason as DomainError).code)).toEqual(Array(8).fill('OverLimit'));
    expect((await store.readStream(stream)).length).toBe(12);
  });

  test("another process's write is caught by the append and only the events after it are read", async () => {
    const mine = new AggregateExecutor(counted(store), new TestClock());
    const stream = `counter-${randomUUID()}`;
    for (let i = 0; i < 5; i++) await add(mine, stream, 1);
    await store.append(stream, [foreignEvent(10), foreignEvent(20)], 5);
    readLog = [];
    const written = await add(mine, stream, 1);
    expect([written.state, written.version]).toEqual([36, 8]);
    // Not the whole stream again: the two events after version 5.
    expect(readLog).toEqual([{ from: 6, events: 2 }]);
    // And the next command goes on from there without reading.
    readLog = [];
    expect((await add(mine, stream, 1)).version).toBe(9);
    expect(readLog).toEqual([]);
  });

  test('another process writing during a burst: every command is still written once', async () => {
    const mine = new AggregateExecutor(counted(store), new TestClock());
    const theirs = new AggregateExecutor(store, new TestClock());
    const stream = `counter-${randomUUID()}`;
    await add(mine, stream, 1);
    const [ours, others] = await Promise.all([
      Promise.allSettled(Array.from({ length: 16 }, () => add(mine, stream, 1, 1000))),
      Promise.allSettled(Array.from({ length: 4 }, () => add(theirs, stream, 100, 1000))),
    ]);
    // Mine lose a race only to one of the other's 4 writes, under the bound of attempts, so all are
    // written; the other's may each lose to every one of mine, more often than the bound allows.
    expect(ours.filter((o) => o.status === 'fulfilled')).toHaveLength(16);
    const theirsWritten = others.filter((o) => o.status === 'fulfilled').length;
    for (const o of others)
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
    const stored = await store.readStream(stream);
    expect(stored.length).toBe(17 + theirsWritten);
    expect(stored.reduce((t, e) => t + (e.data['by'] as number), 0)).toBe(17 + 100 * theirsWritten);
    // After its first read, mine read only what the other wrote (never the whole stream again).
    expect(readLog.slice(1).every((r) => r.from > 1)).toBe(true);
  });

  test('If-Match still answers a conflict: two commands naming the same version, one is written', async () => {
    const executor = new AggregateExecutor(store, new TestClock());
    const stream = `counter-${randomUUID()}`;
    await add(executor, stream, 1);
    const outcomes = await Promise.allSettled([
      add(executor, stream, 1, 100, { expectedVersion: 1 }),
      add(executor, stream, 1, 100, { expectedVersion: 1 }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(rejected.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect((await store.readStream(stream)).length).toBe(2);
  });

  test('If-Match after another process wrote: 409 on the stream read after the known version', async () => {
    const mine = new AggregateExecutor(counted(store), new TestClock());
    const stream = `counter-${randomUUID()}`;
    await add(mine, stream, 1);
    await store.append(stream, [foreignEvent(1)], 1);
    readLog = [];
    await expect(add(mine, stream, 1, 100, { expectedVersion: 1 })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect(readLog).toEqual([{ from: 2, events: 1 }]);
    expect((await store.readStream(stream)).length).toBe(2);
  });

  test('a write stuck in the store holds the next one only so long: 503, nothing written by it', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let hold = true;
    const slow = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'append') {
          return async (...args: Parameters<EventStore['append']>) => {
            if (hold) await stuck;
            return target.append(...args);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const executor = new AggregateExecutor(slow, new TestClock());
    executor.turnWaitMs = 200;
    const stream = `counter-${randomUUID()}`;
    const first = add(executor, stream, 1);
    const second = add(executor, stream, 1);
    await expect(second).rejects.toMatchObject({ response: { code: 'StoreUnavailable' } });
    // The next one queues behind the stuck write (not behind the one that gave up) and is written.
    const third = add(executor, stream, 1);
    hold = false;
    release();
    expect((await first).version).toBe(1);
    expect((await third).version).toBe(2);
    expect((await store.readStream(stream)).length).toBe(2);
  });
});
