import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  Matches,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CONSENT_PURPOSES, ConsentPurpose, DATE_PATTERN, Party } from '@eenplan/domain';
import { ID_MESSAGE, ID_PATTERN } from '../common/validation';
import { DATE_MESSAGE } from '../check-ins/check-ins.dto';

/** The property is set only when `other` is not: a party is a member or an outside holder, not both. */
const OnlyWithout = (other: string) =>
  ValidateBy({
    name: 'onlyWithout',
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: () => 'give memberId or holderId, not both',
    },
  });

/** Who gives or withdraws: a member of the household, or a holder of parental authority outside it. Exactly one id. */
export class ConsentPartyDto {
  @ApiPropertyOptional({ example: 'm-1', description: 'a member of the household' })
  @ValidateIf((o: ConsentPartyDto) => o.holderId === undefined || o.memberId !== undefined)
  @Matches(ID_PATTERN, { message: `${ID_MESSAGE} (or give holderId instead)` })
  memberId?: string;

  @ApiPropertyOptional({
    example: 'gezag-1',
    description:
      'a holder of parental authority outside the household, by the id its authority was recorded with',
  })
  @ValidateIf((o: ConsentPartyDto) => o.memberId === undefined || o.holderId !== undefined)
  @OnlyWithout('memberId')
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  holderId?: string;
}

/** The body's parties as the domain names them; a party with both ids never gets here (400). */
export const partiesOf = (dtos: readonly ConsentPartyDto[]): Party[] =>
  dtos.map((p) =>
    p.memberId !== undefined
      ? { kind: 'member', memberId: p.memberId }
      : { kind: 'external', holderId: p.holderId! },
  );

const PARTIES = { min: 1, max: 3 };

export class GiveConsentDto {
  @ApiPropertyOptional({ example: 'c-1', description: 'chosen by the client, or a UUID when absent' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  consentId?: string;

  @ApiProperty({ example: 'm-1', description: 'the member whose consent it is' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  memberId!: string;

  @ApiProperty({ enum: CONSENT_PURPOSES, description: 'what the consent is for (docs/PERSONS.md)' })
  @IsIn(CONSENT_PURPOSES)
  purpose!: ConsentPurpose;

  @ApiProperty({
    example: 'org-1',
    description:
      "who receives: an organisation id (referral), 'uwv' (uwv-signals), a network member id (network-sharing), " +
      'a team id (regie-outside-organisation)',
  })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  recipient!: string;

  @ApiProperty({
    type: [ConsentPartyDto],
    description:
      'who gives it, with capacity for the member today: the member at 16+, the member and a holder of ' +
      'parental authority at 12-15, a holder under 12',
  })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(PARTIES.min)
  @ArrayMaxSize(PARTIES.max)
  @ValidateNested({ each: true })
  @Type(() => ConsentPartyDto)
  givenBy!: ConsentPartyDto[];

  @ApiPropertyOptional({
    example: '2026-03-02',
    description: 'first day in force; today when absent, never before it',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-09-01',
    description: 'last day in force; until withdrawn when absent',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  until?: string;
}

export class WithdrawConsentDto {
  @ApiProperty({
    type: [ConsentPartyDto],
    description: 'who withdraws it, under the same capacity rule as giving it, today',
  })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(PARTIES.min)
  @ArrayMaxSize(PARTIES.max)
  @ValidateNested({ each: true })
  @Type(() => ConsentPartyDto)
  withdrawnBy!: ConsentPartyDto[];
}
