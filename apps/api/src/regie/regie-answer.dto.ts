import { ApiProperty } from '@nestjs/swagger';
import { RegieHolderRefDto } from '../households/household-answer.dto';
import { WriteResultDto } from '../common/write-response';

// What the regie writes answer besides the transfer ones (household-answer.dto.ts), for the
// OpenAPI document and the clients generated from it.

/** Regie's holder as the household's state has it: the household carries no id there. */
export class RegieHolderStateDto {
  @ApiProperty({ enum: ['household', 'worker', 'professional'] }) kind!:
    'household' | 'worker' | 'professional';
  @ApiProperty({ required: false, description: "the worker's or professional's id", example: 'w-1' })
  id?: string;
  @ApiProperty({ required: false, description: "the worker's team (workers only)", example: 't-1' })
  teamId?: string;
  @ApiProperty({
    required: false,
    description: "the professional's organisation on the social map (professionals only, issue 19)",
    example: 'org-1',
  })
  organisationId?: string;
}

export class RegieReturnedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ type: RegieHolderRefDto, description: 'the household itself' }) holder!: RegieHolderRefDto;
}

export class SafetyTakeoverTakenDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'st-1' }) takeoverId!: string;
  @ApiProperty({ type: RegieHolderStateDto, description: 'who holds regie now: the caller' })
  holder!: RegieHolderStateDto;
  @ApiProperty({ enum: ['safety-takeover'] }) cause!: 'safety-takeover';
  @ApiProperty({
    enum: ['awaiting-confirmation', 'confirmed', 'rejected'],
    required: false,
    description: 'awaiting-confirmation until a team lead decides',
  })
  confirmation?: 'awaiting-confirmation' | 'confirmed' | 'rejected';
  @ApiProperty({
    required: false,
    description:
      'with body `meldcode`: the track the takeover started, or the one already open (then the signals are kept with the takeover); absent without `meldcode`',
    example: 'mc-1',
  })
  meldcodeTrackId?: string;
  @ApiProperty({
    required: false,
    description:
      'with body `meldcode`: true when the takeover started the track, false when one was already open (the takeover went ahead regardless)',
  })
  meldcodeTrackStarted?: boolean;
}

export class SafetyTakeoverConfirmedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'st-1' }) takeoverId!: string;
  @ApiProperty({ enum: ['confirmed'] }) confirmation!: 'confirmed';
  @ApiProperty({ description: 'the team lead who confirmed', example: 'w-9' }) approvedBy!: string;
}

export class SafetyTakeoverRejectedDto extends WriteResultDto {
  @ApiProperty({ example: 'h-1' }) householdId!: string;
  @ApiProperty({ example: 'st-1' }) takeoverId!: string;
  @ApiProperty({ enum: ['rejected'] }) confirmation!: 'rejected';
  @ApiProperty({ description: 'whether regie went back to who held it before the takeover' })
  regieReturned!: boolean;
  @ApiProperty({ type: RegieHolderStateDto, description: 'who holds regie now' })
  holder!: RegieHolderStateDto;
}
