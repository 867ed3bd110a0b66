import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import type { AuthedRequest } from '../common/auth';
import { ID_MESSAGE, ID_PATTERN } from '../common/validation';
import { WorkerFactsService } from '../common/worker-facts';
import { allowedPurposes } from './access-log.middleware';

/**
 * What a request says of itself for the access log, checked before it does anything (a guard: after
 * the AuthGuard, before interceptors, pipes and handlers):
 * - `X-Purpose` must be one the caller's roles may state (PURPOSES_BY_ROLE), else 400.
 * - `X-On-Behalf-Of` must be an id (else 400) of a worker registered and active in one of the
 *   caller's teams, else 403: the same answer whether the id is unknown, deactivated or of another
 *   team, so the header tells nobody about another team's registry.
 * Requests to public routes carry no principal and are not checked.
 */
@Injectable()
export class PurposeGuard implements CanActivate {
  constructor(private readonly workers: WorkerFactsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = req.principal;
    if (!principal) return true;
    const stated = req.headers['x-purpose'];
    if (stated !== undefined) {
      const allowed = allowedPurposes(principal.roles);
      if (typeof stated !== 'string' || !(allowed as string[]).includes(stated)) {
        throw new ProblemException(
          400,
          'PurposeNotAllowed',
          allowed.length
            ? `X-Purpose must be one your roles may state: ${allowed.join(', ')}`
            : 'X-Purpose cannot be stated without a role',
          { allowedPurposes: allowed },
        );
      }
    }
    const onBehalfOf = req.headers['x-on-behalf-of'];
    if (onBehalfOf !== undefined) {
      if (typeof onBehalfOf !== 'string' || !ID_PATTERN.test(onBehalfOf))
        throw new ProblemException(400, 'InvalidOnBehalfOf', `X-On-Behalf-Of ${ID_MESSAGE}`);
      const worker = await this.workers.find(onBehalfOf);
      if (!worker || !worker.active || !principal.teams.includes(worker.teamId))
        throw new ProblemException(
          403,
          'OnBehalfOfRefused',
          'X-On-Behalf-Of must name an active worker registered in your team',
        );
    }
    return true;
  }
}
