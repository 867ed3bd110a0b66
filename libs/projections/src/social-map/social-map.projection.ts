import type { OrganisationEvent } from '@eenplan/domain';
import { Projection } from '../projection';

/** The social map as a searchable list: organisations by expertise and location, with waiting times. */
export const socialMapProjection: Projection = {
  name: 'social-map',
  version: 1,
  tables: ['social_map_organisations'],
  migrations: [
    {
      id: '0810_social_map',
      sql: `CREATE TABLE IF NOT EXISTS social_map_organisations (
              organisation_id text PRIMARY KEY,
              name text NOT NULL,
              life_domains jsonb NOT NULL,
              tags jsonb NOT NULL,
              location text NOT NULL,
              waiting_days integer NOT NULL,
              registered_at timestamptz NOT NULL,
              updated_at timestamptz NOT NULL
            );
            CREATE INDEX IF NOT EXISTS social_map_location ON social_map_organisations (lower(location));`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('organisation-')) return;
    const event = recorded as unknown as OrganisationEvent;
    if (event.type === 'OrganisationRegistered') {
      const d = event.data;
      await tx.query(
        `INSERT INTO social_map_organisations
           (organisation_id, name, life_domains, tags, location, waiting_days, registered_at, updated_at)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $7) ON CONFLICT DO NOTHING`,
        [
          d.organisationId,
          d.name,
          JSON.stringify(d.expertise.lifeDomains),
          JSON.stringify(d.expertise.tags),
          d.location,
          d.waitingDays,
          d.registeredAt,
        ],
      );
    } else if (event.type === 'OrganisationWaitingTimeUpdated') {
      await tx.query(
        `UPDATE social_map_organisations SET waiting_days = $2, updated_at = $3 WHERE organisation_id = $1`,
        [event.data.organisationId, event.data.waitingDays, event.data.updatedAt],
      );
    }
  },
};
