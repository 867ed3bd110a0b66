import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { DistrictAnalysisQueries, MIN_HOUSEHOLDS_PER_GROUP } from '@eenplan/projections';
import { Roles } from '../common/auth';
import { badRequest } from '../common/problem';
import { ReadModelSync } from '../common/read-models';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class QuestionsQueryDto {
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

export class DistrictQueryDto {
  @ApiPropertyOptional({ example: 'noord' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  district?: string;
}

/**
 * The district analysis (wijkanalyse): aggregates only, for team leads and auditors. Groups of
 * fewer than MIN_HOUSEHOLDS_PER_GROUP distinct households are left out, never shown with counts.
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
  @ApiOkResponse({
    description: `questions per life domain per district per month; groups with fewer than ${MIN_HOUSEHOLDS_PER_GROUP} households are left out`,
  })
  async questions(@Query() query: QuestionsQueryDto) {
    if (query.from && query.to && query.from > query.to) {
      throw badRequest('InvalidRange', 'from must not be after to', [
        { field: 'from', reason: 'is after to' },
      ]);
    }
    await this.readModels.caughtUp();
    const groups = await this.analysis.questions({
      district: query.district,
      fromMonth: query.from,
      toMonth: query.to,
    });
    return { minimumHouseholdsPerGroup: MIN_HOUSEHOLDS_PER_GROUP, groups };
  }

  @ApiOperation({
    operationId: 'analyseZrmProgressByDistrict',
    summary: 'ZRM progress per district and life domain, without personal data',
  })
  @Get('zrm-progress')
  @Roles('team-lead', 'auditor')
  @ApiOkResponse({
    description: `per district and life domain, the average change between each household's first and latest ZRM assessment; groups with fewer than ${MIN_HOUSEHOLDS_PER_GROUP} households are left out`,
  })
  async zrmProgress(@Query() query: DistrictQueryDto) {
    await this.readModels.caughtUp();
    const groups = await this.analysis.zrmProgress({ district: query.district });
    return { minimumHouseholdsPerGroup: MIN_HOUSEHOLDS_PER_GROUP, groups };
  }
}
