import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { DATE_PATTERN, LIFE_DOMAINS, LifeDomain, SIGNAL_CATEGORIES, SignalCategory } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';
import { DATE_MESSAGE } from '../check-ins/check-ins.dto';

export class ConsentDto {
  @ApiProperty({ example: 'm-1', description: 'the household member who gives or withdraws consent' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId!: string;
}

export class RecordSignalDto {
  @ApiPropertyOptional({ example: 's-1', description: 'generated when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  signalId?: string;

  @ApiProperty({ enum: SIGNAL_CATEGORIES })
  @IsIn(SIGNAL_CATEGORIES)
  category!: SignalCategory;

  @ApiPropertyOptional({
    example: 'participatiewet-art-64',
    description:
      'the legal ground that allows sharing without consent, one of the configured references (LEGAL_BASES); ' +
      'with it the signal is published whatever the consent',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  legalBasis?: string;

  @ApiPropertyOptional({
    example: 'm-1',
    description:
      'the member the signal is about: only their consent (uwv-signals to uwv, in the consent register) publishes it; ' +
      'a signal naming no member is published only with a legal basis',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId?: string;

  @ApiProperty({
    example: 'Vader is begonnen met werk bij de bakker',
    description: 'free text: personal data',
  })
  @IsString()
  @Length(1, 4000)
  @MaxJsonBytes(16000)
  description!: string;
}

export class RegisterQuestionDto {
  @ApiPropertyOptional({ example: 'q-1', description: 'generated when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  questionId?: string;

  @ApiProperty({ enum: LIFE_DOMAINS })
  @IsIn(LIFE_DOMAINS)
  lifeDomain!: LifeDomain;

  @ApiPropertyOptional({
    example: '2026-02-02',
    description: 'when the question was asked (not in the future); today when absent',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  askedOn?: string;

  @ApiProperty({ example: 'Huurachterstand van drie maanden', description: 'free text: personal data' })
  @IsString()
  @Length(1, 4000)
  @MaxJsonBytes(16000)
  description!: string;
}
