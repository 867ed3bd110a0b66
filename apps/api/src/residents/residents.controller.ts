import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROLES, type Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { HouseholdAccess } from '../common/household-access';
import { CLOCK, Clock } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { WorkerNames } from '../common/worker-names';
import { newId, Write, WriteContext } from '../common/write-context';
import { answer, ETAG_HEADER, versioned } from '../common/write-response';
import { ExecuteHouseholdCommand } from '../households/household.handler';
import { myPlan, regieSpells } from './my-plan';
import { GoalProposalsPageDto, GoalProposedDto, MeDto, MyPlanDto } from './residents-answer.dto';
import { ProposeGoalDto } from './residents.dto';

/**
 * The household's own way in (issue 20, docs/RESIDENTS.md): who the caller is, the plan as a
 * resident sees it, and their proposals of goals. A resident reads and writes only their own
 * household: any other is the one 404.
 */
@ApiTags('residents')
@ApiBearerAuth()
@Controller('v1')
export class ResidentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdAccess,
    private readonly workers: WorkerNames,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ApiOperation({
    operationId: 'getMe',
    summary:
      "Who the caller is, as the registry admitted them: roles, teams, and a resident's household and member",
  })
  @Get('me')
  @Roles(...ROLES)
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() p: Principal): MeDto {
    return {
      sub: p.sub,
      roles: [...p.roles],
      ...(p.household !== undefined ? { household: p.household } : {}),
      ...(p.member !== undefined ? { member: p.member } : {}),
      teams: [...p.teams],
    };
  }

  @ApiOperation({
    operationId: 'getMyPlan',
    summary:
      "The household's plan as its resident sees it: goals, actions, agreement, who holds regie and held it, by name",
  })
  @Get('households/:id/my-plan')
  @Roles('resident')
  @ApiOkResponse({ type: MyPlanDto, headers: ETAG_HEADER })
  async myPlan(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() p: Principal) {
    const view = await this.households.view(id, p, { resident: true });
    const events = await view.events();
    const spells = regieSpells(events);
    const ids = new Set<string>();
    for (const spell of spells) if (spell.holder.kind === 'worker') ids.add(spell.holder.id);
    for (const action of Object.values(view.state.actions))
      if (action.owner.kind === 'worker') ids.add(action.owner.id);
    const workers = await this.workers.cards(ids);
    return versioned(
      view.version,
      myPlan({
        fold: view.fold,
        events,
        spells,
        memberId: p.member!,
        today: this.clock.now().toISOString(),
        workers,
      }),
    );
  }

  @ApiOperation({
    operationId: 'proposeGoal',
    summary: 'A resident proposes a goal for the plan (no change of the plan: its workers take it up)',
  })
  @Post('households/:id/goal-proposals')
  @Roles('resident')
  @ApiCreatedResponse({ type: GoalProposedDto })
  async propose(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ProposeGoalDto,
    @Write() ctx: WriteContext,
  ) {
    const proposalId = dto.proposalId ?? newId(ctx, 'proposalId');
    const written = await this.commands.execute(
      new ExecuteHouseholdCommand(
        {
          type: 'ProposeGoal',
          householdId: id,
          proposalId,
          text: dto.text,
          ...(dto.lifeDomain !== undefined ? { lifeDomain: dto.lifeDomain } : {}),
        },
        ctx,
      ),
    );
    return answer(written, { proposalId, householdId: id });
  }

  @ApiOperation({
    operationId: 'listGoalProposals',
    summary: "The goals the household's residents proposed, oldest first",
  })
  @Get('households/:id/goal-proposals')
  @Roles('worker', 'resident')
  @ApiOkResponse({ type: GoalProposalsPageDto, headers: ETAG_HEADER })
  async proposals(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() p: Principal) {
    const { fold } = await this.households.view(id, p, { resident: true });
    return versioned(fold.version, {
      householdId: id,
      proposals: Object.values(fold.state.goalProposals).map((g) => ({
        proposalId: g.proposalId,
        text: fold.texts.proposals.get(g.proposalId) ?? null,
        lifeDomain: g.lifeDomain,
        proposedAt: g.proposedAt,
        by: g.by,
      })),
      version: fold.version,
    });
  }
}
