import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  DistrictAnalysisQueries,
  MIN_HOUSEHOLDS_PER_GROUP,
  MIN_PERSONS_PER_GROUP,
} from '@eenplan/projections';
import { Roles } from '../common/auth';
import { badRequest } from '../common/problem';
import { ReadModelSync } from '../common/read-models';
import { ApiPaged, keysetPage, keysetQuery, PageParams } from '../common/paging';
import { QuestionGroupsPageDto, ZrmProgressPageDto } from './analysis.pages.dto';

/** A page of groups: each is a handful of numbers. */
export const GROUPS_PAGE = { fallback: 100, max: 1000 } as const;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class QuestionsQueryDto extends PageParams {
  @ApiPropertyOptional({ example: 'noord' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  district?: string;

  @ApiPropertyOptional({ example: '2026-01', description: 'first month, YYYY-MM' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-06', description: 'last month, YYYY-MM' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month YYYY-MM' })
  to?: string;
}

export class DistrictQueryDto extends PageParams {
  @ApiPropertyOptional({ example: 'noord' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  district?: string;
}

/**
 * The district analysis (wijkanalyse): aggregates only, for team leads and auditors. One small-group
 * rule (MIN_GROUP_SIZE): groups of fewer than 5 distinct households (questions) or 5 persons (the
 * ZRM, which measures one adult) are left out, never shown with counts.
 */
@ApiTags('district analysis')
@ApiBearerAuth()
@Controller('v1/analysis/districts')
export class AnalysisController {
  constructor(
    private readonly analysis: DistrictAnalysisQueries,
    private readonly readModels: ReadModelSync,
  ) {}

  @ApiOperation({
    operationId: 'analyseQuestionsByDistrict',
    summary: 'Questions per district and life domain, without personal data',
  })
  @Get('questions')
  @Roles('team-lead', 'auditor')
  @ApiPaged(GROUPS_PAGE.fallback, GROUPS_PAGE.max)
  @ApiOkResponse({
    type: QuestionGroupsPageDto,
    description: `questions per life domain per district per month, in (district, month, lifeDomain) order, paged; groups with fewer than ${MIN_HOUSEHOLDS_PER_GROUP} households are left out`,
  })
  async questions(@Query() query: QuestionsQueryDto): Promise<QuestionGroupsPageDto> {
    const { limit, after } = keysetQuery(
      query as unknown as Record<string, unknown>,
      GROUPS_PAGE.fallback,
      GROUPS_PAGE.max,
      ['text', 'text', 'text'],
      'questions',
    );
    if (query.from && query.to && query.from > query.to) {
      throw badRequest('InvalidRange', 'from must not be after to', [
        { field: 'from', reason: 'is after to' },
      ]);
    }
    await this.readModels.caughtUp();
    const rows = await this.analysis.questions(
      { district: query.district, fromMonth: query.from, toMonth: query.to },
      { limit: limit + 1, after: after as [string, string, string] | undefined },
    );
    const page = keysetPage(rows, limit, (g) => [g.district, g.month, g.lifeDomain], 'questions');
    return { minimumHouseholdsPerGroup: MIN_HOUSEHOLDS_PER_GROUP, groups: page.items, next: page.next };
  }

  @ApiOperation({
    operationId: 'analyseZrmProgressByDistrict',
    summary: 'ZRM progress per district and life domain, without personal data',
  })
  @Get('zrm-progress')
  @Roles('team-lead', 'auditor')
  @ApiPaged(GROUPS_PAGE.fallback, GROUPS_PAGE.max)
  @ApiOkResponse({
    type: ZrmProgressPageDto,
    description: `per district and life domain, in that order, paged: the average change between each person's first and latest ZRM assessment; groups with fewer than ${MIN_PERSONS_PER_GROUP} persons are left out`,
  })
  async zrmProgress(@Query() query: DistrictQueryDto): Promise<ZrmProgressPageDto> {
    const { limit, after } = keysetQuery(
      query as unknown as Record<string, unknown>,
      GROUPS_PAGE.fallback,
      GROUPS_PAGE.max,
      ['text', 'text'],
      'zrm-progress',
    );
    await this.readModels.caughtUp();
    const rows = await this.analysis.zrmProgress(
      { district: query.district },
      { limit: limit + 1, after: after as [string, string] | undefined },
    );
    const page = keysetPage(rows, limit, (g) => [g.district, g.lifeDomain], 'zrm-progress');
    return { minimumPersonsPerGroup: MIN_PERSONS_PER_GROUP, groups: page.items, next: page.next };
  }
}
