import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AssignVolunteer,
  commitmentKey,
  committedHours,
  HouseholdCommand,
  householdDecider,
  HouseholdEvent,
  HouseholdState,
  householdStream,
  organisationDecider,
  organisationStream,
  volunteerDecider,
  VolunteerCommand,
  VolunteerFacts,
  VolunteerState,
  volunteerStream,
} from '@eenplan/domain';
import { WrongExpectedVersionError } from '@eenplan/event-store/event-store.port';
import { AggregateExecutor, Written } from '../../common/aggregate-executor';
import { APP_CONFIG, CLOCK, Clock } from '../../common/tokens';
import type { AppConfig } from '@eenplan/runtime';
import { WriteContext } from '../../common/write-context';
import { HouseholdAdmission } from '../../common/household-access';

type PeopleAroundCommand = Extract<
  HouseholdCommand,
  {
    type:
      | 'AddNetworkMember'
      | 'RemoveNetworkMember'
      | 'AssignVolunteer'
      | 'EndVolunteerAssignment'
      | 'RequestReferral'
      | 'AcceptReferral'
      | 'CompleteReferral'
      | 'WithdrawReferral';
  }
>;
/** What the HTTP layer knows: no actor, no time, no facts from the volunteer or organisation streams. */
export type PeopleAroundIntent = PeopleAroundCommand extends infer C
  ? C extends PeopleAroundCommand
    ? Omit<C, 'actor' | 'at' | 'volunteer' | 'organisation' | 'legalGrounds'>
    : never
  : never;

/** Declares its result, so `CommandBus.execute` returns it typed. */
export class ExecutePeopleAroundCommand extends Command<Result> {
  constructor(
    readonly intent: PeopleAroundIntent,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

type Result = Written<HouseholdState, HouseholdEvent>;

/**
 * The household's network, volunteer assignments and referrals. Most are one household decision;
 * an assignment crosses two streams, because invariant 12's hour limit is about the volunteer across
 * every household:
 *
 * 1. decide against the household and the volunteer as they are now (refusals cost nothing);
 * 2. commit the hours in the volunteer's stream, appended with the version read: concurrent
 *    assignments of one volunteer (from any household, any API process) are serialised here, and
 *    the volunteer's decider refuses the one that no longer fits;
 * 3. record the assignment in the household's stream; if that is refused (the household changed
 *    meanwhile, a stale If-Match), release the hours again (a compensating event), then answer.
 *
 * Limits: between 2 and 3 the hours are held without an assignment, so a concurrent request can be
 * refused for hours that are then released (errs towards refusing, never over-commits). A crash
 * between 2 and 3 leaves them held until the same request (same assignment id) is retried, which
 * finds its commitment and carries on. Hours of an assignment that ended (by a worker, or when its
 * plan closed) are released right away for an end by a worker, and for a plan closure at the
 * volunteer's next assignment, which looks up each held commitment's household and releases those
 * that ended; a closing plan never has to wait for or reach the volunteer streams.
 */
@CommandHandler(ExecutePeopleAroundCommand)
export class PeopleAroundCommandHandler implements ICommandHandler<ExecutePeopleAroundCommand, Result> {
  private readonly logger = new Logger('PeopleAround');

  constructor(
    private readonly executor: AggregateExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ intent, ctx }: ExecutePeopleAroundCommand): Promise<Result> {
    const admission = new HouseholdAdmission(intent, ctx.principal);
    try {
      return await this.run(intent, ctx, admission);
    } catch (error) {
      throw admission.seenAs(error);
    }
  }

  private async run(intent: PeopleAroundIntent, ctx: WriteContext, admission: HouseholdAdmission) {
    switch (intent.type) {
      case 'AssignVolunteer':
        return this.assign(intent, ctx, admission);
      case 'EndVolunteerAssignment': {
        const written = await this.household(intent, ctx, admission);
        await this.releaseAfterEnd(written, ctx);
        return written;
      }
      case 'RequestReferral':
        return this.household(intent, ctx, admission, async () => {
          const { state } = await this.executor.load(
            organisationStream(intent.organisationId),
            organisationDecider,
          );
          return {
            organisation: state.exists
              ? { organisationId: state.organisationId, waitingDays: state.waitingDays }
              : undefined,
            // The configured grounds reach the decider as the plan limits do (issue 18).
            legalGrounds: this.config.referralLegalGrounds,
          };
        });
      default:
        return this.household(intent, ctx, admission);
    }
  }

  private household(
    intent: PeopleAroundIntent,
    ctx: WriteContext,
    admission: HouseholdAdmission,
    facts: () => Promise<Record<string, unknown>> = async () => ({}),
  ) {
    return this.executor.execute(
      householdStream(intent.householdId),
      householdDecider,
      ctx,
      async (_state, at) => ({ ...intent, ...(await facts()), actor: ctx.actor, at }) as HouseholdCommand,
      admission.admit,
    );
  }

  private async assign(
    intent: Omit<AssignVolunteer, 'actor' | 'at' | 'volunteer'>,
    ctx: WriteContext,
    admission: HouseholdAdmission,
  ): Promise<Result> {
    const { householdId, assignmentId, volunteerId } = intent;
    const key = commitmentKey(householdId, assignmentId);
    const vStream = volunteerStream(volunteerId);

    // 1. Every refusal the household and the volunteer can give now, before anything is held.
    const household = await this.executor.load(householdStream(householdId), householdDecider);
    admission.admit(household.state);
    if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== household.version) {
      throw new WrongExpectedVersionError(
        householdStream(householdId),
        ctx.expectedVersion,
        household.version,
      );
    }
    const volunteer = await this.executor.load(vStream, volunteerDecider);
    const endedElsewhere = await this.endedCommitments(volunteer.state, key);
    householdDecider.decide(
      {
        ...intent,
        actor: ctx.actor,
        at: this.clock.now().toISOString(),
        volunteer: factsOf(volunteer.state, [key, ...endedElsewhere]),
      },
      household.state,
    );

    // 2. Hold the hours in the volunteer's stream: the serialisation point for invariant 12.
    const internal: WriteContext = { ...ctx, expectedVersion: undefined, idempotencyKey: undefined };
    const committed = await this.executor.execute(
      vStream,
      volunteerDecider,
      internal,
      (_s, at): VolunteerCommand => ({
        type: 'CommitVolunteerHours',
        volunteerId,
        householdId,
        assignmentId,
        hoursPerWeek: intent.hoursPerWeek,
        endedElsewhere,
        actor: ctx.actor,
        at,
      }),
    );

    // 3. Record the assignment; on refusal give the hours back, if this request was the one that held them.
    try {
      return await this.executor.execute(
        householdStream(householdId),
        householdDecider,
        ctx,
        async (_state, at) => {
          const { state } = await this.executor.load(vStream, volunteerDecider);
          return { ...intent, actor: ctx.actor, at, volunteer: factsOf(state, [key]) };
        },
        admission.admit,
      );
    } catch (error) {
      if (committed.events.some((e) => e.type === 'VolunteerHoursCommitted')) {
        await this.executor.execute(vStream, volunteerDecider, internal, (_s, at): VolunteerCommand => ({
          type: 'ReleaseVolunteerHours',
          volunteerId,
          householdId,
          assignmentId,
          cause: 'assignment-not-recorded',
          actor: ctx.actor,
          at,
        }));
      }
      throw error;
    }
  }

