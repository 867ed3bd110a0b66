/**
 * Held-back writes (write-behind.ts) build the same read models as statement-by-statement applies:
 * random histories over every event type any projection reads, appended to a real event store,
 * rebuilt once per event (writeBehind: false) and once write-behind with random batch sizes, and
 * every table compared row by row. On PGlite and on the PostgreSQL server.
 */
import fc from 'fast-check';
import { LIFE_DOMAINS } from '@eenplan/domain';
import {
  createSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type NewEvent,
  type Sql,
  type SqlExecutor,
} from '@eenplan/event-store';
import { describeWithInfra } from '../../../test/support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../../../test/support/postgres';
import { ALL_PROJECTIONS } from './index';
import { checkpointMigrations, ProjectionRunner } from './runner';
import { inline, isBlindWrite, PREPARED_STATEMENTS, WriteBehindExecutor } from './write-behind';

interface Appended {
  readonly streamId: string;
  readonly event: NewEvent;
}

/** Text with quotes, backslashes and non-ASCII: the inlined literals must carry them unchanged. */
const awkward = fc.constantFrom('plain', "O'Brien", 'back\\slash', "both\\'s", 'ë€ 😀', '$1 -- /* */', '');
const day = fc
  .integer({ min: 0, max: 60 })
  .map((d) => new Date(Date.UTC(2026, 0, 5 + d)).toISOString().slice(0, 10));
const instant = fc
  .integer({ min: 0, max: 10_000_000 })
  .map((s) => new Date(Date.UTC(2026, 0, 5) + s * 1000 + (s % 1000)).toISOString());
// Six, so that set statements carry several rows; few enough that each has a history.
const household = fc.constantFrom('h1', 'h2', 'h3', 'h4', 'h5', 'h6');
const worker = fc.constantFrom('w1', 'w2', 'w3');
const small = fc.constantFrom('1', '2');
const workerHolder = worker.map((id) => ({ kind: 'worker' as const, id, teamId: 't1' }));

type AnyEvent = { streamId: string; type: string; data: unknown; personal?: unknown };

/** A household's registration: most other household events change nothing without one before them. */
const registration: fc.Arbitrary<AnyEvent> = fc
  .record({
    h: household,
    team: fc.constantFrom('t1', 't2'),
    district: awkward,
    w: workerHolder,
    at: instant,
    byHousehold: fc.boolean(),
  })
  .map((r) => ({
    streamId: `household-${r.h}`,
    type: 'HouseholdRegistered',
    data: {
      householdId: r.h,
      teamId: r.team,
      district: r.district,
      regie: r.byHousehold ? { kind: 'household' } : r.w,
      registeredAt: r.at,
    },
  }));

