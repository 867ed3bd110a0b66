import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../common/write-response';

export class AssessmentRecordedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'as-1' }) assessmentId!: string;
}
