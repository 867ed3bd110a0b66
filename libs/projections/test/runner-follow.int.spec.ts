import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type Sql,
} from '@eenplan/event-store';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { ALL_PROJECTIONS, ProjectionRunner } from '@eenplan/projections';
import { checkpointMigrations } from '../src/runner';
import { newEvent } from '../../../test/contract/event-store.contract';

let sql: Sql;
beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, [
    ...eventStoreMigrations,
    ...checkpointMigrations,
    ...ALL_PROJECTIONS.flatMap((p) => p.migrations),
  ]);
});
afterAll(async () => {
  await sql?.close();
});

test('a following runner whose worker is behind sleeps until the feed moves, rather than spinning', async () => {
  const inner = new PostgresEventStore(sql);
  await inner.append('household-follow-1', [newEvent('SomethingUnrelated')], 0);
  let waits = 0;
  const store: EventStore = Object.assign(Object.create(inner) as EventStore, {
    waitForEvents: (after: string, ms: number) => {
      waits++;
      return inner.waitForEvents(after, ms);
    },
  });
  // 'follow': another process applies the events; here nobody does, so the checkpoints stay behind.
  const runner = new ProjectionRunner(store, sql, ALL_PROJECTIONS, { mode: 'follow', idleWaitMs: 200 });
  await runner.refreshCheckpoints();
  runner.start();
  await new Promise((r) => setTimeout(r, 1000));
  await runner.stop();
  await inner.close();
  // About one wait per idle period (200 ms); a spinning loop makes thousands.
  expect(waits).toBeLessThanOrEqual(10);
});
