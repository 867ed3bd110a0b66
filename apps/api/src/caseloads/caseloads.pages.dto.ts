import { ApiProperty } from '@nestjs/swagger';

export class CaseloadPendingTransferDto {
  @ApiProperty() transferId!: string;
  @ApiProperty() receiverId!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
}

export class OverdueCheckInDto {
  @ApiProperty({ format: 'date' }) dueOn!: string;
}

/** Issue 19: the plan's evaluation date, and whether its day is over without a new one. */
export class PlanEvaluationStatusDto {
  @ApiProperty({ format: 'date' }) evaluateBy!: string;
  @ApiProperty({ description: 'the day of evaluateBy is over (in the Netherlands)' }) overdue!: boolean;
}

/** Issue 19: a person's next ZRM re-assessment, REASSESSMENT_AFTER after their latest assessment. */
export class ReassessmentStatusDto {
  @ApiProperty({ example: 'm-1' }) memberId!: string;
  @ApiProperty({ format: 'date' }) lastAssessedOn!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ description: 'the day of dueOn is over (in the Netherlands)' }) overdue!: boolean;
}

export class AssignmentsAroundDto {
  @ApiProperty() open!: number;
  @ApiProperty() hoursPerWeek!: number;
}

export class ReferralsAroundDto {
  @ApiProperty() open!: number;
}

export class CaseloadNormStatusDto {
  @ApiProperty({ type: Number, nullable: true, description: 'null: the team set no norm' })
  householdsPerWorker!: number | null;
  @ApiProperty() regieHouseholds!: number;
  @ApiProperty() overNorm!: boolean;
}

export class WorkerCaseloadHouseholdDto {
  @ApiProperty() householdId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty() district!: string;
  @ApiProperty({ enum: ['active', 'closed'] }) status!: string;
  @ApiProperty({ enum: ['regie-holder', 'pending-receiver', 'action-owner'], isArray: true })
  roles!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) regieSince!: string | null;
  @ApiProperty() openActions!: number;
  @ApiProperty({ type: CaseloadPendingTransferDto, nullable: true })
  pendingTransfer!: CaseloadPendingTransferDto | null;
  @ApiProperty({ type: OverdueCheckInDto, nullable: true }) overdueCheckIn!: OverdueCheckInDto | null;
  @ApiProperty({
    type: PlanEvaluationStatusDto,
    nullable: true,
    description: "the plan's evaluation (PLAN-CYCLE.md); null: no date yet",
  })
  planEvaluation!: PlanEvaluationStatusDto | null;
  @ApiProperty({
    type: [ReassessmentStatusDto],
    description: 'per assessed current member, their next ZRM re-assessment (PLAN-CYCLE.md)',
  })
  reassessments!: ReassessmentStatusDto[];
  @ApiProperty({ type: AssignmentsAroundDto }) assignments!: AssignmentsAroundDto;
  @ApiProperty({ type: ReferralsAroundDto }) referrals!: ReferralsAroundDto;
}

export class WorkerCaseloadCountsDto {
  @ApiProperty() households!: number;
  @ApiProperty() regie!: number;
  @ApiProperty() pendingReceiver!: number;
  @ApiProperty() actionOwner!: number;
  @ApiProperty() openActions!: number;
  @ApiProperty() overdueCheckIns!: number;
  @ApiProperty() openAssignments!: number;
  @ApiProperty() openReferrals!: number;
}

export class WorkerCaseloadPageDto {
  @ApiProperty() workerId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: [WorkerCaseloadHouseholdDto], description: 'one page, in household id order' })
  households!: WorkerCaseloadHouseholdDto[];
  @ApiProperty({ type: WorkerCaseloadCountsDto, description: 'over all the households, not only this page' })
  counts!: WorkerCaseloadCountsDto;
  @ApiProperty({ type: CaseloadNormStatusDto }) norm!: CaseloadNormStatusDto;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

