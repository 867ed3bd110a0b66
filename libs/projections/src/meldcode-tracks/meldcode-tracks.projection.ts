import type { HouseholdEvent } from '@eenplan/domain';
import { Projection } from '../projection';

/**
 * Meldcode tracks per household (docs/MELDCODE.md): the step each is at and since when, so a team
 * lead sees the team's open tracks and how long each step has been open. How long is a question of
 * now, so it is computed when read (meldcode-tracks.queries.ts); the rows hold the step's start.
 * No names or texts: the signals, advice and reasons stay sealed in the household's events.
 */
export const meldcodeTracksProjection: Projection = {
  name: 'meldcode-tracks',
  version: 1,
  tables: ['meldcode_tracks'],
  migrations: [
    {
      id: '0860_meldcode_tracks',
      sql: `CREATE TABLE IF NOT EXISTS meldcode_tracks (
              household_id text NOT NULL,
              track_id text NOT NULL,
              team_id text NOT NULL,
              status text NOT NULL,
              step text NOT NULL,
              step_since timestamptz NOT NULL,
              started_at timestamptz NOT NULL,
              started_by text NOT NULL,
              takeover_id text,
              veilig_thuis_consulted boolean NOT NULL DEFAULT false,
              ended_at timestamptz,
              PRIMARY KEY (household_id, track_id)
            );
            CREATE INDEX IF NOT EXISTS meldcode_tracks_open ON meldcode_tracks (team_id, status, step_since);`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const event = recorded as unknown as HouseholdEvent;
    const update = (trackId: string, set: string, values: unknown[]) =>
      tx.query(`UPDATE meldcode_tracks SET ${set} WHERE household_id = $1 AND track_id = $2`, [
        householdId,
        trackId,
        ...values,
      ]);
    switch (event.type) {
      case 'MeldcodeTrackStarted': {
        const d = event.data;
        await tx.query(
          `INSERT INTO meldcode_tracks (household_id, track_id, team_id, status, step, step_since, started_at,
                                        started_by, takeover_id)
           VALUES ($1, $2, $3, 'open', 'consultation', $4, $4, $5, $6)
           ON CONFLICT (household_id, track_id) DO NOTHING`,
          [householdId, d.trackId, d.teamId, d.startedAt, d.startedBy, d.takeoverId],
        );
        return;
      }
      case 'MeldcodeConsultationRecorded': {
        const d = event.data;
        if (d.consultation === 'veilig-thuis') await update(d.trackId, 'veilig_thuis_consulted = true', []);
        else await update(d.trackId, `step = 'conversation', step_since = $3`, [d.recordedAt]);
        return;
      }
      case 'MeldcodeConversationRecorded':
        await update(event.data.trackId, `step = 'weighing', step_since = $3`, [event.data.recordedAt]);
        return;
      case 'MeldcodeWeighingRecorded':
        await update(event.data.trackId, `step = 'decision', step_since = $3`, [event.data.recordedAt]);
        return;
      case 'MeldcodeDecisionRecorded':
        await update(event.data.trackId, `status = 'decided', ended_at = $3`, [event.data.recordedAt]);
        return;
      case 'MeldcodeTrackClosed':
        await update(event.data.trackId, `status = 'closed', ended_at = $3`, [event.data.closedAt]);
        return;
      case 'HouseholdDataErased':
        // An erased household takes no more commands: no track of it is open any more.
        await tx.query(`DELETE FROM meldcode_tracks WHERE household_id = $1`, [householdId]);
        return;
      default:
        return;
    }
  },
};
