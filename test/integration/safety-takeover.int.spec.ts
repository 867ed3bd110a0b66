import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql, PostgresEventStore } from '@eenplan/event-store';
import { RegieHistoryQueries } from '@eenplan/projections';
import { SafetyTakeoverSweep } from '@eenplan/runtime';
import { describeWithInfra } from '../support/infra';
import { createTestDatabase, postgresInfra, TestDatabase } from '../support/postgres';
import { startTestApp, TestApp, TestClock } from '../support/app';
import { auditor, Person, seedHousehold, seedTeam, uniq } from '../e2e/fixtures';

const HOUR = 3_600_000;

/**
 * Invariant 6 across processes: two API instances on one PostgreSQL database and a third sweeper as
 * the worker runs it, all announcing the same unconfirmed safety takeovers at once. Each takeover's
 * SafetyTakeoverConfirmationOverdue is recorded exactly once (its event id comes from the household
 * and the takeover).
 */
describeWithInfra('the unconfirmed safety takeover sweep in several processes at once', postgresInfra, () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestApp({ databaseUrl: database.url, safetyTakeoverSweepMs: 0 }, { clock });
    b = await startTestApp({ databaseUrl: database.url, safetyTakeoverSweepMs: 0 }, { clock });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('records one overdue notice per takeover, whoever sweeps', async () => {
    const team = await seedTeam(a, { workers: 2 });
    const [holder, taker] = team.workers as [Person, Person];
    const households: string[] = [];
    for (let i = 0; i < 5; i++) {
      const householdId = await seedHousehold(i % 2 ? a : b, team, { regieWorker: holder });
      await (i % 2 ? b : a)
        .http()
        .post(`/v1/households/${householdId}/regie/safety-takeover`)
        .set(taker.as)
        .send({ reason: 'Acute zorgen' })
        .expect(200);
      households.push(householdId);
    }
    clock.advance(25 * HOUR);
    // Both apps' read models have seen every takeover (a read waits for them).
    for (const app of [a, b])
      expect(
        (await app.http().get('/v1/regie/safety-takeovers/unconfirmed').set(team.lead.as).expect(200)).body
          .takeovers,
      ).toHaveLength(5);

    const sql = await createSql({ databaseUrl: database.url });
    const store = new PostgresEventStore(sql);
    const workerSweep = new SafetyTakeoverSweep(store, new RegieHistoryQueries(sql, store), clock, 24);
    try {
      const results = await Promise.all([
        a.app.get(SafetyTakeoverSweep).run(),
        b.app.get(SafetyTakeoverSweep).run(),
        workerSweep.run(),
        a.app.get(SafetyTakeoverSweep).run(),
      ]);
      expect(results.reduce((n, r) => n + r.announced, 0)).toBe(5);
      for (const householdId of households) {
        const events = await store.readStream(`household-${householdId}`);
        expect(events.filter((e) => e.type === 'SafetyTakeoverConfirmationOverdue')).toHaveLength(1);
      }
    } finally {
      await sql.close();
    }
  });
});

/** Every file under `dir` (recursively) whose bytes contain `needle`, as a path relative to `dir`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).includes(bytes)) found.push(path.slice(dir.length + 1));
    }
  };
  walk(dir);
  return found;
}

/**
 * Safety work's texts, all marked with `marker`: every meldcode step (signals, a colleague's and
 * Veilig Thuis's advice, the conversation, the weighing, the decision), a safety plan's agreements
 * and who keeps them, and the signals a takeover keeps when the household already has an open track.
 */
