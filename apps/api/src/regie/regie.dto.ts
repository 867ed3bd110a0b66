import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';
import { StartMeldcodeTrackDto } from '../meldcode/meldcode.dto';

export class TransferReceiverDto {
  @ApiProperty({ enum: ['worker', 'professional'] })
  @IsIn(['worker', 'professional'], {
    message:
      "must be worker or professional: regie is handed to a team's worker or an organisation's professional (or returned with return-to-household)",
  })
  kind!: 'worker' | 'professional';

  @ApiProperty({ example: 'w-2' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id!: string;

  @ApiPropertyOptional({
    example: 'org-1',
    description:
      "the professional's organisation on the social map: required for a professional, refused for a worker",
  })
  @ValidateIf((o: TransferReceiverDto) => o.kind === 'professional' || o.organisationId !== undefined)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  organisationId?: string;
}

export class RequestTransferDto {
  @ApiPropertyOptional({ example: 'tr-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  transferId?: string;

  @ApiProperty({ type: TransferReceiverDto, description: 'yourself = the reverse request' })
  @IsDefined()
  @ValidateNested()
  @Type(() => TransferReceiverDto)
  to!: TransferReceiverDto;

  @ApiProperty({ example: 'Specialistische hulp nodig', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  reason!: string;

  @ApiPropertyOptional({ description: 'free text: personal data' })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  @MaxJsonBytes(40000)
  handoverNotes?: string;

  @ApiPropertyOptional({
    example: 'm-1',
    description: 'member who agreed; required while the household holds regie',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  agreedBy?: string;
}

/** Why an approver in the body is refused, in the 400 itself (the field is no longer part of the API). */
export const APPROVED_BY_REFUSED =
  'is not accepted: a safety takeover is break-glass, taken without an approver; a team lead of the ' +
  "household's team confirms or rejects it afterwards with their own act " +
  '(POST /v1/households/{id}/regie/safety-takeover/{takeoverId}/confirm or /reject)';

export class SafetyTakeoverDto {
  @ApiPropertyOptional({
    example: 'sto-1',
    description: 'default: made by the server (from Idempotency-Key when sent)',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  takeoverId?: string;

  @ApiProperty({ example: 'Acute zorgen om veiligheid kinderen', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  reason!: string;

  @ApiPropertyOptional({
    type: StartMeldcodeTrackDto,
    description:
      'starts a meldcode track (step 1: the signals mapped) in the same append; 409 MeldcodeTrackAlreadyOpen ' +
      '(nothing recorded) while the household has an open track (docs/MELDCODE.md)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StartMeldcodeTrackDto)
  meldcode?: StartMeldcodeTrackDto;

  // Not in the documented body. Declared only to refuse it with the reason rather than as an unknown field.
  @ValidateIf((o: { approvedBy?: unknown }) => o.approvedBy !== undefined)
  @IsIn([], { message: APPROVED_BY_REFUSED })
  approvedBy?: never;
}

export class ReturnToHouseholdDto {
  @ApiProperty({ example: 'm-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  agreedBy!: string;
}
