import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../common/write-response';

// What the check-in writes answer (check-ins.controller.ts), for the OpenAPI document and the
// clients generated from it.

export class CheckInCadenceSetDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'c-1' }) cadenceId!: string;
  @ApiProperty({ example: 2 }) everyWeeks!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'the next check-in due' })
  nextDueOn!: string | null;
}

export class CheckInCadenceEndedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: false,
    nullable: true,
    description: 'always null: no cadence runs any more',
  })
  cadence!: null;
}

export class ContactRecordedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'ct-1' }) contactId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date',
    description: 'the next check-in due; null when no cadence runs',
  })
  nextDueOn!: string | null;
}
