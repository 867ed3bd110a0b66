import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LIFE_DOMAINS, type LifeDomain } from '@eenplan/domain';

// What a network member or volunteer sees of a household (issue 20): their own actions and, for a
// volunteer, their assignments there. No goal texts, member names, notes or other owners' actions.

export class MyActionDto {
  @ApiProperty({ example: 'a-1' }) actionId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'what is to be done; null once erased',
    example: 'Samen naar de voedselbank',
  })
  text!: string | null;
  @ApiProperty({
    enum: LIFE_DOMAINS,
    description: "the life domain of the action's goal (not the goal itself)",
  })
  lifeDomain!: LifeDomain;
  @ApiProperty() completed!: boolean;
  @ApiPropertyOptional({
    description: 'when it was completed (only when completed)',
    example: '2026-01-05T09:00:00.000Z',
  })
  completedAt?: string;
}

export class MyAssignmentDto {
  @ApiProperty({ example: 'as-1' }) assignmentId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the action the assignment is for, if any' })
  actionId!: string | null;
  @ApiProperty({ example: 2 }) hoursPerWeek!: number;
  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' }) assignedAt!: string;
  @ApiProperty({ enum: ['open', 'ended'] }) status!: 'open' | 'ended';
}

export class MyActionsDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({
    type: [MyActionDto],
    description: 'the actions the caller owns, in the order they were added',
  })
  actions!: MyActionDto[];
  @ApiPropertyOptional({
    type: [MyAssignmentDto],
    description: "a volunteer's own assignments in this household; absent for a network member",
  })
  assignments?: MyAssignmentDto[];
  @ApiProperty({ description: "the household stream's version this was read at" }) version!: number;
}
