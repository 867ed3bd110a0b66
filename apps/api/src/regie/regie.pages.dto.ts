import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const CAUSES = [
  'registration',
  'transfer',
  'reverse-request',
  'safety-takeover',
  'safety-takeover-rejected',
  'return-to-household',
  'closure',
];
const CONFIRMATIONS = ['awaiting-confirmation', 'confirmed', 'rejected', 'named-by-taker'];

export class RegieIntervalHolderDto {
  @ApiProperty({ enum: ['household', 'worker', 'professional'] })
  kind!: string;

  @ApiProperty()
  id!: string;

  @ApiPropertyOptional({ description: "the worker's team when the worker held regie" })
  teamId?: string;

  @ApiPropertyOptional({
    description: "the professional's organisation when a professional held regie (issue 19)",
  })
  organisationId?: string;
}

/** One regie interval [from, to): who held regie and how it began. */
export class RegieIntervalDto {
  @ApiProperty({ type: RegieIntervalHolderDto })
  holder!: RegieIntervalHolderDto;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null: holds it now' })
  to!: string | null;

  @ApiProperty({ enum: CAUSES })
  cause!: string;

  @ApiPropertyOptional() transferId?: string;
  @ApiPropertyOptional() requestedBy?: string;
  @ApiPropertyOptional() acceptedBy?: string;
  @ApiPropertyOptional({ description: 'the team lead who confirmed a safety takeover' })
  approvedBy?: string;
  @ApiPropertyOptional() agreedBy?: string;
  @ApiPropertyOptional({ description: 'read from the events: absent after an erasure' })
  reason?: string;
  @ApiPropertyOptional() handoverSeconds?: number;
  @ApiPropertyOptional() takeoverId?: string;
  @ApiPropertyOptional({ enum: CONFIRMATIONS }) confirmation?: string;
  @ApiPropertyOptional({ format: 'date-time' }) confirmedAt?: string;
  @ApiPropertyOptional() rejectedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) rejectedAt?: string;
  @ApiPropertyOptional() rejectionReason?: string;
  @ApiPropertyOptional({ description: 'awaiting confirmation longer than SAFETY_CONFIRM_HOURS' })
  confirmationOverdue?: boolean;
}

export class RegieHistoryPageDto {
  @ApiProperty()
  householdId!: string;

  @ApiProperty({ type: [RegieIntervalDto], description: 'in order, the oldest first' })
  intervals!: RegieIntervalDto[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

/** A handoff: an interval after the first, with who held regie before. */
export class HandoffDto extends RegieIntervalDto {
  @ApiProperty()
  householdId!: string;

  @ApiProperty({ type: RegieIntervalHolderDto })
  previousHolder!: RegieIntervalHolderDto;
}

/** A worker's name beside their id, for auditors (docs/SECURITY.md, "Worker names for auditors"). */
export class WorkerNameDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: "from the personal part of the team's WorkerJoinedTeam event" }) name!: string;
}

export class HandoffsPageDto {
  @ApiProperty({ type: [HandoffDto], description: 'in the order they began (from, householdId)' })
  handoffs!: HandoffDto[];

  @ApiProperty({
    type: [WorkerNameDto],
    description: 'names of the workers this page names; a worker whose name is erased or unknown is left out',
  })
  workers!: WorkerNameDto[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

export class UnconfirmedTakeoverDto {
  @ApiProperty() householdId!: string;
  @ApiProperty() takeoverId!: string;
  @ApiProperty({ description: "the household's team, whose team leads confirm or reject" }) teamId!: string;
  @ApiProperty() takenBy!: string;
  @ApiProperty({ format: 'date-time' }) takenAt!: string;
  @ApiProperty({
    type: RegieIntervalHolderDto,
    description: 'who held regie before: where a rejection gives it back',
  })
  previousHolder!: RegieIntervalHolderDto;
  @ApiPropertyOptional({ format: 'date-time', description: 'when the sweep announced it overdue' })
  announcedAt?: string;
}

export class UnconfirmedTakeoversPageDto {
  @ApiProperty() confirmHours!: number;
  @ApiProperty({ format: 'date-time', description: 'takeovers taken at or before this instant' })
  takenBefore!: string;
  @ApiProperty({ type: [UnconfirmedTakeoverDto], description: 'oldest first' })
  takeovers!: UnconfirmedTakeoverDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
