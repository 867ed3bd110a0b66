import { PageParams } from '../common/paging';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { LIFE_DOMAINS, LifeDomain, PROFESSIONAL_KINDS, type ProfessionalKind } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN } from '../common/validation';

export class ExpertiseDto {
  @ApiProperty({ enum: LIFE_DOMAINS, isArray: true, example: ['finances'] })
  @IsArray()
  @ArrayMaxSize(LIFE_DOMAINS.length)
  @IsIn(LIFE_DOMAINS, { each: true })
  lifeDomains!: LifeDomain[];

  @ApiProperty({ type: [String], example: ['schuldhulp', 'budgetcoaching'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  tags!: string[];
}

export class RegisterOrganisationDto {
  @ApiPropertyOptional({ example: 'org-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  organisationId?: string;

  @ApiProperty({ example: 'Schuldhulp Noord' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: ExpertiseDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ExpertiseDto)
  expertise!: ExpertiseDto;

  @ApiProperty({ example: 'noord', description: 'where it works: a district or a place' })
  @IsString()
  @Length(1, 200)
  location!: string;

  @ApiProperty({ example: 21, minimum: 0, maximum: 3650 })
  @IsInt()
  @Min(0)
  @Max(3650)
  waitingDays!: number;
}

export class UpdateWaitingTimeDto {
  @ApiProperty({ example: 35, minimum: 0, maximum: 3650 })
  @IsInt()
  @Min(0)
  @Max(3650)
  waitingDays!: number;
}

export class SearchOrganisationsQuery extends PageParams {
  @ApiPropertyOptional({ example: 'finances', description: 'a life domain or a tag' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  expertise?: string;

  @ApiPropertyOptional({ example: 'noord', description: 'compared without regard to case' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  location?: string;
}

/** Issue 19: the organisation registers one of its professionals; their id is their login (`sub`). */
export class RegisterProfessionalDto {
  @ApiProperty({ example: 'p-1', description: "the professional's id: the subject of their token" })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  professionalId!: string;

  @ApiProperty({ enum: PROFESSIONAL_KINDS, example: 'specialist' })
  @IsIn(PROFESSIONAL_KINDS)
  kind!: ProfessionalKind;
}

export class ProfessionalDto {
  @ApiProperty({ example: 'p-1' }) professionalId!: string;
  @ApiProperty({ enum: PROFESSIONAL_KINDS }) kind!: ProfessionalKind;
  @ApiProperty() active!: boolean;
}

/** GET /v1/organisations/:id: the organisation as its stream holds it. */
export class OrganisationDto {
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
  @ApiProperty({ example: 'Schuldhulp Utrecht' }) name!: string;
  @ApiProperty({ type: ExpertiseDto }) expertise!: ExpertiseDto;
  @ApiProperty({ example: 'Utrecht' }) location!: string;
  @ApiProperty({ example: 14 }) waitingDays!: number;
  @ApiProperty({
    type: [ProfessionalDto],
    description: 'its professionals (issue 19), in the order registered; a deactivated one stays, inactive',
  })
  professionals!: ProfessionalDto[];
  @ApiProperty({ description: "the organisation stream's version (also the ETag)" }) version!: number;
}
