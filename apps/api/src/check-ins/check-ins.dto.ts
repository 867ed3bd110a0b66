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
