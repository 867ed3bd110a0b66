import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DeactivateVolunteer,
  RegisterVolunteer,
  UpdateVolunteerVog,
  volunteerDecider,
  VolunteerCommand,
  VolunteerEvent,
  VolunteerState,
  volunteerStream,
} from '@eenplan/domain';
import { AggregateExecutor, Written } from '../common/aggregate-executor';
import { WriteContext } from '../common/write-context';

/** Hours are committed and released only by assignments (households/people-around), never over HTTP. */
export type VolunteerIntent =
  | Omit<RegisterVolunteer, 'actor' | 'at'>
  | Omit<UpdateVolunteerVog, 'actor' | 'at'>
  | Omit<DeactivateVolunteer, 'actor' | 'at'>;

/** Declares its result, so `CommandBus.execute` returns it typed. */
export class ExecuteVolunteerCommand extends Command<Written<VolunteerState, VolunteerEvent>> {
  constructor(
    readonly intent: VolunteerIntent,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteVolunteerCommand)
export class VolunteerCommandHandler implements ICommandHandler<
  ExecuteVolunteerCommand,
  Written<VolunteerState, VolunteerEvent>
> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ intent, ctx }: ExecuteVolunteerCommand) {
    return this.executor.execute(
      volunteerStream(intent.volunteerId),
      volunteerDecider,
      ctx,
      (_state, at) => ({ ...intent, actor: ctx.actor, at }) as VolunteerCommand,
    );
  }
}
