import { ApiProperty } from '@nestjs/swagger';

export class QuestionGroupDto {
  @ApiProperty() district!: string;
  @ApiProperty({ example: '2026-01' }) month!: string;
  @ApiProperty() lifeDomain!: string;
  @ApiProperty() questions!: number;
  @ApiProperty({ description: 'distinct households; never fewer than minimumHouseholdsPerGroup' })
  households!: number;
}

export class QuestionGroupsPageDto {
  @ApiProperty() minimumHouseholdsPerGroup!: number;
  @ApiProperty({ type: [QuestionGroupDto] }) groups!: QuestionGroupDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

export class ZrmProgressGroupDto {
  @ApiProperty() district!: string;
  @ApiProperty() lifeDomain!: string;
  @ApiProperty({ description: 'households with at least two assessments' }) households!: number;
  @ApiProperty() averageFirstScore!: number;
  @ApiProperty() averageLatestScore!: number;
  @ApiProperty({ description: 'positive: more self-sufficient' }) averageChange!: number;
}

export class ZrmProgressPageDto {
  @ApiProperty() minimumHouseholdsPerGroup!: number;
  @ApiProperty({ type: [ZrmProgressGroupDto] }) groups!: ZrmProgressGroupDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