/** One event of any type a projection reads, on the stream it belongs to. */
const anyEvent: fc.Arbitrary<AnyEvent> = fc.oneof(
  registration,
  fc.record({ h: household, a: small, w: worker, kind: fc.constantFrom('worker', 'household') }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'ActionAdded',
    data: { actionId: `a${r.a}`, owner: { kind: r.kind, id: r.w } },
  })),
  fc.record({ h: household, a: small }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'ActionCompleted',
    data: { actionId: `a${r.a}` },
  })),
  fc
    .record({
      h: household,
      tr: small,
      to: workerHolder,
      by: worker,
      at: instant,
      reason: fc.option(awkward),
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'RegieTransferRequested',
      data: { transferId: `tr${r.tr}`, to: r.to, requestedBy: r.by, requestedAt: r.at },
      personal: r.reason === null ? undefined : { reason: r.reason },
    })),
  fc
    .record({
      h: household,
      tr: small,
      type: fc.constantFrom('RegieTransferDeclined', 'RegieTransferCancelled'),
    })
    .map((r) => ({ streamId: `household-${r.h}`, type: r.type, data: { transferId: `tr${r.tr}` } })),
  fc
    .record({
      h: household,
      tr: small,
      to: workerHolder,
      by: worker,
      acceptedBy: worker,
      at: instant,
      reverse: fc.boolean(),
      seconds: fc.nat({ max: 100_000 }),
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'RegieTransferAccepted',
      data: {
        transferId: `tr${r.tr}`,
        to: r.to,
        variant: r.reverse ? 'reverse' : 'handover',
        requestedBy: r.by,
        acceptedBy: r.acceptedBy,
        acceptedAt: r.at,
        handoverSeconds: r.seconds,
      },
    })),
  // As the release before break-glass wrote it: an approver named by the taker, no takeover id.
  fc
    .record({ h: household, to: workerHolder, approvedBy: worker, at: instant, reason: awkward })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'RegieTakenOverForSafety',
      data: { to: r.to, takenAt: r.at, approvedBy: r.approvedBy },
      personal: { reason: r.reason },
    })),
  fc
    .record({
      h: household,
      s: small,
      from: fc.oneof(workerHolder, fc.constant({ kind: 'household' as const })),
      to: workerHolder,
      team: fc.constantFrom('t1', 't2'),
      at: instant,
      reason: awkward,
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'RegieTakenOverForSafety',
      data: { takeoverId: `s${r.s}`, from: r.from, to: r.to, householdTeamId: r.team, takenAt: r.at },
      personal: { reason: r.reason },
    })),
  fc.record({ h: household, s: small, by: worker, at: instant }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'SafetyTakeoverConfirmed',
    data: { takeoverId: `s${r.s}`, takenBy: 'w1', confirmedBy: r.by, confirmedAt: r.at },
  })),
  fc
    .record({
      h: household,
      s: small,
      by: worker,
      at: instant,
      back: fc.option(fc.oneof(workerHolder, fc.constant({ kind: 'household' as const }))),
      reason: awkward,
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'SafetyTakeoverRejected',
      data: {
        takeoverId: `s${r.s}`,
        takenBy: 'w1',
        rejectedBy: r.by,
        rejectedAt: r.at,
        regieReturned: r.back && {
          from: { kind: 'worker', id: 'w1', teamId: 't1' },
          to: r.back,
          toPreviousHolder: true,
        },
      },
      personal: { reason: r.reason },
    })),
  fc.record({ h: household, s: small, at: instant }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'SafetyTakeoverConfirmationOverdue',
    data: { takeoverId: `s${r.s}`, takenBy: 'w1', detectedAt: r.at, confirmHours: 24 },
  })),
  fc.record({ h: household, by: worker, at: instant }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'RegieReturnedToHousehold',
    data: { returnedAt: r.at, returnedBy: r.by, agreedBy: 'm-1' },
  })),
  fc
    .record({ h: household, by: worker, at: instant, fromWorker: fc.boolean(), coded: fc.boolean() })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'PlanClosed',
      data: {
        regieEndedFor: { kind: r.fromWorker ? 'worker' : 'household' },
        closedAt: r.at,
        closedBy: r.by,
        // Issue 19: a coded closure (v2), or one of before (v1).
        ...(r.coded
          ? {
              reason: 'moved',
              district: 'noord',
              teamId: 't1',
              goals: [{ goalId: 'g1', lifeDomain: 'finances', realisation: 'achieved' }],
            }
          : {}),
      },
    })),
  household.map((h) => ({ streamId: `household-${h}`, type: 'PlanReopened', data: {} })),
  fc.record({ h: household, by: worker, at: instant, recurrence: fc.boolean() }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'PlanReopened',
    data: {
      reopenedBy: r.by,
      reopenedAt: r.at,
      closedAt: r.at,
      closureReason: 'moved',
      recurrence: r.recurrence,
      district: 'noord',
      teamId: 't1',
    },
  })),
  fc.record({ h: household, c: small, weeks: fc.integer({ min: 1, max: 4 }), on: day }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'CheckInCadenceScheduled',
    data: { cadenceId: `c${r.c}`, everyWeeks: r.weeks, startsOn: r.on },
  })),
  household.map((h) => ({ streamId: `household-${h}`, type: 'CheckInCadenceEnded', data: {} })),
  fc.record({ h: household, next: day, overdue: fc.option(day), contact: day }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'CheckInContactRecorded',
    data: { nextDueOn: r.next, overdueDueOn: r.overdue, contactOn: r.contact },
  })),
  fc.record({ h: household, due: day, weeks: fc.integer({ min: 1, max: 4 }) }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'CheckInOverdue',
    data: { dueOn: r.due, everyWeeks: r.weeks },
  })),
  fc
    .record({
      h: household,
      as: small,
      v: fc.constantFrom('v1', 'v2'),
      hours: fc.constantFrom(1, 2.5, 0.1, 4),
      at: instant,
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'VolunteerAssigned',
      data: {
        assignmentId: `as${r.as}`,
        volunteerId: r.v,
        actionId: null,
        hoursPerWeek: r.hours,
        assignedAt: r.at,
      },
    })),
  fc.record({ h: household, as: small, at: instant, cause: awkward }).map((r) => ({
    streamId: `household-${r.h}`,
    type: 'VolunteerAssignmentEnded',
    data: { assignmentId: `as${r.as}`, endedAt: r.at, cause: r.cause },
  })),
  fc
    .record({
      h: household,
      ref: small,
      type: fc.constantFrom(
        'ReferralRequested',
        'ReferralAccepted',
        'ReferralCompleted',
        'ReferralWithdrawn',
      ),
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: r.type,
      data: { referralId: `r${r.ref}`, organisationId: 'o1' },
    })),
  fc
    .record({
      h: household,
      q: small,
      district: awkward,
      on: day,
      domain: fc.constantFrom(...LIFE_DOMAINS),
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'QuestionRegistered',
      data: { questionId: `q${r.q}`, district: r.district, askedOn: r.on, lifeDomain: r.domain },
    })),
  // Per person (schema v2, issue 18) or, as before issue 18, of the household as a whole (no member).
  fc
    .record({
      h: household,
      member: fc.option(fc.constantFrom('m-1', 'm-2'), { nil: undefined }),
      score: fc.integer({ min: 1, max: 5 }),
      // Issue 19: the plan-evaluations read model keeps each person's latest assessment day.
      on: fc.constantFrom('2026-01-05', '2025-12-01', '2026-02-10'),
    })
    .map((r) => ({
      streamId: `household-${r.h}`,
      type: 'AssessmentRecorded',
      data: {
        ...(r.member === undefined ? {} : { memberId: r.member }),
        assessedOn: r.on,
        scores: Object.fromEntries(LIFE_DOMAINS.map((d, i) => [d, ((r.score + i) % 5) + 1])),
      },
    })),
  household.map((h) => ({ streamId: `household-${h}`, type: 'HouseholdDataErased', data: {} })),
  fc.record({ t: fc.constantFrom('t1', 't2'), n: fc.integer({ min: 1, max: 30 }) }).map((r) => ({
    streamId: `team-${r.t}`,
    type: 'TeamCaseloadNormSet',
    data: { teamId: r.t, householdsPerWorker: r.n },
  })),
  fc
    .record({ t: fc.constantFrom('t1', 't2'), w: worker, role: awkward, hours: fc.constantFrom(32, 24.5) })
    .map((r) => ({
      streamId: `team-${r.t}`,
      type: 'WorkerJoinedTeam',
      data: { teamId: r.t, workerId: r.w, role: r.role, hoursPerWeek: r.hours },
    })),
  fc.record({ t: fc.constantFrom('t1', 't2'), w: worker }).map((r) => ({
    streamId: `team-${r.t}`,
    type: 'WorkerDeactivated',
    data: { workerId: r.w },
  })),
  fc
    .record({
      o: fc.constantFrom('o1', 'o2'),
      name: awkward,
      tags: fc.array(awkward, { maxLength: 2 }),
      days: fc.nat(90),
      at: instant,
    })
    .map((r) => ({
      streamId: `organisation-${r.o}`,
      type: 'OrganisationRegistered',
      data: {
        organisationId: r.o,
        name: r.name,
        expertise: { lifeDomains: ['finances'], tags: r.tags },
        location: r.name,
        waitingDays: r.days,
        registeredAt: r.at,
      },
    })),
  fc.record({ o: fc.constantFrom('o1', 'o2'), days: fc.nat(90), at: instant }).map((r) => ({
    streamId: `organisation-${r.o}`,
    type: 'OrganisationWaitingTimeUpdated',
    data: { organisationId: r.o, waitingDays: r.days, updatedAt: r.at },
  })),
);

