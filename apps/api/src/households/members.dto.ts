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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  DATE_PATTERN,
  JOIN_REASONS,
  type JoinReason,
  LEAVE_REASONS,
  type LeaveReason,
  MEMBER_ROLES,
  type MemberRole,
} from '@eenplan/domain';
import { WriteResultDto } from '../common/write-response';
import { ID_MESSAGE, ID_PATTERN, MaxJsonBytes } from '../common/validation';
import { NotWith } from './households.dto';

const DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';

/** POST /v1/households/:id/members: someone born into the household or moving in. */
export class AddMemberDto {
  @ApiPropertyOptional({ example: 'm-3' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId?: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @ApiProperty({ example: 2026, description: 'not after the day they joined (checked by the domain)' })
  @IsInt()
  @Min(1900)
  birthYear!: number;

  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: 12 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  birthMonth?: number;

  @ApiProperty({ example: 'Noor Jansen', description: 'personal data: kept apart, erasable' })
  @IsString()
  @Length(1, 200)
  @MaxJsonBytes(800)
  name!: string;

  @ApiProperty({ enum: JOIN_REASONS, description: 'birth: on lies in the birth month (year)' })
  @IsIn(JOIN_REASONS)
  reason!: JoinReason;

  @ApiProperty({ example: '2026-01-02', format: 'date', description: 'the day they joined, not after today' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  on!: string;
}

/** POST /v1/households/:id/members/:memberId/leave. */
export class LeaveMemberDto {
  @ApiProperty({ enum: LEAVE_REASONS })
  @IsIn(LEAVE_REASONS)
  reason!: LeaveReason;

  @ApiProperty({ example: '2026-01-02', format: 'date', description: 'the day they left, not after today' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  on!: string;
}

/** A holder of authority: a member (`memberId`), or someone outside the household (`holderId` and `name`). */
export class AuthorityHolderDto {
  @ApiPropertyOptional({ example: 'm-1', description: 'a member of 18 or over (or holderId and name)' })
  @ValidateIf(
    (o: { holderId?: unknown; memberId?: unknown }) => o.holderId === undefined || o.memberId !== undefined,
  )
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  @NotWith('holderId')
  memberId?: string;

  @ApiPropertyOptional({
    example: 'gh-1',
    description: 'someone outside the household, e.g. a parent living elsewhere',
  })
  @ValidateIf(
    (o: { holderId?: unknown; memberId?: unknown }) => o.memberId === undefined || o.holderId !== undefined,
  )
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  holderId?: string;

  @ApiPropertyOptional({
    example: 'Karim Jansen',
    description: 'with holderId: personal data, kept apart, erasable',
  })
  @ValidateIf((o: { holderId?: unknown; name?: unknown }) => o.holderId !== undefined || o.name !== undefined)
  @IsString()
  @Length(1, 200)
  @MaxJsonBytes(800)
  name?: string;
}

/** PUT /v1/households/:id/members/:memberId/authority: replaces the holders. */
export class SetAuthorityDto {
  @ApiProperty({ type: [AuthorityHolderDto], description: 'one or two holders' })
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => AuthorityHolderDto)
  holders!: AuthorityHolderDto[];
}

// ---- answers

export class MemberJoinedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'm-3' }) memberId!: string;
  @ApiProperty({ enum: JOIN_REASONS }) reason!: JoinReason;
  @ApiProperty({ format: 'date' }) on!: string;
}

export class MemberLeftDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'm-3' }) memberId!: string;
  @ApiProperty({ enum: LEAVE_REASONS }) reason!: LeaveReason;
  @ApiProperty({ format: 'date' }) on!: string;
}

export class AuthorityHolderRefDto {
  @ApiProperty({ enum: ['member', 'external'] }) kind!: 'member' | 'external';
  @ApiPropertyOptional({ example: 'm-1' }) memberId?: string;
  @ApiPropertyOptional({ example: 'gh-1' }) holderId?: string;
}

export class AuthoritySetDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'm-2' }) memberId!: string;
  @ApiProperty({ type: [AuthorityHolderRefDto] }) holders!: AuthorityHolderRefDto[];
}
