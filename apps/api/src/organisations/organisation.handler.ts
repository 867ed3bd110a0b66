import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  OrganisationCommand,
  organisationDecider,
  OrganisationEvent,
  OrganisationState,
  organisationStream,
} from '@eenplan/domain';
import { AggregateExecutor, Written } from '../common/aggregate-executor';
import { WriteContext } from '../common/write-context';
import { CaseloadQueries } from '@eenplan/projections';
import { ReadModelSync } from '../common/read-models';

type Intent<C> = C extends OrganisationCommand ? Omit<C, 'actor' | 'at' | 'householdsWithRegie'> : never;
export type OrganisationIntent = Intent<OrganisationCommand>;

/** Declares its result, so `CommandBus.execute` returns it typed. */
export class ExecuteOrganisationCommand extends Command<Written<OrganisationState, OrganisationEvent>> {
  constructor(
    readonly intent: OrganisationIntent,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteOrganisationCommand)
export class OrganisationCommandHandler implements ICommandHandler<
  ExecuteOrganisationCommand,
  Written<OrganisationState, OrganisationEvent>
> {
  constructor(
    private readonly executor: AggregateExecutor,
    private readonly caseloads: CaseloadQueries,
    private readonly readModels: ReadModelSync,
  ) {}

  execute({ intent, ctx }: ExecuteOrganisationCommand) {
    return this.executor.execute(
      organisationStream(intent.organisationId),
      organisationDecider,
      ctx,
      async (_state, at) => {
        if (intent.type !== 'DeactivateProfessional')
          return { ...intent, actor: ctx.actor, at } as OrganisationCommand;
        // Invariant 8 for professionals: the caseload read model, caught up, says where they hold regie.
        await this.readModels.caughtUp();
        const householdsWithRegie = await this.caseloads.householdsWithProfessionalRegie(
          intent.organisationId,
          intent.professionalId,
        );
        return { ...intent, householdsWithRegie, actor: ctx.actor, at };
      },
    );
  }
}
