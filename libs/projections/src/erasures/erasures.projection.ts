import type { Sql } from '@eenplan/event-store/sql/sql';
import type { Projection } from '../projection';

/**
 * The households whose personal data was erased (HouseholdDataErased) and the members whose own
 * data was (MemberDataErased), and when: where the erasure sweep looks for an erasure whose key a
 * stopped process did not destroy. Ids and instants only.
 */
export const erasuresProjection: Projection = {
  name: 'erasures',
  // 2: the members' erasures (issue 18).
  version: 2,
  tables: ['household_erasures', 'member_erasures'],
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
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const erasedAt =
      typeof recorded.data.erasedAt === 'string' ? recorded.data.erasedAt : recorded.metadata.recordedAt;
    if (recorded.type === 'MemberDataErased' && typeof recorded.data.memberId === 'string') {
      await tx.query(
        `INSERT INTO member_erasures (household_id, member_id, erased_at) VALUES ($1, $2, $3)
         ON CONFLICT (household_id, member_id) DO NOTHING`,
        [recorded.streamId.slice('household-'.length), recorded.data.memberId, erasedAt],
      );
      return;
    }
    if (recorded.type !== 'HouseholdDataErased') return;
    await tx.query(
      `INSERT INTO household_erasures (household_id, erased_at) VALUES ($1, $2)
       ON CONFLICT (household_id) DO NOTHING`,
      [recorded.streamId.slice('household-'.length), erasedAt],
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
}
