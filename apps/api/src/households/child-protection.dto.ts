import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { DATE_PATTERN, MEASURE_KINDS, type MeasureKind } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';
import { WriteResultDto } from '../common/write-response';

const DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';

/** Issue 19: a child protection measure recorded on the household (OTS so far). */
export class RecordChildProtectionMeasureDto {
  @ApiPropertyOptional({ example: 'ots-1', description: 'default: made by the server' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  measureId?: string;

  @ApiProperty({ enum: MEASURE_KINDS, example: 'OTS', description: 'ondertoezichtstelling (art. 1:255 BW)' })
  @IsIn(MEASURE_KINDS)
  kind!: MeasureKind;

  @ApiProperty({
    example: 'C/16/123456 / JE RK 25-100',
    description: "the court order's reference: personal data",
  })
  @IsString()
  @Length(1, 200)
  @MaxJsonBytes(800)
  courtOrderReference!: string;

  @ApiProperty({ example: '2026-05-01' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  from!: string;

  @ApiProperty({ example: '2027-04-30' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  until!: string;

  @ApiProperty({
    example: 'org-gi-1',
    description: 'the certified institution (gecertificeerde instelling) on the social map',
  })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  organisationId!: string;

  @ApiProperty({
    type: [String],
    example: ['m-child'],
    description: 'the minors it concerns: members under 18',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  minors!: string[];

  @ApiProperty({
    example: 'jb-1',
    description:
      "the institution's jeugdbeschermer (a registered, active professional of kind jeugdbeschermer of organisationId): while the measure runs, regie is handed to them (requested in the same write)",
  })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  jeugdbeschermerId!: string;
}

export class ChildProtectionMeasureWrittenDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'ots-1' }) measureId!: string;
  @ApiProperty({ enum: ['recorded', 'ended'] }) status!: 'recorded' | 'ended';
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'recording: the transfer of regie to the jeugdbeschermer this write requested; null when they hold regie already, a transfer to them is pending, or the measure does not run today',
  })
  transferId?: string | null;
}
