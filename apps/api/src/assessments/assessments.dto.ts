import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DATE_PATTERN, ZRM_MAX, ZRM_MIN } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';
import { DATE_MESSAGE } from '../check-ins/check-ins.dto';

const Score = (): PropertyDecorator => (target, key) => {
  ApiProperty({ minimum: ZRM_MIN, maximum: ZRM_MAX, example: 3 })(target, key);
  IsInt()(target, key);
  Min(ZRM_MIN)(target, key);
  Max(ZRM_MAX)(target, key);
};

/** ZRM 2017: every one of the 13 life domains, 1 acute problems ... 5 fully self-sufficient. */
export class ZrmScoresDto {
  @Score() finances!: number;
  @Score() 'work-and-education'!: number;
  @Score() 'time-use'!: number;
  @Score() housing!: number;
  @Score() 'domestic-relations'!: number;
  @Score() 'mental-health'!: number;
  @Score() 'physical-health'!: number;
  @Score() 'substance-use'!: number;
  @Score() 'basic-adl'!: number;
  @Score() 'instrumental-adl'!: number;
  @Score() 'social-network'!: number;
  @Score() 'community-participation'!: number;
  @Score() justice!: number;
}

export class RecordAssessmentDto {
  @ApiPropertyOptional({ example: 'zrm-1', description: 'generated when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  assessmentId?: string;

  @ApiProperty({
    example: 'm-1',
    description:
      'the member assessed: the ZRM measures one adult, a current member aged 18 or over on assessedOn',
  })
  @IsDefined()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId!: string;

  @ApiPropertyOptional({
    example: '2026-02-02',
    description: 'not in the future, not before the latest assessment; today when absent',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  assessedOn?: string;

  @ApiProperty({ type: ZrmScoresDto, description: 'a score for every one of the 13 life domains' })
  @IsDefined()
  @ValidateNested()
  @Type(() => ZrmScoresDto)
  scores!: ZrmScoresDto;

  @ApiPropertyOptional({ description: 'free text: personal data' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  @MaxJsonBytes(16000)
  notes?: string;
}
