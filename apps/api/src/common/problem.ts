import { HttpException } from '@nestjs/common';

/** RFC 9457 problem details; `errors` lists field-level reasons for validation failures. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  invariant?: number;
  errors?: { field: string; reason: string }[];
  [extension: string]: unknown;
}

export const problemType = (code: string) =>
  `urn:eenplan:problem:${code.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;

/** Thrown from the HTTP layer when a request cannot be served; the filter renders it as is. */
export class ProblemException extends HttpException {
  constructor(status: number, code: string, detail: string, extra: Partial<Problem> = {}) {
    super({ status, code, detail, ...extra }, status);
  }
}

export const badRequest = (code: string, detail: string, errors?: Problem['errors']) =>
  new ProblemException(400, code, detail, errors ? { errors } : {});
export const forbiddenProblem = (detail: string) => new ProblemException(403, 'Forbidden', detail);
export const notFoundProblem = (code: string, detail: string) => new ProblemException(404, code, detail);
