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

type Intent<C> = C extends OrganisationCommand ? Omit<C, 'actor' | 'at'> : never;
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
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ intent, ctx }: ExecuteOrganisationCommand) {
    return this.executor.execute(
      organisationStream(intent.organisationId),
      organisationDecider,
      ctx,
      (_state, at) => ({ ...intent, actor: ctx.actor, at }) as OrganisationCommand,
    );
  }
}
