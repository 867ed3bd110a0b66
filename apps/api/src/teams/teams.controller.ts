import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { isTeamLeadOf } from '@eenplan/security';
import { Roles } from '../common/auth';
import { forbiddenProblem } from '../common/problem';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteTeamCommand } from './team.handler';
import { AddWorkerDto, RegisterTeamDto } from './teams.dto';
import { TeamRegisteredDto, WorkerAddedDto, WorkerDeactivatedDto } from './teams-answer.dto';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('v1/teams')
export class TeamsController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({ operationId: 'registerTeam', summary: 'Register a neighbourhood team with its districts' })
  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: TeamRegisteredDto })
  async register(@Body() dto: RegisterTeamDto, @Write() ctx: WriteContext) {
    const teamId = dto.teamId ?? newId(ctx, 'teamId');
    const written = await this.commands.execute(
      new ExecuteTeamCommand({ type: 'RegisterTeam', teamId, name: dto.name, districts: dto.districts }, ctx),
    );
    return answer(written, { teamId });
  }

  @ApiOperation({
    operationId: 'addWorker',
    summary: 'Register a worker in the team with a role and hours a week',
  })
  @Post(':teamId/workers')
  @Roles('admin', 'team-lead')
  @ApiCreatedResponse({ type: WorkerAddedDto })
  async addWorker(
    @Param('teamId', ParseIdPipe) teamId: string,
    @Body() dto: AddWorkerDto,
    @Write() ctx: WriteContext,
  ) {
    requireAdminOrTeamLead(ctx, teamId);
    const written = await this.commands.execute(
      new ExecuteTeamCommand({ type: 'AddWorker', teamId, ...dto }, ctx),
    );
    return answer(written, { teamId, workerId: dto.workerId });
  }

  @ApiOperation({
    operationId: 'deactivateWorker',
    summary: 'Deactivate a worker: their tokens no longer act',
  })
  @Post(':teamId/workers/:workerId/deactivate')
  @HttpCode(200)
  @Roles('admin', 'team-lead')
  @ApiOkResponse({ type: WorkerDeactivatedDto })
  async deactivate(
    @Param('teamId', ParseIdPipe) teamId: string,
    @Param('workerId', ParseIdPipe) workerId: string,
    @Write() ctx: WriteContext,
  ) {
    requireAdminOrTeamLead(ctx, teamId);
    const written = await this.commands.execute(
      new ExecuteTeamCommand({ type: 'DeactivateWorker', teamId, workerId }, ctx),
    );
    return answer(written, { teamId, workerId, active: false });
  }
}

const requireAdminOrTeamLead = (ctx: WriteContext, teamId: string) => {
  if (!ctx.principal.roles.includes('admin') && !isTeamLeadOf(ctx.principal, teamId)) {
    throw forbiddenProblem(`only an admin or a team lead of team ${teamId} manages its workers`);
  }
};
