import { ApiProperty } from '@nestjs/swagger';

/** Read from the consent register: 'uwv-signals' consents to 'uwv', per member. */
export class UwvConsentDto {
  @ApiProperty({
    enum: ['none', 'given', 'withdrawn'],
    description: 'given: some member has consent in force today; withdrawn: none has, and one was withdrawn',
  })
  status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the first member with consent in force' })
  agreedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) since!: string | null;
  @ApiProperty({ type: [String], description: 'every member with consent in force today' })
  members!: string[];
}

export class WorkIncomeSignalsPageDto {
  @ApiProperty() householdId!: string;
  @ApiProperty({ type: UwvConsentDto }) consent!: UwvConsentDto;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'the signals in the order recorded, each with its publication and description',
  })
  signals!: object[];
  @ApiProperty({ description: 'all the signals, not only this page' }) total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'the newest inbound signals refused',
  })
  refusedInbound!: object[];
  @ApiProperty() refusedInboundTotal!: number;
}
