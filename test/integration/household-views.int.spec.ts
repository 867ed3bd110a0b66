/**
 * HouseholdViews remembers a household's fold by version and lets concurrent readers share a read
 * of the stream's tail. What must hold: an answer never misses a write that was stored before its
 * request arrived, even when a read begun earlier is still under way; and concurrent readers cost
 * a couple of reads, not one each.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { householdStream } from '@eenplan/domain';
import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type EventStore,
  type NewEvent,
  type Sql,
} from '@eenplan/event-store';
import { HouseholdViews } from '../../apps/api/src/common/household-views';
import { householdBody } from '../../apps/api/src/households/household.view';

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

const event = (
  type: string,
  data: Record<string, unknown>,
  personal?: Record<string, unknown>,
): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  personal: personal ?? null,
  metadata: {
    schemaVersion: 1,
    actor: { kind: 'worker', id: 'w-1', roles: ['worker'] },
    recordedAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
  },
});
const registered = (householdId: string) =>
  event('HouseholdRegistered', {
    householdId,
    teamId: 't-1',
    district: 'noord',
    members: [{ memberId: 'm-1', role: 'parent', birthYear: 1980 }],
    regie: { kind: 'household' },
    registeredAt: new Date().toISOString(),
  });
const goal = (goalId: string) =>
  event('GoalAdded', { goalId, lifeDomain: 'housing', planRevision: 1 }, { description: `Doel ${goalId}` });

/** The real store, its reads counted and their answers held at a gate the test opens. */
const gated = (inner: EventStore) => {
  let open: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const state = { reads: 0 };
  const proxy = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'readStream')
        return async (...args: Parameters<EventStore['readStream']>) => {
          state.reads++;
          // Read now, answer when the gate opens: what a slow answer of the database looks like.
          const events = await target.readStream(...args);
          await gate;
          return events;
        };
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return {
    store: proxy,
    state,
    hold: () => {
      gate = new Promise<void>((r) => (open = r));
    },
    release: () => open(),
  };
};

describe('HouseholdViews', () => {
  it('never misses a write stored before the request, even with an earlier read under way', async () => {
    const id = `hh-${randomUUID()}`;
    await store.append(householdStream(id), [registered(id), goal('g-1')], 0);
    const g = gated(store);
    const views = new HouseholdViews(g.store);
    try {
      g.hold();
      const early = views.read(id); // under way, held at the gate
      await new Promise((r) => setImmediate(r));
      await store.append(householdStream(id), [goal('g-2')], 2); // stored and answered
      const late = views.read(id); // arrives after the write
      g.release();
      // Read before the write: it rightly has only g-1.
      expect((await early).order.goals).toEqual(['g-1']);
      const fold = await late;
      expect(fold.order.goals).toEqual(['g-1', 'g-2']);
      expect(fold.texts.goals.get('g-2')).toBe('Doel g-2');
    } finally {
      views.onModuleDestroy();
    }
  });

  it('lets readers that arrive together share one read, and those that come while it runs the next', async () => {
    const id = `hh-${randomUUID()}`;
    await store.append(householdStream(id), [registered(id), goal('g-1')], 0);
    const g = gated(store);
    const views = new HouseholdViews(g.store);
    try {
      await views.read(id);
      g.state.reads = 0;
      const together = await Promise.all(Array.from({ length: 30 }, () => views.read(id)));
      expect(g.state.reads).toBe(1);
      expect(new Set(together.map((f) => f.version))).toEqual(new Set([2]));

      g.state.reads = 0;
      g.hold();
      const first = views.read(id);
      await new Promise((r) => setImmediate(r)); // its read has begun, and waits at the gate
      const later = Array.from({ length: 10 }, () => views.read(id));
      g.release();
      await Promise.all([first, ...later]);
      expect(g.state.reads).toBe(2);

      await store.append(householdStream(id), [goal('g-2')], 2);
      const after = await views.read(id);
      expect(after.version).toBe(3);
      expect(views.body(after, householdBody).toString()).toContain('Doel g-2');
      // The same version's answer is serialised once.
      expect(views.body(after, householdBody)).toBe(views.body(await views.read(id), householdBody));
    } finally {
      views.onModuleDestroy();
    }
  });
});
