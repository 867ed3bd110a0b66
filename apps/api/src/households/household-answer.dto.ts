import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTION_OWNER_KINDS,
  ATTENDEE_KINDS,
  GOAL_STATUSES,
  LIFE_DOMAINS,
  MEMBER_ROLES,
  NETWORK_ROLES,
} from '@eenplan/domain';
import { WriteResultDto } from '../common/write-response';

// What GET /v1/households/:id answers (household.view.ts, householdBody), for the OpenAPI document
// and the clients generated from it. Texts are null when the household's key was destroyed.

const TEXT_GONE = 'null once the personal data is erased';

/** A member, or someone outside the household known by an id (a parent living elsewhere). */
export class PartyDto {
  @ApiProperty({ enum: ['member', 'external'] }) kind!: 'member' | 'external';
  @ApiPropertyOptional({ example: 'm-1', description: 'kind member' }) memberId?: string;
  @ApiPropertyOptional({ example: 'gh-1', description: 'kind external' }) holderId?: string;
}

export class HouseholdAuthorityHolderDto {
  @ApiProperty({ enum: ['member', 'external'] }) kind!: 'member' | 'external';
  @ApiPropertyOptional({ example: 'm-1', description: 'kind member' }) memberId?: string;
  @ApiPropertyOptional({ example: 'gh-1', description: 'kind external: someone outside the household' })
  holderId?: string;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) name!: string | null;
}

export class HouseholdMemberLeftDto {
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ enum: ['moved-out', 'death', 'other'] }) reason!: string;
}

export class HouseholdMemberDto {
  @ApiProperty({ example: 'm-1' }) memberId!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: (typeof MEMBER_ROLES)[number];
  @ApiProperty({ example: 1984 }) birthYear!: number;
  @ApiProperty({ type: Number, nullable: true, example: 3, description: 'the birth month, where known' })
  birthMonth!: number | null;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) name!: string | null;
  @ApiPropertyOptional({
    description: "when this member's own data was erased (MemberDataErased); their name is then null",
    example: '2026-02-01T09:00:00.000Z',
  })
  dataErasedAt?: string;
  @ApiProperty({
    type: [HouseholdAuthorityHolderDto],
    description: 'who holds parental authority over this minor (empty when none is recorded)',
  })
  authority!: HouseholdAuthorityHolderDto[];
  @ApiProperty({
    type: HouseholdMemberLeftDto,
    nullable: true,
    description: 'set once the member left the household; they stay listed',
  })
  left!: HouseholdMemberLeftDto | null;
}

export class HouseholdGoalDto {
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ enum: LIFE_DOMAINS }) lifeDomain!: (typeof LIFE_DOMAINS)[number];
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) description!: string | null;
  @ApiProperty({ enum: GOAL_STATUSES, description: 'open until a worker records otherwise' })
  status!: (typeof GOAL_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'null: no target date' })
  targetDate!: string | null;
}

export class ActionOwnerRefDto {
  @ApiProperty({ enum: ACTION_OWNER_KINDS }) kind!: (typeof ACTION_OWNER_KINDS)[number];
  @ApiProperty({ example: 'w-1' }) id!: string;
}

export class HouseholdActionDto {
  @ApiProperty({ example: 'a-1' }) actionId!: string;
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ type: ActionOwnerRefDto }) owner!: ActionOwnerRefDto;
  @ApiProperty() completed!: boolean;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) description!: string | null;
}

export class HouseholdGoalNoteDto {
  @ApiProperty({ example: 'n-1' }) noteId!: string;
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ description: 'the worker who wrote it', example: 'w-1' }) addedBy!: string;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) text!: string | null;
}

export class HouseholdNetworkMemberDto {
  @ApiProperty({ example: 'nm-1' }) networkMemberId!: string;
  @ApiProperty({ enum: NETWORK_ROLES }) role!: (typeof NETWORK_ROLES)[number];
  @ApiProperty({ description: 'removed members stay listed' }) removed!: boolean;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) name!: string | null;
}

export class HouseholdAssignmentDto {
  @ApiProperty({ example: 'as-1' }) assignmentId!: string;
  @ApiProperty({ example: 'v-1' }) volunteerId!: string;
  @ApiProperty({ type: String, nullable: true }) actionId!: string | null;
  @ApiProperty({ example: 2 }) hoursPerWeek!: number;
  @ApiProperty({ format: 'date-time' }) assignedAt!: string;
  @ApiProperty({ enum: ['open', 'ended'] }) status!: 'open' | 'ended';
}

