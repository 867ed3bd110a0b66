/**
 * The plan-cycle sweep (issue 19): once the day of a plan's evaluation date is over, the sweep
 * records PlanEvaluationOverdue on the household's stream as the system, once per date; a rerun
 * adds nothing, and a new date can be overdue in turn. Likewise ReassessmentOverdue, once per
 * person's latest ZRM assessment. Caseloads show both.
 */
import { addDays, addMonths, dateInNl, LIFE_DOMAINS } from '@eenplan/domain';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { ProjectionRunner } from '@eenplan/projections';
import { PlanCycleSweep } from '@eenplan/runtime';
import { SQL } from '../../apps/api/src/common/tokens';
import { startTestApp, TestApp, TestClock } from '../support/app';
import {
  getHousehold,
  PARENT,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  setParentAuthority,
} from './fixtures';

const DAY = 86_400_000;
let t: TestApp;
let team: SeededTeam;
let worker: Person;
const clock = new TestClock();
beforeAll(async () => {
  t = await startTestApp({ planCycleSweepMs: 0 }, { clock });
  team = await seedTeam(t, { workers: 1 });
  worker = team.workers[0];
});
afterAll(async () => {
  await t?.close();
});

const today = () => dateInNl(clock.peek().toISOString());
const sweep = async () => {
  // The read model sees every write first, as it would between two timer ticks.
  await t.app.get(ProjectionRunner).catchUp();
  return t.app.get(PlanCycleSweep).run();
};
const overdueEvents = async (householdId: string) =>
  (
    await t.app
      .get<Sql>(SQL)
      .query<{ data: string; metadata: string }>(
        "SELECT data::text AS data, metadata::text AS metadata FROM events WHERE stream_id = $1 AND type = 'PlanEvaluationOverdue' ORDER BY stream_version",
        [`household-${householdId}`],
      )
  ).rows.map((r) => ({ data: JSON.parse(r.data), actor: JSON.parse(r.metadata).actor }));

it('records an overdue evaluation once per date, as the system; a new date can be overdue in turn', async () => {
  const householdId = await seedHousehold(t, team, { regieWorker: worker });
  const untouched = await seedHousehold(t, team);
  await setParentAuthority(t, householdId, worker);
  await t
    .http()
    .post(`/v1/households/${householdId}/goals`)
    .set(worker.as)
    .send({ lifeDomain: 'finances', description: 'Schulden onder controle' })
    .expect(201);
  await t
    .http()
    .post(`/v1/households/${householdId}/plan/agreements`)
    .set(worker.as)
    .send({ memberId: PARENT })
    .expect(201);
  const evaluateBy = addMonths(today(), 6);

  const caseload = async () =>
    (
      await t.http().get(`/v1/caseloads/workers/${worker.id}`).set(worker.as).expect(200)
    ).body.households.find((h: { householdId: string }) => h.householdId === householdId).planEvaluation;
  expect(await caseload()).toEqual({ evaluateBy, overdue: false });

  // On the day itself nothing is overdue yet.
  clock.advance(Date.parse(`${evaluateBy}T12:00:00Z`) - clock.peek().getTime());
  expect((await sweep()).announced).toBe(0);
  expect(await caseload()).toEqual({ evaluateBy, overdue: false });

  clock.advance(DAY);
  const first = await sweep();
  expect(first).toMatchObject({ today: addDays(evaluateBy, 1), households: 1, announced: 1 });
  expect((await sweep()).announced).toBe(0);
  expect(await overdueEvents(householdId)).toEqual([
    {
      data: { evaluateBy, detectedAt: expect.any(String) },
      actor: { kind: 'system', id: 'plan-cycle-sweep' },
    },
  ]);
  expect(await overdueEvents(untouched)).toEqual([]);
  // The caseload shows it overdue; a household without an evaluation date shows none.
  expect(await caseload()).toEqual({ evaluateBy, overdue: true });
  const lead = await t.http().get(`/v1/caseloads/teams/${team.teamId}`).set(team.lead.as).expect(200);
  expect(
    lead.body.households.find((h: { householdId: string }) => h.householdId === untouched).planEvaluation,
  ).toBeNull();

  // The regie holder sets a new date; once it passes, it is recorded in turn.
  const next = addDays(today(), 14);
  await t
    .http()
    .put(`/v1/households/${householdId}/plan/evaluation-date`)
    .set(worker.as)
    .send({ evaluateBy: next })
    .expect(200);
  expect((await sweep()).announced).toBe(0);
  clock.advance(15 * DAY);
  expect((await sweep()).announced).toBe(1);
  expect((await overdueEvents(householdId)).map((e) => e.data.evaluateBy)).toEqual([evaluateBy, next]);
  expect((await getHousehold(t, householdId, worker)).body.evaluateBy).toBe(next);

  // A closed plan is not swept.
  await t
    .http()
    .post(`/v1/households/${householdId}/close`)
    .set(worker.as)
    .send({ outcome: 'Klaar' })
    .expect(200);
  clock.advance(400 * DAY);
  expect((await sweep()).announced).toBe(0);
});

it("records a person's overdue ZRM re-assessment once per assessment (REASSESSMENT_AFTER on); caseloads show it due and overdue", async () => {
  const householdId = await seedHousehold(t, team, { regieWorker: worker });
  const assess = (assessmentId: string) =>
    t
      .http()
      .post(`/v1/households/${householdId}/assessments`)
      .set(worker.as)
      .send({
        assessmentId,
        memberId: PARENT,
        scores: Object.fromEntries(LIFE_DOMAINS.map((d) => [d, 3])),
      })
      .expect(201);
  await assess('zrm-1');
  const lastAssessedOn = today();
  const dueOn = addMonths(lastAssessedOn, 6);
  const reassessments = async () =>
    (
      await t.http().get(`/v1/caseloads/workers/${worker.id}`).set(worker.as).expect(200)
    ).body.households.find((h: { householdId: string }) => h.householdId === householdId).reassessments;
  const recorded = async () =>
    (
      await t.app
        .get<Sql>(SQL)
        .query<{ data: string; metadata: string }>(
          "SELECT data::text AS data, metadata::text AS metadata FROM events WHERE stream_id = $1 AND type = 'ReassessmentOverdue' ORDER BY stream_version",
          [`household-${householdId}`],
        )
    ).rows.map((r) => ({ data: JSON.parse(r.data), actor: JSON.parse(r.metadata).actor }));
  expect(await reassessments()).toEqual([{ memberId: PARENT, lastAssessedOn, dueOn, overdue: false }]);

  clock.advance(Date.parse(`${dueOn}T12:00:00Z`) - clock.peek().getTime());
  await sweep();
  expect(await recorded()).toEqual([]);
  clock.advance(DAY);
  await sweep();
  await sweep();
  expect(await recorded()).toEqual([
    {
      data: { memberId: PARENT, lastAssessedOn, dueOn, detectedAt: expect.any(String) },
      actor: { kind: 'system', id: 'plan-cycle-sweep' },
    },
  ]);
  expect(await reassessments()).toEqual([{ memberId: PARENT, lastAssessedOn, dueOn, overdue: true }]);

  // A new assessment starts the period again.
  await assess('zrm-2');
  expect(await reassessments()).toEqual([
    { memberId: PARENT, lastAssessedOn: today(), dueOn: addMonths(today(), 6), overdue: false },
  ]);
  await sweep();
  expect(await recorded()).toHaveLength(1);
});
