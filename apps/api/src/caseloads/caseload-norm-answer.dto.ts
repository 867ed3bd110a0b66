import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../common/write-response';

export class CaseloadNormSetDto extends WriteResultDto {
  @ApiProperty({ example: 't-1' }) teamId!: string;
  @ApiProperty({ example: 30 }) householdsPerWorker!: number;
}
