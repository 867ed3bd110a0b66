import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { LIFE_DOMAINS, type LifeDomain } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';

/** A resident's proposal of a goal for the plan (issue 20). */
export class ProposeGoalDto {
  @ApiPropertyOptional({ example: 'gp-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  proposalId?: string;

  @ApiProperty({
    example: 'Ik wil weer aan het werk, een paar dagen per week',
    description: "free text: the proposer's personal data",
  })
  @IsString()
  @Length(1, 500)
  @MaxJsonBytes(2000)
  text!: string;

  @ApiPropertyOptional({ enum: LIFE_DOMAINS })
  @IsOptional()
  @IsIn(LIFE_DOMAINS)
  lifeDomain?: LifeDomain;
}
