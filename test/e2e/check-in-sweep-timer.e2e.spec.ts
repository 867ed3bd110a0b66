/**
 * Where projections run, the API announces overdue check-ins by itself every CHECK_IN_SWEEP_MS,
 * without anyone calling the sweep endpoint (invariant 16: overdue check-ins appear as an event).
 */
import { dateInNl, householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { seedHousehold, seedTeam } from './fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ checkInSweepMs: 100 });
});
afterAll(async () => {
  await t?.close();
});

it('records CheckInOverdue on its own once a due date has passed', async () => {
  const team = await seedTeam(t, { workers: 1 });
  const householdId = await seedHousehold(t, team);
  await t
    .http()
    .post(`/v1/households/${householdId}/check-ins/cadence`)
    .set(team.workers[0]!.as)
    .send({ everyWeeks: 4, startsOn: dateInNl(t.clock.peek().toISOString()) })
    .expect(201);
  const store = t.app.get<EventStore>(EVENT_STORE);
  const overdue = async () =>
    (await store.readStream(householdStream(householdId))).filter((e) => e.type === 'CheckInOverdue');
  expect(await overdue()).toEqual([]);

  t.clock.advance(2 * 86_400_000);

  await eventually(async () => expect(await overdue()).toHaveLength(1), 10_000);
  expect((await overdue())[0]!.metadata.actor).toEqual({ kind: 'system', id: 'check-in-sweep' });
});