const metadata = {
  schemaVersion: 1,
  actor: { kind: 'worker', id: 'w1', roles: ['worker'] },
  recordedAt: '2026-01-05T08:00:00.000Z',
  correlationId: 'c',
  causationId: 'c',
};

let runs = 0;
/**
 * Most households registered first (else nearly every later event finds no row to change), then up
 * to 120 events of any type; 'max' size, or fast-check keeps most histories a few events long.
 */
const history = fc
  .tuple(
    fc.uniqueArray(registration, { selector: (e) => e.streamId, maxLength: 6 }),
    fc.array(anyEvent, { minLength: 1, maxLength: 120, size: 'max' }),
  )
  .map(([registrations, rest]): Appended[] => {
    const run = ++runs;
    return [...registrations, ...rest].map((e, i) => ({
      streamId: `${e.streamId}-${run}`,
      event: {
        eventId: `e-${run}-${i}`,
        type: e.type,
        // The projections take the household id from the stream id; the run suffix keeps histories apart.
        data: e.data as Record<string, unknown>,
        ...(e.personal ? { personal: e.personal as Record<string, unknown> } : {}),
        metadata,
      } as NewEvent,
    }));
  });

/** Every row of every projection table, as JSON text, sorted: equal dumps, equal read models. */
async function dump(sql: Sql): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const p of ALL_PROJECTIONS) {
    for (const table of p.tables) {
      const { rows } = await sql.query<{ r: string }>(
        `SELECT to_jsonb(t)::text AS r FROM ${table} t ORDER BY 1`,
      );
      out[table] = rows.map((row) => row.r);
    }
  }
  return out;
}

