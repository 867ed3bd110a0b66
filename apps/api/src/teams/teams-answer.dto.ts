import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../common/write-response';

// What the team writes answer besides version and position (teams.controller.ts), for the
// OpenAPI document and the clients generated from it.

export class TeamRegisteredDto extends WriteResultDto {
  @ApiProperty({ example: 't-1' }) teamId!: string;
}

export class WorkerAddedDto extends WriteResultDto {
  @ApiProperty({ example: 't-1' }) teamId!: string;
  @ApiProperty({ example: 'w-1' }) workerId!: string;
}

export class WorkerDeactivatedDto extends WriteResultDto {
  @ApiProperty({ example: 't-1' }) teamId!: string;
  @ApiProperty({ example: 'w-1' }) workerId!: string;
  @ApiProperty({ description: 'always false: the worker is deactivated' }) active!: boolean;
}
