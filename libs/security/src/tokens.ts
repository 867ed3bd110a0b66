import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as jwt from 'jsonwebtoken';
import { Principal, ROLES, Role } from './principal';

const ISSUER = 'eenplan-embedded';
const AUDIENCE = 'eenplan';

/** A local signing secret shorter than this is refused: HS256 with a guessable key is no signature. */
export const MIN_SECRET_BYTES = 32;
/** How far the clocks of the token's issuer and this process may disagree. */
export const CLOCK_SKEW_SECONDS = 60;
/** How long a token may live (exp - iat) unless configured otherwise: a working day and a half. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600;

/** Where the embedded default keeps the local secret it generated. */
export const localSecretFile = (dataDir: string): string => join(dataDir, 'jwt-secret');

/**
 * The local secret as a process that must not make one sees it (`npm run token`): JWT_SECRET when
 * set, else the data dir's secret, else undefined. A secret made here would be one the API does not
 * use, and every token signed with it "invalid signature".
 */
export const existingLocalSecret = (
  dataDir: string,
  fromEnv = process.env.JWT_SECRET,
): string | undefined => {
  if (fromEnv) return fromEnv;
  const file = localSecretFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
};

/**
 * The embedded default signs and verifies with a local secret: JWT_SECRET when set, otherwise one
 * generated once into the data dir at the API's first start, which `npm run token` then reads.
 * Two processes starting at once on one data dir agree too: the secret is written whole to a file
 * of its own and linked into place, and whoever links second reads the winner's secret.
 */
export const resolveLocalSecret = (dataDir: string, fromEnv = process.env.JWT_SECRET): string => {
  if (fromEnv) return fromEnv;
  const file = localSecretFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
    writeFileSync(draft, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(draft);
    }
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
};

export const signToken = (secret: string, claims: Principal, expiresInSeconds = 8 * 3600): string =>
  jwt.sign(
    {
      roles: claims.roles,
      teams: claims.teams,
      ...(claims.household !== undefined ? { household: claims.household } : {}),
      ...(claims.member !== undefined ? { member: claims.member } : {}),
      ...(claims.organisation !== undefined ? { organisation: claims.organisation } : {}),
    },
    secret,
    {
      algorithm: 'HS256',
      subject: claims.sub,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: expiresInSeconds,
    },
  );

/**
 * A refused token. `claimedSubject` is set when the signature held but the token is not valid now
 * (expired, not yet valid, living too long, issued in the future): its `sub` is then who claimed
 * to call, worth naming in the access log; a token with a bad signature names nobody.
 */
export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly claimedSubject?: string,
  ) {
    super(message);
  }
}

/**
 * The secret as a key made once: given the string, jsonwebtoken derives a key object on every
 * verify, which the benchmark measured at 348 us against 10 us, about a fifth of a command's CPU.
 */
export const verificationKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));

export interface TokenRules {
  /** Longest accepted life of a token, exp - iat (exp - now when it has no iat), in seconds. */
  readonly maxLifetimeSeconds?: number;
}

/** Verifies signature, issuer, audience and time (exp required), then the claims' shape. */
export const verifyToken = (secret: string | KeyObject, token: string, rules: TokenRules = {}): Principal =>
  verifyClaims(secret, token, Math.floor(Date.now() / 1000), rules).principal;

export interface Verified {
  readonly principal: Principal;
  /** Seconds since the epoch, as in the token: valid before `exp`, from `nbf` on. */
  readonly exp: number;
  readonly nbf?: number;
  /**
   * Seconds since the epoch after which a remembered token is checked again in full: an OpenID
   * provider's key can be withdrawn, so a token is not remembered longer than its keys are.
   */
  readonly recheckAt?: number;
}

function verifyClaims(secret: string | KeyObject, token: string, now: number, rules: TokenRules): Verified {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTimestamp: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
  } catch (e) {
    // These are thrown only after the signature was checked: the subject is the signer's claim.
    const signed = e instanceof jwt.TokenExpiredError || e instanceof jwt.NotBeforeError;
    throw new InvalidTokenError((e as Error).message, signed ? subjectOf(token) : undefined);
  }
  if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub === '') {
    throw new InvalidTokenError('token has no subject');
  }
  return checkedClaims(payload as Record<string, unknown>, payload.sub, now, rules, LOCAL_CLAIMS);
}

/** Where in a token's payload each claim eenplan reads is; a dotted name is a path (`realm_access.roles`). */
export interface ClaimNames {
  readonly roles: string;
  readonly teams: string;
  readonly household: string;
  readonly member: string;
  readonly organisation: string;
}

/** The embedded issuer's claims, at the top level under their own names. */
export const LOCAL_CLAIMS: ClaimNames = {
  roles: 'roles',
  teams: 'teams',
  household: 'household',
  member: 'member',
  organisation: 'organisation',
};

/** A claim by name, or by dotted path through nested objects (a name with a dot at the top level wins). */
export const claimAt = (payload: Record<string, unknown>, name: string): unknown => {
  if (Object.hasOwn(payload, name)) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
};

/**
 * The rules every accepted token meets, whoever signed it (the embedded issuer or an OpenID
 * provider), checked after its signature, issuer, audience and times held: it expires, lives no
 * longer than TOKEN_MAX_LIFETIME, was not issued in the future, carries only roles eenplan knows
 * (an unknown one refuses the whole token rather than being dropped: a role spelled differently at
 * the IdP must not quietly become fewer rights or more), and its scope claims are non-empty strings.
 */
