import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Duplex } from 'node:stream';
import type { NextFunction, Response } from 'express';
import { AccessLog, ANONYMOUS, type AccessRecord, type AccessTokens, type Role } from '@eenplan/security';
import type { AuthedRequest } from '../common/auth';
import { ACCESS_TOKENS } from '../common/tokens';
import { ID_PATTERN } from '../common/validation';

/** Why someone looks at a file (NEN 7513 asks for it). */
export const PURPOSES = ['care', 'audit', 'integration', 'administration', 'erasure', 'own-file'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * The purposes each role may state in `X-Purpose`; the first is the one recorded when none is
 * stated. A principal with several roles may state any purpose of any of them.
 */
export const PURPOSES_BY_ROLE: Record<Role, readonly Purpose[]> = {
  worker: ['care'],
  'team-lead': ['care'],
  auditor: ['audit'],
  integrator: ['integration'],
  admin: ['administration', 'erasure'],
  // A resident reads their own household's file; the network and volunteers help with its care.
  resident: ['own-file'],
  'network-member': ['care'],
  volunteer: ['care'],
  // Issue 19: a professional of the specialist circle works on the household's care.
  professional: ['care'],
};

export const allowedPurposes = (roles: readonly Role[]): Purpose[] =>
  PURPOSES.filter((p) => roles.some((r) => PURPOSES_BY_ROLE[r]?.includes(p)));

/**
 * Which purpose to record: the stated one when it is a purpose at all (whether the role may state
 * it shows in the outcome, a 400 when not), else the role's own; never the header's text unchecked.
 */
const purposeOf = (stated: string | string[] | undefined, roles: readonly Role[]): string => {
  if (stated === undefined) return PURPOSES_BY_ROLE[roles[0]!]?.[0] ?? 'unknown';
  return typeof stated === 'string' && (PURPOSES as readonly string[]).includes(stated) ? stated : 'invalid';
};

type RecordedRequest = AuthedRequest;

const V1 = /^\/v1(\/|$)/i;

/**
 * Records every /v1 request in the access log when its answer is done, refused ones included. It
 * is the app's second middleware (after the HTTP observer, before the body parser), so nothing the
 * app answers escapes it: body-parser's 400 and 413, validation, the guard's 401 and 403, an
 * unrouted 404. Node's own refusals (431 for headers too large, 400 for broken HTTP) never reach
 * Express: `refusedByParser` records them from the server's `clientError` handler.
 *
 * The actor is the principal the guard admitted (verified), else the subject a validly signed token
 * claims (not verified: refused by the guard, or refused before it ran), else `anonymous`. Whether a
 * token's signature holds is asked of the one AccessTokens the guard uses (the local secret or the
 * OpenID provider's keys), never decided here.
 * Headers `X-Purpose` and `X-On-Behalf-Of` are checked by the PurposeGuard before anything is done;
 * what is recorded of them is checked here too, never copied unchecked.
 */
@Injectable()
export class AccessLogMiddleware {
  private readonly logger = new Logger('AccessLog');

  constructor(
    private readonly log: AccessLog,
    @Inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
  ) {}

  readonly use = (req: RecordedRequest, res: Response, next: NextFunction): void => {
    if (!V1.test(req.path)) return next();
    // The wall clock, not the app's CLOCK: an access happens when it happens, and the domain clock
    // (which tests drive) stays the one time source of the commands.
    const at = new Date().toISOString();
    // 'close', not 'finish': it also comes when the client went before the answer was complete.
    res.on('close', () => {
      void this.actorClaim(req).then((claimed) => this.recordAnswered(req, res, at, claimed));
    });
    next();
  };

  /** Who claims to call when the guard admitted no one: its word on the token, else the token's signer's. */
  private async actorClaim(req: RecordedRequest): Promise<string | undefined> {
    if (req.principal) return undefined;
    if (req.claimedSubject !== undefined) return req.claimedSubject;
    return this.claimedBy(req.headers.authorization).catch(() => undefined);
  }

  private recordAnswered(req: RecordedRequest, res: Response, at: string, claimed: string | undefined): void {
    const principal = req.principal;
    const route = (req.route as { path?: string } | undefined)?.path;
    const roles = principal?.roles ?? [];
    const onBehalf = req.header('x-on-behalf-of');
    const correlation = req.header('x-correlation-id');
    this.store({
      at,
      actorId: principal?.sub ?? claimed ?? ANONYMOUS,
      actorVerified: principal !== undefined,
      actorRoles: roles,
      onBehalfOf: onBehalf && ID_PATTERN.test(onBehalf) ? onBehalf : null,
      householdId: householdOf(req, route),
      // The route pattern, not the URL: ids and query values stay out of the action.
      action: `${req.method} ${route ? `${req.baseUrl}${route}` : pathPrefix(req.path)}`,
      // 499 (as nginx has it): the client closed the connection before the answer was complete.
      outcome: res.writableFinished ? res.statusCode : 499,
      purpose: purposeOf(req.headers['x-purpose'], roles),
      correlationId: correlation && ID_PATTERN.test(correlation) ? correlation : null,
      client: req.socket.remoteAddress ?? null,
    });
  }

  /**
   * A request Node's HTTP parser refused (431, 400, 408), from the bytes it had read: the request
   * line when it got that far. Logged when it names a /v1 path, or when it names none at all.
   */
  readonly refusedByParser = (
    status: number,
    error: Error & { rawPacket?: Buffer },
    socket: Duplex,
  ): void => {
    const line = error.rawPacket?.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] ?? '';
    const request = /^([A-Z]{1,16}) (\/[^\s?#]*)/.exec(line);
    if (request && !V1.test(request[2]!)) return;
    this.store({
      at: new Date().toISOString(),
      actorId: ANONYMOUS,
      actorVerified: false,
      actorRoles: [],
      onBehalfOf: null,
      householdId: request ? householdInPath(request[2]!) : null,
      action: request ? `${request[1]} ${pathPrefix(request[2]!)}` : '(unparsed request)',
      outcome: status,
      purpose: 'unknown',
      correlationId: null,
      client: (socket as Duplex & { remoteAddress?: string }).remoteAddress ?? null,
    });
  };

  private store(entry: AccessRecord): void {
    this.log
      .record(entry)
      .catch((error: Error) => this.logger.error(`access log entry not stored: ${error.message}`));
  }

  /**
   * The subject of a bearer token whose signature holds, whatever its times say: who claims to be
   * calling when the guard refused the token or did not run. Only the signature is checked.
   */
  private async claimedBy(header: string | undefined): Promise<string | undefined> {
    const token =
      typeof header === 'string' ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header)?.[1] : undefined;
    return token ? this.tokens.signedSubject(token) : undefined;
  }
}

/**
 * Where no route matched (refused before routing, or unknown): the first two segments of the path,
 * the second only when it reads as a route name, so no id or name lands in the action.
 */
function pathPrefix(path: string): string {
  const [, first = '', second] = path.split('/');
  return `/${first.toLowerCase()}${second === undefined ? '' : `/${/^[a-z][a-z-]{0,39}$/.test(second) ? second : '*'}`}`;
}

function householdInPath(path: string): string | null {
  // The household routes and the auditor's trail of one household.
  const m = /^\/v1\/(?:audit\/)?households\/([^/?#]+)/i.exec(path);
  return m && ID_PATTERN.test(m[1]!) ? m[1]! : null;
}

function householdOf(req: AuthedRequest, route: string | undefined): string | null {
  const params = req.params as Record<string, string | undefined> | undefined;
  const query = req.query as Record<string, unknown> | undefined;
  const candidate =
    params?.['householdId'] ??
    (route?.includes('/households/:id') ? params?.['id'] : undefined) ??
    householdInPath(req.path) ??
    (typeof query?.['householdId'] === 'string' ? query['householdId'] : undefined) ??
    // A registration names the household in its body (only the id is read).
    (/^\/v1\/households\/?$/i.test(req.path) ? bodyHouseholdId(req.body) : undefined);
  return candidate && ID_PATTERN.test(candidate) ? candidate : null;
}

function bodyHouseholdId(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const id = (body as Record<string, unknown>)['householdId'];
  return typeof id === 'string' ? id : undefined;
}
