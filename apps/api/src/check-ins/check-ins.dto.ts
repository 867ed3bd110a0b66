import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DATE_PATTERN, MAX_CADENCE_WEEKS } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';

export const DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';

export class ScheduleCheckInsDto {
  @ApiPropertyOptional({ example: 'c-1', description: 'generated when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  cadenceId?: string;

  @ApiProperty({ example: 6, minimum: 1, maximum: MAX_CADENCE_WEEKS })
  @IsInt()
  @Min(1)
  @Max(MAX_CADENCE_WEEKS)
  everyWeeks!: number;

  @ApiPropertyOptional({
    example: '2026-02-02',
    description: 'the first due date (today or later); today when absent',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  startsOn?: string;
}

export class RecordContactDto {
  @ApiPropertyOptional({ example: 'k-1', description: 'generated when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  contactId?: string;

  @ApiPropertyOptional({
    example: '2026-02-02',
    description: 'the day of the contact (not in the future); today when absent',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  contactOn?: string;

  @ApiPropertyOptional({ example: 'Gebeld, gaat goed', description: 'free text: personal data' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  notes?: string;
}

export class CheckInCadenceDto {
  @ApiProperty({ example: 'c-1' }) cadenceId!: string;
  @ApiProperty({ example: 2 }) everyWeeks!: number;
  @ApiProperty({ format: 'date' }) startsOn!: string;
}

export class CheckInOverdueDto {
  @ApiProperty({ format: 'date', description: 'the first due date passed without a contact' }) dueOn!: string;
  @ApiProperty() daysOverdue!: number;
  @ApiProperty({ description: 'due dates passed without a contact, the first one included' })
  missedDueDates!: number;
  @ApiProperty({
    description: 'whether CheckInOverdue was recorded for it yet (the sweep runs periodically)',
  })
  announced!: boolean;
}

/** GET /v1/households/:id/check-ins; teamId, district and planStatus are absent before any cadence. */
export class CheckInStatusDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiPropertyOptional({ example: 't-1' }) teamId?: string;
  @ApiPropertyOptional({ example: 'noord' }) district?: string;
  @ApiPropertyOptional({ enum: ['active', 'closed'] }) planStatus?: 'active' | 'closed';
  @ApiProperty({ type: CheckInCadenceDto, nullable: true }) cadence!: CheckInCadenceDto | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) nextDueOn!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) lastContactOn!: string | null;
  @ApiProperty({ type: CheckInOverdueDto, nullable: true, description: 'set when nextDueOn has passed' })
  overdue!: CheckInOverdueDto | null;
}

/** POST /v1/check-ins/sweep: what the sweep did (libs/runtime's SweepResult). */
export class CheckInSweepResultDto {
  @ApiProperty({ format: 'date-time', description: 'when the sweep decided' }) at!: string;
  @ApiProperty({ format: 'date', description: 'the Dutch calendar date that made dates overdue' })
  today!: string;
  @ApiProperty({ description: 'households with an overdue check-in not yet announced' }) households!: number;
  @ApiProperty({ description: 'CheckInOverdue events recorded by this sweep' }) announced!: number;
}
