import type { Request } from 'express';
import type { Principal } from '@eenplan/security';

/** A request once the auth guard has looked at it. */
export type AuthedRequest = Request & {
  /** Who is calling, as the registry has them (see PrincipalRegistry). */
  principal?: Principal;
  /**
   * The `sub` of a refused token whose signature held (expired, too long a life, ...), or of a
   * verified token the registry refused: who claimed to call, for the access log.
   */
  claimedSubject?: string;
  /** Set by the idempotency interceptor for a keyed write: which request the key stands for. */
  idempotencyRequestHash?: string;
};
