/**
 * A database the release before break-glass wrote: regie tables with the reasons as text, a
 * checkpoint at projection version 1, and a safety takeover whose approver the taker named (schema
 * v1). After the migrations of this release and a start of the runner, the reasons are gone from
 * the tables (read from the events instead), and the old takeover still shows, as named by the taker.
 * On PGlite and on the PostgreSQL server.
 */
import {
  createSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type NewEvent,
  type Sql,
} from '@eenplan/event-store';
import { describeWithInfra } from '../../../../test/support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../../../../test/support/postgres';
import { checkpointMigrations, ProjectionRunner } from '../runner';
import { regieHistoryProjection } from './regie-history.projection';
import { RegieHistoryQueries } from './regie-history.queries';

const OLD_REASON = 'Oude reden over Pietje Puk';
const TAKEOVER_REASON = 'Acuut gevaar bij Pietje Puk';

const metadata = (at: string) => ({
  schemaVersion: 1,
  actor: { kind: 'worker' as const, id: 'w-1', roles: ['worker'] },
  recordedAt: at,
  correlationId: 'c',
  causationId: 'c',
});

/** The previous release's history of household h-1: registered with w-1, taken over by w-2 naming lead l-1. */
const previousRelease: NewEvent[] = [
  {
    eventId: 'e-1',
    type: 'HouseholdRegistered',
    data: {
      householdId: 'h-1',
      teamId: 't-1',
      district: 'noord',
      members: [{ memberId: 'm-1', role: 'parent', birthYear: 1980 }],
      regie: { kind: 'worker', id: 'w-1', teamId: 't-1' },
      registeredAt: '2026-01-05T09:00:00.000Z',
    },
    personal: { memberNames: { 'm-1': 'Pietje Puk' } },
    metadata: metadata('2026-01-05T09:00:00.000Z'),
  },
  {
    eventId: 'e-2',
    type: 'RegieTakenOverForSafety',
    data: {
      from: { kind: 'worker', id: 'w-1', teamId: 't-1' },
      to: { kind: 'worker', id: 'w-2', teamId: 't-1' },
      approvedBy: 'l-1',
      takenAt: '2026-01-05T10:00:00.000Z',
    },
    personal: { reason: TAKEOVER_REASON },
    metadata: metadata('2026-01-05T10:00:00.000Z'),
  },
];

/** `open` gives the database and how to be rid of it afterwards. */
function upgradeSuite(open: () => Promise<{ sql: Sql; done: () => Promise<void> }>) {
  let sql: Sql;
  let done: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ sql, done } = await open());
  });
  afterAll(async () => {
    await done?.();
  });

  test('the reasons leave the tables, the old takeover reads as named by the taker', async () => {
    const [v200] = regieHistoryProjection.migrations;
    await migrate(sql, [...eventStoreMigrations, ...checkpointMigrations, v200!]);
    const store = new PostgresEventStore(sql);
    await store.append('household-h-1', previousRelease, 0);
    // What the previous release's projection left: text reasons, a checkpoint at version 1.
    await sql.query(
      `INSERT INTO regie_intervals (household_id, seq, holder_kind, holder_id, holder_team_id, from_at, to_at, cause,
          requested_by, approved_by, reason)
       VALUES ('h-1', 1, 'worker', 'w-1', 't-1', '2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z', 'registration',
               NULL, NULL, NULL),
              ('h-1', 2, 'worker', 'w-2', 't-1', '2026-01-05T10:00:00Z', NULL, 'safety-takeover', 'w-2', 'l-1', $1)`,
      [TAKEOVER_REASON],
    );
    await sql.query(
      `INSERT INTO regie_pending_transfers (household_id, transfer_id, reason) VALUES ('h-x', 'tr', $1)`,
      [OLD_REASON],
    );
    await sql.query(
      `INSERT INTO projection_checkpoints (name, position, version) VALUES ('regie-history', $1, 1)`,
      [await store.headPosition()],
    );

    // This release starts: its migrations, then the runner, which rebuilds the changed projection.
    await migrate(sql, [
      ...eventStoreMigrations,
      ...checkpointMigrations,
      ...regieHistoryProjection.migrations,
    ]);
    const runner = new ProjectionRunner(store, sql, [regieHistoryProjection]);
    await runner.init();
    await runner.catchUp();

    const { rows: columns } = await sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name IN ('regie_intervals', 'regie_pending_transfers') AND column_name = 'reason'`,
    );
    expect(columns).toEqual([]);
    for (const table of regieHistoryProjection.tables) {
      const { rows } = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} r WHERE r::text ILIKE '%Pietje%'`,
      );
      expect({ table, rows: rows[0]!.n }).toEqual({ table, rows: 0 });
    }
    const history = await new RegieHistoryQueries(sql, store).history('h-1', {
      overdueBefore: '2026-02-01T00:00:00.000Z',
    });
    expect(history).toEqual([
      expect.objectContaining({
        cause: 'registration',
        holder: { kind: 'worker', id: 'w-1', teamId: 't-1' },
      }),
      {
        householdId: 'h-1',
        seq: 2,
        holder: { kind: 'worker', id: 'w-2', teamId: 't-1' },
        from: '2026-01-05T10:00:00.000Z',
        to: null,
        cause: 'safety-takeover',
        requestedBy: 'w-2',
        approvedBy: 'l-1',
        confirmation: 'named-by-taker',
        reason: TAKEOVER_REASON,
      },
    ]);
    // Decided as far as anyone can tell: not listed as awaiting a lead.
    expect(
      await new RegieHistoryQueries(sql, store).unconfirmedTakeovers({
        takenBefore: '2030-01-01T00:00:00.000Z',
        limit: 10,
      }),
    ).toEqual([]);
  });
}

describe('upgrading the regie history on PGlite', () => {
  upgradeSuite(async () => {
    const sql = await createSql({});
    return { sql, done: () => sql.close() };
  });
});

describeWithInfra('upgrading the regie history on the PostgreSQL server', postgresInfra, () => {
  upgradeSuite(async () => {
    const database: TestDatabase = await createTestDatabase();
    const sql = await createSql({ databaseUrl: database.url });
    return {
      sql,
      done: async () => {
        await sql.close();
        await database.drop();
      },
    };
  });
});
