import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { LIFE_DOMAINS, LifeDomain, NETWORK_ROLES, NetworkRole } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../../common/validation';

export class AddNetworkMemberDto {
  @ApiPropertyOptional({ example: 'n-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  networkMemberId?: string;

  @ApiProperty({ enum: NETWORK_ROLES })
  @IsIn(NETWORK_ROLES)
  role!: NetworkRole;

  @ApiProperty({ example: 'Els de Buurvrouw', description: 'personal data: kept apart, erasable' })
  @IsString()
  @Length(1, 200)
  @MaxJsonBytes(800)
  name!: string;
}

export class AssignVolunteerDto {
  @ApiPropertyOptional({ example: 'as-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  assignmentId?: string;

  @ApiProperty({ example: 'v-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  volunteerId!: string;

  @ApiPropertyOptional({ example: 'a-1', description: 'an open action of the plan the volunteer works on' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  actionId?: string;

  @ApiProperty({ example: 3, minimum: 0.25, maximum: 60 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.25)
  @Max(60)
  hoursPerWeek!: number;
}

export class RequestReferralDto {
  @ApiPropertyOptional({ example: 'r-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  referralId?: string;

  @ApiProperty({ example: 'org-1', description: 'an organisation of the social map' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  organisationId!: string;

  @ApiPropertyOptional({ enum: LIFE_DOMAINS, description: 'the life domain the referral is about' })
  @IsOptional()
  @IsIn(LIFE_DOMAINS)
  lifeDomain?: LifeDomain;

  @ApiPropertyOptional({ example: 'Schulden sinds 2024', description: 'free text: personal data' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  note?: string;

  @ApiPropertyOptional({
    example: 'wmo-art-5-2-1',
    description:
      'the legal ground that allows the referral without every member’s consent, one of the configured ' +
      'references (REFERRAL_LEGAL_GROUNDS); absent: every current member needs a referral consent to the organisation',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  legalGround?: string;
}
