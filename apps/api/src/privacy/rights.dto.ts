import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import { CORRECTION_FIELDS, type CorrectionField, erasureGroundProblem } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';
import { WriteResultDto } from '../common/write-response';

// AVG art. 18 (restriction) and art. 16 (correction): requests and answers (rights.controller.ts).

/** A ground is a reference, never a name: the rule of the erasure ground (erasureGroundProblem). */
const IsReference = () =>
  ValidateBy({
    name: 'reference',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && erasureGroundProblem(value) === null,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? (erasureGroundProblem(args.value) ?? '') : 'must be a string',
    },
  });

export class RestrictProcessingDto {
  @ApiPropertyOptional({ example: 'rs-1', description: 'absent: the server makes one' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  restrictionId?: string;

  @ApiPropertyOptional({
    example: 'm-2',
    description: 'the member whose processing is restricted; absent: the whole household',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId?: string;

  @ApiProperty({
    example: 'AVG art. 18, verzoek 2026-7',
    description:
      'kept for good: a reference (a request number, an article), never a name. 3-120 letters, digits, spaces and . , - / : ( ) §; at least one digit; no word after the first written as a name',
  })
  @IsString()
  @IsReference()
  ground!: string;

  @ApiPropertyOptional({
    example: '2026-12-31T23:00:00Z',
    description: 'the instant the restriction ends by itself; absent: until lifted',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

export class CorrectPersonalDataDto {
  @ApiPropertyOptional({ example: 'k-1', description: 'absent: the server makes one' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  correctionId?: string;

  @ApiProperty({
    enum: CORRECTION_FIELDS,
    description:
      'memberName, memberBirth (name memberId); goalDescription (goalId); actionDescription (actionId)',
  })
  @IsIn(CORRECTION_FIELDS)
  field!: CorrectionField;

  @ApiPropertyOptional({ example: 'm-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId?: string;

  @ApiPropertyOptional({ example: 'g-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  goalId?: string;

  @ApiPropertyOptional({ example: 'a-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  actionId?: string;

  @ApiProperty({
    example: 'Sanne de Jong',
    description:
      'the correct value: a name (up to 200 characters) or a description (up to 2000), personal data; a birth as YYYY or YYYY-MM',
  })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  value!: string;

  @ApiPropertyOptional({ example: 'AVG art. 16, verzoek 2026-9', description: 'a reference, never a name' })
  @IsOptional()
  @IsString()
  @IsReference()
  ground?: string;
}

export class ProcessingRestrictedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'rs-1' }) restrictionId!: string;
  @ApiPropertyOptional({ example: 'm-2', description: 'absent: the whole household' }) memberId?: string;
}

export class RestrictionLiftedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'rs-1' }) restrictionId!: string;
  @ApiProperty({ description: 'always true: the restriction is lifted' }) lifted!: boolean;
}

export class PersonalDataCorrectedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'k-1' }) correctionId!: string;
  @ApiProperty({ enum: CORRECTION_FIELDS }) field!: string;
}

export class RestrictionLiftDto {
  @ApiProperty({ example: 'admin-1' }) by!: string;
  @ApiProperty({ example: '2026-09-15T10:00:00.000Z' }) at!: string;
}

export class RestrictionDto {
  @ApiProperty({ example: 'rs-1' }) restrictionId!: string;
  @ApiPropertyOptional({ example: 'm-2', description: 'absent: the whole household' }) memberId?: string;
  @ApiProperty({ example: 'AVG art. 18, verzoek 2026-7' }) ground!: string;
  @ApiPropertyOptional({ example: '2026-12-31T23:00:00.000Z' }) until?: string;
  @ApiProperty({ example: 'admin-1' }) restrictedBy!: string;
  @ApiProperty({ example: '2026-09-01T08:30:00.000Z' }) at!: string;
  @ApiPropertyOptional({ type: RestrictionLiftDto, description: 'absent while not lifted' })
  lifted?: RestrictionLiftDto;
  @ApiProperty({ description: 'in force now: not lifted and its until (if any) not reached' })
  inForce!: boolean;
}

export class HouseholdRestrictionsPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: [RestrictionDto], description: 'lifted ones included, in the order they were made' })
  restrictions!: RestrictionDto[];
  @ApiProperty({ description: 'how many the household holds, not only this page' }) total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
  @ApiProperty({ description: "the household stream's version the page was read at" }) version!: number;
}
