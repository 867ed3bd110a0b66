import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { householdStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { householdNotFound, mayReadHousehold } from '../common/household-access';
import { EVENT_STORE } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { answer, WriteResultDto } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from './household.handler';
import { householdView } from './household.view';
import {
  AddActionDto,
  AddGoalDto,
  AgreePlanDto,
  ClosePlanDto,
  ReasonDto,
  RegisterHouseholdDto,
} from './households.dto';

@ApiTags('households')
@ApiBearerAuth()
@Controller('v1/households')
export class HouseholdsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @Post()
  @Roles('worker')
  @ApiCreatedResponse({ type: WriteResultDto })
  async register(
    @Body() dto: RegisterHouseholdDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const householdId = dto.householdId ?? newId(ctx, 'householdId');
    const written = await this.run(
      {
        type: 'RegisterHousehold',
        householdId,
        district: dto.district,
        members: dto.members.map(({ memberId, role, birthYear, name }) => ({
          memberId,
          role,
          birthYear,
          name,
        })),
        regieWorkerId: dto.regie?.workerId,
        teamId: dto.teamId,
      } as HouseholdIntent,
      ctx,
    );
    return answer(res, written, { householdId });
  }

  /** The plan state, read from the stream itself, so it is never behind the caller's own writes. */
  @Get(':id')
  @Roles('worker')
  @ApiOkResponse({ description: 'the plan state with its version (also as ETag)' })
  async get(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const events = await this.store.readStream(householdStream(id));
    const { state, body } = householdView(events);
    if (!mayReadHousehold(principal, state)) throw householdNotFound(id);
    res.setHeader('ETag', `"${events.length}"`);
    return body;
  }

  @Post(':id/goals')
  @Roles('worker')
  @ApiCreatedResponse({ type: WriteResultDto })
  async addGoal(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: AddGoalDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const goalId = dto.goalId ?? newId(ctx, 'goalId');
    const written = await this.run(
      { type: 'AddGoal', householdId: id, goalId, lifeDomain: dto.lifeDomain, description: dto.description },
      ctx,
    );
    return answer(res, written, { householdId: id, goalId, revision: written.state.planRevision });
  }

  @Post(':id/actions')
  @Roles('worker')
  @ApiCreatedResponse({ type: WriteResultDto })
  async addAction(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: AddActionDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
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
    return answer(res, written, { householdId: id, actionId, revision: written.state.planRevision });
  }

  @Post(':id/actions/:actionId/complete')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({ type: WriteResultDto })
  async completeAction(
    @Param('id', ParseIdPipe) id: string,
    @Param('actionId', ParseIdPipe) actionId: string,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const written = await this.run({ type: 'CompleteAction', householdId: id, actionId }, ctx);
    return answer(res, written, { householdId: id, actionId, completed: true });
  }

  @Post(':id/plan/agreements')
  @Roles('worker')
  @ApiCreatedResponse({ type: WriteResultDto })
  async agree(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: AgreePlanDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const written = await this.run({ type: 'AgreePlan', householdId: id, memberId: dto.memberId }, ctx);
    return answer(res, written, {
      householdId: id,
      revision: written.state.planRevision,
      agreedBy: dto.memberId,
    });
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({ type: WriteResultDto })
  async close(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ClosePlanDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const written = await this.run({ type: 'ClosePlan', householdId: id, outcome: dto.outcome }, ctx);
    return answer(res, written, { householdId: id, status: 'closed' });
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({ type: WriteResultDto })
  async reopen(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const written = await this.run({ type: 'ReopenPlan', householdId: id, reason: dto.reason }, ctx);
    return answer(res, written, { householdId: id, status: 'active' });
  }
}
