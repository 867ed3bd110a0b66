import { ApiProperty } from '@nestjs/swagger';
import { MELDCODE_STEPS } from '@eenplan/domain';
import { WriteResultDto } from '../common/write-response';

// What the meldcode's and the safety plan's routes answer (meldcode.controller.ts), for the OpenAPI
// document and the clients generated from it. Texts are null once the household's data was erased.

const STEP = { enum: [...MELDCODE_STEPS] };
const STATUS = { enum: ['open', 'decided', 'closed'] };

export class MeldcodeTrackWrittenDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'mc-1' }) trackId!: string;
  @ApiProperty(STATUS) status!: 'open' | 'decided' | 'closed';
  @ApiProperty({ ...STEP, description: 'the next step to record (open), or the step it ended at' })
  step!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) stepNumber!: number;
}

class MeldcodeRecordedDto {
  @ApiProperty({ description: 'who recorded it (a worker id)' }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}
export class MeldcodeSignalsDto extends MeldcodeRecordedDto {
  @ApiProperty({ type: String, nullable: true }) signals!: string | null;
}
export class MeldcodeConsultationViewDto extends MeldcodeRecordedDto {
  @ApiProperty({ enum: ['colleague', 'veilig-thuis'] }) consultation!: string;
  @ApiProperty({ enum: ['colleague', 'aandachtsfunctionaris'], nullable: true, type: String })
  consultedRole!: string | null;
  @ApiProperty({ type: String, nullable: true }) advice!: string | null;
}
export class MeldcodeConversationViewDto extends MeldcodeRecordedDto {
  @ApiProperty() held!: boolean;
  @ApiProperty({ type: String, nullable: true }) account!: string | null;
}
export class MeldcodeWeighingViewDto extends MeldcodeRecordedDto {
  @ApiProperty() reportNecessary!: boolean;
  @ApiProperty() helpPossible!: boolean;
  @ApiProperty({ type: String, nullable: true }) explanation!: string | null;
}
export class MeldcodeDecisionViewDto extends MeldcodeRecordedDto {
  @ApiProperty() reportToVeiligThuis!: boolean;
  @ApiProperty() organiseHelp!: boolean;
  @ApiProperty({ type: String, nullable: true }) reasons!: string | null;
}
export class MeldcodeClosedViewDto extends MeldcodeRecordedDto {
  @ApiProperty(STEP) atStep!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class MeldcodeTrackDto {
  @ApiProperty({ example: 'mc-1' }) trackId!: string;
  @ApiProperty(STATUS) status!: string;
  @ApiProperty(STEP) step!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) stepNumber!: number;
  @ApiProperty({ format: 'date-time', description: 'when the current step began: the step before it' })
  stepSince!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'open tracks: seconds the current step is open' })
  stepOpenSeconds!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the safety takeover that started it' })
  takeoverId!: string | null;
  @ApiProperty({ type: MeldcodeSignalsDto, description: 'step 1' }) signals!: MeldcodeSignalsDto;
  @ApiProperty({ type: [MeldcodeConsultationViewDto], description: 'step 2' })
  consultations!: MeldcodeConsultationViewDto[];
  @ApiProperty({ type: MeldcodeConversationViewDto, nullable: true, description: 'step 3' })
  conversation!: MeldcodeConversationViewDto | null;
  @ApiProperty({ type: MeldcodeWeighingViewDto, nullable: true, description: 'step 4' })
  weighing!: MeldcodeWeighingViewDto | null;
  @ApiProperty({ type: MeldcodeDecisionViewDto, nullable: true, description: 'step 5' })
  decision!: MeldcodeDecisionViewDto | null;
  @ApiProperty({ type: MeldcodeClosedViewDto, nullable: true }) closed!: MeldcodeClosedViewDto | null;
}

export class MeldcodeTracksPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the open track, if any' })
  openTrackId!: string | null;
  @ApiProperty({ type: [MeldcodeTrackDto], description: 'in the order they were started' })
  tracks!: MeldcodeTrackDto[];
  @ApiProperty() total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

export class TeamMeldcodeTrackDto {
  @ApiProperty() householdId!: string;
  @ApiProperty() trackId!: string;
  @ApiProperty(STEP) step!: string;
  @ApiProperty({ minimum: 2, maximum: 5 }) stepNumber!: number;
  @ApiProperty({ format: 'date-time' }) stepSince!: string;
  @ApiProperty({ description: 'seconds the current step has been open, at the time of the answer' })
  stepOpenSeconds!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty() startedBy!: string;
  @ApiProperty({ type: String, nullable: true }) takeoverId!: string | null;
  @ApiProperty() veiligThuisConsulted!: boolean;
}

export class TeamMeldcodeTracksPageDto {
  @ApiProperty() teamId!: string;
  @ApiProperty({ format: 'date-time', description: 'the time the durations count to' }) now!: string;
  @ApiProperty({ description: "all the team's open tracks, not only this page" }) count!: number;
  @ApiProperty({ type: [TeamMeldcodeTrackDto], description: 'the step open longest first' })
  tracks!: TeamMeldcodeTrackDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}

export class SafetyAgreementViewDto {
  @ApiProperty({ type: String, nullable: true }) text!: string | null;
  @ApiProperty({ type: String, nullable: true }) who!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) dueOn!: string | null;
}

export class SafetyPlanViewDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ type: Number, nullable: true }) replaces!: number | null;
  @ApiProperty({ format: 'date' }) reviewOn!: string;
  @ApiProperty({ description: 'the review date is today or has passed' }) reviewDue!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'the meldcode track open when it was recorded' })
  trackId!: string | null;
  @ApiProperty() recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: [SafetyAgreementViewDto] }) agreements!: SafetyAgreementViewDto[];
}

export class SafetyPlanAnswerDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: SafetyPlanViewDto, nullable: true, description: 'null: no safety plan yet' })
  safetyPlan!: SafetyPlanViewDto | null;
}

export class SafetyPlanRecordedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 1 }) revision!: number;
  @ApiProperty({ format: 'date' }) reviewOn!: string;
}