async function safetyWorkWithTexts(t: TestApp, marker: string) {
  const team = await seedTeam(t, { workers: 2 });
  const [a, b] = team.workers as [Person, Person];
  const householdId = await seedHousehold(t, team, { regieWorker: a });
  const post = (path: string, body: object, who: Person = a) =>
    t.http().post(`/v1/households/${householdId}${path}`).set(who.as).send(body);
  const { trackId } = (await post('/meldcode-tracks', { signals: `${marker} signals` }).expect(201)).body;
  const track = `/meldcode-tracks/${trackId}`;
  await post(`${track}/consultations`, {
    consultation: 'veilig-thuis',
    advice: `${marker} veilig-thuis-advice`,
  }).expect(201);
  await post(`${track}/consultations`, {
    consultation: 'colleague',
    consultedRole: 'aandachtsfunctionaris',
    advice: `${marker} colleague-advice`,
  }).expect(201);
  await post(`${track}/conversation`, { held: true, account: `${marker} account` }).expect(201);
  await post(`${track}/weighing`, {
    reportNecessary: false,
    helpPossible: true,
    explanation: `${marker} explanation`,
  }).expect(201);
  const reviewOn = new Date(t.clock.peek().getTime() + 30 * 24 * HOUR).toISOString().slice(0, 10);
  await t
    .http()
    .put(`/v1/households/${householdId}/safety-plan`)
    .set(a.as)
    .send({ agreements: [{ text: `${marker} agreement`, who: `${marker} keeper` }], reviewOn })
    .expect(200);
  // The track is still open: the takeover keeps its signals in its own event.
  const takeover = await post(
    '/regie/safety-takeover',
    { reason: `${marker} takeover`, meldcode: { signals: `${marker} takeover-signals` } },
    b,
  ).expect(200);
  expect(takeover.body.meldcodeTrackStarted).toBe(false);
  await post(
    `${track}/decision`,
    { reportToVeiligThuis: false, organiseHelp: true, reasons: `${marker} reasons` },
    b,
  ).expect(201);
  // Read back in full by a worker, so each text was written somewhere.
  const read = await t.http().get(`/v1/households/${householdId}/meldcode-tracks`).set(b.as).expect(200);
  for (const what of [
    'signals',
    'veilig-thuis-advice',
    'colleague-advice',
    'account',
    'explanation',
    'reasons',
  ])
    expect(read.text).toContain(`${marker} ${what}`);
  const safetyPlan = await t.http().get(`/v1/households/${householdId}/safety-plan`).set(b.as).expect(200);
  expect(safetyPlan.text).toContain(`${marker} agreement`);
  expect(safetyPlan.text).toContain(`${marker} keeper`);
}

/** Transfer, takeover and rejection reasons of a household, all marked with `marker`. */
async function regieWithReasons(t: TestApp, marker: string) {
  const team = await seedTeam(t, { workers: 3 });
  const [a, b, c] = team.workers as [Person, Person, Person];
  const householdId = await seedHousehold(t, team, { regieWorker: a });
  const post = (path: string, who: Person, body: object = {}) =>
    t.http().post(`/v1/households/${householdId}${path}`).set(who.as).send(body);
  const transferId = uniq('tr');
  await post('/regie/transfers', a, {
    transferId,
    to: { kind: 'worker', id: c.id },
    reason: `${marker} transfer`,
  }).expect(201);
  await post(`/regie/transfers/${transferId}/accept`, c).expect(200);
  const { takeoverId } = (
    await post('/regie/safety-takeover', b, { reason: `${marker} takeover` }).expect(200)
  ).body;
  await post(`/regie/safety-takeover/${takeoverId}/reject`, team.lead, {
    reason: `${marker} rejection`,
  }).expect(200);
  await post('/regie/transfers', c, { to: { kind: 'worker', id: a.id }, reason: `${marker} pending` }).expect(
    201,
  );
  // The history shows them (read from the events), so they were written somewhere.
  const history = await t
    .http()
    .get(`/v1/households/${householdId}/regie/history`)
    .set(auditor(t).as)
    .expect(200);
  for (const what of ['transfer', 'takeover', 'rejection'])
    expect(history.text).toContain(`${marker} ${what}`);
}

/**
 * Regie reasons, the meldcode's texts and the safety plan are free text about a household: they must
 * exist only inside the events' encrypted personal part. The read model refers to them; no file of the database holds them in plain text.
 */
describe('regie reasons and safety work on disk (PGlite data directory, WAL included)', () => {
  it('no transfer, takeover or rejection reason, meldcode text or safety-plan agreement is in any file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eenplan-reasons-'));
    const marker = `Zwanenveld-${Date.now()}`;
    try {
      const t = await startTestApp({ pgliteDir: dir });
      try {
        await regieWithReasons(t, marker);
        await safetyWorkWithTexts(t, marker);
      } finally {
        await t.close();
      }
      expect(filesContaining(dir, marker)).toEqual([]);
      // The scan itself finds what is there: the household's pseudonymous id is in the files.
      expect(filesContaining(dir, 'safety-takeover-rejected').length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // 7 s alone; over 60 s once on a 2-core machine running CI beside other work (an app on a PGlite
    // data directory starts eleven read models' migrations).
  }, 180_000);
});

describeWithInfra(
  'regie reasons and safety work in a pg_dump of the PostgreSQL database',
  postgresInfra,
  () => {
    it('no transfer, takeover or rejection reason, meldcode text or safety-plan agreement is in the dump', async () => {
      const database = await createTestDatabase();
      const marker = `Zwanenveld-${Date.now()}`;
      try {
        const t = await startTestApp({ databaseUrl: database.url });
        try {
          await regieWithReasons(t, marker);
          await safetyWorkWithTexts(t, marker);
        } finally {
          await t.close();
        }
        const dump = execFileSync('pg_dump', ['--data-only', database.url], {
          maxBuffer: 256 * 1024 * 1024,
        }).toString();
        expect(dump).toContain('safety-takeover-rejected');
        expect(dump.includes(marker)).toBe(false);
      } finally {
        await database.drop();
      }
    }, 60_000);
  },
);
