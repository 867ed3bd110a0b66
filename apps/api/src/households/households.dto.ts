import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
  IsDefined,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import {
  ACTION_OWNER_KINDS,
  ActionOwnerKind,
  CLOSURE_REASONS,
  ChosenClosureReason,
  ChosenGoalRealisation,
  GOAL_REALISATIONS,
  ATTENDEE_KINDS,
  type AttendeeKind,
  DATE_PATTERN,
  GOAL_STATUSES,
  type GoalStatus,
  LIFE_DOMAINS,
  LifeDomain,
  MEMBER_ROLES,
  MemberRole,
} from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';
import { DATE_MESSAGE } from '../check-ins/check-ins.dto';

export class MemberDto {
  @ApiProperty({ example: 'm-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @ApiProperty({
    example: 1984,
    description:
      'not after the year (with birthMonth: the month) of the day it is recorded, checked by the domain',
  })
  @IsInt()
  @Min(1900)
  birthYear!: number;

  @ApiPropertyOptional({ example: 3, minimum: 1, maximum: 12, description: 'the birth month, where known' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  birthMonth?: number;

  @ApiProperty({ example: 'Sanne Jansen', description: 'personal data: kept apart, erasable' })
  @IsString()
  @Length(1, 200)
  @MaxJsonBytes(800)
  name!: string;
}

export class RegieWorkerDto {
  @ApiProperty({ example: 'w-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  workerId!: string;
}

export class RegisterHouseholdDto {
  @ApiPropertyOptional({ example: 'h-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  householdId?: string;

  @ApiProperty({ example: 't-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  teamId!: string;

  @ApiProperty({ example: 'noord' })
  @IsString()
  @Length(1, 100)
  district!: string;

  @ApiProperty({ type: [MemberDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  members!: MemberDto[];

  @ApiPropertyOptional({
    type: RegieWorkerDto,
    description: 'a worker holds regie from the start; absent: eigen regie',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RegieWorkerDto)
  regie?: RegieWorkerDto;
}

export class AddGoalDto {
  @ApiPropertyOptional({ example: 'g-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  goalId?: string;

  @ApiProperty({ enum: LIFE_DOMAINS })
  @IsIn(LIFE_DOMAINS)
  lifeDomain!: LifeDomain;

  @ApiProperty({ example: 'Schulden onder controle', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  description!: string;

  @ApiPropertyOptional({
    example: '2026-09-01',
    description: 'the day the goal should be reached by, today or later; absent: none',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  targetDate?: string;
}

export class SetGoalStatusDto {
  @ApiProperty({ enum: GOAL_STATUSES, description: 'where the goal stands, as judged today' })
  @IsIn(GOAL_STATUSES)
  status!: GoalStatus;

  @ApiPropertyOptional({
    example: 'Afbetalingsregeling loopt, twee schuldeisers nog niet',
    description: 'why: free text, personal data',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @MaxJsonBytes(2000)
  reason?: string;
}

export class SetGoalTargetDateDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-09-01',
    description: 'the day the goal should be reached by, today or later; null clears it',
  })
  @ValidateIf((o: { targetDate?: unknown }) => o.targetDate !== null)
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  targetDate!: string | null;
}

export class SetPlanEvaluationDateDto {
  @ApiProperty({
    example: '2027-05-01',
    description: 'the day the plan is to be evaluated by, today or later',
  })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  evaluateBy!: string;
}

export class ActionOwnerDto {
  @ApiProperty({ enum: ACTION_OWNER_KINDS })
  @IsIn(ACTION_OWNER_KINDS)
  kind!: ActionOwnerKind;

  @ApiPropertyOptional({ example: 'w-1', description: 'required unless kind is household' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;
}

export class AddActionDto {
  @ApiPropertyOptional({ example: 'a-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  actionId?: string;

  @ApiProperty({ example: 'g-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  goalId!: string;

  @ApiProperty({ example: 'Afspraak bij schuldhulp maken', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  description!: string;

  @ApiProperty({ type: ActionOwnerDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ActionOwnerDto)
  owner!: ActionOwnerDto;
}

export class AddGoalNoteDto {
  @ApiPropertyOptional({ example: 'n-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  noteId?: string;

  @ApiProperty({
    example: 'Eerste gesprek met schuldhulp ging goed',
    description: 'free text: personal data; short, as the household view shows 25 notes',
  })
  @IsString()
  @Length(1, 500)
  @MaxJsonBytes(2000)
  text!: string;
}

/** Fails when `other` is given too: a body names one of two fields. */
export const NotWith = (other: string) =>
  ValidateBy({
    name: 'notWith',
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args) => `give ${args?.property ?? 'one'} or ${other}, not both`,
    },
  });

/**
 * Who agreed: a member (`memberId`) or an outside holder of parental authority (`holderId`). A
 * worker names one (the controller refuses neither); a resident sends `{}` (or their own memberId).
 */
export class AgreePlanDto {
  @ApiPropertyOptional({
    example: 'm-1',
    description:
      'the household member who agreed (or holderId); a worker names one, a resident sends {} or their own member id',
  })
  @ValidateIf((o: { memberId?: unknown }) => o.memberId !== undefined)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  @NotWith('holderId')
  memberId?: string;

  @ApiPropertyOptional({
    example: 'gh-1',
    description:
      'an outside holder of parental authority who agreed, as recorded with the authority (or memberId)',
  })
  @ValidateIf((o: { holderId?: unknown }) => o.holderId !== undefined)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  holderId?: string;
}

export class GoalRealisationDto {
  @ApiProperty({ example: 'g-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  goalId!: string;

  @ApiProperty({ enum: GOAL_REALISATIONS })
  @IsIn(GOAL_REALISATIONS)
  realisation!: ChosenGoalRealisation;
}

export class ClosePlanDto {
  @ApiProperty({ example: 'Doelen bereikt', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  outcome!: string;

  @ApiPropertyOptional({
    enum: CLOSURE_REASONS,
    description:
      'why the plan closes, a code that is counted (docs/OUTCOMES.md); absent: the closure is recorded with reason unknown',
  })
  @IsOptional()
  @IsIn(CLOSURE_REASONS)
  reason?: ChosenClosureReason;

  @ApiPropertyOptional({
    type: [GoalRealisationDto],
    description:
      "each goal's realisation; a goal of the plan left out takes its goal status, or not-recorded while that is open, a goal the plan does not have is 400 UnknownGoal",
  })
  @IsOptional()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => GoalRealisationDto)
  goals?: GoalRealisationDto[];
}

export class ReasonDto {
  @ApiProperty({ example: 'Nieuwe zorgen gemeld', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  reason!: string;
}

export class AttendeeDto {
  @ApiProperty({ enum: ATTENDEE_KINDS })
  @IsIn(ATTENDEE_KINDS)
  kind!: AttendeeKind;

  @ApiProperty({
    example: 'm-1',
    description:
      "a worker's id, a member's or a network member's; a professional from elsewhere by an id the team chooses (no name)",
  })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id!: string;
}

export class DecisionActionDto {
  @ApiPropertyOptional({ example: 'a-7' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  actionId?: string;

  @ApiProperty({ example: 'g-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  goalId!: string;

  @ApiProperty({ type: ActionOwnerDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ActionOwnerDto)
  owner!: ActionOwnerDto;
}

export class DecisionDto {
  @ApiPropertyOptional({ example: 'd-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  decisionId?: string;

  @ApiProperty({ example: 'Budgetcoach inschakelen', description: 'free text: personal data' })
  @IsString()
  @Length(1, 300)
  @MaxJsonBytes(1200)
  text!: string;

  @ApiPropertyOptional({
    type: DecisionActionDto,
    description: 'the action the decision becomes, added to the plan with the decision as its description',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DecisionActionDto)
  action?: DecisionActionDto;
}

export class EvaluationDto {
  @ApiPropertyOptional({
    example: '2027-05-01',
    description: 'the next evaluation date, today or later; absent: PLAN_EVALUATION_AFTER after the meeting',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  nextEvaluateBy?: string;
}

export class RecordReviewMeetingDto {
  @ApiPropertyOptional({ example: 'rm-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  meetingId?: string;

  @ApiProperty({ example: '2026-11-30', description: 'the day it was held, today or before' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  on!: string;

  @ApiProperty({ type: [AttendeeDto], description: 'who attended: 1 to 20' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendees!: AttendeeDto[];

  @ApiProperty({ description: 'whether the household itself was there' })
  @IsBoolean()
  householdPresent!: boolean;

  @ApiPropertyOptional({ description: 'free text: personal data (up to 1,000 characters)' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @MaxJsonBytes(4000)
  notes?: string;

  @ApiProperty({ type: [DecisionDto], description: 'what was decided: 0 to 10; each may become an action' })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => DecisionDto)
  decisions!: DecisionDto[];

  @ApiPropertyOptional({
    type: EvaluationDto,
    description: 'present when the meeting evaluated the plan: it sets the next evaluation date',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EvaluationDto)
  evaluation?: EvaluationDto;
}
