import { DOMAIN_ERRORS, type DomainErrorCode, type DomainErrorKind } from '@eenplan/domain';

/** The HTTP status of each kind of domain refusal (problem.filter.ts answers with it). */
export const STATUS_OF_KIND = {
  conflict: 409,
  forbidden: 403,
  'not-found': 404,
  invalid: 400,
} as const satisfies Record<DomainErrorKind, number>;

/**
 * The codes only the HTTP layer gives (authentication, request syntax, headers, the store): the
 * domain's own codes are in libs/domain/src/shared/error-codes.ts. Together they are ERROR_CODES,
 * from which docs/errors.md is written (`npm run docs:errors`).
 */
export const API_ERRORS = {
  Unauthenticated: { status: 401, meaning: 'no bearer token was sent: send Authorization: Bearer <token>' },
  InvalidToken: {
    status: 401,
    meaning: 'the bearer token was refused (signature, expiry, issuer, audience)',
  },
  IdentityProviderUnavailable: {
    status: 503,
    meaning:
      "the token could not be checked: the identity provider's keys (JWKS) could not be fetched; try again",
  },
  Forbidden: { status: 403, meaning: "the route is not open to the principal's roles" },
  PrincipalKindConflict: {
    status: 403,
    meaning:
      "a token is a worker's or an auditor's/integrator's/admin's, never both; a network member's or volunteer's token has that one role alone",
  },
  WorkerNotRegistered: { status: 403, meaning: 'no team has registered the worker named by the token' },
  PrincipalNotRegistered: {
    status: 403,
    meaning:
      'the household, its network or the volunteer register does not know the resident, network member or volunteer the token names',
  },
  WorkerDeactivated: { status: 403, meaning: 'the worker named by the token was deactivated' },
  VolunteerDeactivated: { status: 403, meaning: 'the volunteer named by the token was deactivated' },
  ProfessionalDeactivated: {
    status: 403,
    meaning: 'the professional named by the token was deactivated by their organisation',
  },
  OnBehalfOfRefused: { status: 403, meaning: 'X-On-Behalf-Of names someone this principal may not act for' },
  ValidationFailed: {
    status: 400,
    meaning: 'the request body or query does not match the schema (errors lists each field)',
  },
  InvalidId: { status: 400, meaning: 'an id in the path is not a valid id' },
  InvalidCursor: { status: 400, meaning: 'the paging cursor was not issued by this server or is damaged' },
  InvalidLimit: { status: 400, meaning: 'the page size is out of range' },
  UnknownQueryParameter: {
    status: 400,
    meaning: 'the query names a parameter the route does not take (the detail lists those it takes)',
  },
  RepeatedQueryParameter: { status: 400, meaning: 'a query parameter is given more than once' },
  InvalidIdempotencyKey: { status: 400, meaning: 'the Idempotency-Key header is not a valid key' },
  InvalidIfMatch: { status: 400, meaning: 'the If-Match header does not look like "3"' },
  InvalidInstant: { status: 400, meaning: 'a date or instant in the query is not ISO 8601' },
  InvalidRange: { status: 400, meaning: 'from must not be after to' },
  InvalidOnBehalfOf: { status: 400, meaning: 'X-On-Behalf-Of is not a valid id' },
  PurposeNotAllowed: { status: 400, meaning: 'X-Purpose is not one the roles of the principal may state' },
  TooDeeplyNested: { status: 400, meaning: 'the request body nests deeper than the server accepts' },
  UnstorableText: { status: 400, meaning: 'a text holds NUL (U+0000) or an unpaired surrogate' },
  UnknownLegalBasis: { status: 400, meaning: 'legalBasis is not one of the configured legal grounds' },
  MalformedJson: { status: 400, meaning: 'the request body is not a JSON object' },
  MalformedRequest: { status: 400, meaning: 'the request could not be parsed as HTTP/1.1' },
  BadRequest: { status: 400, meaning: 'the request was refused by the HTTP layer before any handler' },
  NotFound: { status: 404, meaning: 'no route answers this path' },
  NoRegieHolder: { status: 404, meaning: 'the household was not registered at the instant asked for' },
  UnknownEventSchema: { status: 404, meaning: 'the event contract has no schema of this type and version' },
  MethodNotAllowed: { status: 405, meaning: 'the route does not answer this method' },
  NotAcceptable: { status: 406, meaning: 'the Accept header asks for a type this route cannot give' },
  RequestTimeout: { status: 408, meaning: 'the request was not received in time' },
  VersionConflict: {
    status: 409,
    meaning: 'the household or team changed meanwhile (If-Match or a concurrent write): read and retry',
  },
  IdempotencyKeyReused: { status: 409, meaning: 'the Idempotency-Key was used before for another request' },
  IdempotentRequestApplied: {
    status: 409,
    meaning: 'a request with this Idempotency-Key was already applied; its response is not available',
  },
  BodyTooLarge: { status: 413, meaning: 'the request body is too large' },
  UnsupportedMediaType: { status: 415, meaning: 'the request body is not application/json' },
  HeadersTooLarge: { status: 431, meaning: 'the request headers are larger than the server accepts (16 KB)' },
  InternalError: { status: 500, meaning: 'an unexpected error occurred; it has been logged' },
  StreamKeyMissing: {
    status: 500,
    meaning:
      "the key store lost a stream's key (it was not erased): its personal data cannot be read until the key is restored",
  },
  StoreUnavailable: {
    status: 503,
    meaning: 'the data store does not answer; retry after Retry-After (an idempotent write is applied once)',
  },
  NotReady: { status: 503, meaning: 'the service is not ready (health check)' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;
export type ErrorCode = DomainErrorCode | ApiErrorCode;

export interface ErrorCodeEntry {
  readonly code: ErrorCode;
  readonly status: number;
  /** Where it is decided: the domain (a DomainError) or the HTTP layer. */
  readonly source: 'domain' | 'api';
  readonly invariants: readonly number[];
  readonly meaning: string;
}

/** Every code a client can get, in one list sorted by status then code. */
export const ERROR_CODES: readonly ErrorCodeEntry[] = [
  ...Object.entries(DOMAIN_ERRORS).map(([code, spec]): ErrorCodeEntry => ({
    code: code as DomainErrorCode,
    status: STATUS_OF_KIND[spec.kind],
    source: 'domain',
    invariants: 'invariants' in spec ? spec.invariants : [],
    meaning: spec.meaning,
  })),
  ...Object.entries(API_ERRORS).map(([code, spec]): ErrorCodeEntry => ({
    code: code as ApiErrorCode,
    status: spec.status,
    source: 'api',
    invariants: [],
    meaning: spec.meaning,
  })),
].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));

/** docs/errors.md as `npm run docs:errors` writes it. */
export const renderErrorsDoc = (): string => {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = ERROR_CODES.map(
    (e) => `| ${e.status} | \`${e.code}\` | ${e.source} | ${e.invariants.join(', ')} | ${cell(e.meaning)} |`,
  );
  return [
    '# Error codes',
    '',
    "Generated from `libs/domain/src/shared/error-codes.ts` (the domain's refusals) and",
    "`apps/api/src/common/error-codes.ts` (the HTTP layer's) by `npm run docs:errors`; do not edit.",
    'Every error is `application/problem+json` (RFC 9457) with `code`, `status`, `detail` and, where a',
    'refusal protects one, the `invariant` of docs/DOMAIN.md. In the meaning, `…` stands for the values',
    'the actual `detail` names.',
    '',
    `${ERROR_CODES.length} codes.`,
    '',
    '| Status | Code | Source | Invariants | Meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
};
