/**
 * Expected refusals are values with a stable code, never HTTP exceptions: one filter in the API
 * maps `kind` to a status (conflict 409, forbidden 403, not-found 404, invalid 400).
 */
export type DomainErrorKind = 'conflict' | 'forbidden' | 'not-found' | 'invalid';

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

export const conflict = (
  code: string,
  message: string,
  invariant?: number,
  details?: Record<string, unknown>,
) => new DomainError(code, 'conflict', message, invariant, details);
export const forbidden = (code: string, message: string, invariant?: number) =>
  new DomainError(code, 'forbidden', message, invariant);
export const notFound = (code: string, message: string) => new DomainError(code, 'not-found', message);
export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, 'invalid', message, undefined, details);