function equivalenceSuite(getSql: () => Sql, numRuns: number): void {
  test('the inlined literals store exactly what the parameters store', async () => {
    const sql = getSql();
    await sql.query(
      `CREATE TABLE IF NOT EXISTS write_behind_literals (k int PRIMARY KEY, s text, n numeric, i integer, ts timestamptz, j jsonb, b boolean)`,
    );
    const values = [
      "O'Brien \\ ë 😀",
      0.1 + 0.2,
      7,
      '2026-01-05T08:00:00.123Z',
      JSON.stringify({ a: "x'\\y" }),
      false,
    ];
    const insert = `INSERT INTO write_behind_literals (k, s, n, i, ts, j, b) SELECT $1, $2, $3, $4, $5, $6::text::jsonb, $7`;
    await sql.transaction(async (tx) => {
      await tx.query(insert, [1, ...values]);
      const wb = new WriteBehindExecutor(tx);
      await wb.query(insert, [2, ...values]);
      await wb.flush();
    });
    // Prepared in a transaction that rolls back: the statement outlives it, and the next one,
    // asking the session, executes it rather than preparing it again.
    const preparedNow = async (tx: SqlExecutor) =>
      (await tx.query<{ names: string[] }>(`SELECT ${PREPARED_STATEMENTS} AS names`)).rows[0]!.names;
    await expect(
      sql.transaction(async (tx) => {
        const wb = new WriteBehindExecutor(tx, { prepared: await preparedNow(tx) });
        await wb.query(insert, [3, ...values]);
        await wb.flush();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await sql.transaction(async (tx) => {
      const wb = new WriteBehindExecutor(tx, { prepared: await preparedNow(tx) });
      await wb.query(insert, [3, ...values]);
      await wb.query(insert, [4, ...values]);
      await wb.flush();
    });
    const { rows } = await sql.query<{ k: number; r: string }>(
      `SELECT k, (to_jsonb(t) - 'k')::text AS r FROM write_behind_literals t ORDER BY k`,
    );
    expect(rows.map((r) => r.k)).toEqual([1, 2, 3, 4]);
    expect(rows[0]!.r).toContain('Brien');
    for (const row of rows) expect(row.r).toBe(rows[0]!.r);
  });

  test('write-behind batches and per-event applies build identical tables', async () => {
    const sql = getSql();
    const store = new PostgresEventStore(sql);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(history, fc.integer({ min: 1, max: 60 }), async (events, batchSize) => {
        // Only this history in the feed beyond what earlier runs left: rebuild from the start anyway.
        const versions = new Map<string, number>();
        for (const { streamId, event } of events) {
          const version = versions.get(streamId) ?? 0;
          await store.append(streamId, [event], version);
          versions.set(streamId, version + 1);
        }
        // The server's feed may hold the newest events back for a moment: both rebuilds go exactly
        // this far, or they would compare different histories.
        const committed = await store.committedPosition();
        const rebuild = async (writeBehind: boolean, size: number) => {
          // setApplyFrom 1: every batch set-based, down to a single event, as live batches could be.
          const runner = new ProjectionRunner(store, sql, ALL_PROJECTIONS, {
            batchSize: size,
            writeBehind,
            setApplyFrom: 1,
          });
          await runner.init();
          for (const p of ALL_PROJECTIONS) await runner.reset(p);
          while (store.comparePositions(runner.lowestCheckpoint(), committed) < 0) await runner.catchUp();
          expect(runner.lowestCheckpoint()).toBe(committed);
          return dump(sql);
        };
        const perEvent = await rebuild(false, 500);
        const batched = await rebuild(true, batchSize);
        if (process.env.DBG)
          console.log(
            JSON.stringify(perEvent.caseload_households),
            JSON.stringify(batched.caseload_households),
          );
        expect(batched).toEqual(perEvent);
        checked += events.length;
      }),
      { numRuns },
    );
    expect(checked).toBeGreaterThan(0);
  }, 120_000);
}

async function prepared(sql: Sql): Promise<Sql> {
  await migrate(sql, [
    ...eventStoreMigrations,
    ...checkpointMigrations,
    ...ALL_PROJECTIONS.flatMap((p) => p.migrations),
  ]);
  return sql;
}

describe('write-behind on PGlite', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await prepared(await createSql({}));
  });
  afterAll(async () => {
    await sql?.close();
  });
  equivalenceSuite(() => sql, 8);
});

