import { Injectable } from '@nestjs/common';
import { teamDecider, teamStream, TeamState, WorkerFacts } from '@eenplan/domain';
import { WorkersQueries } from '@eenplan/projections';
import { AggregateExecutor, Loaded } from './aggregate-executor';
import { ReadModelSync } from './read-models';

/** Teams and worker ids remembered at most; the oldest go first. */
const REMEMBERED = 10_000;

/**
 * Facts about workers for deciding household commands. The directory (a read model) says which
 * team registered a worker id; the role and active state come from that team's stream itself, so a
 * deactivation is never missed because a read model lags.
 */
@Injectable()
export class WorkerFactsService {
  /**
   * The directory's answers: a worker id belongs to the one team that registered it (a second team
   * is refused), so the answer stays true and is asked once. Only the pointer is kept; the facts
   * are read from the team's stream every time.
   */
  private readonly teamOfWorker = new Map<string, string>();
  /** Each team's stream as last read: the next read asks only for the events after it. */
  private readonly teams = new Map<string, Loaded<TeamState>>();

  constructor(
    private readonly workers: WorkersQueries,
    private readonly executor: AggregateExecutor,
    private readonly readModels: ReadModelSync,
  ) {}

  async team(teamId: string): Promise<TeamState> {
    const loaded = await this.executor.load(teamStream(teamId), teamDecider, this.teams.get(teamId));
    if (loaded.version > 0) remember(this.teams, teamId, loaded);
    return loaded.state.exists ? loaded.state : { ...loaded.state, teamId };
  }

  /**
   * `team`: that team's state, read by this command already; used when the worker is of that team.
   * `waitForDirectory`: an id the directory does not know may have been registered a moment ago, so
   * wait (up to READ_YOUR_WRITES_MS) for it to catch up before saying "unknown"; off where a stale
   * "unknown" does no harm and a wait would (every request of an auditor while projections lag).
   */
  async find(
    workerId: string,
    team?: TeamState,
    { waitForDirectory = true }: { waitForDirectory?: boolean } = {},
  ): Promise<WorkerFacts | undefined> {
    let teamId = this.teamOfWorker.get(workerId);
    if (!teamId) {
      let row = await this.workers.find(workerId);
      if (!row && waitForDirectory) {
        // Registered a moment ago? Let the directory catch up with the feed once before saying "unknown".
        await this.readModels.caughtUp();
        row = await this.workers.find(workerId);
      }
      if (!row) return undefined;
      teamId = row.teamId;
    }
    const state = team?.exists && team.teamId === teamId ? team : await this.team(teamId);
    const worker = state.workers[workerId];
    if (!worker) return undefined;
    // Remembered once the team's own stream confirms it.
    remember(this.teamOfWorker, workerId, teamId);
    return { workerId, teamId, role: worker.role, active: worker.active };
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size <= REMEMBERED) return;
  for (const oldest of map.keys()) {
    map.delete(oldest);
    if (map.size <= REMEMBERED * 0.8) break;
  }
}
