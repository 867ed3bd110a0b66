import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { createHash, randomUUID } from 'node:crypto';
import type { Principal } from '@eenplan/security';
import type { CommandActor } from '@eenplan/domain';
import { actorOf } from './actor';
import type { AuthedRequest } from './authed-request';
import { badRequest, ProblemException } from './problem';

/** What every write carries besides its body: who, the expected version, idempotency, correlation. */
export interface WriteContext {
  readonly principal: Principal;
  readonly actor: CommandActor;
  /** From If-Match: the version the client last saw; a stale one is a 409 and writes nothing. */
  readonly expectedVersion?: number;
  readonly idempotencyKey?: string;
  /** The keyed request's hash (method, path, body), recorded in its events' metadata. */
  readonly requestHash?: string;
  readonly correlationId: string;
  /** This request: the cause of the events it writes. */
  readonly requestId: string;
}

const SAFE_HEADER = /^[A-Za-z0-9._:-]{1,200}$/;

export const parseIfMatch = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(raw);
  if (!m) {
    throw badRequest('InvalidIfMatch', 'If-Match must be a version in quotes, as in the ETag: "3"', [
      { field: 'If-Match', reason: 'must look like "3"' },
    ]);
  }
  return Number(m[1]);
};

/** The route reads If-Match: said in its OpenAPI operation (openapi.ts gives it the shared description). */
const documentIfMatch = (target: object, key: string | symbol | undefined): void => {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor) ApiHeader({ name: 'If-Match', required: false })(target, key, descriptor);
};

export const Write = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): WriteContext => {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const principal = req.principal;
    if (!principal) throw new ProblemException(401, 'Unauthenticated', 'send Authorization: Bearer <token>');
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const correlation = header('x-correlation-id');
    const idempotencyKey = header('idempotency-key');
    if (idempotencyKey !== undefined && !SAFE_HEADER.test(idempotencyKey)) {
      throw badRequest(
        'InvalidIdempotencyKey',
        'Idempotency-Key must be 1-200 characters: letters, digits, . _ : -',
        [{ field: 'Idempotency-Key', reason: 'must be 1-200 characters: letters, digits, . _ : -' }],
      );
    }
    return {
      principal,
      actor: actorOf(principal),
      expectedVersion: parseIfMatch(header('if-match')),
      idempotencyKey,
      requestHash: idempotencyKey ? req.idempotencyRequestHash : undefined,
      correlationId: correlation && SAFE_HEADER.test(correlation) ? correlation : randomUUID(),
      requestId: randomUUID(),
    };
  },
  [documentIfMatch],
);

/**
 * The id of something a write creates when the client sent none. With an Idempotency-Key it is
 * derived from the caller, the key and what it names, so a repeat of the request (a retry after a
 * lost answer, or two copies at once) names the same goal, household or transfer, and its answer
 * is the first one's; without a key every request gets a new UUID.
 */
export const newId = (ctx: WriteContext, what: string): string => {
  if (!ctx.idempotencyKey) return randomUUID();
  const h = createHash('sha256').update(`${ctx.principal.sub}\n${ctx.idempotencyKey}\n${what}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-b${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
