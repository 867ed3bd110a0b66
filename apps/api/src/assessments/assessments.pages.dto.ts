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
  @ApiProperty({ format: 'date' }) assessedOn!: string;
  @ApiProperty() assessedBy!: string;
  @ApiProperty(SCORES) scores!: Record<string, number>;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({
    ...PROGRESS,
    nullable: true,
    description: 'since the assessment before; null for the first',
  })
  progress!: Record<string, number> | null;
}

export class AssessmentsPageDto {
  @ApiProperty() householdId!: string;
  @ApiProperty({ type: [AssessmentDto], description: 'in the order recorded' }) assessments!: AssessmentDto[];
  @ApiProperty({ description: 'all the assessments, not only this page' }) total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
  @ApiProperty({ ...PROGRESS, nullable: true, description: 'from the first to the latest; null below two' })
  progressSinceFirst!: Record<string, number> | null;
}
