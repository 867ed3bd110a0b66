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
  @ApiProperty({
    description:
      'persons (adult members) with at least two assessments; never fewer than minimumPersonsPerGroup. Assessments of a household as a whole (recorded before they named a member) are not counted',
  })
  persons!: number;
  @ApiProperty() averageFirstScore!: number;
  @ApiProperty() averageLatestScore!: number;
  @ApiProperty({ description: 'positive: more self-sufficient' }) averageChange!: number;
}

export class ZrmProgressPageDto {
  @ApiProperty({ description: 'groups of fewer persons are left out' }) minimumPersonsPerGroup!: number;
  @ApiProperty({ type: [ZrmProgressGroupDto] }) groups!: ZrmProgressGroupDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
