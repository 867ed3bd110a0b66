import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../common/write-response';

export class VolunteerRegisteredDto extends WriteResultDto {
  @ApiProperty({ example: 'v-1' }) volunteerId!: string;
}

export class VogUpdatedDto extends WriteResultDto {
  @ApiProperty({ example: 'v-1' }) volunteerId!: string;
  @ApiProperty({ format: 'date', example: '2028-03-31' }) vogValidUntil!: string;
}

export class VolunteerDeactivatedDto extends WriteResultDto {
  @ApiProperty({ example: 'v-1' }) volunteerId!: string;
  @ApiProperty({ description: 'always false: the volunteer is deactivated' }) active!: boolean;
}
