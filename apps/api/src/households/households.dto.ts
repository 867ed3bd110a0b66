import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
  IsDefined,
} from 'class-validator';
import {
  ACTION_OWNER_KINDS,
  ActionOwnerKind,
  LIFE_DOMAINS,
  LifeDomain,
  MEMBER_ROLES,
  MemberRole,
} from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';

const CURRENT_YEAR = new Date().getUTCFullYear();

export class MemberDto {
  @ApiProperty({ example: 'm-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @ApiProperty({ example: 1984 })
  @IsInt()
  @Min(1900)
  @Max(CURRENT_YEAR)
  birthYear!: number;

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

export class AgreePlanDto {
  @ApiProperty({ example: 'm-1', description: 'the household member who agreed' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId!: string;
}

export class ClosePlanDto {
  @ApiProperty({ example: 'Doelen bereikt', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  outcome!: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Nieuwe zorgen gemeld', description: 'free text: personal data' })
  @IsString()
  @Length(1, 2000)
  @MaxJsonBytes(8000)
  reason!: string;
}
