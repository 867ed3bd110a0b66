/**
 * Given events, then rows: a projection's spec in the shape of Emmett's `PostgreSQLProjectionSpec`.
 *
 *   describeProjection(caseloadProjection, (spec) => {
 *     it('a registration makes a row', () =>
 *       spec.given(registered('h-1')).when(added('h-1', 'a-1')).then(readRows, expectedRows));
 *   });
 *
 * Each `then` runs twice per database, on freshly emptied tables: once with the projection's
 * reference `apply` (one event at a time, in order), once with its set-based `applyBatch`
 * (set-apply.ts) where it has one: the `given` events as one batch, the `when` events as the next,
 * as the runner would hand them over. Both must leave what `read` returns equal to `expected`.
 * The databases: PGlite always; the PostgreSQL server (DATABASE_URL, or the local default) when it
 * answers, in a database of its own (test/support/postgres.ts).
 * Excluded from the build (*.suite.ts): test code only.
 */
import { createSql, migrate, type RecordedEvent, type Sql, type SqlExecutor } from '@eenplan/event-store';
import { describeWithInfra } from '../../../test/support/infra';
import { createTestDatabase, postgresInfra, type TestDatabase } from '../../../test/support/postgres';
import type { Projection } from './projection';

export interface ProjectionSpec {
  given(...events: RecordedEvent[]): ProjectionSpecWhen;
}
export interface ProjectionSpecWhen extends ProjectionSpecThen {
  when(...events: RecordedEvent[]): ProjectionSpecThen;
}
export interface ProjectionSpecThen {
  /** What `read` returns after the events, by `apply` and by `applyBatch`, equals `expected`. */
  then<T>(read: (db: Sql) => Promise<T>, expected: T): Promise<void>;
}

/** Declares `body`'s tests on PGlite and, when it answers, on the PostgreSQL server. */
export function describeProjection(projection: Projection, body: (spec: ProjectionSpec) => void): void {
  describe(`${projection.name} projection on PGlite`, () => {
    let sql: Sql;
    beforeAll(async () => {
      sql = await createSql({});
      await migrate(sql, [...projection.migrations]);
    });
    afterAll(async () => {
      await sql?.close();
    });
    body(specOn(projection, () => sql));
  });
  describeWithInfra(`${projection.name} projection on PostgreSQL`, postgresInfra, () => {
    let database: TestDatabase;
    let sql: Sql;
    beforeAll(async () => {
      database = await createTestDatabase();
      sql = await createSql({ databaseUrl: database.url, poolSize: 2 });
      await migrate(sql, [...projection.migrations]);
    });
    afterAll(async () => {
      await sql?.close();
      await database?.drop();
    });
    body(specOn(projection, () => sql));
  });
}

function specOn(projection: Projection, sql: () => Sql): ProjectionSpec {
  const then =
    (given: readonly RecordedEvent[], when: readonly RecordedEvent[]) =>
    async <T>(read: (db: Sql) => Promise<T>, expected: T): Promise<void> => {
      const ways: [string, (tx: SqlExecutor, batch: readonly RecordedEvent[]) => Promise<void>][] = [
        [
          'apply',
          async (tx, batch) => {
            for (const event of batch) await projection.apply(tx, event);
          },
        ],
      ];
      const applyBatch = projection.applyBatch?.bind(projection);
      if (applyBatch) ways.push(['applyBatch', (tx, batch) => applyBatch(tx, batch)]);
      for (const [way, run] of ways) {
        await empty(sql(), projection);
        for (const batch of [given, when])
          if (batch.length > 0) await sql().transaction((tx) => run(tx, batch));
        const actual = await read(sql());
        try {
          expect(actual).toEqual(expected);
        } catch (error) {
          if (error instanceof Error) error.message = `by ${way}:\n${error.message}`;
          throw error;
        }
      }
    };
  return {
    given: (...given) => ({
      when: (...when) => ({ then: then(given, when) }),
      then: then(given, []),
    }),
  };
}

async function empty(sql: Sql, projection: Projection): Promise<void> {
  await sql.transaction(async (tx) => {
    for (const table of projection.tables) await tx.query(`DELETE FROM ${table}`);
  });
}

let position = 0;
const streamVersions = new Map<string, number>();

/**
 * A recorded event on `streamId`, at the next global position and the stream's next version
 * (counted per file: a stream's versions go up across the file's tests, as after a rebuild). `recordedAt` (metadata) defaults to
 * the first date-time in `data`, as the deciders stamp both from one clock.
 */
export function recorded(
  streamId: string,
  type: string,
  data: Record<string, unknown>,
  options: { recordedAt?: string; personal?: Record<string, unknown> } = {},
): RecordedEvent {
  position += 1;
  const streamVersion = (streamVersions.get(streamId) ?? 0) + 1;
  streamVersions.set(streamId, streamVersion);
  const recordedAt =
    options.recordedAt ??
    Object.values(data).find((v): v is string => typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) ??
    '2026-01-01T00:00:00.000Z';
  return {
    eventId: `e-${position}`,
    streamId,
    streamVersion,
    position: String(position).padStart(12, '0'),
    type,
    data,
    ...(options.personal ? { personal: options.personal } : {}),
    metadata: {
      schemaVersion: 1,
      actor: { kind: 'worker', id: 'w-spec', roles: ['worker'] },
      recordedAt,
      correlationId: `c-${position}`,
      causationId: `c-${position}`,
    },
  } as RecordedEvent;
}

/** `sql` as plain rows, for `then`: `rows('SELECT ... ORDER BY ...')`. */
export const rows =
  (sql: string, params: unknown[] = []) =>
  async (db: Sql): Promise<Record<string, unknown>[]> =>
    (await db.query<Record<string, unknown>>(sql, params)).rows;
