import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  HouseholdCommand,
  householdDecider,
  HouseholdEvent,
  HouseholdState,
  householdStream,
  organisationDecider,
  organisationStream,
  ProfessionalFacts,
  professionalFacts,
  RegisterHousehold,
  WorkerFacts,
} from '@eenplan/domain';
import { AggregateExecutor, Written } from '../common/aggregate-executor';
import { APP_CONFIG } from '../common/tokens';
import { WorkerFactsService } from '../common/worker-facts';
import type { AppConfig } from '@eenplan/runtime';
import { WriteContext } from '../common/write-context';
import { HouseholdAdmission } from '../common/household-access';
import { HouseholdViews } from '../common/household-views';
import type { HouseholdFold } from '../common/household-fold';

/** What the HTTP layer knows of a command: no actor, no time, no facts from other aggregates yet. */
type FactFields =
  | 'actor'
  | 'at'
  | 'team'
  | 'regieWorker'
  | 'ownerWorker'
  | 'receiver'
  | 'taker'
  | 'lead'
  | 'previousHolder'
  | 'professional'
  | 'previousProfessional'
  | 'organisation'
  | 'jeugdbeschermer'
  | 'limits'
  | 'evaluationAfterMonths'
  | 'ownerWorkers'
  | 'current';
type Intents<C> = C extends HouseholdCommand ? Omit<C, FactFields> : never;
/** Registration names the team by id; the handler turns it into the team's state. */
export type HouseholdIntent =
  | Exclude<Intents<HouseholdCommand>, { type: 'RegisterHousehold' }>
  | (Omit<RegisterHousehold, FactFields> & { teamId: string });

