import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@eenplan/domain';
import { WrongExpectedVersionError } from '@eenplan/event-store/event-store.port';
import { isStoreUnavailable } from '@eenplan/event-store/sql/unavailable';
import { StreamKeyMissingError } from '@eenplan/security';
import { STATUS_OF_KIND } from './error-codes';
import { Problem, problemType } from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The members every problem has: a detail of an error may add others, never replace these. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'instance']);

const make = (status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem => ({
  type: problemType(code),
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  code,
  // A domain error's details named `status` once replaced the HTTP status in the body (and the
  // answer was a 500): details only add.
  ...Object.fromEntries(Object.entries(extra).filter(([key]) => !RESERVED.has(key))),
});

/** Seconds a client is asked to wait before repeating a request the store could not serve. */
export const STORE_RETRY_AFTER_SECONDS = 1;

/** The one place where failures become application/problem+json (RFC 9457). */
export const toProblem = (exception: unknown): Problem => {
  if (exception instanceof DomainError) {
    const status = STATUS_OF_KIND[exception.kind];
    const field = exception.details?.field;
    return make(status, exception.code, exception.message, {
      ...(exception.invariant !== undefined ? { invariant: exception.invariant } : {}),
      ...(typeof field === 'string' ? { errors: [{ field, reason: exception.message }] } : {}),
      ...(exception.details && typeof field !== 'string' ? exception.details : {}),
    });
  }
  if (exception instanceof WrongExpectedVersionError) {
    return make(
      409,
      'VersionConflict',
      `the household or team changed meanwhile: it is at version ${exception.actualVersion}, the request expected ${String(exception.expectedVersion)}`,
      {
        currentVersion: exception.actualVersion,
      },
    );
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    if (typeof body === 'object' && body !== null && 'code' in body) {
      const { code, detail, ...rest } = body as { code: string; detail: string; status?: number };
      delete rest.status;
      return make(status, code, detail, rest as Partial<Problem>);
    }
    const message =
      typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
    return make(status, (TITLES[status] ?? 'Error').replace(/\s/g, ''), message);
  }
  // An error with an HTTP status is the request's own (body-parser's 'request aborted' carries
  // ECONNABORTED and 400): not the store going away.
  if (isStoreUnavailable(exception) && typeof (exception as { status?: unknown })?.status !== 'number') {
    return make(
      503,
      'StoreUnavailable',
      'the data store does not answer at the moment; try again shortly (a write repeated with the same Idempotency-Key is applied once)',
    );
  }
  if (exception instanceof StreamKeyMissingError) {
    // The operator's to mend (the key store lost a key); the caller is told it is no erasure.
    return make(
      500,
      'StreamKeyMissing',
      `the key of stream ${exception.streamId} is missing from the key store (it was not erased): its personal data cannot be read until the key is restored; nothing was changed`,
      { streamId: exception.streamId },
    );
  }
  // body-parser reports malformed JSON and oversized bodies as errors with a status.
  const parserError = exception as { type?: string; status?: number; message?: string };
  if (parserError?.type === 'entity.parse.failed') {
    return make(400, 'MalformedJson', 'the request body must be a JSON object', {
      errors: [{ field: '(body)', reason: 'must be a JSON object' }],
    });
  }
  if (parserError?.type === 'entity.too.large')
    return make(413, 'BodyTooLarge', 'the request body is too large');
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return make(parserError.status, 'BadRequest', parserError.message ?? 'bad request');
  }
  return make(500, 'InternalError', 'an unexpected error occurred; it has been logged');
};

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');
  private unavailable = { count: 0, loggedAt: 0 };

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(exception);
    if (problem.code === 'StoreUnavailable') {
      res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
      this.logUnavailable(exception);
    } else if (problem.status >= 500) {
      // Only the error itself: request bodies may carry personal data and never reach a log.
      this.logger.error(describeForLog(exception));
    }
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  /** An outage fails every request: one line (no stack) at most every 5 s, with how many failed. */
  private logUnavailable(exception: unknown): void {
    this.unavailable.count++;
    const now = Date.now();
    if (now - this.unavailable.loggedAt < 5000) return;
    const first = describeForLog(exception).split('\n')[0];
    this.logger.warn(
      `store unavailable, answering 503 (${this.unavailable.count} since the last report): ${first}`,
    );
    this.unavailable = { count: 0, loggedAt: now };
  }
}

/**
 * A database error's message can quote the value it refused (`invalid input syntax for type
 * integer: "<a name>"`): for those only the SQLSTATE, the constraint and where it was thrown.
 */
export function describeForLog(exception: unknown): string {
  if (!(exception instanceof Error)) return `non-error thrown: ${typeof exception}`;
  const { code, constraint } = exception as Error & { code?: unknown; constraint?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    const frames = (exception.stack ?? '').split('\n').slice(1).join('\n');
    const where = typeof constraint === 'string' ? ` constraint ${constraint}` : '';
    return `database error ${code}${where} (message withheld: it may quote data)\n${frames}`;
  }
  return exception.stack ?? `${exception.name}: ${exception.message}`;
}
