import { ApiProperty } from '@nestjs/swagger';

const OBJECT = { type: 'object', additionalProperties: true } as const;

/** The request the export answers. */
export class PersonExportRequestDto {
  @ApiProperty({ example: 'AVG artikel 15: recht op inzage' }) grondslag!: string;
  @ApiProperty({ example: 'h-1' }) huishouden!: string;
  @ApiProperty({ example: 'm-1' }) betrokkene!: string;
  @ApiProperty({ example: '2026-12-04T10:00:00.000Z' }) opgesteldOp!: string;
}

/** One event about the person. */
export class PersonExportEntryDto {
  @ApiProperty({ example: 'Instemming met het plan' }) soort!: string;
  @ApiProperty({ example: '2026-12-04T10:00:00.000Z' }) vastgelegdOp!: string;
  @ApiProperty({ example: 'w-1', description: "the recording staff member's id" }) vastgelegdDoor!: string;
  @ApiProperty({ ...OBJECT, description: 'the facts about this person, Dutch labels' })
  gegevens!: Record<string, unknown>;
}

/** The access log's newest entries on the household. */
export class PersonExportAccessDto {
  @ApiProperty() toelichting!: string;
  @ApiProperty({ type: 'array', items: OBJECT }) regels!: Record<string, unknown>[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'where to read on when there are more entries (GET /v1/households/:id/access-log)',
  })
  meer!: string | null;
}

/** AVG art. 15: all eenplan holds about one person, and none about others, in Dutch. */
export class PersonExportDto {
  @ApiProperty({ type: PersonExportRequestDto }) verzoek!: PersonExportRequestDto;
  @ApiProperty({
    ...OBJECT,
    description: 'the person: id, name (null when erased), role, birth year/month, authority, left',
  })
  persoon!: Record<string, unknown>;
  @ApiProperty({ type: [PersonExportEntryDto], description: 'every event about this person, oldest first' })
  gebeurtenissen!: PersonExportEntryDto[];
  @ApiProperty({ type: PersonExportAccessDto }) inzageInHetDossier!: PersonExportAccessDto;
  @ApiProperty({ ...OBJECT, description: 'the kinds of data not in a one-person export, and why' })
  nietOpgenomen!: Record<string, unknown>;
  @ApiProperty({
    ...OBJECT,
    description: 'purposes, recipients, retention, source and rights (AVG art. 15(1))',
  })
  verwerking!: Record<string, unknown>;
}
