import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../common/validation';

/** A calendar day; strict ISO 8601 refuses impossible dates such as 2026-02-30. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = 'must be a date as YYYY-MM-DD';

export class RegisterVolunteerDto {
  @ApiPropertyOptional({ example: 'v-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  volunteerId?: string;

  @ApiProperty({ example: 'Henk Visser', description: 'personal data: kept apart, erasable' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: ['taalmaatje', 'administratie'], type: [String] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  skills!: string[];

  @ApiProperty({ example: 6, minimum: 0, maximum: 60, description: 'hours a week available for assignments' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60)
  hoursPerWeek!: number;

  @ApiPropertyOptional({
    example: '2027-03-31',
    description: 'last day the VOG (certificate of conduct) is valid; needed to work with minors',
  })
  @IsOptional()
  @Matches(DAY, { message: DAY_MESSAGE })
  @IsISO8601({ strict: true }, { message: DAY_MESSAGE })
  vogValidUntil?: string;
}

export class UpdateVogDto {
  @ApiProperty({ example: '2028-03-31', description: 'last day the new VOG is valid' })
  @Matches(DAY, { message: DAY_MESSAGE })
  @IsISO8601({ strict: true }, { message: DAY_MESSAGE })
  vogValidUntil!: string;
}

/** GET /v1/volunteers/:id: the volunteer from their stream, with the hours assigned now. */
export class VolunteerDto {
  @ApiProperty({ example: 'v-1' }) volunteerId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null once the personal data is erased' })
  name!: string | null;
  @ApiProperty({ type: [String], example: ['taal', 'administratie'] }) skills!: string[];
  @ApiProperty({ example: 4 }) hoursPerWeek!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'until when the VOG is valid' })
  vogValidUntil!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ description: 'hours a week assigned to households now' }) assignedHoursPerWeek!: number;
  @ApiProperty({ description: "the volunteer stream's version (also the ETag)" }) version!: number;
}
