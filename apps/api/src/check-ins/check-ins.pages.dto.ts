import { ApiProperty } from '@nestjs/swagger';

export class CadenceDto {
  @ApiProperty() cadenceId!: string;
  @ApiProperty() everyWeeks!: number;
  @ApiProperty({ format: 'date' }) startsOn!: string;
}

export class OverdueDto {
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty() daysOverdue!: number;
  @ApiProperty({ description: 'due dates passed without a contact, the first one included' })
  missedDueDates!: number;
  @ApiProperty({ description: 'whether CheckInOverdue was recorded for it yet' }) announced!: boolean;
}

export class OverdueCheckInStatusDto {
  @ApiProperty() householdId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty() district!: string;
  @ApiProperty({ enum: ['active', 'closed'] }) planStatus!: string;
  @ApiProperty({ type: CadenceDto, nullable: true }) cadence!: CadenceDto | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) nextDueOn!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) lastContactOn!: string | null;
  @ApiProperty({ type: OverdueDto, nullable: true }) overdue!: OverdueDto | null;
}

export class OverdueCheckInsPageDto {
  @ApiProperty() teamId!: string;
  @ApiProperty({ format: 'date', description: 'the Dutch calendar date the answer counts from' })
  today!: string;
  @ApiProperty({ description: 'all overdue households of the team, not only this page' })
  count!: number;
  @ApiProperty({ type: [OverdueCheckInStatusDto], description: 'most overdue first' })
  households!: OverdueCheckInStatusDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
