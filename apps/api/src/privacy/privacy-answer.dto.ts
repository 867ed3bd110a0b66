import { ApiProperty } from '@nestjs/swagger';
import { WriteResultDto } from '../common/write-response';

export class HouseholdErasedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ description: 'always true: the erasure is recorded' }) erased!: boolean;
  @ApiProperty({
    enum: ['complete', 'pending'],
    description: 'complete once the key is destroyed (200), pending while that goes on (202)',
  })
  status!: 'complete' | 'pending';
}

export class MemberErasedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'm-2' }) memberId!: string;
  @ApiProperty({ description: "always true: the member's erasure is recorded" }) erased!: boolean;
  @ApiProperty({
    enum: ['complete', 'pending'],
    description: "complete once the member's key is destroyed (200), pending while that goes on (202)",
  })
  status!: 'complete' | 'pending';
}
