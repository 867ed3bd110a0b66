import { ApiProperty } from '@nestjs/swagger';

export class OrganisationExpertiseDto {
  @ApiProperty({ type: [String] })
  lifeDomains!: string[];

  @ApiProperty({ type: [String] })
  tags!: string[];
}

/** An organisation of the social map as the search finds it. */
export class OrganisationFoundDto {
  @ApiProperty()
  organisationId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: OrganisationExpertiseDto })
  expertise!: OrganisationExpertiseDto;

  @ApiProperty()
  location!: string;

  @ApiProperty()
  waitingDays!: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class OrganisationsPageDto {
  @ApiProperty({ type: [OrganisationFoundDto] })
  organisations!: OrganisationFoundDto[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
}
