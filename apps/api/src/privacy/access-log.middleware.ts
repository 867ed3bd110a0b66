import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { AccessLog } from '@eenplan/security';
import type { AuthedRequest } from '../common/auth';
import { ID_PATTERN } from '../common/validation';

/** Why someone looks at a file (NEN 7513 asks for it); by default the one that goes with the role. */
export const PURPOSES = ['care', 'audit', 'integration', 'administration', 'erasure'] as const;
const DEFAULT_PURPOSE: Record<string, (typeof PURPOSES)[number]> = {
  admin: 'administration',
  auditor: 'audit',
  integrator: 'integration',
  'team-lead': 'care',
  worker: 'care',
};

/**
 * Records every /v1 request in the access log once its response is sent, refused ones too (a 401
 * or 403 is an access attempt worth knowing of). A middleware, not an interceptor: guards run
 * before interceptors and would hide the refusals. Headers `X-Purpose` and `X-On-Behalf-Of`
 * (a worker id) say why and for whom; they are checked, never copied unchecked.
 */
@Injectable()
export class AccessLogMiddleware implements NestMiddleware {
  private readonly logger = new Logger('AccessLog');

  constructor(private readonly log: AccessLog) {}

  use(req: AuthedRequest, res: Response, next: NextFunction): void {
    // The wall clock, not the app's CLOCK: an access happens when it happens, and the domain clock
    // (which tests drive) stays the one time source of the commands.
    const at = new Date().toISOString();
    res.on('finish', () => {
      const principal = req.principal;
      const route = (req.route as { path?: string } | undefined)?.path;
      const roles = principal?.roles ?? [];
      const purposeHeader = req.header('x-purpose');
      const purpose =
        PURPOSES.find((p) => p === purposeHeader) ?? DEFAULT_PURPOSE[roles[0] ?? ''] ?? 'unknown';
      const onBehalf = req.header('x-on-behalf-of');
      const correlation = req.header('x-correlation-id');
      this.log
        .record({
          at,
          actorId: principal?.sub ?? 'anonymous',
          actorRoles: roles,
          onBehalfOf: onBehalf && ID_PATTERN.test(onBehalf) ? onBehalf : null,
          householdId: householdOf(req, route),
          // The route pattern, not the URL: ids and query values stay out of the action.
          action: `${req.method} ${route ? `${req.baseUrl}${route}` : req.path.split('/').slice(0, 3).join('/')}`,
          outcome: res.statusCode,
          purpose,
          correlationId: correlation && ID_PATTERN.test(correlation) ? correlation : null,
        })
        .catch((error: Error) => this.logger.error(`access log entry not stored: ${error.message}`));
    });
    next();
  }
}

function householdOf(req: AuthedRequest, route: string | undefined): string | null {
  const params = req.params as Record<string, string | undefined>;
  const query = req.query as Record<string, unknown>;
  const candidate =
    params['householdId'] ??
    (route?.startsWith('/v1/households/:id') || req.originalUrl.startsWith('/v1/households/')
      ? (params['id'] ?? req.originalUrl.split(/[/?]/)[3])
      : undefined) ??
    (typeof query['householdId'] === 'string' ? query['householdId'] : undefined) ??
    // A registration names the household in its body (only the id is read).
    (req.originalUrl.startsWith('/v1/households') ? bodyHouseholdId(req.body) : undefined);
  return candidate && ID_PATTERN.test(candidate) ? candidate : null;
}

function bodyHouseholdId(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const id = (body as Record<string, unknown>)['householdId'];
  return typeof id === 'string' ? id : undefined;
}