export function checkedClaims(
  payload: Record<string, unknown>,
  sub: string,
  now: number,
  rules: TokenRules,
  names: ClaimNames,
): Verified {
  const refuse = (message: string) => new InvalidTokenError(message, sub);
  const { exp, iat, nbf } = payload;
  if (typeof exp !== 'number') throw refuse('token has no exp: every token must expire');
  if (typeof iat === 'number' && iat > now + CLOCK_SKEW_SECONDS)
    throw refuse('token was issued in the future (iat)');
  const maxLifetime = rules.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const lifetime = exp - (typeof iat === 'number' ? iat : now);
  if (lifetime > maxLifetime)
    throw refuse(`token lives ${lifetime} s, longer than the ${maxLifetime} s allowed (TOKEN_MAX_LIFETIME)`);
  const named = (claim: keyof ClaimNames) => (names[claim] === claim ? claim : `${claim} (${names[claim]})`);
  const roles = claimAt(payload, names.roles);
  const teams = claimAt(payload, names.teams);
  if (!Array.isArray(roles)) throw refuse(`${named('roles')} must be an array`);
  if (teams !== undefined && !Array.isArray(teams)) throw refuse(`${named('teams')} must be an array`);
  if (!roles.every((r): r is Role => (ROLES as readonly string[]).includes(r as string)))
    throw refuse('unknown role in token');
  const teamList: unknown[] = teams ?? [];
  if (!teamList.every((t): t is string => typeof t === 'string'))
    throw refuse(`${named('teams')} must be strings`);
  const scope: { household?: string; member?: string; organisation?: string } = {};
  for (const claim of ['household', 'member', 'organisation'] as const) {
    const value = claimAt(payload, names[claim]);
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw refuse(`${named(claim)} must be a non-empty string`);
    scope[claim] = value;
  }
  return {
    principal: { sub, roles, teams: teamList, ...scope },
    exp,
    ...(typeof nbf === 'number' ? { nbf } : {}),
  };
}

/** The `sub` of a token whose signature was verified; never used for an unverified one. */
function subjectOf(token: string): string | undefined {
  const decoded = jwt.decode(token, { json: true });
  return typeof decoded?.sub === 'string' && decoded.sub !== '' ? decoded.sub : undefined;
}

/**
 * The tokens a verifier accepted: a client sends the same token with every request, and its
 * signature and claims do not change. Only the time does, so a remembered token is checked against
 * `exp` and `nbf` again on every use, with the same tolerance as the first check. Bounded: when
 * full, the expired go, then the oldest.
 */
export class AcceptedTokens {
  private readonly accepted = new Map<string, Verified>();

  constructor(private readonly remembered = 10_000) {}

  get size(): number {
    return this.accepted.size;
  }

  /** The principal of a remembered token still in time, else undefined (and it is forgotten). */
  known(token: string, seconds: number): Verified | undefined {
    const known = this.accepted.get(token);
    if (known && inTime(known, seconds) && (known.recheckAt === undefined || seconds < known.recheckAt))
      return known;
    if (known) this.accepted.delete(token);
    return undefined;
  }

  remember(token: string, verified: Verified, seconds: number): void {
    if (this.accepted.size >= this.remembered) {
      for (const [t, v] of this.accepted) if (!inTime(v, seconds)) this.accepted.delete(t);
      // Still full: the oldest go.
      for (const t of this.accepted.keys()) {
        if (this.accepted.size < this.remembered * 0.8) break;
        this.accepted.delete(t);
      }
    }
    this.accepted.set(token, verified);
  }
}

/**
 * `verifyToken` with the secret made a key once, remembering the tokens it accepted (AcceptedTokens).
 * A refused token is not remembered.
 */
export class TokenVerifier {
  private readonly key: KeyObject;
  private readonly accepted: AcceptedTokens;

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
    remembered = 10_000,
    private readonly rules: TokenRules = {},
  ) {
    this.key = verificationKey(secret);
    this.accepted = new AcceptedTokens(remembered);
  }

  verify(token: string): Principal {
    const seconds = Math.floor(this.now() / 1000);
    const known = this.accepted.known(token, seconds);
    if (known) return known.principal;
    const verified = verifyClaims(this.key, token, seconds, this.rules);
    this.accepted.remember(token, verified, seconds);
    return verified.principal;
  }

  /**
   * The subject of a token whose signature holds, whatever its times say (for the access log: who
   * claims to call when the guard refused the token or did not run); undefined for any other.
   */
  signedSubject(token: string): string | undefined {
    const known = this.accepted.known(token, Math.floor(this.now() / 1000));
    if (known) return known.principal.sub;
    try {
      const payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        ignoreExpiration: true,
        ignoreNotBefore: true,
      });
      const sub = typeof payload === 'string' ? undefined : payload.sub;
      return typeof sub === 'string' && sub !== '' && sub.length <= 200 ? sub : undefined;
    } catch {
      return undefined;
    }
  }
}

const inTime = (v: Verified, seconds: number): boolean =>
  seconds < v.exp + CLOCK_SKEW_SECONDS && (v.nbf === undefined || seconds >= v.nbf - CLOCK_SKEW_SECONDS);
