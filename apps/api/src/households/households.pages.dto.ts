import { ApiProperty } from '@nestjs/swagger';
import {
  HouseholdActionDto,
  HouseholdGoalDto,
  HouseholdGoalNoteDto,
  HouseholdMeetingDto,
  HouseholdNetworkMemberDto,
  HouseholdReferralDto,
} from './household-answer.dto';

// What GET /v1/households/:id/<section> answers (HouseholdsController.page): the items are those
// GET /v1/households/:id shows under the same name, one page of them.

const NEXT = { type: String, nullable: true, description: 'cursor of the next page; null on the last' };
const TOTAL = { description: 'how many the household holds, not only this page' };
const VERSION = { description: "the household stream's version the page was read at" };

export class HouseholdGoalsPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: [HouseholdGoalDto], description: 'in the order they were added' })
  goals!: HouseholdGoalDto[];
  @ApiProperty(TOTAL) total!: number;
  @ApiProperty(NEXT) next!: string | null;
  @ApiProperty(VERSION) version!: number;
}

export class HouseholdActionsPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: [HouseholdActionDto], description: 'in the order they were added' })
  actions!: HouseholdActionDto[];
  @ApiProperty(TOTAL) total!: number;
  @ApiProperty(NEXT) next!: string | null;
  @ApiProperty(VERSION) version!: number;
}

export class HouseholdGoalNotesPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({
    type: [HouseholdGoalNoteDto],
    description: 'the notes on goals, in the order they were added',
  })
  notes!: HouseholdGoalNoteDto[];
  @ApiProperty(TOTAL) total!: number;
  @ApiProperty(NEXT) next!: string | null;
  @ApiProperty(VERSION) version!: number;
}

export class HouseholdNetworkPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: [HouseholdNetworkMemberDto], description: 'removed members included' })
  network!: HouseholdNetworkMemberDto[];
  @ApiProperty(TOTAL) total!: number;
  @ApiProperty(NEXT) next!: string | null;
  @ApiProperty(VERSION) version!: number;
}

export class HouseholdReferralsPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: [HouseholdReferralDto], description: 'with their status, in the order requested' })
  referrals!: HouseholdReferralDto[];
  @ApiProperty(TOTAL) total!: number;
  @ApiProperty(NEXT) next!: string | null;
  @ApiProperty(VERSION) version!: number;
}

export class HouseholdMeetingsPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({
    type: [HouseholdMeetingDto],
    description: 'review meetings in the order they were recorded',
  })
  meetings!: HouseholdMeetingDto[];
  @ApiProperty(TOTAL) total!: number;
  @ApiProperty(NEXT) next!: string | null;
  @ApiProperty(VERSION) version!: number;
}
