import { Injectable } from '@nestjs/common';
import { teamDecider, teamStream, TeamState, WorkerFacts } from '@eenplan/domain';
import { WorkersQueries } from '@eenplan/projections';
import { AggregateExecutor } from './aggregate-executor';
import { ReadModelSync } from './read-models';

/**
 * Facts about workers for deciding household commands. The directory (a read model) says which
 * team registered a worker id; the role and active state come from that team's stream itself, so a
 * deactivation is never missed because a read model lags.
 */
@Injectable()
export class WorkerFactsService {
  constructor(
    private readonly workers: WorkersQueries,
    private readonly executor: AggregateExecutor,
    private readonly readModels: ReadModelSync,
  ) {}

  async team(teamId: string): Promise<TeamState> {
    const { state } = await this.executor.load(teamStream(teamId), teamDecider);
    return state.exists ? state : { ...state, teamId };
  }

  async find(workerId: string): Promise<WorkerFacts | undefined> {
    let row = await this.workers.find(workerId);
    if (!row) {
      // Registered a moment ago? Let the directory catch up with the feed once before saying "unknown".
      await this.readModels.caughtUp();
      row = await this.workers.find(workerId);
    }
    if (!row) return undefined;
    const team = await this.team(row.teamId);
    const worker = team.workers[workerId];
    return worker && { workerId, teamId: row.teamId, role: worker.role, active: worker.active };
  }
}
