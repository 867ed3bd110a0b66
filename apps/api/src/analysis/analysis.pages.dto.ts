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

/** The closures of a group by reason code (docs/OUTCOMES.md); `unknown`: closed without a code. */
export class OutcomeReasonCountsDto {
  @ApiProperty() 'goals-achieved'!: number;
  @ApiProperty() 'continues-without-help'!: number;
  @ApiProperty() 'transferred-to-specialist'!: number;
  @ApiProperty() moved!: number;
  @ApiProperty() 'household-withdrew'!: number;
  @ApiProperty() other!: number;
  @ApiProperty({ description: 'closed without a code (before issue 19, or by a client that sent none)' })
  unknown!: number;
}

/** The goals of a group's closures by how far they were realised. */
export class GoalRealisationCountsDto {
  @ApiProperty() achieved!: number;
  @ApiProperty() 'partly-achieved'!: number;
  @ApiProperty() 'not-achieved'!: number;
  @ApiProperty() dropped!: number;
  @ApiProperty({ description: 'goals the closure did not give a realisation for' }) 'not-recorded'!: number;
}

export class OutcomeGroupDto {
  @ApiProperty() district!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty({ example: '2026-Q1', description: 'YYYY-MM, YYYY-Qn or YYYY, by the period asked' })
  period!: string;
  @ApiProperty({ description: 'distinct households that closed; never fewer than minimumHouseholdsPerGroup' })
  households!: number;
  @ApiProperty({ description: 'closures (a household may close more than once in a period)' })
  closures!: number;
  @ApiProperty({ type: OutcomeReasonCountsDto }) reasons!: OutcomeReasonCountsDto;
  @ApiProperty({ type: GoalRealisationCountsDto }) goals!: GoalRealisationCountsDto;
  @ApiProperty({ description: 'closures followed by a reopen within 12 months, so far' })
  recurrences!: number;
  @ApiProperty({
    description: 'recurrences / closures, two decimals; provisional for closures under 12 months old',
  })
  recurrenceRate!: number;
}

export class OutcomesPageDto {
  @ApiProperty() minimumHouseholdsPerGroup!: number;
  @ApiProperty({ enum: ['month', 'quarter', 'year'] }) period!: string;
  @ApiProperty({
    description: 'groups of the query (all pages) left out for having too few households; never which',
  })
  suppressedGroups!: number;
  @ApiProperty({ type: [OutcomeGroupDto] }) groups!: OutcomeGroupDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
