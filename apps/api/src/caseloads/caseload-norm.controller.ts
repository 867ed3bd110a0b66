import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_NORM, teamDecider, teamStream } from '@eenplan/domain';
import { isTeamLeadOf } from '@eenplan/security';
import { AggregateExecutor } from '../common/aggregate-executor';
import { Roles } from '../common/auth';
import { forbiddenProblem } from '../common/problem';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { Write, WriteContext } from '../common/write-context';
import { CaseloadNormSetDto } from './caseload-norm-answer.dto';

export class CaseloadNormDto {
  @ApiProperty({
    example: 25,
    minimum: 1,
    maximum: MAX_NORM,
    description: 'households one worker holds regie of',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_NORM)
  householdsPerWorker!: number;
}

/** The team's caseload norm: set (and changed) by the team's lead or an admin; caseloads count against it. */
@ApiTags('caseloads')
@ApiBearerAuth()
@Controller('v1/teams')
export class CaseloadNormController {
  constructor(private readonly executor: AggregateExecutor) {}

  @ApiOperation({
    operationId: 'setCaseloadNorm',
    summary: "Set the team's caseload norm: how many households one worker holds regie of",
  })
  @Put(':teamId/caseload-norm')
  @Roles('admin', 'team-lead')
  @ApiOkResponse({ type: CaseloadNormSetDto })
  async set(
    @Param('teamId', ParseIdPipe) teamId: string,
    @Body() dto: CaseloadNormDto,
    @Write() ctx: WriteContext,
  ) {
    if (!ctx.principal.roles.includes('admin') && !isTeamLeadOf(ctx.principal, teamId)) {
      throw forbiddenProblem(`only an admin or a team lead of team ${teamId} sets its caseload norm`);
    }
    const written = await this.executor.execute(teamStream(teamId), teamDecider, ctx, (_state, at) => ({
      type: 'SetCaseloadNorm' as const,
      teamId,
      householdsPerWorker: dto.householdsPerWorker,
      actor: ctx.actor,
      at,
    }));
    return answer(written, { teamId, householdsPerWorker: dto.householdsPerWorker });
  }
}