/** Declares its result, so `CommandBus.execute` returns it typed. */
export class ExecuteHouseholdCommand extends Command<Written<HouseholdState, HouseholdEvent>> {
  constructor(
    readonly intent: HouseholdIntent,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

/**
 * Gathers the facts a household decision needs from other aggregates (the teams of the worker
 * ids involved), then loads, decides and appends through the one executor.
 */
@CommandHandler(ExecuteHouseholdCommand)
export class HouseholdCommandHandler implements ICommandHandler<
  ExecuteHouseholdCommand,
  Written<HouseholdState, HouseholdEvent>
> {
  constructor(
    private readonly executor: AggregateExecutor,
    private readonly facts: WorkerFactsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly views: HouseholdViews,
  ) {}

  async execute({ intent, ctx }: ExecuteHouseholdCommand) {
    const admission = new HouseholdAdmission(intent, ctx.principal);
    try {
      return await this.run(intent, ctx, admission);
    } catch (error) {
      throw admission.seenAs(error);
    }
  }

  private run(intent: HouseholdIntent, ctx: WriteContext, admission: HouseholdAdmission) {
    return this.executor.execute(
      householdStream(intent.householdId),
      householdDecider,
      ctx,
      async (state, at) => {
        const base = { ...intent, actor: ctx.actor, at };
        const worker = (id: string | undefined): Promise<WorkerFacts | undefined> =>
          id === undefined ? Promise.resolve(undefined) : this.facts.find(id);
        // Issue 19: a professional as their organisation's own stream has them now.
        const professional = async (
          who: { id: string; organisationId: string } | undefined,
        ): Promise<ProfessionalFacts | undefined> => {
          if (who === undefined) return undefined;
          const { state: organisation } = await this.executor.load(
            organisationStream(who.organisationId),
            organisationDecider,
          );
          return professionalFacts(organisation, who.id);
        };
        switch (intent.type) {
          case 'RegisterHousehold': {
            const team = await this.facts.team(intent.teamId);
            const regieWorker =
              intent.regieWorkerId === undefined
                ? undefined
                : await this.facts.find(intent.regieWorkerId, team);
            return { ...base, team, regieWorker } as HouseholdCommand;
          }
          case 'AddGoal':
          case 'ProposeGoal':
            return { ...base, limits: this.config.planLimits } as HouseholdCommand;
          case 'AddAction':
            return {
              ...base,
              ownerWorker: intent.owner.kind === 'worker' ? await worker(intent.owner.id) : undefined,
              limits: this.config.planLimits,
            } as HouseholdCommand;
          case 'RecordReviewMeeting': {
            // The facts of each worker a decision's action names as its owner.
            const ids = [
              ...new Set(
                intent.decisions.flatMap((d) =>
                  d.action?.owner.kind === 'worker' && d.action.owner.id !== undefined
                    ? [d.action.owner.id]
                    : [],
                ),
              ),
            ];
            const ownerWorkers = Object.fromEntries(
              await Promise.all(ids.map(async (id) => [id, await worker(id)] as const)),
            );
            return {
              ...base,
              ownerWorkers,
              limits: this.config.planLimits,
              evaluationAfterMonths: this.config.planCycle.evaluationAfterMonths,
            } as HouseholdCommand;
          }
          case 'AgreePlan':
            return {
              ...base,
              evaluationAfterMonths: this.config.planCycle.evaluationAfterMonths,
            } as HouseholdCommand;
          case 'RequestRegieTransfer':
            return {
              ...base,
              receiver: await worker(intent.toWorkerId),
              professional: await professional(intent.toProfessional),
            } as HouseholdCommand;
          case 'AcceptRegieTransfer': {
            const to = state.pendingTransfer?.to;
            return to?.kind === 'professional'
              ? ({ ...base, professional: await professional(to) } as HouseholdCommand)
              : ({ ...base, receiver: await worker(to?.id) } as HouseholdCommand);
          }
          case 'TakeOverRegieForSafety':
            return { ...base, taker: await worker(ctx.actor.id) } as HouseholdCommand;
          case 'ConfirmSafetyTakeover':
            return { ...base, lead: await worker(ctx.actor.id) } as HouseholdCommand;
          case 'RejectSafetyTakeover': {
            // Where a rejection gives regie back: that worker as the registry knows them now.
            const previous = state.safetyTakeovers.byId[intent.takeoverId]?.from;
            return {
              ...base,
              lead: await worker(ctx.actor.id),
              previousHolder: previous?.kind === 'worker' ? await worker(previous.id) : undefined,
              previousProfessional:
                previous?.kind === 'professional' ? await professional(previous) : undefined,
            } as HouseholdCommand;
          }
          case 'RecordChildProtectionMeasure': {
            // The certified institution as its own stream has it (issue 19).
            const { state: organisation } = await this.executor.load(
              organisationStream(intent.organisationId),
              organisationDecider,
            );
            return {
              ...base,
              organisation: organisation.exists
                ? { organisationId: organisation.organisationId, waitingDays: organisation.waitingDays }
                : undefined,
              // The measure's jeugdbeschermer as that institution has them (undefined: not registered there).
              jeugdbeschermer: professionalFacts(organisation, intent.jeugdbeschermerId),
            } as HouseholdCommand;
          }
          case 'CorrectPersonalData':
            // The text the reads show now: sealed texts never reach the decider's state.
            return {
              ...base,
              current: currentText(await this.views.read(intent.householdId), intent),
            } as HouseholdCommand;
          default:
            return base as HouseholdCommand;
        }
      },
      admission.admit,
    );
  }
}

/** What a read shows now of the text a correction supersedes; undefined for a birth (in the state). */
const currentText = (
  fold: HouseholdFold,
  c: { field: string; memberId?: string; goalId?: string; actionId?: string },
): string | null | undefined => {
  switch (c.field) {
    case 'memberName':
      return c.memberId === undefined ? undefined : (fold.memberNames[c.memberId] ?? null);
    case 'goalDescription':
      return c.goalId === undefined ? undefined : (fold.texts.goals.get(c.goalId) ?? null);
    case 'actionDescription':
      return c.actionId === undefined ? undefined : (fold.texts.actions.get(c.actionId) ?? null);
    default:
      return undefined;
  }
};
