import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../common/write-response';

export class OrganisationRegisteredDto extends WriteResultDto {
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
}

export class WaitingDaysSetDto extends WriteResultDto {
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
  @ApiProperty({ example: 14 }) waitingDays!: number;
}
