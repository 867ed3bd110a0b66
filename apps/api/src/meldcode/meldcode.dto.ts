import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { DATE_PATTERN } from '@eenplan/domain';
import { DATE_MESSAGE } from '../check-ins/check-ins.dto';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';

/**
 * The meldcode's and the safety plan's request bodies (docs/MELDCODE.md). Every text is personal
 * data, sealed in the event: at most 2000 characters, so a page of tracks stays under 1 MB.
 */
const TEXT = { min: 1, max: 2000, bytes: 8000 } as const;
export const MAX_SAFETY_AGREEMENTS = 30;

/** Step 1: the signals mapped. Also the `meldcode` part of a safety takeover. */
export class StartMeldcodeTrackDto {
  @ApiPropertyOptional({
    example: 'mc-1',
    description: 'generated when absent (from Idempotency-Key when sent)',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  trackId?: string;

  @ApiProperty({
    example: 'Blauwe plekken op de armen van de jongste',
    description: 'free text: personal data',
  })
  @IsString()
  @Length(TEXT.min, TEXT.max)
  @MaxJsonBytes(TEXT.bytes)
  signals!: string;
}

export class MeldcodeConsultationDto {
  @ApiProperty({
    enum: ['colleague', 'veilig-thuis'],
    description: 'colleague: within the organisation (completes step 2); veilig-thuis: advice (optional)',
  })
  @IsIn(['colleague', 'veilig-thuis'])
  consultation!: 'colleague' | 'veilig-thuis';

  @ApiPropertyOptional({
    enum: ['colleague', 'aandachtsfunctionaris'],
    description: 'required for a consultation within the organisation; none for Veilig Thuis',
  })
  @IsOptional()
  @IsIn(['colleague', 'aandachtsfunctionaris'])
  consultedRole?: 'colleague' | 'aandachtsfunctionaris';

  @ApiProperty({ example: 'Gesprek met moeder aangaan', description: 'free text: personal data' })
  @IsString()
  @Length(TEXT.min, TEXT.max)
  @MaxJsonBytes(TEXT.bytes)
  advice!: string;
}

export class MeldcodeConversationDto {
  @ApiProperty({ description: 'false: the conversation was not held; the account says why' })
  @IsBoolean({ message: 'must be true or false' })
  held!: boolean;

  @ApiProperty({ example: 'Moeder herkent de zorgen', description: 'free text: personal data' })
  @IsString()
  @Length(TEXT.min, TEXT.max)
  @MaxJsonBytes(TEXT.bytes)
  account!: string;
}

export class MeldcodeWeighingDto {
  @ApiProperty({ description: 'afweging 1: is reporting to Veilig Thuis necessary?' })
  @IsBoolean({ message: 'must be true or false' })
  reportNecessary!: boolean;

  @ApiProperty({ description: 'afweging 2: is giving or organising help (also) possible?' })
  @IsBoolean({ message: 'must be true or false' })
  helpPossible!: boolean;

  @ApiProperty({
    example: 'Geen acute onveiligheid; hulp wordt aanvaard',
    description: 'free text: personal data',
  })
  @IsString()
  @Length(TEXT.min, TEXT.max)
  @MaxJsonBytes(TEXT.bytes)
  explanation!: string;
}

export class MeldcodeDecisionDto {
  @ApiProperty({ description: 'report to Veilig Thuis' })
  @IsBoolean({ message: 'must be true or false' })
  reportToVeiligThuis!: boolean;

  @ApiProperty({ description: 'give or organise help' })
  @IsBoolean({ message: 'must be true or false' })
  organiseHelp!: boolean;

  @ApiProperty({
    example: 'Hulp via het wijkteam, met moeder afgesproken',
    description: 'free text: personal data',
  })
  @IsString()
  @Length(TEXT.min, TEXT.max)
  @MaxJsonBytes(TEXT.bytes)
  reasons!: string;
}

export class SafetyAgreementDto {
  @ApiProperty({ example: 'Vader komt niet in huis', description: 'free text: personal data' })
  @IsString()
  @Length(1, 500)
  @MaxJsonBytes(2000)
  text!: string;

  @ApiProperty({ example: 'vader', description: 'who keeps it, free text: personal data' })
  @IsString()
  @Length(1, 200)
  @MaxJsonBytes(800)
  who!: string;

  @ApiPropertyOptional({ example: '2026-05-01', description: 'by when; none when absent' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  dueOn?: string;
}

export class RecordSafetyPlanDto {
  @ApiProperty({ type: [SafetyAgreementDto], minItems: 1, maxItems: MAX_SAFETY_AGREEMENTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SAFETY_AGREEMENTS)
  @ValidateNested({ each: true })
  @Type(() => SafetyAgreementDto)
  agreements!: SafetyAgreementDto[];

  @ApiProperty({ example: '2026-06-01', description: 'when the plan is reviewed: today or later' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  reviewOn!: string;

  @ApiPropertyOptional({
    example: 1,
    description:
      'the revision this plan replaces: required once a plan exists (409 SafetyPlanRevisionMismatch)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  replaces?: number;
}
