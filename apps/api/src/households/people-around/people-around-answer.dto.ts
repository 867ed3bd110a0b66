import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../../common/write-response';

// What the network, volunteer-assignment and referral writes answer (people-around.controller.ts),
// for the OpenAPI document and the clients generated from it.

export class NetworkMemberAddedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'nm-1' }) networkMemberId!: string;
}

export class NetworkMemberRemovedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'nm-1' }) networkMemberId!: string;
  @ApiProperty({ description: 'always true: the member is removed' }) removed!: boolean;
}

export class VolunteerAssignmentWrittenDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'as-1' }) assignmentId!: string;
  @ApiProperty({ enum: ['open', 'ended'], description: 'open once assigned, ended once ended' })
  status!: 'open' | 'ended';
}

export class ReferralWrittenDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'r-1' }) referralId!: string;
  @ApiProperty({
    enum: ['requested', 'accepted', 'completed', 'withdrawn'],
    description: 'the status it now has',
  })
  status!: 'requested' | 'accepted' | 'completed' | 'withdrawn';
}
