/**
 * Whether an error means the database could not be reached or dropped the connection, as opposed
 * to a statement it refused. Such a failure says nothing about the request: the same request may
 * succeed once the server is back, so the API answers 503 (retry later), not 500 (a bug).
 */
export function isStoreUnavailable(error: unknown): boolean {
  return unavailable(error, 0);
}

/** Socket-level failures reaching the server (node's error codes). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is there but will not serve this session: class 08's connection
 * failures (not 08P01 protocol_violation, which a wrong parameter count raises: a bug, so a 500);
 * 57P01 admin_shutdown (a fast shutdown ends the session),
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, recovering),
 * 53300 too_many_connections.
 */
const SQLSTATES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * node-postgres reports a dropped or never-made connection with a plain Error and no code:
 * 'Connection terminated unexpectedly' (the server went away mid-session), 'Connection terminated
 * due to connection timeout', the pool's 'timeout exceeded when trying to connect', and a client
 * used after its connection broke.
 */
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

function unavailable(error: unknown, depth: number): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code))) return true;
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  // Node reports a failed connect to a host with several addresses as an AggregateError.
  if (error instanceof AggregateError && error.errors.some((e) => unavailable(e, depth + 1))) return true;
  return unavailable(cause, depth + 1);
}
