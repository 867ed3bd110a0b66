/** Injection tokens for the ports and values the infrastructure module provides. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const SQL = Symbol('SQL');
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The same store without the metrics around it: for verification and erasure (a SealedEventStore). */
export const SEALED_EVENT_STORE = Symbol('SEALED_EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
/**
 * Who checks bearer tokens (AccessTokens: the local secret or the OpenID provider, by the
 * configuration): the guard and the access log ask this one, nothing reads a token on its own.
 */
export const ACCESS_TOKENS = Symbol('ACCESS_TOKENS');

// The clock both processes use lives in the shared runtime; re-exported for the API's handlers.
export { type Clock, systemClock } from '@eenplan/runtime/clock';
