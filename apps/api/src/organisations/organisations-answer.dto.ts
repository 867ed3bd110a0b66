import { ApiProperty } from '@nestjs/swagger';
import { PROFESSIONAL_KINDS, type ProfessionalKind } from '@eenplan/domain';
import { WriteResultDto } from '../common/write-response';

export class OrganisationRegisteredDto extends WriteResultDto {
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
}

export class ProfessionalRegisteredDto extends WriteResultDto {
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
  @ApiProperty({ example: 'p-1' }) professionalId!: string;
  @ApiProperty({ enum: PROFESSIONAL_KINDS }) kind!: ProfessionalKind;
  @ApiProperty({ example: true }) active!: boolean;
}

export class ProfessionalDeactivatedDto extends WriteResultDto {
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
  @ApiProperty({ example: 'p-1' }) professionalId!: string;
  @ApiProperty({ example: false }) active!: boolean;
}

export class WaitingDaysSetDto extends WriteResultDto {
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
  @ApiProperty({ example: 14 }) waitingDays!: number;
}