describeWithInfra('write-behind on the PostgreSQL server', postgresInfra, () => {
  let database: TestDatabase;
  let sql: Sql;
  beforeAll(async () => {
    database = await createTestDatabase();
    sql = await prepared(await createSql({ databaseUrl: database.url }));
  });
  afterAll(async () => {
    await sql?.close();
    await database?.drop();
  });
  // Fewer: every run rebuilds the whole feed, earlier runs' events included, one round trip at a time.
  equivalenceSuite(() => sql, 4);
});

describe('WriteBehindExecutor', () => {
  const recording = () => {
    const sent: { text: string; params?: readonly unknown[] }[] = [];
    const tx: SqlExecutor = {
      query: async <Row>(text: string, params?: readonly unknown[]) => {
        sent.push({ text, params });
        return { rows: [{ n: 1 } as Row], rowCount: 1 };
      },
    };
    return { sent, tx };
  };

  test('holds writes back until a read, then sends them first, in order, in one script', async () => {
    const { sent, tx } = recording();
    const wb = new WriteBehindExecutor(tx);
    await wb.query('INSERT INTO a VALUES ($1, $2)', ["it's", 2]);
    await wb.query('UPDATE a SET x = $1', [null]);
    expect(sent).toEqual([]);
    const read = await wb.query('SELECT n FROM a WHERE x = $1', ['y']);
    expect(read.rows).toEqual([{ n: 1 }]);
    expect(sent).toEqual([
      { text: "INSERT INTO a VALUES ('it''s', '2')\n;\nUPDATE a SET x = NULL", params: undefined },
      { text: 'SELECT n FROM a WHERE x = $1', params: ['y'] },
    ]);
    await wb.flush();
    expect(sent).toHaveLength(2);
  });

  test('given the session prepared statements, a write is prepared once and then executed', async () => {
    const { sent, tx } = recording();
    const text = 'UPDATE a SET b = $1 WHERE c = $2';
    const first = new WriteBehindExecutor(tx, { prepared: [] });
    await first.query(text, ['x', 1]);
    await first.query(text, [null, 2]);
    await first.query('DELETE FROM a', []);
    await first.flush();
    const name = /^PREPARE (\w+) AS /.exec(sent[0]!.text)?.[1];
    expect(name).toMatch(/^eenplan_wb_[0-9a-f]{40}$/);
    expect(sent[0]!.text).toBe(
      `PREPARE ${name} AS ${text}\n;\nEXECUTE ${name}('x', '1')\n;\nEXECUTE ${name}(NULL, '2')\n;\nDELETE FROM a`,
    );
    const second = new WriteBehindExecutor(tx, { prepared: [name!] });
    await second.query(text, ['y', 3]);
    await second.flush();
    expect(sent[1]!.text).toBe(`EXECUTE ${name}('y', '3')`);
  });

  test('a held-back write has no result to read', async () => {
    const { tx } = recording();
    const result = await new WriteBehindExecutor(tx).query('DELETE FROM a WHERE id = $1', ['x']);
    expect(() => result.rowCount).toThrow(/no result/);
    expect(() => result.rows).toThrow(/no result/);
  });

  test('RETURNING, a value it cannot inline, and dollar quoting wait for the writes and run on their own', async () => {
    const { sent, tx } = recording();
    const wb = new WriteBehindExecutor(tx);
    await wb.query('INSERT INTO a VALUES ($1)', ['1']);
    await wb.query('DELETE FROM a RETURNING id');
    await wb.query('INSERT INTO a VALUES ($1)', [new Date(0)]);
    await wb.query('UPDATE a SET b = $$x$$');
    expect(sent.map((s) => s.text)).toEqual([
      "INSERT INTO a VALUES ('1')",
      'DELETE FROM a RETURNING id',
      'INSERT INTO a VALUES ($1)',
      'UPDATE a SET b = $$x$$',
    ]);
  });

  test('inline leaves $n in strings, identifiers and comments alone and writes backslashes as E strings', () => {
    expect(isBlindWrite('  update a set b = 1')).toBe(true);
    expect(isBlindWrite('SELECT 1')).toBe(false);
    expect(
      isBlindWrite('WITH a AS (UPDATE t SET b = 1), "c)" AS (DELETE FROM u) INSERT INTO t SELECT 1'),
    ).toBe(true);
    expect(isBlindWrite('WITH a AS (UPDATE t SET b = 1) SELECT 1')).toBe(false);
    expect(isBlindWrite('WITH a AS (DELETE FROM t) DELETE FROM u RETURNING id')).toBe(false);
    expect(inline(`UPDATE "a$1" SET b = '$1''$2', c = $1 -- $2\n WHERE d = $2 /* $1 */`, ['x', 'a\\b'])).toBe(
      `UPDATE "a$1" SET b = '$1''$2', c = 'x' -- $2\n WHERE d =  E'a\\\\b' /* $1 */`,
    );
    expect(inline('UPDATE a SET b = $2', ['x'])).toBeNull();
    expect(inline('UPDATE a SET b = 1; DELETE FROM a', [])).toBeNull();
    expect(inline("UPDATE a SET b = E'\\''", [])).toBeNull();
    expect(inline('UPDATE a SET b = $1', [Number.NaN])).toBeNull();
    expect(inline('UPDATE a SET b = $1', [true, 10n].slice(0, 1))).toBe(`UPDATE a SET b = 'true'`);
  });
});
