import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { TeamEvent } from '@eenplan/domain';
import { Projection } from '../projection';

/**
 * The worker directory: which team registered a worker id. Commands use it to find the team
 * stream that holds the worker's current role and active state (read from the stream itself,
 * so those facts are never stale).
 */
export const workersProjection: Projection = {
  name: 'workers',
  version: 1,
  tables: ['workers'],
  migrations: [
    {
      id: '0300_workers',
      sql: `CREATE TABLE IF NOT EXISTS workers (
              worker_id text PRIMARY KEY,
              team_id text NOT NULL,
              role text NOT NULL,
              hours_per_week numeric NOT NULL,
              active boolean NOT NULL
            );
            CREATE INDEX IF NOT EXISTS workers_team ON workers (team_id);`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('team-')) return;
    const event = recorded as unknown as TeamEvent;
    if (event.type === 'WorkerJoinedTeam') {
      const d = event.data;
      await tx.query(
        `INSERT INTO workers (worker_id, team_id, role, hours_per_week, active) VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (worker_id) DO UPDATE SET team_id = EXCLUDED.team_id, role = EXCLUDED.role,
           hours_per_week = EXCLUDED.hours_per_week, active = true`,
        [d.workerId, d.teamId, d.role, d.hoursPerWeek],
      );
    } else if (event.type === 'WorkerDeactivated') {
      await tx.query(`UPDATE workers SET active = false WHERE worker_id = $1`, [event.data.workerId]);
    }
  },
};

export interface WorkerRow {
  readonly workerId: string;
  readonly teamId: string;
  readonly role: string;
  readonly hoursPerWeek: number;
  readonly active: boolean;
}

export class WorkersQueries {
  constructor(private readonly db: SqlExecutor) {}

  async find(workerId: string): Promise<WorkerRow | undefined> {
    const { rows } = await this.db.query<{
      worker_id: string;
      team_id: string;
      role: string;
      hours_per_week: string;
      active: boolean;
    }>(`SELECT worker_id, team_id, role, hours_per_week, active FROM workers WHERE worker_id = $1`, [
      workerId,
    ]);
    const r = rows[0];
    return (
      r && {
        workerId: r.worker_id,
        teamId: r.team_id,
        role: r.role,
        hoursPerWeek: Number(r.hours_per_week),
        active: r.active,
      }
    );
  }

  async ofTeam(teamId: string): Promise<WorkerRow[]> {
    const { rows } = await this.db.query<{
      worker_id: string;
      team_id: string;
      role: string;
      hours_per_week: string;
      active: boolean;
    }>(
      `SELECT worker_id, team_id, role, hours_per_week, active FROM workers WHERE team_id = $1 ORDER BY worker_id`,
      [teamId],
    );
    return rows.map((r) => ({
      workerId: r.worker_id,
      teamId: r.team_id,
      role: r.role,
      hoursPerWeek: Number(r.hours_per_week),
      active: r.active,
    }));
  }
}
