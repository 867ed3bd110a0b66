import {
  DOMAIN_ERRORS,
  type DomainErrorCode,
  type DomainErrorCodeOf,
  type DomainErrorKind,
  type InvariantOf,
} from './error-codes';

/**
 * Expected refusals are values with a stable code, never HTTP exceptions: one filter in the API
 * maps `kind` to a status (conflict 409, forbidden 403, not-found 404, invalid 400). Codes, kinds
 * and invariants come from the one table in error-codes.ts.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    /** The DOMAIN.md invariant this refusal protects, so auditors and clients can look it up. */
    readonly invariant?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A refusal with `code`: its kind is the table's. */
const refusal = (
  code: DomainErrorCode,
  message: string,
  invariant?: number,
  details?: Record<string, unknown>,
) => new DomainError(code, DOMAIN_ERRORS[code].kind, message, invariant, details);

export const conflict = <C extends DomainErrorCodeOf<'conflict'>>(
  code: C,
  message: string,
  invariant?: InvariantOf<C>,
  details?: Record<string, unknown>,
) => refusal(code, message, invariant, details);
export const forbidden = <C extends DomainErrorCodeOf<'forbidden'>>(
  code: C,
  message: string,
  invariant?: InvariantOf<C>,
) => refusal(code, message, invariant);
export const notFound = (code: DomainErrorCodeOf<'not-found'>, message: string) => refusal(code, message);
export const invalid = (
  code: DomainErrorCodeOf<'invalid'>,
  message: string,
  details?: Record<string, unknown>,
) => refusal(code, message, undefined, details);
