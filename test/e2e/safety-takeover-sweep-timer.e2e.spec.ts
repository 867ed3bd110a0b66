/**
 * Where projections run, the API announces unconfirmed safety takeovers by itself every
 * SAFETY_TAKEOVER_SWEEP_MS (invariant 6: takeovers no team lead decided in time surface as an event).
 */
import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { seedHousehold, seedTeam } from './fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ safetyTakeoverSweepMs: 100, safetyConfirmHours: 2 });
});
afterAll(async () => {
  await t?.close();
});

it('records SafetyTakeoverConfirmationOverdue on its own once the hours have passed', async () => {
  const team = await seedTeam(t, { workers: 2 });
  const householdId = await seedHousehold(t, team, { regieWorker: team.workers[0] });
  await t
    .http()
    .post(`/v1/households/${householdId}/regie/safety-takeover`)
    .set(team.workers[1]!.as)
    .send({ reason: 'Acute zorgen' })
    .expect(200);
  const store = t.app.get<EventStore>(EVENT_STORE);
  const overdue = async () =>
    (await store.readStream(householdStream(householdId))).filter(
      (e) => e.type === 'SafetyTakeoverConfirmationOverdue',
    );
  // Several timer rounds within the hours: nothing yet.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await overdue()).toEqual([]);

  t.clock.advance(2 * 3_600_000);

  await eventually(async () => expect(await overdue()).toHaveLength(1), 10_000);
  expect((await overdue())[0]!.metadata.actor).toEqual({ kind: 'system', id: 'safety-takeover-sweep' });
  expect((await overdue())[0]!.data).toMatchObject({ confirmHours: 2, householdTeamId: team.teamId });
});
