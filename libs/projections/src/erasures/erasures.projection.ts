import type { Sql } from '@eenplan/event-store/sql/sql';
import type { Projection } from '../projection';

/**
 * The households whose personal data was erased (HouseholdDataErased) and the members whose own
 * data was (MemberDataErased), and when: where the erasure sweep looks for an erasure whose key a
 * stopped process did not destroy. And when each household's plan last closed (PlanClosed; a
 * PlanReopened clears it) and when each member left (MemberLeft): where the retention sweep looks
 * for files and persons past their period. Ids and dates only.
 */
export const erasuresProjection: Projection = {
  name: 'erasures',
  // 2: the members' erasures (issue 18); 3: household_closures, rebuilt from the start so plans
  // closed before it are found; 4: member_departures, where the retention sweep finds members who
  // left (issue 18), also those who left before it.
  version: 4,
  tables: ['household_erasures', 'member_erasures', 'household_closures', 'member_departures'],
  migrations: [
    {
      id: '0820_household_erasures',
      sql: `CREATE TABLE IF NOT EXISTS household_erasures (
              household_id text PRIMARY KEY,
              erased_at timestamptz NOT NULL
            )`,
    },
    {
      id: '0821_member_erasures',
      sql: `CREATE TABLE IF NOT EXISTS member_erasures (
              household_id text NOT NULL,
              member_id text NOT NULL,
              erased_at timestamptz NOT NULL,
              PRIMARY KEY (household_id, member_id)
            )`,
    },
    {
      id: '0822_household_closures',
      sql: `CREATE TABLE IF NOT EXISTS household_closures (
              household_id text PRIMARY KEY,
              closed_at timestamptz
            );
            CREATE INDEX IF NOT EXISTS household_closures_closed_at ON household_closures (closed_at)`,
    },
    {
      id: '0823_member_departures',
      sql: `CREATE TABLE IF NOT EXISTS member_departures (
              household_id text NOT NULL,
              member_id text NOT NULL,
              left_on date NOT NULL,
              PRIMARY KEY (household_id, member_id)
            );
            CREATE INDEX IF NOT EXISTS member_departures_left_on ON member_departures (left_on)`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const erasedAt =
      typeof recorded.data.erasedAt === 'string' ? recorded.data.erasedAt : recorded.metadata.recordedAt;
    if (recorded.type === 'MemberDataErased' && typeof recorded.data.memberId === 'string') {
      await tx.query(
        `INSERT INTO member_erasures (household_id, member_id, erased_at) VALUES ($1, $2, $3)
         ON CONFLICT (household_id, member_id) DO NOTHING`,
        [householdId, recorded.data.memberId, erasedAt],
      );
      return;
    }
    if (recorded.type === 'MemberLeft' && typeof recorded.data.memberId === 'string') {
      await tx.query(
        `INSERT INTO member_departures (household_id, member_id, left_on) VALUES ($1, $2, $3)
         ON CONFLICT (household_id, member_id) DO NOTHING`,
        [householdId, recorded.data.memberId, recorded.data.on],
      );
      return;
    }
    if (recorded.type === 'PlanClosed') {
      const closedAt =
        typeof recorded.data.closedAt === 'string' ? recorded.data.closedAt : recorded.metadata.recordedAt;
      // The last closure counts: a plan reopened and closed again starts its period anew.
      await tx.query(
        `INSERT INTO household_closures (household_id, closed_at) VALUES ($1, $2)
         ON CONFLICT (household_id) DO UPDATE SET closed_at = EXCLUDED.closed_at`,
        [householdId, closedAt],
      );
      return;
    }
    if (recorded.type === 'PlanReopened') {
      await tx.query('UPDATE household_closures SET closed_at = NULL WHERE household_id = $1', [householdId]);
      return;
    }
    if (recorded.type !== 'HouseholdDataErased') return;
    await tx.query(
      `INSERT INTO household_erasures (household_id, erased_at) VALUES ($1, $2)
       ON CONFLICT (household_id) DO NOTHING`,
      [householdId, erasedAt],
    );
  },
};

export class ErasuresQueries {
  constructor(private readonly sql: Sql) {}

  /** Every erased household, the earliest erasure first. */
  async erasedHouseholds(): Promise<string[]> {
    const { rows } = await this.sql.query<{ household_id: string }>(
      'SELECT household_id FROM household_erasures ORDER BY erased_at, household_id',
    );
    return rows.map((r) => r.household_id);
  }

  /** Every member whose own data was erased, the earliest erasure first. */
  async erasedMembers(): Promise<{ householdId: string; memberId: string }[]> {
    const { rows } = await this.sql.query<{ household_id: string; member_id: string }>(
      'SELECT household_id, member_id FROM member_erasures ORDER BY erased_at, household_id, member_id',
    );
    return rows.map((r) => ({ householdId: r.household_id, memberId: r.member_id }));
  }

  /**
   * Households whose plan is closed (its last closure) before `before` and that are not erased,
   * the earliest closure first: the retention sweep's candidates, checked again on their streams.
   */
  async closedBefore(before: string): Promise<{ householdId: string; closedAt: string }[]> {
    const { rows } = await this.sql.query<{ household_id: string; closed_at: Date | string }>(
      `SELECT c.household_id, c.closed_at FROM household_closures c
        WHERE c.closed_at IS NOT NULL AND c.closed_at < $1
          AND NOT EXISTS (SELECT 1 FROM household_erasures e WHERE e.household_id = c.household_id)
        ORDER BY c.closed_at, c.household_id`,
      [before],
    );
    return rows.map((r) => ({ householdId: r.household_id, closedAt: new Date(r.closed_at).toISOString() }));
  }

  /**
   * Members who left a household before `before` (a date) and whose own data is not erased, nor
   * their household's: the retention sweep's candidates, checked again on their streams.
   */
  async departedBefore(before: string): Promise<{ householdId: string; memberId: string }[]> {
    const { rows } = await this.sql.query<{ household_id: string; member_id: string }>(
      `SELECT d.household_id, d.member_id FROM member_departures d
        WHERE d.left_on < $1::date
          AND NOT EXISTS (SELECT 1 FROM member_erasures m
                           WHERE m.household_id = d.household_id AND m.member_id = d.member_id)
          AND NOT EXISTS (SELECT 1 FROM household_erasures e WHERE e.household_id = d.household_id)
        ORDER BY d.left_on, d.household_id, d.member_id`,
      [before],
    );
    return rows.map((r) => ({ householdId: r.household_id, memberId: r.member_id }));
  }
}
