import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  IdentityProviderUnavailable,
  InvalidTokenError,
  type AccessTokens,
  type Principal,
  type Role,
} from '@eenplan/security';
import { PrincipalRegistry } from './principals';
import type { AuthedRequest } from './authed-request';
import { ProblemException } from './problem';
import { ACCESS_TOKENS } from './tokens';

// Its own file so write-context.ts reads the type without importing the guard (no import cycle).
export type { AuthedRequest } from './authed-request';

const PUBLIC = 'eenplan:public';
const ROLES_KEY = 'eenplan:roles';
/** The local secret (the embedded default only; absent with an OpenID provider). */
export const JWT_SECRET = Symbol('JWT_SECRET');

/** The route needs no token (health, docs). */
export const Public = () => SetMetadata(PUBLIC, true);
/**
 * Roles that may call the route (any of them). 'worker' admits team leads too: a team lead is a
 * worker. Finer rules (which team, which household) are checked where the facts are known. Every
 * route that is not @Public declares its roles: one without is refused to everyone.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
    private readonly registry: PrincipalRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    // RFC 9110: the scheme is case-insensitive.
    const match = typeof header === 'string' ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
    if (!match) throw new ProblemException(401, 'Unauthenticated', 'send Authorization: Bearer <token>');
    let claimed: Principal;
    try {
      claimed = await this.tokens.verify(match[1]!);
    } catch (e) {
      if (e instanceof IdentityProviderUnavailable) {
        this.logger.error(`the identity provider's keys could not be fetched: ${e.message}`);
        throw new ProblemException(
          503,
          'IdentityProviderUnavailable',
          "the token cannot be checked now: the identity provider's keys could not be fetched",
        );
      }
      if (e instanceof InvalidTokenError) {
        if (e.claimedSubject !== undefined) req.claimedSubject = e.claimedSubject;
        throw new ProblemException(401, 'InvalidToken', `the token was refused: ${e.message}`);
      }
      throw e;
    }
    // Until the registry has spoken the subject is only claimed (so the access log names it as such
    // if the registry refuses it); `principal` is set only for whom the registry admits.
    req.claimedSubject = claimed.sub;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed) {
      this.logger.error(`${req.method} ${req.path}: the route declares no roles; refused to everyone`);
      throw new ProblemException(403, 'Forbidden', 'this route is open to no role');
    }
    const principal = await this.registry.resolve(claimed);
    req.principal = principal;
    if (
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
