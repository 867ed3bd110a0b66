import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TrailActorDto {
  @ApiProperty({ enum: ['worker', 'admin', 'auditor', 'integrator', 'resident', 'system'] })
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

/** One access of a household, as its team and auditors see it ("who viewed my file"). */
export class HouseholdAccessLogEntryDto {
  @ApiProperty({ format: 'date-time', description: 'when the request came in (of a folded row: the first)' })
  at!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "the subject of the token, or `anonymous`; to a resident only a worker's or their own, null for anyone else (whose id may be a login)",
  })
  actorId!: string | null;

  @ApiProperty({
    description: 'true when the app admitted the subject; false when only claimed (e.g. an expired token)',
  })
  actorVerified!: boolean;

  @ApiProperty({ type: [String] })
  actorRoles!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "the worker the request was made for (X-On-Behalf-Of); to a resident only on a worker's entry",
  })
  onBehalfOf!: string | null;

  @ApiProperty({ example: 'GET /v1/households/:id', description: 'the route, without the values' })
  action!: string;

  @ApiProperty({ example: 200, description: 'the HTTP status the request ended with' })
  outcome!: number;

  @ApiProperty({ example: 'care', description: 'the purpose stated (X-Purpose)' })
  purpose!: string;

  @ApiProperty({ description: 'requests the row stands for: 1, or more for repeated anonymous refusals' })
  count!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'of a folded row: when the last of its requests came in',
  })
  lastAt!: string | null;
}

/** An entry as a resident of the household reads it: who, by name or by role in Dutch (issue 20). */
export class ResidentAccessLogEntryDto extends HouseholdAccessLogEntryDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "residents only: a worker's name; null for anyone else or a name no longer known",
  })
  actorName?: string | null;

  @ApiPropertyOptional({
    example: 'medewerker van het wijkteam',
    description: "residents only: who it was, in Dutch (`u zelf` for the resident's own reads)",
  })
  actorLabel?: string;
}

export class HouseholdAccessLogPageDto {
  @ApiProperty({
    type: [ResidentAccessLogEntryDto],
    description: 'newest first; actorName and actorLabel for residents only',
  })
  entries!: ResidentAccessLogEntryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

/** One row of the access log (NEN 7513), as auditors read it. */
export class AccessLogEntryDto extends HouseholdAccessLogEntryDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "the row's place in the chain; null for older rows",
  })
  seq!: number | null;

  @ApiProperty({ type: String, nullable: true })
  householdId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  correlationId!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "a keyed hash of the client's address, for unverified actors only",
  })
  clientRef!: string | null;
}

export class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto], description: 'newest first' })
  entries!: AccessLogEntryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
