import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTION_OWNER_KINDS, LIFE_DOMAINS, MEMBER_ROLES } from '@eenplan/domain';
import { ROLES } from '@eenplan/security';
import { WriteResultDto } from '../common/write-response';

// What the resident's routes answer (my-plan.ts), for the OpenAPI document and the generated client.

const GONE = 'null once the personal data is erased, or where eenplan does not know it';

export class MeDto {
  @ApiProperty({ example: 'login-8f2a', description: "the token's subject" }) sub!: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'the roles as the registry admitted them' })
  roles!: string[];
  @ApiPropertyOptional({ example: 'h-1', description: "a resident's household" }) household?: string;
  @ApiPropertyOptional({ example: 'm-1', description: "a resident's member id in it" }) member?: string;
  @ApiProperty({ type: [String], example: [] }) teams!: string[];
}

export class MyPlanYouDto {
  @ApiProperty({ example: 'm-1' }) memberId!: string;
  @ApiProperty({ type: String, nullable: true, description: GONE }) name!: string | null;
}

export class MyPlanMemberDto {
  @ApiProperty({ example: 'm-1' }) memberId!: string;
  @ApiProperty({ type: String, nullable: true, description: GONE }) name!: string | null;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: string;
}

export class MyPlanActionOwnerDto {
  @ApiProperty({ enum: ACTION_OWNER_KINDS }) kind!: string;
  @ApiProperty({ example: 'w-1' }) id!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'a worker or network member by name; null for the household itself, volunteers and organisations',
  })
  name!: string | null;
}

export class MyPlanActionDto {
  @ApiProperty({ example: 'a-1' }) actionId!: string;
  @ApiProperty({ type: String, nullable: true, description: GONE }) text!: string | null;
  @ApiProperty() completed!: boolean;
  @ApiProperty({ type: MyPlanActionOwnerDto }) owner!: MyPlanActionOwnerDto;
}

export class MyPlanGoalDto {
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ enum: LIFE_DOMAINS }) lifeDomain!: string;
  @ApiProperty({ type: String, nullable: true, description: GONE }) text!: string | null;
  @ApiProperty({ type: [MyPlanActionDto] }) actions!: MyPlanActionDto[];
}

export class MyPlanWaitingDto {
  @ApiProperty({ example: 'm-2' }) memberId!: string;
  @ApiProperty({ type: String, nullable: true, description: GONE }) name!: string | null;
}

export class MyPlanAgreementDto {
  @ApiProperty({ example: 2 }) revision!: number;
  @ApiProperty() agreed!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) agreedAt!: string | null;
  @ApiProperty({ description: 'you agreed with this revision' }) youAgreed!: boolean;
  @ApiProperty({
    description:
      'POST /v1/households/:id/plan/agreements with {} records your agreement now (open plan with goals, not agreed, not agreed by you)',
  })
  youMayAgree!: boolean;
  @ApiProperty({
    type: [MyPlanWaitingDto],
    description:
      'the members whose agreement (their own, or a holder of authority for them) is still missing',
  })
  waitingFor!: MyPlanWaitingDto[];
}

export class WorkerContactAnswerDto {
  @ApiPropertyOptional({ example: '+31 20 555 0101' }) phone?: string;
  @ApiPropertyOptional({ example: 'f.devries@wijkteam.example' }) email?: string;
}

export class MyPlanRegieHolderDto {
  @ApiProperty({ enum: ['worker', 'household'] }) kind!: 'worker' | 'household';
  @ApiPropertyOptional({ type: String, nullable: true, description: 'kind worker: ' + GONE }) name?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "kind worker: the worker's team's name" })
  team?: string | null;
  @ApiPropertyOptional({
    type: WorkerContactAnswerDto,
    nullable: true,
    description: 'kind worker: how to reach them, as their team registered it; null when not registered',
  })
  contact?: WorkerContactAnswerDto | null;
}

export class MyPlanRegieDto {
  @ApiProperty({ type: MyPlanRegieHolderDto }) holder!: MyPlanRegieHolderDto;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

export class MyPlanPastHolderDto {
  @ApiProperty({ enum: ['worker', 'household'] }) kind!: 'worker' | 'household';
  @ApiPropertyOptional({ type: String, nullable: true, description: 'kind worker: ' + GONE }) name?:
    string | null;
}

export class MyPlanRegieSpellDto {
  @ApiProperty({ type: MyPlanPastHolderDto }) holder!: MyPlanPastHolderDto;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'null: holds it now' })
  to!: string | null;
}

export class MyPlanProposalDto {
  @ApiProperty({ example: 'gp-1' }) proposalId!: string;
  @ApiProperty({ type: String, nullable: true, description: GONE }) text!: string | null;
  @ApiProperty({ enum: LIFE_DOMAINS, nullable: true }) lifeDomain!: string | null;
  @ApiProperty({ format: 'date-time' }) proposedAt!: string;
  @ApiProperty({ example: 'm-1', description: 'the member who proposed it' }) by!: string;
}

export class MyPlanDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 7 }) version!: number;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty({ type: MyPlanYouDto }) you!: MyPlanYouDto;
  @ApiProperty({ type: [MyPlanMemberDto], description: 'the current members' }) members!: MyPlanMemberDto[];
  @ApiProperty({ type: [MyPlanGoalDto] }) goals!: MyPlanGoalDto[];
  @ApiProperty({ type: MyPlanAgreementDto }) agreement!: MyPlanAgreementDto;
  @ApiProperty({ type: MyPlanRegieDto }) regie!: MyPlanRegieDto;
  @ApiProperty({ type: [MyPlanRegieSpellDto], description: 'who held regie, oldest first' })
  regieHistory!: MyPlanRegieSpellDto[];
  @ApiProperty({ type: [MyPlanProposalDto] }) proposals!: MyPlanProposalDto[];
}

export class GoalProposedDto extends WriteResultDto {
  @ApiProperty({ example: 'gp-1' }) proposalId!: string;
  @ApiProperty({ example: 'h-1' }) householdId!: string;
}

export class GoalProposalsPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: [MyPlanProposalDto] }) proposals!: MyPlanProposalDto[];
  @ApiProperty({ example: 7 }) version!: number;
}
