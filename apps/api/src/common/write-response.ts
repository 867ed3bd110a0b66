import type { Response } from 'express';
import { ApiProperty } from '@nestjs/swagger';

/** Every write answers with the stream's new version (also as ETag) and the global position. */
export class WriteResultDto {
  @ApiProperty({ description: "the stream's version after this write; send it back as If-Match", example: 3 })
  version!: number;
  @ApiProperty({ description: 'position of the last event in the global feed', example: '7:42' })
  position!: string;
}

export const answer = <T extends object>(
  res: Response,
  written: { version: number; position: string },
  body: T,
) => {
  res.setHeader('ETag', `"${written.version}"`);
  return { ...body, version: written.version, position: written.position };
};
