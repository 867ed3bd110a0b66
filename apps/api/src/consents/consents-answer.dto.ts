import { ApiProperty } from '@nestjs/swagger';
import { CONSENT_PURPOSES } from '@eenplan/domain';
import { WriteResultDto } from '../common/write-response';

// What the consent register's routes answer (consents.controller.ts), for the OpenAPI document.

export class ConsentPartyAnswerDto {
  @ApiProperty({ enum: ['member', 'external'] }) kind!: 'member' | 'external';
  @ApiProperty({ required: false, example: 'm-1' }) memberId?: string;
  @ApiProperty({ required: false, example: 'gezag-1' }) holderId?: string;
}

export class ConsentRecordedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'c-1' }) consentId!: string;
  @ApiProperty({ enum: ['in-force', 'not-yet'], description: 'as it stands today' })
  status!: 'in-force' | 'not-yet';
}

export class ConsentWithdrawalDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'c-1' }) consentId!: string;
  @ApiProperty({ enum: ['withdrawn'] }) status!: 'withdrawn';
}

export class ConsentWithdrawalInfoDto {
  @ApiProperty({ example: '2026-04-10', description: 'from this day on no longer in force' }) on!: string;
  @ApiProperty({ type: [ConsentPartyAnswerDto] }) by!: ConsentPartyAnswerDto[];
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ConsentItemDto {
  @ApiProperty({ example: 'c-1' }) consentId!: string;
  @ApiProperty({ example: 'm-1' }) memberId!: string;
  @ApiProperty({ enum: CONSENT_PURPOSES }) purpose!: string;
  @ApiProperty({ example: 'org-1' }) recipient!: string;
  @ApiProperty({ type: [ConsentPartyAnswerDto] }) givenBy!: ConsentPartyAnswerDto[];
  @ApiProperty({ example: '2026-03-02' }) from!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-09-01' }) until!: string | null;
  @ApiProperty({ format: 'date-time' }) givenAt!: string;
  @ApiProperty({ type: ConsentWithdrawalInfoDto, nullable: true })
  withdrawn!: ConsentWithdrawalInfoDto | null;
  @ApiProperty({ enum: ['in-force', 'not-yet', 'expired', 'withdrawn'], description: 'as it stands today' })
  status!: string;
  @ApiProperty({
    description: 'read from a household-wide UWV consent recorded before the register (upcast)',
  })
  legacy!: boolean;
}

export class ConsentsPageDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: [ConsentItemDto], description: 'in the order given (givenAt, then consentId)' })
  consents!: ConsentItemDto[];
  @ApiProperty({ description: 'all the consents, not only this page' }) total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
