import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CaseloadQueries, WorkersQueries } from '@eenplan/projections';
import { isTeamLeadOf, Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { forbiddenProblem, notFoundProblem } from '../common/problem';
import { ParseIdPipe } from '../common/validation';
import { ReadModelSync } from '../common/read-models';

@ApiTags('caseloads')
@ApiBearerAuth()
@Controller('v1/caseloads')
export class CaseloadsController {
  constructor(
    private readonly caseloads: CaseloadQueries,
    private readonly workers: WorkersQueries,
    private readonly readModels: ReadModelSync,
  ) {}

  @ApiOperation({
    operationId: 'getWorkerCaseload',
    summary: "The worker's households, their role in each, and counts",
  })
  @Get('workers/:workerId')
  @Roles('worker')
  @ApiOkResponse({
    description:
      "households with the worker's role in each (regie holder, pending receiver, action owner) and counts",
  })
  async forWorker(
    @Param('workerId', ParseIdPipe) workerId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.readModels.caughtUp();
    const worker = await this.workers.find(workerId);
    if (!worker) throw notFoundProblem('WorkerNotFound', `no team has registered worker ${workerId}`);
    if (principal.sub !== workerId && !isTeamLeadOf(principal, worker.teamId)) {
      throw forbiddenProblem("a caseload is seen by the worker and their team's lead");
    }
    const caseload = await this.caseloads.forWorker(workerId);
    return { ...(await this.caseloads.normForWorker(caseload, worker.teamId)), teamId: worker.teamId };
  }

  @ApiOperation({
    operationId: 'getTeamCaseload',
    summary: "The team's caseloads per worker against its caseload norm",
  })
  @Get('teams/:teamId')
  @Roles('team-lead')
  @ApiOkResponse({ description: "the team's households, pending transfers and per-worker counts" })
  async forTeam(@Param('teamId', ParseIdPipe) teamId: string, @CurrentPrincipal() principal: Principal) {
    if (!isTeamLeadOf(principal, teamId))
      throw forbiddenProblem(`only a team lead of team ${teamId} sees its caseload`);
    await this.readModels.caughtUp();
    return this.caseloads.forTeam(teamId);
  }
}
