import { ApiProperty } from '@nestjs/swagger';
import { LIFE_DOMAINS } from '@eenplan/domain';
import { WriteResultDto } from '../common/write-response';

// What the signal and question writes answer (signals.controller.ts), for the OpenAPI document
// and the clients generated from it.

export class UwvConsentGivenDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ enum: ['given'] }) consent!: 'given';
  @ApiProperty({ description: 'the member who consented', example: 'm-1' }) agreedBy!: string;
}

export class UwvConsentWithdrawnDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ enum: ['withdrawn'] }) consent!: 'withdrawn';
  @ApiProperty({ description: 'the member who withdrew it', example: 'm-1' }) withdrawnBy!: string;
}

export class SignalPublicationDto {
  @ApiProperty({ description: 'whether the signal is published to UWV' }) publish!: boolean;
  @ApiProperty({
    enum: ['consent', 'legal-basis'],
    required: false,
    description: 'the ground it is published on',
  })
  basis?: 'consent' | 'legal-basis';
  @ApiProperty({ required: false, description: 'the legal ground named (basis legal-basis)' })
  legalBasis?: string;
  @ApiProperty({ required: false, description: 'why it stays internal' })
  internalReason?: string;
}

export class WorkIncomeSignalRecordedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 's-1' }) signalId!: string;
  @ApiProperty({ enum: ['outbound'], description: "a worker's signal is outbound" }) direction!: 'outbound';
  @ApiProperty({
    type: SignalPublicationDto,
    required: false,
    description: 'absent when the signal was recorded before (nothing new written)',
  })
  publication?: SignalPublicationDto;
}

/** An integrator's inbound signal: the same 202 whatever became of it (issue 16). */
export class InboundSignalReceivedDto {
  @ApiProperty({ example: 's-1' }) signalId!: string;
  @ApiProperty({ enum: ['received'] }) status!: 'received';
}

export class QuestionRegisteredDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'q-1' }) questionId!: string;
  @ApiProperty({ enum: LIFE_DOMAINS }) lifeDomain!: (typeof LIFE_DOMAINS)[number];
}
