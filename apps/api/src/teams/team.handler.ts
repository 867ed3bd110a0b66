import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AddWorker,
  DeactivateWorker,
  RegisterTeam,
  teamDecider,
  teamStream,
  TeamCommand,
  TeamEvent,
  TeamState,
} from '@eenplan/domain';
import { CaseloadQueries, WorkersQueries } from '@eenplan/projections';
import { AggregateExecutor, Written } from '../common/aggregate-executor';
import { ReadModelSync } from '../common/read-models';
import { WriteContext } from '../common/write-context';
import { PrincipalRegistry } from '../common/principals';

type Intent =
  | Omit<RegisterTeam, 'actor' | 'at'>
  | Omit<AddWorker, 'actor' | 'at' | 'alreadyInTeam' | 'actsAs'>
  | Omit<DeactivateWorker, 'actor' | 'at' | 'householdsWithRegie'>;

/** Declares its result, so `CommandBus.execute` returns it typed. */
export class ExecuteTeamCommand extends Command<Written<TeamState, TeamEvent>> {
  constructor(
    readonly intent: Intent,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteTeamCommand)
export class TeamCommandHandler implements ICommandHandler<
  ExecuteTeamCommand,
  Written<TeamState, TeamEvent>
> {
  constructor(
    private readonly executor: AggregateExecutor,
    private readonly readModels: ReadModelSync,
    private readonly workers: WorkersQueries,
    private readonly caseloads: CaseloadQueries,
    private readonly principals: PrincipalRegistry,
  ) {}

  async execute({ intent, ctx }: ExecuteTeamCommand) {
    // Facts from other aggregates are gathered once the read models include everything written so far.
    let extra: { alreadyInTeam?: string; actsAs?: string; householdsWithRegie?: readonly string[] } = {};
    if (intent.type === 'AddWorker') {
      await this.readModels.caughtUp();
      extra = {
        alreadyInTeam: (await this.workers.find(intent.workerId))?.teamId,
        actsAs: await this.principals.nonWorkerRoles(intent.workerId),
      };
    } else if (intent.type === 'DeactivateWorker') {
      await this.readModels.caughtUp();
      extra = { householdsWithRegie: await this.caseloads.householdsWithRegie(intent.workerId) };
    }
    return this.executor.execute(
      teamStream(intent.teamId),
      teamDecider,
      ctx,
      (_state, at) =>
        ({
          ...intent,
          ...extra,
          actor: ctx.actor,
          at,
        }) as TeamCommand,
    );
  }
}
