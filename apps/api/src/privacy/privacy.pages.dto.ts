import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TrailActorDto {
  @ApiProperty({ enum: ['worker', 'admin', 'auditor', 'integrator', 'system'] })
  kind!: string;

  @ApiProperty()
  id!: string;

  @ApiPropertyOptional({ type: [String] })
  roles?: readonly string[];
}

export class TrailSealDto {
  @ApiPropertyOptional({ enum: ['HS256'] })
  alg?: string;

  @ApiProperty({ type: String, nullable: true })
  previousHash!: string | null;

  @ApiProperty()
  hash!: string;
}

/** One event of a household's audit trail as stored, without its personal part. */
export class TrailEventDto {
  @ApiProperty({ description: 'the stream version, from 1' })
  version!: number;

  @ApiProperty()
  eventId!: string;

  @ApiProperty({ example: 'HouseholdRegistered' })
  type!: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiProperty({ type: TrailActorDto })
  actor!: TrailActorDto;

  @ApiPropertyOptional()
  correlationId?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "the event's data (never personal)",
  })
  data!: object;

  @ApiProperty({ enum: ['none', 'sealed', 'erased', 'key-missing'] })
  personal!: string;

  @ApiProperty({ type: TrailSealDto, nullable: true })
  seal!: TrailSealDto | null;
}

export class AuditTrailPageDto {
  @ApiProperty()
  householdId!: string;

  @ApiProperty({ type: [TrailEventDto], description: 'in stream order' })
  events!: TrailEventDto[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
