import type { Sql } from '@eenplan/event-store/sql/sql';
import type { Projection } from '../projection';

/**
 * The households whose personal data was erased (HouseholdDataErased) and when: where the erasure
 * sweep looks for an erasure whose key a stopped process did not destroy. Ids and instants only.
 */
export const erasuresProjection: Projection = {
  name: 'erasures',
  version: 1,
  tables: ['household_erasures'],
  migrations: [
    {
      id: '0820_household_erasures',
      sql: `CREATE TABLE IF NOT EXISTS household_erasures (
              household_id text PRIMARY KEY,
              erased_at timestamptz NOT NULL
            )`,
    },
  ],
  async apply(tx, recorded) {
    if (recorded.type !== 'HouseholdDataErased' || !recorded.streamId.startsWith('household-')) return;
    await tx.query(
      `INSERT INTO household_erasures (household_id, erased_at) VALUES ($1, $2)
       ON CONFLICT (household_id) DO NOTHING`,
      [
        recorded.streamId.slice('household-'.length),
        typeof recorded.data.erasedAt === 'string' ? recorded.data.erasedAt : recorded.metadata.recordedAt,
      ],
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
}
