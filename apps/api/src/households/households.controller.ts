import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@eenplan/security';
import { isAgreed, type Party } from '@eenplan/domain';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageQuery, ApiPaged } from '../common/paging';
import { HouseholdAccess } from '../common/household-access';
import type { HouseholdSection } from '../common/household-fold';
import { ParseIdPipe } from '../common/validation';
import { badRequest } from '../common/problem';
import { answer, ETAG_HEADER } from '../common/write-response';
import {
  ActionAddedDto,
  ActionCompletedDto,
  GoalAddedDto,
  GoalNoteAddedDto,
  GoalStatusSetDto,
  GoalTargetDateSetDto,
  HouseholdDto,
  PlanEvaluationDateSetDto,
  ReviewMeetingRecordedDto,
  HouseholdRegisteredDto,
  PlanAgreedDto,
  PlanStatusChangedDto,
} from './household-answer.dto';
import {
  HouseholdActionsPageDto,
  HouseholdGoalNotesPageDto,
  HouseholdGoalsPageDto,
  HouseholdMeetingsPageDto,
  HouseholdNetworkPageDto,
  HouseholdReferralsPageDto,
} from './households.pages.dto';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from './household.handler';
import {
  householdBody,
  MEETINGS_PAGE_LIMIT_MAX,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  pageLimitMax,
  sectionPage,
} from './household.view';
import {
  AddActionDto,
  AddGoalDto,
  AddGoalNoteDto,
  AgreePlanDto,
  ClosePlanDto,
  ReasonDto,
  RecordReviewMeetingDto,
  RegisterHouseholdDto,
  SetGoalStatusDto,
  SetGoalTargetDateDto,
  SetPlanEvaluationDateDto,
} from './households.dto';

