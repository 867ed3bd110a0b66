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
const counted = (inner: EventStore): EventStore =>
  new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return (...args: Parameters<EventStore['readStream']>) => {
          reads++;
          return target.readStream(...args);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });

const add = (executor: AggregateExecutor, stream: string, by: number, limit = 100, extra = {}) =>
  executor.execute(stream, counter, ctx(extra), () => ({ by, limit }));

beforeEach(() => {
  reads = 0;
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
