import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';

/** Every write answers with the stream's new version (also as ETag) and the global position. */
export class WriteResultDto {
  @ApiProperty({ description: "the stream's version after this write; send it back as If-Match", example: 3 })
  version!: number;
  @ApiProperty({ description: 'position of the last event in the global feed', example: '7:42' })
  position!: string;
}

/** For a read's @ApiOkResponse that answers with ETag (openapi.ts gives it the shared description). */
export const ETAG_HEADER = {
  ETag: { description: "the stream's version as read", schema: { type: 'string' } },
};

/**
 * What a handler returns when its answer carries a stream's version or a status other than the
 * route's default: the body as sent, the version for the ETag header, the status. AnswerHeaders
 * turns it into headers, so no handler touches the response object.
 */
export class Answer<T extends object> {
  constructor(
    readonly body: T,
    readonly version?: number,
    readonly status?: number,
  ) {}
}

/** A write's answer: the body with the stream's version and the global position; ETag = version. */
export const answer = <T extends object>(
  written: { version: number; position: string },
  body: T,
  status?: number,
): Answer<T & WriteResultDto> =>
  new Answer({ ...body, version: written.version, position: written.position }, written.version, status);

/** A read of one stream: the body as is; ETag = the version read. */
export const versioned = <T extends object>(version: number, body: T): Answer<T> => new Answer(body, version);

/**
 * Sets ETag and a status other than the route's default from a handler's Answer, and sends its
 * body. Registered after the IdempotencyInterceptor, so that one sees the headers and stores the
 * plain body.
 */
@Injectable()
export class AnswerHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof Answer)) return result;
        const res = context.switchToHttp().getResponse<Response>();
        if (result.version !== undefined) res.setHeader('ETag', `"${result.version}"`);
        if (result.status !== undefined) res.status(result.status);
        return result.body as unknown;
      }),
    );
  }
}
