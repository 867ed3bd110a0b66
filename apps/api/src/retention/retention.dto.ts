import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

/** POST /v1/retention/sweep. */
export class RetentionSweepRequestDto {
  @ApiProperty({
    description: 'true: report what would be erased and change nothing; false: erase it',
    example: true,
  })
  @IsBoolean({ message: 'must be true or false' })
  dryRun!: boolean;
}

export class RetentionSkippedDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({
    example: 'PlanNotClosed',
    description:
      "the domain's code for why it was not erased after all (HouseholdErased, PlanNotClosed, StreamKeyMissing), or Error",
  })
  reason!: string;
}

export class RetentionRunKindDto {
  @ApiProperty({ example: 'household-closed', description: 'the kind of record (GET /v1/retention/policy)' })
  kind!: string;
  @ApiProperty({ example: 'P20Y', description: 'the period in force at the run, ISO 8601' })
  period!: string;
  @ApiProperty({
    type: [String],
    description: 'pseudonymous ids of the households erased by this run, or that a dry run would erase',
  })
  householdIds!: string[];
  @ApiPropertyOptional({
    type: [String],
    description: 'for a per-person kind: the members erased (or that would be), as householdId/memberId',
  })
  memberIds?: string[];
  @ApiProperty({
    type: [RetentionSkippedDto],
    description: 'named by the read model as due, but not erased on its own stream',
  })
  skipped!: RetentionSkippedDto[];
}

export class RetentionRunDto {
  @ApiProperty({ format: 'uuid', description: 'also the correlation id of the erasures it recorded' })
  runId!: string;
  @ApiProperty({ format: 'date-time' }) ranAt!: string;
  @ApiProperty({ format: 'date', description: 'the Dutch calendar date periods were counted to' })
  today!: string;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ example: 'timer', description: "'timer', or the id of the administrator who asked" })
  requestedBy!: string;
  @ApiProperty({ description: 'records erased (or that a dry run would erase), over all kinds' })
  erased!: number;
  @ApiProperty({ type: [RetentionRunKindDto] }) kinds!: RetentionRunKindDto[];
}

export class RetentionRunsPageDto {
  @ApiProperty({ type: [RetentionRunDto], description: 'newest first' }) runs!: RetentionRunDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

export class RetentionPolicyKindDto {
  @ApiProperty({ example: 'household-closed' }) kind!: string;
  @ApiProperty({ example: 'P20Y', description: 'the period in force, ISO 8601 years and months' })
  period!: string;
  @ApiProperty({ example: 'P20Y' }) defaultPeriod!: string;
  @ApiProperty({ example: 'RETENTION_HOUSEHOLD_CLOSED', description: 'the setting that changes it' })
  setting!: string;
  @ApiProperty({ description: 'the legal source of the default' }) source!: string;
  @ApiProperty({ description: 'from when the period counts' }) from!: string;
  @ApiProperty({
    description:
      'whether the sweep erases this kind yet (a member who left: once per-person erasure is wired)',
  })
  enforced!: boolean;
}

export class RetentionPolicyDto {
  @ApiProperty({ type: [RetentionPolicyKindDto] }) kinds!: RetentionPolicyKindDto[];
  @ApiProperty({ description: 'RETENTION_SWEEP_MS: how often the timed sweep runs; 0 only on demand' })
  sweepEveryMs!: number;
}
