import type { Sql } from '@eenplan/event-store/sql/sql';
import { anchoredStreamName, readAnchor, type Anchor, type SealedEventStore } from '@eenplan/security';
import { SEALED_EVENT_STORE, SQL } from '../../apps/api/src/common/tokens';
import { startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { auditor, seedHousehold, seedTeam } from './fixtures';

/**
 * The chains' heads anchored in the key store by the app that runs the projections (every
 * ANCHOR_INTERVAL_MS, here 200 ms), and what GET /v1/audit/verify finds with it: the newest
 * access-log rows and a household's last events cut by a database superuser, with the head and the
 * stream's version set back so that both chains still hold.
 */
let t: TestApp;
let sql: Sql;
let sealed: SealedEventStore;

beforeAll(async () => {
  t = await startTestApp({ anchorIntervalMs: 200 });
  sql = t.app.get<Sql>(SQL);
  sealed = t.app.get<SealedEventStore>(SEALED_EVENT_STORE);
});
afterAll(async () => {
  await t?.close();
});

const verify = async () => (await t.http().get('/v1/audit/verify').set(auditor(t).as).expect(200)).body;

test('rows and events cut below the anchor are named by GET /v1/audit/verify', async () => {
  const team = await seedTeam(t, { workers: 1 });
  const worker = team.workers[0]!;
  const householdId = await seedHousehold(t, team, { regieWorker: worker });
  for (const description of ['woning zoeken', 'schulden afbouwen', 'werk vinden'])
    await t
      .http()
      .post(`/v1/households/${householdId}/goals`)
      .set(worker.as)
      .send({ lifeDomain: 'housing', description })
      .expect(201);
  for (let i = 0; i < 3; i++) await t.http().get(`/v1/households/${householdId}`).set(worker.as).expect(200);
  const streamId = `household-${householdId}`;
  const version = 4;
  expect(await sealed.streamVersion(streamId)).toBe(version);

  // Wait for an anchor that holds the household's last event and at least these access-log rows.
  const { rows: head } = await sql.query<{ seq: string }>('SELECT seq::text FROM access_log_head');
  let anchor: Anchor | null = null;
  await eventually(async () => {
    anchor = await readAnchor(sealed.keys);
    expect(anchor?.accessLog?.seq).toBeGreaterThanOrEqual(Number(head[0]!.seq));
    expect(anchor?.events?.heads).toContainEqual(
      expect.objectContaining({ stream: anchoredStreamName(streamId), version }),
    );
  }, 10_000);
  expect(await verify()).toMatchObject({ ok: true, broken: [], accessLog: { ok: true, broken: [] } });
  const anchored = anchor!.accessLog!.seq;

  // The superuser: the newest rows gone and the head set back; the household's last two events gone
  // and its version set back.
  const keep = anchored - 2;
  await sql.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    // The head first, as the app's writers take it: none of their rows lands between the DELETE
    // and the head set back (that would be a gap in the chain, not a cut).
    await tx.query('SELECT seq FROM access_log_head FOR UPDATE');
    await tx.query('DELETE FROM access_log WHERE seq > $1::bigint', [String(keep)]);
    await tx.query(
      'UPDATE access_log_head SET seq = $1::bigint, hash = (SELECT hash FROM access_log WHERE seq = $1::bigint)',
      [String(keep)],
    );
    await tx.query('DELETE FROM events WHERE stream_id = $1 AND stream_version > 2', [streamId]);
    await tx.query('UPDATE event_streams SET version = 2 WHERE stream_id = $1', [streamId]);
  });
  // The app goes on anchoring (and writing the access log) meanwhile: it must not move past the cut.
  await new Promise((resolve) => setTimeout(resolve, 600));

  const report = await verify();
  expect(report.ok).toBe(false);
  expect(report.broken).toEqual([
    expect.objectContaining({ streamId, streamVersion: 3, problem: 'cut-below-anchor' }),
  ]);
  expect(report.anchor.found).toBe(report.anchor.anchored - 2);
  expect(report.accessLog.ok).toBe(false);
  // The anchor read above, or a later one written before the cut.
  expect(report.accessLog.broken).toEqual([expect.objectContaining({ problem: 'cut-below-anchor' })]);
  expect(report.accessLog.broken[0].seq).toBeGreaterThanOrEqual(anchored);
  // One household's verification names it too.
  const one = (
    await t.http().get(`/v1/audit/verify?householdId=${householdId}`).set(auditor(t).as).expect(200)
  ).body;
  expect(one).toMatchObject({
    ok: false,
    broken: [expect.objectContaining({ streamId, problem: 'cut-below-anchor' })],
  });
});
