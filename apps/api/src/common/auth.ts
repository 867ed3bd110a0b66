import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { InvalidTokenError, Principal, Role, TokenVerifier } from '@eenplan/security';
import { ProblemException } from './problem';

const PUBLIC = 'eenplan:public';
const ROLES_KEY = 'eenplan:roles';
export const JWT_SECRET = Symbol('JWT_SECRET');

/** The route needs no token (health, docs). */
export const Public = () => SetMetadata(PUBLIC, true);
/**
 * Roles that may call the route (any of them). 'worker' admits team leads too: a team lead is a
 * worker. Finer rules (which team, which household) are checked where the facts are known.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type AuthedRequest = Request & {
  principal?: Principal;
  /** Set by the idempotency interceptor for a keyed write: which request the key stands for. */
  idempotencyRequestHash?: string;
};

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly tokens: TokenVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_SECRET) secret: string,
  ) {
    this.tokens = new TokenVerifier(secret);
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    // RFC 9110: the scheme is case-insensitive.
    const match = typeof header === 'string' ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
    if (!match) throw new ProblemException(401, 'Unauthenticated', 'send Authorization: Bearer <token>');
    let principal: Principal;
    try {
      principal = this.tokens.verify(match[1]!);
    } catch (e) {
      if (e instanceof InvalidTokenError)
        throw new ProblemException(401, 'InvalidToken', `the token was refused: ${e.message}`);
      throw e;
    }
    req.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (
      allowed &&
      !allowed.some(
        (r) => principal.roles.includes(r) || (r === 'worker' && principal.roles.includes('team-lead')),
      )
    ) {
      throw new ProblemException(403, 'Forbidden', `this needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new ProblemException(401, 'Unauthenticated', 'send Authorization: Bearer <token>');
  return principal;
});