@ApiTags('households')
@ApiBearerAuth()
@Controller('v1/households')
export class HouseholdsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdAccess,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'registerHousehold',
    summary: 'Register a household with its members; its plan starts empty',
  })
  @Post()
  @Roles('worker')
  @ApiCreatedResponse({ type: HouseholdRegisteredDto })
  async register(@Body() dto: RegisterHouseholdDto, @Write() ctx: WriteContext) {
    const householdId = dto.householdId ?? newId(ctx, 'householdId');
    const written = await this.run(
      {
        type: 'RegisterHousehold',
        householdId,
        district: dto.district,
        members: dto.members.map(({ memberId, role, birthYear, birthMonth, name }) => ({
          memberId,
          role,
          birthYear,
          ...(birthMonth !== undefined ? { birthMonth } : {}),
          name,
        })),
        regieWorkerId: dto.regie?.workerId,
        teamId: dto.teamId,
      } as HouseholdIntent,
      ctx,
    );
    return answer(written, { householdId });
  }

  /**
   * The plan state, read from the stream itself, so it is never behind the caller's own writes. Of
   * each section that grows the first items are shown, with its total and the cursor to page on.
   */
  @ApiOperation({
    operationId: 'getHousehold',
    summary: 'The household and its plan, current with every write (ETag: its version)',
  })
  @Get(':id')
  @Roles('worker', 'professional')
  @ApiOkResponse({
    type: HouseholdDto,
    headers: ETAG_HEADER,
    description:
      'the plan state with its version (also as ETag); goals, actions, notes, network, assignments and referrals: the first 25 each, `sections` gives each total and `next`, the cursor for GET /v1/households/:id/<section>',
  })
  async get(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const view = await this.households.view(id, principal);
    // Serialised once per version: many readers of a large household must not each pay for it.
    res.setHeader('ETag', `"${view.version}"`);
    res.type('application/json').send(view.body(householdBody));
  }

  @ApiOperation({ operationId: 'listGoals', summary: "A page of the household's goals" })
  @Get(':id/goals')
  @Roles('worker', 'professional')
  @ApiPaged(PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX)
  @ApiOkResponse({
    type: HouseholdGoalsPageDto,
    description: '{householdId, goals[], total, next, version}: the goals in the order they were added',
  })
  goals(
    @Param('id', ParseIdPipe) id: string,
    @Query() q: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.page(id, 'goals', q, p);
  }

  @ApiOperation({ operationId: 'listActions', summary: "A page of the household's actions" })
  @Get(':id/actions')
  @Roles('worker', 'professional')
  @ApiPaged(PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX)
  @ApiOkResponse({
    type: HouseholdActionsPageDto,
    description: '{householdId, actions[], total, next, version}: the actions in the order they were added',
  })
  actions(
    @Param('id', ParseIdPipe) id: string,
    @Query() q: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.page(id, 'actions', q, p);
  }

  @ApiOperation({ operationId: 'listGoalNotes', summary: "A page of the notes on the household's goals" })
  @Get(':id/notes')
  @Roles('worker', 'professional')
  @ApiPaged(PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX)
  @ApiOkResponse({
    type: HouseholdGoalNotesPageDto,
    description:
      '{householdId, notes[], total, next, version}: the notes on goals in the order they were added',
  })
  notes(
    @Param('id', ParseIdPipe) id: string,
    @Query() q: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.page(id, 'notes', q, p);
  }

  @ApiOperation({
    operationId: 'listNetworkMembers',
    summary: "A page of the household's network members, removed ones included",
  })
  @Get(':id/network')
  @Roles('worker', 'professional')
  @ApiPaged(PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX)
  @ApiOkResponse({
    type: HouseholdNetworkPageDto,
    description:
      '{householdId, network[], total, next, version}: network members with names, removed ones included',
  })
  network(
    @Param('id', ParseIdPipe) id: string,
    @Query() q: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.page(id, 'network', q, p);
  }

  @ApiOperation({
    operationId: 'listReviewMeetings',
    summary:
      "A page of the household's review meetings: who attended, the decisions and the actions they became",
  })
  @Get(':id/meetings')
  @Roles('worker', 'professional')
  @ApiPaged(MEETINGS_PAGE_LIMIT_MAX, MEETINGS_PAGE_LIMIT_MAX)
  @ApiOkResponse({
    type: HouseholdMeetingsPageDto,
    description: '{householdId, meetings[], total, next, version}: in the order they were recorded',
  })
  meetings(
    @Param('id', ParseIdPipe) id: string,
    @Query() q: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.page(id, 'meetings', q, p);
  }

  @ApiOperation({
    operationId: 'listReferrals',
    summary: "A page of the household's referrals with their status",
  })
  @Get(':id/referrals')
  @Roles('worker', 'professional')
  @ApiPaged(PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX)
  @ApiOkResponse({
    type: HouseholdReferralsPageDto,
    description: '{householdId, referrals[], total, next, version}: referrals with their status',
  })
  referrals(
    @Param('id', ParseIdPipe) id: string,
    @Query() q: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.page(id, 'referrals', q, p);
  }

  private async page(
    id: string,
    section: HouseholdSection,
    query: Record<string, unknown>,
    principal: Principal,
  ) {
    const max = pageLimitMax(section);
    const { limit, cursor } = pageQuery(query, Math.min(PAGE_LIMIT_DEFAULT, max), max);
    const { fold } = await this.households.view(id, principal);
    const { items, total, next } = sectionPage(fold, section, limit, cursor);
    return { householdId: id, [section]: items, total, next, version: fold.version };
  }

  @ApiOperation({
    operationId: 'addGoal',
    summary: 'Add a goal in a life domain to the plan (a new plan revision)',
  })
  @Post(':id/goals')
  @Roles('worker', 'professional')
  @ApiCreatedResponse({ type: GoalAddedDto })
  async addGoal(@Param('id', ParseIdPipe) id: string, @Body() dto: AddGoalDto, @Write() ctx: WriteContext) {
    const goalId = dto.goalId ?? newId(ctx, 'goalId');
    const written = await this.run(
      {
        type: 'AddGoal',
        householdId: id,
        goalId,
        lifeDomain: dto.lifeDomain,
        description: dto.description,
        ...(dto.targetDate !== undefined ? { targetDate: dto.targetDate } : {}),
      },
      ctx,
    );
    return answer(written, { householdId: id, goalId, revision: written.state.planRevision });
  }

  @ApiOperation({
    operationId: 'addAction',
    summary:
      'Add an action towards a goal, owned by the household, its network, a volunteer, a worker or an organisation',
  })
  @Post(':id/actions')
  @Roles('worker', 'professional')
  @ApiCreatedResponse({ type: ActionAddedDto })
  async addAction(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: AddActionDto,
    @Write() ctx: WriteContext,
  ) {
    const actionId = dto.actionId ?? newId(ctx, 'actionId');
    const written = await this.run(
      {
        type: 'AddAction',
        householdId: id,
        actionId,
        goalId: dto.goalId,
        description: dto.description,
        owner: { kind: dto.owner.kind, id: dto.owner.id },
      },
      ctx,
    );
    return answer(written, { householdId: id, actionId, revision: written.state.planRevision });
  }

  @ApiOperation({ operationId: 'addGoalNote', summary: 'Add a note to a goal (no new plan revision)' })
  @Post(':id/goals/:goalId/notes')
  @Roles('worker', 'professional')
  @ApiCreatedResponse({ type: GoalNoteAddedDto })
  async addGoalNote(
    @Param('id', ParseIdPipe) id: string,
    @Param('goalId', ParseIdPipe) goalId: string,
    @Body() dto: AddGoalNoteDto,
    @Write() ctx: WriteContext,
  ) {
    const noteId = dto.noteId ?? newId(ctx, 'noteId');
    const written = await this.run(
      { type: 'AddGoalNote', householdId: id, goalId, noteId, text: dto.text },
      ctx,
    );
    return answer(written, { householdId: id, goalId, noteId });
  }

  @ApiOperation({
    operationId: 'setGoalStatus',
    summary:
      'Record where a goal stands: open, achieved, partly-achieved, not-achieved or dropped (no new plan revision)',
  })
  @Post(':id/goals/:goalId/status')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: GoalStatusSetDto })
  async setGoalStatus(
    @Param('id', ParseIdPipe) id: string,
    @Param('goalId', ParseIdPipe) goalId: string,
    @Body() dto: SetGoalStatusDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      {
        type: 'SetGoalStatus',
        householdId: id,
        goalId,
        status: dto.status,
        ...(dto.reason !== undefined ? { reason: dto.reason } : {}),
      },
      ctx,
    );
    const set = written.events.find((e) => e.type === 'GoalStatusSet');
    return answer(written, { householdId: id, goalId, status: dto.status, on: set?.data.on });
  }

  @ApiOperation({
    operationId: 'setGoalTargetDate',
    summary: "Set, change or clear (null) a goal's target date (a new plan revision once it was agreed)",
  })
  @Put(':id/goals/:goalId/target-date')
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: GoalTargetDateSetDto })
  async setGoalTargetDate(
    @Param('id', ParseIdPipe) id: string,
    @Param('goalId', ParseIdPipe) goalId: string,
    @Body() dto: SetGoalTargetDateDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'SetGoalTargetDate', householdId: id, goalId, targetDate: dto.targetDate },
      ctx,
    );
    return answer(written, {
      householdId: id,
      goalId,
      targetDate: dto.targetDate,
      revision: written.state.planRevision,
    });
  }

  @ApiOperation({
    operationId: 'completeAction',
    summary:
      "Mark an action completed: the household's workers any action, a network member or volunteer only their own (any other: 404)",
  })
  @Post(':id/actions/:actionId/complete')
  @HttpCode(200)
  @Roles('worker', 'professional', 'network-member', 'volunteer')
  @ApiOkResponse({ type: ActionCompletedDto })
  async completeAction(
    @Param('id', ParseIdPipe) id: string,
    @Param('actionId', ParseIdPipe) actionId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'CompleteAction', householdId: id, actionId }, ctx);
    return answer(written, { householdId: id, actionId, completed: true });
  }

  @ApiOperation({
    operationId: 'agreePlan',
    summary:
      "Record the agreement of a member or an outside holder of authority with the plan's current revision; agreed once every member has agreement from someone with capacity for them",
  })
  @Post(':id/plan/agreements')
  @Roles('worker', 'resident')
  @ApiCreatedResponse({ type: PlanAgreedDto })
  async agree(@Param('id', ParseIdPipe) id: string, @Body() dto: AgreePlanDto, @Write() ctx: WriteContext) {
    // A resident agrees for themselves: {} means their own member id (the token's); naming anyone
    // else is refused by the decider (AgreeOnlyForYourself), after the household admitted them.
    const own = ctx.principal.roles.includes('resident') ? ctx.principal.member : undefined;
    const by: Party | undefined =
      dto.memberId !== undefined
        ? { kind: 'member', memberId: dto.memberId }
        : dto.holderId !== undefined
          ? { kind: 'external', holderId: dto.holderId }
          : own !== undefined
            ? { kind: 'member', memberId: own }
            : undefined;
    if (!by)
      throw badRequest('ValidationFailed', 'the request is invalid: memberId: give memberId or holderId', [
        { field: 'memberId', reason: 'give memberId or holderId' },
      ]);
    const written = await this.run({ type: 'AgreePlan', householdId: id, by }, ctx);
    return answer(written, {
      householdId: id,
      revision: written.state.planRevision,
      agreedBy: by.kind === 'member' ? by.memberId : by.holderId,
      by,
      agreed: isAgreed(written.state),
    });
  }

  @ApiOperation({
    operationId: 'recordReviewMeeting',
    summary:
      'Record a review meeting: who attended, whether the household was there, the decisions (each may become an action) and, when it evaluated the plan, the next evaluation date',
  })
  @Post(':id/meetings')
  @Roles('worker', 'professional')
  @ApiCreatedResponse({ type: ReviewMeetingRecordedDto })
  async recordReviewMeeting(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RecordReviewMeetingDto,
    @Write() ctx: WriteContext,
  ) {
    const meetingId = dto.meetingId ?? newId(ctx, 'meetingId');
    const decisions = dto.decisions.map((d, i) => ({
      decisionId: d.decisionId ?? newId(ctx, `decisions[${i}].decisionId`),
      text: d.text,
      ...(d.action
        ? {
            action: {
              actionId: d.action.actionId ?? newId(ctx, `decisions[${i}].action.actionId`),
              goalId: d.action.goalId,
              owner: { kind: d.action.owner.kind, id: d.action.owner.id },
            },
          }
        : {}),
    }));
    const written = await this.run(
      {
        type: 'RecordReviewMeeting',
        householdId: id,
        meetingId,
        on: dto.on,
        attendees: dto.attendees.map(({ kind, id: attendee }) => ({ kind, id: attendee })),
        householdPresent: dto.householdPresent,
        ...(dto.notes !== undefined ? { notes: dto.notes } : {}),
        decisions,
        ...(dto.evaluation
          ? {
              evaluation:
                dto.evaluation.nextEvaluateBy !== undefined
                  ? { nextEvaluateBy: dto.evaluation.nextEvaluateBy }
                  : {},
            }
          : {}),
      },
      ctx,
    );
    return answer(written, {
      householdId: id,
      meetingId,
      decisions: decisions.map((d) => ({
        decisionId: d.decisionId,
        actionId: d.action?.actionId ?? null,
        text: d.text,
      })),
      revision: written.state.planRevision,
      evaluateBy: written.state.evaluateBy,
    });
  }

  @ApiOperation({
    operationId: 'setPlanEvaluationDate',
    summary:
      'Set the day the plan is to be evaluated by (the regie holder; while the household holds regie, a worker of its team)',
  })
  @Put(':id/plan/evaluation-date')
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: PlanEvaluationDateSetDto })
  async setPlanEvaluationDate(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: SetPlanEvaluationDateDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'SetPlanEvaluationDate', householdId: id, evaluateBy: dto.evaluateBy },
      ctx,
    );
    return answer(written, { householdId: id, evaluateBy: dto.evaluateBy });
  }

  @ApiOperation({
    operationId: 'closePlan',
    summary: "Close the plan with an outcome: a reason code and each goal's realisation (docs/OUTCOMES.md)",
  })
  @Post(':id/close')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: PlanStatusChangedDto })
  async close(@Param('id', ParseIdPipe) id: string, @Body() dto: ClosePlanDto, @Write() ctx: WriteContext) {
    const written = await this.run(
      {
        type: 'ClosePlan',
        householdId: id,
        outcome: dto.outcome,
        ...(dto.reason !== undefined ? { reason: dto.reason } : {}),
        ...(dto.goals !== undefined
          ? { goals: dto.goals.map(({ goalId, realisation }) => ({ goalId, realisation })) }
          : {}),
      },
      ctx,
    );
    return answer(written, { householdId: id, status: 'closed' });
  }

  @ApiOperation({ operationId: 'reopenPlan', summary: 'Reopen a closed plan, with a reason' })
  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({ type: PlanStatusChangedDto })
  async reopen(@Param('id', ParseIdPipe) id: string, @Body() dto: ReasonDto, @Write() ctx: WriteContext) {
    const written = await this.run({ type: 'ReopenPlan', householdId: id, reason: dto.reason }, ctx);
    return answer(written, { householdId: id, status: 'active' });
  }
}