export class HouseholdReferralDto {
  @ApiProperty({ example: 'r-1' }) referralId!: string;
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
  @ApiProperty({ enum: LIFE_DOMAINS, nullable: true }) lifeDomain!: (typeof LIFE_DOMAINS)[number] | null;
  @ApiProperty({ enum: ['requested', 'accepted', 'completed', 'withdrawn'] })
  status!: 'requested' | 'accepted' | 'completed' | 'withdrawn';
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
}

const ZRM_SCORES = {
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 1, maximum: 5 },
  description: 'a ZRM score (1-5) per life domain',
} as const;

export class LatestAssessmentRefDto {
  @ApiProperty({ example: 'zrm-2' }) assessmentId!: string;
  @ApiProperty({ format: 'date' }) assessedOn!: string;
  @ApiProperty(ZRM_SCORES) scores!: Record<string, number>;
}

export class PersonAssessmentsSummaryDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'm-1',
    description:
      'the adult member assessed; null for assessments of the household as a whole, recorded before assessments named a member',
  })
  memberId!: string | null;
  @ApiProperty({ description: "this person's assessments" }) total!: number;
  @ApiProperty({ format: 'date' }) firstAssessedOn!: string;
  @ApiProperty({ type: LatestAssessmentRefDto }) latest!: LatestAssessmentRefDto;
}

export class RegieHolderRefDto {
  @ApiProperty({ enum: ['household', 'worker', 'professional'] }) kind!:
    'household' | 'worker' | 'professional';
  @ApiProperty({ description: "the worker's or professional's id, or the household's own", example: 'w-1' })
  id!: string;
  @ApiProperty({ required: false, description: "the worker's team (workers only)", example: 't-1' })
  teamId?: string;
  @ApiProperty({
    required: false,
    description: "the professional's organisation on the social map (professionals only, issue 19)",
    example: 'org-1',
  })
  organisationId?: string;
}

export class HouseholdRegieDto {
  @ApiProperty({ type: RegieHolderRefDto }) holder!: RegieHolderRefDto;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

export class TransferReceiverRefDto {
  @ApiProperty({ enum: ['worker', 'professional'] }) kind!: 'worker' | 'professional';
  @ApiProperty({ example: 'w-2' }) id!: string;
  @ApiProperty({ required: false, description: "the worker's team (workers only)", example: 't-1' })
  teamId?: string;
  @ApiProperty({
    required: false,
    description: "the professional's organisation on the social map (professionals only, issue 19)",
    example: 'org-1',
  })
  organisationId?: string;
}

export class PendingTransferDto {
  @ApiProperty({ example: 'tr-1' }) transferId!: string;
  @ApiProperty({ type: TransferReceiverRefDto }) to!: TransferReceiverRefDto;
  @ApiProperty({ example: 'w-1' }) requestedBy!: string;
  @ApiProperty({ enum: ['handover', 'on-behalf', 'reverse'] }) variant!: 'handover' | 'on-behalf' | 'reverse';
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) reason!: string | null;
}

export class SectionCountDto {
  @ApiProperty({ description: 'how many the household holds' }) total!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "the cursor where the section's own endpoint goes on; null when all are shown",
  })
  next!: string | null;
}

export class MeetingAttendeeDto {
  @ApiProperty({ enum: ATTENDEE_KINDS }) kind!: (typeof ATTENDEE_KINDS)[number];
  @ApiProperty({ example: 'm-1' }) id!: string;
}

export class MeetingDecisionDto {
  @ApiProperty({ example: 'd-1' }) decisionId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the action it became; null: none' })
  actionId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) text!: string | null;
}

export class MeetingDecisionSummaryDto {
  @ApiProperty({ example: 'd-1' }) decisionId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the action it became; null: none' })
  actionId!: string | null;
}

/** A meeting as the household answer previews it: its texts are on GET /v1/households/:id/meetings. */
export class HouseholdMeetingSummaryDto {
  @ApiProperty({ example: 'rm-1' }) meetingId!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ type: [MeetingAttendeeDto] }) attendees!: MeetingAttendeeDto[];
  @ApiProperty() householdPresent!: boolean;
  @ApiProperty({ type: [MeetingDecisionSummaryDto] }) decisions!: MeetingDecisionSummaryDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date' }) nextEvaluateBy!: string | null;
  @ApiProperty({ example: 'w-1' }) recordedBy!: string;
}

export class HouseholdMeetingDto {
  @ApiProperty({ example: 'rm-1' }) meetingId!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ type: [MeetingAttendeeDto] }) attendees!: MeetingAttendeeDto[];
  @ApiProperty() householdPresent!: boolean;
  @ApiProperty({ type: [MeetingDecisionDto] }) decisions!: MeetingDecisionDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date',
    description: "the plan's next evaluation date when the meeting evaluated it; null: it did not",
  })
  nextEvaluateBy!: string | null;
  @ApiProperty({ example: 'w-1' }) recordedBy!: string;
  @ApiProperty({ type: String, nullable: true, description: TEXT_GONE }) notes!: string | null;
}

