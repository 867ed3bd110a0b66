import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsDefined, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';

export class TransferReceiverDto {
  @ApiProperty({ enum: ['worker'] })
  @Equals('worker', {
    message: 'must be worker: regie is handed to a worker (or returned with return-to-household)',
  })
  kind!: 'worker';

  @ApiProperty({ example: 'w-2' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id!: string;
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

export class SafetyTakeoverDto {
  @ApiProperty({ example: 'Acute zorgen om veiligheid kinderen', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  reason!: string;

  @ApiProperty({ example: 'w-lead', description: 'a team lead of the household team, not the taker' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  approvedBy!: string;
}

export class ReturnToHouseholdDto {
  @ApiProperty({ example: 'm-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  agreedBy!: string;
}
