import { ApiProperty } from '@nestjs/swagger';

const SCORES = {
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 1, maximum: 5 },
  description: 'a ZRM score (1-5) per life domain',
} as const;
const PROGRESS = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'per life domain, the change in score (positive: more self-sufficient)',
} as const;

export class AssessmentDto {
  @ApiProperty() assessmentId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'the adult member assessed; null for an assessment of the household as a whole, recorded before assessments named a member',
  })
  memberId!: string | null;
  @ApiProperty({ format: 'date' }) assessedOn!: string;
  @ApiProperty() assessedBy!: string;
  @ApiProperty(SCORES) scores!: Record<string, number>;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({
    ...PROGRESS,
    nullable: true,
    description: "since the same person's assessment before; null for their first",
  })
  progress!: Record<string, number> | null;
}

export class AssessedPersonDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the member; null for the assessments of the household as a whole (before issue 18)',
  })
  memberId!: string | null;
  @ApiProperty({ description: "all this person's assessments, not only this page" }) total!: number;
  @ApiProperty({ format: 'date' }) firstAssessedOn!: string;
  @ApiProperty({ format: 'date' }) latestAssessedOn!: string;
  @ApiProperty({
    ...PROGRESS,
    nullable: true,
    description: "from this person's first to their latest; null below two",
  })
  progressSinceFirst!: Record<string, number> | null;
}

export class AssessmentsPageDto {
  @ApiProperty() householdId!: string;
  @ApiProperty({ type: [AssessmentDto], description: 'in the order recorded' }) assessments!: AssessmentDto[];
  @ApiProperty({ description: 'all the assessments, not only this page' }) total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
  @ApiProperty({
    type: [AssessedPersonDto],
    description: 'per person assessed, in the order of their first assessment: their totals and progress',
  })
  persons!: AssessedPersonDto[];
}