export class ReviewMeetingRecordedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'rm-1' }) meetingId!: string;
  @ApiProperty({ type: [MeetingDecisionDto], description: 'the decisions, with the action each became' })
  decisions!: MeetingDecisionDto[];
  @ApiProperty({
    description: "the plan's revision: new when a decision became an action after the agreement",
  })
  revision!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) evaluateBy!: string | null;
}

export class HouseholdSectionsDto {
  @ApiProperty({ type: SectionCountDto }) goals!: SectionCountDto;
  @ApiProperty({ type: SectionCountDto }) actions!: SectionCountDto;
  @ApiProperty({ type: SectionCountDto }) notes!: SectionCountDto;
  @ApiProperty({ type: SectionCountDto }) network!: SectionCountDto;
  @ApiProperty({ type: SectionCountDto }) assignments!: SectionCountDto;
  @ApiProperty({ type: SectionCountDto }) referrals!: SectionCountDto;
  @ApiProperty({ type: SectionCountDto }) meetings!: SectionCountDto;
}

export class HouseholdOpenMeldcodeTrackDto {
  @ApiProperty({ example: 'mc-1' }) trackId!: string;
  @ApiProperty({
    enum: ['consultation', 'conversation', 'weighing', 'decision'],
    description: 'the next step',
  })
  step!: string;
  @ApiProperty({ minimum: 2, maximum: 5 }) stepNumber!: number;
  @ApiProperty({ format: 'date-time', description: 'when the current step began' }) stepSince!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the safety takeover that started it' })
  takeoverId!: string | null;
}

export class HouseholdSafetyPlanSummaryDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'date' }) reviewOn!: string;
  @ApiProperty({ description: 'how many agreements' }) agreements!: number;
}

export class HouseholdMeldcodeDto {
  @ApiProperty({ type: HouseholdOpenMeldcodeTrackDto, nullable: true })
  openTrack!: HouseholdOpenMeldcodeTrackDto | null;
  @ApiProperty({ type: HouseholdSafetyPlanSummaryDto, nullable: true })
  safetyPlan!: HouseholdSafetyPlanSummaryDto | null;
}

/** Issue 19: a child protection measure as the household answer lists it (no court order reference). */
export class HouseholdChildProtectionMeasureDto {
  @ApiProperty({ example: 'ots-1' }) measureId!: string;
  @ApiProperty({ enum: ['OTS'] }) kind!: 'OTS';
  @ApiProperty({ format: 'date', example: '2026-05-01' }) from!: string;
  @ApiProperty({ format: 'date', example: '2027-04-30' }) until!: string;
  @ApiProperty({ example: 'org-gi-1', description: 'the certified institution' }) organisationId!: string;
  @ApiProperty({ type: [String], example: ['m-child'] }) minors!: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'jb-1',
    description: "the institution's jeugdbeschermer named for it (null: recorded before one was named)",
  })
  jeugdbeschermerId!: string | null;
}