  /** Commitments this volunteer holds for assignments their household has since ended. */
  private async endedCommitments(state: VolunteerState, except: string): Promise<string[]> {
    const ended: string[] = [];
    for (const [key, c] of Object.entries(state.commitments)) {
      if (key === except) continue;
      const { state: h } = await this.executor.load(householdStream(c.householdId), householdDecider);
      if (h.assignments[c.assignmentId]?.status === 'ended') ended.push(key);
    }
    return ended;
  }

  /**
   * The household's event is the record; the release only frees the hours sooner. If it fails the
   * volunteer's next assignment releases them (endedCommitments), so the answer stays a success.
   */
  private async releaseAfterEnd(written: Result, ctx: WriteContext) {
    const internal: WriteContext = { ...ctx, expectedVersion: undefined, idempotencyKey: undefined };
    for (const e of written.events) {
      if (e.type !== 'VolunteerAssignmentEnded') continue;
      try {
        await this.executor.execute(
          volunteerStream(e.data.volunteerId),
          volunteerDecider,
          internal,
          (_s, at): VolunteerCommand => ({
            type: 'ReleaseVolunteerHours',
            volunteerId: e.data.volunteerId,
            householdId: written.state.householdId,
            assignmentId: e.data.assignmentId,
            cause: 'assignment-ended',
            actor: ctx.actor,
            at,
          }),
        );
      } catch (error) {
        this.logger.warn(`releasing the hours of an ended assignment failed: ${(error as Error).message}`);
      }
    }
  }
}

const factsOf = (state: VolunteerState, notCounted: readonly string[]): VolunteerFacts | undefined =>
  state.exists
    ? {
        volunteerId: state.volunteerId,
        active: state.active,
        hoursPerWeek: state.hoursPerWeek,
        vogValidUntil: state.vogValidUntil,
        assignedHours: committedHours(state, notCounted),
      }
    : undefined;
