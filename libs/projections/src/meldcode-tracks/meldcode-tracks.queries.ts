import { stepNumber, type MeldcodeStep } from '@eenplan/domain';
import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

/** An open meldcode track as a team lead sees it: no texts, only where it stands. */
export interface OpenMeldcodeTrack {
  readonly householdId: string;
  readonly trackId: string;
  /** The next step to record, by name and number (2 to 5: step 1 starts the track). */
  readonly step: MeldcodeStep;
  readonly stepNumber: number;
  /** When the current step began: the time of the step before it. */
  readonly stepSince: string;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly takeoverId: string | null;
  readonly veiligThuisConsulted: boolean;
}

interface Row {
  household_id: string;
  track_id: string;
  step: MeldcodeStep;
  step_since: Date | string;
  started_at: Date | string;
  started_by: string;
  takeover_id: string | null;
  veilig_thuis_consulted: boolean;
}

const iso = (v: Date | string) => new Date(v).toISOString();

const toTrack = (r: Row): OpenMeldcodeTrack => ({
  householdId: r.household_id,
  trackId: r.track_id,
  step: r.step,
  stepNumber: stepNumber(r.step),
  stepSince: iso(r.step_since),
  startedAt: iso(r.started_at),
  startedBy: r.started_by,
  takeoverId: r.takeover_id,
  veiligThuisConsulted: r.veilig_thuis_consulted,
});

export type OpenTrackCursor = readonly [stepSince: string, householdId: string, trackId: string];

export class MeldcodeTracksQueries {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * The team's open tracks, the step open longest first (step start, household, track); with
   * `page`, at most `limit` after `after`. `count`: all of them.
   */
  async openForTeam(
    teamId: string,
    page?: { limit: number; after?: OpenTrackCursor },
  ): Promise<{ tracks: OpenMeldcodeTrack[]; count: number }> {
    const [{ rows }, { rows: total }] = await Promise.all([
      this.db.query<Row>(
        `SELECT * FROM meldcode_tracks
          WHERE team_id = $1 AND status = 'open'
            AND ($2::timestamptz IS NULL OR (step_since, household_id, track_id) > ($2::timestamptz, $3::text, $4::text))
          ORDER BY step_since, household_id, track_id
          LIMIT $5`,
        [
          teamId,
          page?.after?.[0] ?? null,
          page?.after?.[1] ?? null,
          page?.after?.[2] ?? null,
          page?.limit ?? null,
        ],
      ),
      this.db.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM meldcode_tracks WHERE team_id = $1 AND status = 'open'`,
        [teamId],
      ),
    ]);
    return { tracks: rows.map(toTrack), count: Number(total[0]!.count) };
  }
}