export class HouseholdDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 't-1' }) teamId!: string;
  @ApiProperty({ example: 'Noord' }) district!: string;
  @ApiProperty({ enum: ['active', 'closed'] }) status!: 'active' | 'closed';
  @ApiProperty({ type: [HouseholdMemberDto] }) members!: HouseholdMemberDto[];
  @ApiProperty({ type: [HouseholdGoalDto], description: 'the first 25' }) goals!: HouseholdGoalDto[];
  @ApiProperty({ type: [HouseholdActionDto], description: 'the first 25' }) actions!: HouseholdActionDto[];
  @ApiProperty({ type: [HouseholdGoalNoteDto], description: 'the first 25' }) notes!: HouseholdGoalNoteDto[];
  @ApiProperty({ description: "the plan's revision: each goal or action added makes a new one" })
  revision!: number;
  @ApiProperty({ description: 'whether a member agreed with the current revision' }) agreed!: boolean;
  @ApiProperty({ type: Number, nullable: true }) agreedRevision!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date',
    description:
      'the day the plan is to be evaluated by: set when it is agreed (PLAN_EVALUATION_AFTER), changeable by the regie holder; null before',
  })
  evaluateBy!: string | null;
  @ApiProperty({
    type: [PartyDto],
    description:
      'the parties (members, outside holders of authority) who agreed with the current revision so far; empty after a change',
  })
  agreements!: PartyDto[];
  @ApiProperty({ type: HouseholdRegieDto }) regie!: HouseholdRegieDto;
  @ApiProperty({ type: PendingTransferDto, nullable: true }) pendingTransfer!: PendingTransferDto | null;
  @ApiProperty({ type: [HouseholdNetworkMemberDto], description: 'the first 25' })
  network!: HouseholdNetworkMemberDto[];
  @ApiProperty({ type: [HouseholdAssignmentDto], description: 'the first 25' })
  assignments!: HouseholdAssignmentDto[];
  @ApiProperty({ type: [HouseholdReferralDto], description: 'the first 25' })
  referrals!: HouseholdReferralDto[];
  @ApiProperty({
    type: [HouseholdMeetingSummaryDto],
    description:
      'review meetings (issue 19): the first 25, without their texts (GET /v1/households/:id/meetings has them)',
  })
  meetings!: HouseholdMeetingSummaryDto[];
  @ApiProperty({
    type: [PersonAssessmentsSummaryDto],
    description:
      'the ZRM assessments per person, in the order of their first assessment (all of them in GET /v1/households/:id/assessments)',
  })
  assessments!: PersonAssessmentsSummaryDto[];
  @ApiProperty({
    type: HouseholdMeldcodeDto,
    description:
      'the open meldcode track and the safety plan, where they stand (no texts: GET …/meldcode-tracks and …/safety-plan)',
  })
  meldcode!: HouseholdMeldcodeDto;
  @ApiProperty({
    type: [HouseholdChildProtectionMeasureDto],
    description:
      'the child protection measures recorded and not ended (issue 19; it runs while today lies within from..until): kind, period, institution, minors, jeugdbeschermer; never the court order reference',
  })
  childProtectionMeasures!: HouseholdChildProtectionMeasureDto[];
  @ApiProperty({ type: HouseholdSectionsDto }) sections!: HouseholdSectionsDto;
  @ApiProperty({ description: "the household stream's version (also the ETag)" }) version!: number;
}

export class HouseholdRegisteredDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
}

export class RegieHolderDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ format: 'date-time', description: 'the instant asked for (default now)' }) at!: string;
  @ApiProperty({ type: RegieHolderRefDto }) holder!: RegieHolderRefDto;
  @ApiProperty({ format: 'date-time', description: 'since when this holder holds regie' }) since!: string;
  @ApiProperty({
    enum: [
      'registration',
      'transfer',
      'reverse-request',
      'safety-takeover',
      'safety-takeover-rejected',
      'return-to-household',
      'closure',
    ],
    description: 'how this holder got regie',
  })
  cause!: string;
}

export class TransferRequestedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'tr-1' }) transferId!: string;
  @ApiProperty({ enum: ['handover', 'on-behalf', 'reverse'] }) variant!: 'handover' | 'on-behalf' | 'reverse';
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
}

export class TransferDecidedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'tr-1' }) transferId!: string;
  @ApiProperty({ enum: ['accepted', 'declined', 'cancelled'] })
  status!: 'accepted' | 'declined' | 'cancelled';
  @ApiProperty({ type: RegieHolderRefDto, required: false, description: 'accept only: who holds regie now' })
  holder?: RegieHolderRefDto;
}

export class GoalAddedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ description: "the plan's new revision" }) revision!: number;
}

export class GoalStatusSetDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ enum: GOAL_STATUSES }) status!: (typeof GOAL_STATUSES)[number];
  @ApiProperty({ format: 'date', description: 'the day it was judged (today in NL)' }) on!: string;
}

export class GoalTargetDateSetDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) targetDate!: string | null;
  @ApiProperty({ description: "the plan's revision, new once it was agreed" }) revision!: number;
}

export class ActionAddedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'a-1' }) actionId!: string;
  @ApiProperty({ description: "the plan's new revision" }) revision!: number;
}

export class GoalNoteAddedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'g-1' }) goalId!: string;
  @ApiProperty({ example: 'n-1' }) noteId!: string;
}

export class ActionCompletedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'a-1' }) actionId!: string;
  @ApiProperty({ description: 'always true' }) completed!: boolean;
}

export class PlanEvaluationDateSetDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ format: 'date', example: '2027-05-01' }) evaluateBy!: string;
}

export class PlanAgreedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ description: 'the revision agreed with' }) revision!: number;
  @ApiProperty({ description: 'the member (or outside holder of authority) who agreed', example: 'm-1' })
  agreedBy!: string;
  @ApiProperty({ type: () => PartyDto, description: 'who agreed' }) by!: PartyDto;
  @ApiProperty({
    description:
      'whether the revision is agreed now: every member has agreement from someone with capacity for them; false while agreements are still gathered',
  })
  agreed!: boolean;
}

export class PlanStatusChangedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ enum: ['active', 'closed'], description: 'closed on close, active on reopen' })
  status!: 'active' | 'closed';
}
