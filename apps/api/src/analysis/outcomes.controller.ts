import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  MIN_HOUSEHOLDS_PER_GROUP,
  OUTCOME_PERIODS,
  OutcomePeriod,
  OutcomesQueries,
} from '@eenplan/projections';
import { CurrentPrincipal, Roles } from '../common/auth';
import type { Principal } from '@eenplan/security';
import { badRequest, forbiddenProblem, notFoundProblem } from '../common/problem';
import { ReadModelSync } from '../common/read-models';
import { ApiPaged, keysetPage, keysetQuery, PageParams } from '../common/paging';
import { ID_MESSAGE, ID_PATTERN } from '../common/validation';
import { WorkerFactsService } from '../common/worker-facts';
import { GROUPS_PAGE } from './analysis.controller';
import { OutcomesPageDto } from './analysis.pages.dto';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class OutcomesQueryDto extends PageParams {
  @ApiPropertyOptional({
    enum: OUTCOME_PERIODS,
    description: 'how closures are grouped in time; default month',
  })
  @IsOptional()
  @IsIn(OUTCOME_PERIODS)
  period?: OutcomePeriod;

  @ApiPropertyOptional({ example: 'noord' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  district?: string;

  @ApiPropertyOptional({ example: 't-noord', description: 'a registered team; another is 404 TeamNotFound' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  team?: string;

  @ApiPropertyOptional({ example: '2026-01', description: 'first month of closure, YYYY-MM' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12', description: 'last month of closure, YYYY-MM' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month YYYY-MM' })
  to?: string;
}

/**
 * The outcomes of plans (issue 19, docs/OUTCOMES.md): per district, team and period, the closures
 * by reason code, their goals by realisation, and recurrence. Aggregates only, for the readers of
 * the district analysis (team leads and auditors), under its one small-group rule.
 */
@ApiTags('district analysis')
@ApiBearerAuth()
@Controller('v1/analysis')
export class OutcomesController {
  constructor(
    private readonly queries: OutcomesQueries,
    private readonly readModels: ReadModelSync,
    private readonly workers: WorkerFactsService,
  ) {}

  @ApiOperation({
    operationId: 'analyseOutcomes',
    summary: 'Outcomes of closed plans per district, team and period, without personal data',
  })
  @Get('outcomes')
  @Roles('team-lead', 'auditor')
  @ApiPaged(GROUPS_PAGE.fallback, GROUPS_PAGE.max)
  @ApiOkResponse({
    type: OutcomesPageDto,
    description: `per district, team and period, in that order, paged: closures by reason, goals by realisation, recurrence within 12 months; groups with fewer than ${MIN_HOUSEHOLDS_PER_GROUP} households are left out and counted in suppressedGroups`,
  })
  async outcomes(
    @Query() query: OutcomesQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OutcomesPageDto> {
    const period = query.period ?? 'month';
    const { limit, after } = keysetQuery(
      query as unknown as Record<string, unknown>,
      GROUPS_PAGE.fallback,
      GROUPS_PAGE.max,
      ['text', 'text', 'text'],
      `outcomes:${period}`,
    );
    if (query.from && query.to && query.from > query.to) {
      throw badRequest('InvalidRange', 'from must not be after to', [
        { field: 'from', reason: 'is after to' },
      ]);
    }
    if (query.team !== undefined && !(await this.workers.team(query.team)).exists) {
      throw notFoundProblem('TeamNotFound', `team ${query.team} is not registered`);
    }
    // A team lead reads their own teams' outcomes; an auditor every team's. Another team's groups,
    // asked for two overlapping periods, would give away that team's small groups by difference.
    const ownTeamsOnly = !principal.roles.includes('auditor');
    if (ownTeamsOnly && query.team !== undefined && !principal.teams.includes(query.team)) {
      throw forbiddenProblem(
        `a team lead reads the outcomes of their own teams; ${query.team} is not one of them`,
      );
    }
    await this.readModels.caughtUp();
    const { groups, suppressedGroups } = await this.queries.groups(
      {
        period,
        district: query.district,
        teamId: query.team,
        ...(ownTeamsOnly ? { teamIds: principal.teams } : {}),
        fromMonth: query.from,
        toMonth: query.to,
      },
      { limit: limit + 1, after: after as [string, string, string] | undefined },
    );
    const page = keysetPage(groups, limit, (g) => [g.district, g.teamId, g.period], `outcomes:${period}`);
    return {
      minimumHouseholdsPerGroup: MIN_HOUSEHOLDS_PER_GROUP,
      period,
      suppressedGroups,
      groups: page.items,
      next: page.next,
    };
  }
}
