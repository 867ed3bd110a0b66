import { ApiProperty } from '@nestjs/swagger';

export class VolunteerAssignmentDto {
  @ApiProperty() householdId!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty() volunteerId!: string;
  @ApiProperty({ type: String, nullable: true }) actionId!: string | null;
  @ApiProperty() hoursPerWeek!: number;
  @ApiProperty({ enum: ['open', 'ended'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) assignedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt!: string | null;
  @ApiProperty({ enum: ['ended', 'plan-closed'], nullable: true, type: String }) endCause!: string | null;
}

export class VolunteerAssignmentsPageDto {
  @ApiProperty() volunteerId!: string;
  @ApiProperty({
    type: [VolunteerAssignmentDto],
    description: 'only households the caller may read; open first, then by when assigned',
  })
  assignments!: VolunteerAssignmentDto[];
  @ApiProperty({ description: 'over every household' }) openAssignments!: number;
  @ApiProperty({ description: 'over every household' }) assignedHoursPerWeek!: number;
  @ApiProperty({ description: 'assignments in households the caller may not read: counted, never named' })
  notShown!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

export class HouseholdAssignmentsPageDto {
  @ApiProperty() householdId!: string;
  @ApiProperty({ type: [VolunteerAssignmentDto], description: 'open first, then by when assigned' })
  assignments!: VolunteerAssignmentDto[];
  @ApiProperty({ description: 'all the assignments, not only this page' }) total!: number;
  @ApiProperty({ description: 'over all the assignments' }) openAssignments!: number;
  @ApiProperty({ description: 'over all the assignments' }) assignedHoursPerWeek!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