export class HolderRefDto {
  @ApiProperty({ enum: ['household', 'worker', 'professional'] }) kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ required: false, description: "a professional's organisation (issue 19)" })
  organisationId?: string;
}

export class TeamCaseloadHouseholdDto {
  @ApiProperty() householdId!: string;
  @ApiProperty() district!: string;
  @ApiProperty({ enum: ['active', 'closed'] }) status!: string;
  @ApiProperty({ type: HolderRefDto }) regieHolder!: HolderRefDto;
  @ApiProperty() openActions!: number;
  @ApiProperty({ type: CaseloadPendingTransferDto, nullable: true })
  pendingTransfer!: CaseloadPendingTransferDto | null;
  @ApiProperty({ type: OverdueCheckInDto, nullable: true }) overdueCheckIn!: OverdueCheckInDto | null;
  @ApiProperty({
    type: PlanEvaluationStatusDto,
    nullable: true,
    description: "the plan's evaluation (PLAN-CYCLE.md); null: no date yet",
  })
  planEvaluation!: PlanEvaluationStatusDto | null;
  @ApiProperty({
    type: [ReassessmentStatusDto],
    description: 'per assessed current member, their next ZRM re-assessment (PLAN-CYCLE.md)',
  })
  reassessments!: ReassessmentStatusDto[];
  @ApiProperty({ type: AssignmentsAroundDto }) assignments!: AssignmentsAroundDto;
  @ApiProperty({ type: ReferralsAroundDto }) referrals!: ReferralsAroundDto;
}

export class TeamWorkerCountsDto {
  @ApiProperty() workerId!: string;
  @ApiProperty() regie!: number;
  @ApiProperty() pendingReceiver!: number;
  @ApiProperty() openActions!: number;
  @ApiProperty({ type: CaseloadNormStatusDto }) norm!: CaseloadNormStatusDto;
}

export class TeamCaseloadCountsDto {
  @ApiProperty() households!: number;
  @ApiProperty() active!: number;
  @ApiProperty() eigenRegie!: number;
  @ApiProperty() pendingTransfers!: number;
  @ApiProperty() overdueCheckIns!: number;
  @ApiProperty() openAssignments!: number;
  @ApiProperty() openReferrals!: number;
}

export class TeamNormDto {
  @ApiProperty({ type: Number, nullable: true }) householdsPerWorker!: number | null;
}

export class TeamCaseloadPageDto {
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: [TeamCaseloadHouseholdDto], description: 'one page, in household id order' })
  households!: TeamCaseloadHouseholdDto[];
  @ApiProperty({
    type: [TeamWorkerCountsDto],
    description: "every worker of the team (a team's size is bounded)",
  })
  workers!: TeamWorkerCountsDto[];
  @ApiProperty({ type: TeamCaseloadCountsDto, description: 'over all the households, not only this page' })
  counts!: TeamCaseloadCountsDto;
  @ApiProperty({ type: TeamNormDto }) norm!: TeamNormDto;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

/** Issue 19: one household in an organisation's caseload. */
export class OrganisationCaseloadHouseholdDto {
  @ApiProperty() householdId!: string;
  @ApiProperty({ description: "the household's team" }) teamId!: string;
  @ApiProperty() district!: string;
  @ApiProperty({ enum: ['active', 'closed'] }) status!: string;
  @ApiProperty({ type: HolderRefDto }) regieHolder!: HolderRefDto;
  @ApiProperty({ format: 'date-time' }) regieSince!: string;
  @ApiProperty({ type: [String], description: 'open referrals (requested or accepted) to this organisation' })
  openReferrals!: string[];
  @ApiProperty() openActions!: number;
  @ApiProperty({ type: CaseloadPendingTransferDto, nullable: true })
  pendingTransfer!: CaseloadPendingTransferDto | null;
}

export class OrganisationCaseloadPageDto {
  @ApiProperty() organisationId!: string;
  @ApiProperty({ type: [OrganisationCaseloadHouseholdDto], description: 'one page, in household id order' })
  households!: OrganisationCaseloadHouseholdDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
