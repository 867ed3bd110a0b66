import { compactVerify, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { isAllowedProviderUrl, type OidcSettings } from './oidc-settings';
import type { Principal } from './principal';
import {
  AcceptedTokens,
  checkedClaims,
  CLOCK_SKEW_SECONDS,
  InvalidTokenError,
  TokenVerifier,
  type TokenRules,
} from './tokens';

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * Who checks the bearer tokens, chosen once at start-up by the configuration: the embedded local
 * secret (LocalAccessTokens) or the municipality's OpenID provider (OidcAccessTokens). The guard
 * asks it who calls; the access log asks it who claims to call. No one else reads a token.
 */
export interface AccessTokens {
  readonly kind: 'local' | 'oidc';
  /** The principal the token names; InvalidTokenError when refused, IdentityProviderUnavailable when it cannot be checked now. */
  verify(token: string): Promise<Principal>;
  /**
   * The `sub` of a token whose signature holds, whatever its times say: who claims to call when
   * the guard refused it or did not run (the access log). Undefined for any other token, and when
   * the keys cannot be had.
   */
  signedSubject(token: string): Promise<string | undefined>;
}

export * from './oidc-settings';

/** The token could not be checked: the OpenID provider's keys could not be fetched (503, not 401). */
export class IdentityProviderUnavailable extends Error {}

/** The embedded default: HS256 with the local secret, exactly as TokenVerifier decides. */
export class LocalAccessTokens implements AccessTokens {
  readonly kind = 'local';
  private readonly tokens: TokenVerifier;

  constructor(secret: string, now: () => number = Date.now, rules: TokenRules = {}) {
    this.tokens = new TokenVerifier(secret, now, 10_000, rules);
  }

  verify(token: string): Promise<Principal> {
    try {
      return Promise.resolve(this.tokens.verify(token));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  signedSubject(token: string): Promise<string | undefined> {
    return Promise.resolve(this.tokens.signedSubject(token));
  }
}

// jose's codes for a key set that could not be had, as opposed to a token that does not verify.
const UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

/**
 * Access tokens of the municipality's OpenID provider (RFC 9068 JWTs or any signed JWT access
 * token), checked against its published keys (JWKS) with jose: signature by an allowed asymmetric
 * algorithm, `iss` exactly the issuer, `aud` has the audience, `exp`/`nbf` with 60 s of clock skew,
 * then the same rules as the local tokens (checkedClaims) on the configured claim names.
 *
 * Keys rotate without a restart: a token whose `kid` is not among the fetched keys refetches them
 * (at most once per cooldown), and the keys are fetched again once older than the cache's max age,
 * so a key the provider withdrew stops verifying then. An accepted token is remembered no longer
 * than that max age after it was accepted, so a token signed by a withdrawn key is refused at the
 * latest twice OIDC_JWKS_CACHE_MAX_AGE after the withdrawal (keys fetched just before it, the token
 * accepted just before they went stale).
 */
export class OidcAccessTokens implements AccessTokens {
  readonly kind = 'oidc';
  private readonly accepted = new AcceptedTokens();
  private keys?: Promise<KeySet>;

  constructor(
    private readonly settings: OidcSettings,
    private readonly now: () => number = Date.now,
    private readonly rules: TokenRules = {},
  ) {}

  async verify(token: string): Promise<Principal> {
    const seconds = Math.floor(this.now() / 1000);
    const known = this.accepted.known(token, seconds);
    if (known) return known.principal;
    const keys = await this.keySet();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: [...this.settings.algorithms],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(seconds * 1000),
      }));
    } catch (e) {
      throw refusal(e);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '')
      throw new InvalidTokenError('token has no subject');
    const verified = checkedClaims(payload, payload.sub, seconds, this.rules, this.settings.claims);
    this.accepted.remember(
      token,
      { ...verified, recheckAt: seconds + Math.ceil(this.settings.jwksCacheMaxAgeMs / 1000) },
      seconds,
    );
    return verified.principal;
  }

  async signedSubject(token: string): Promise<string | undefined> {
    const known = this.accepted.known(token, Math.floor(this.now() / 1000));
    if (known) return known.principal.sub;
    try {
      const { payload } = await compactVerify(token, await this.keySet(), {
        algorithms: [...this.settings.algorithms],
      });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      const sub = claims.sub;
      // Signed by the provider's key for this issuer: the subject is the provider's claim.
      if (claims.iss !== this.settings.issuer) return undefined;
      // And meant for this API: a token of another of the provider's applications names no one here.
      const aud = claims.aud;
      if (!(aud === this.settings.audience || (Array.isArray(aud) && aud.includes(this.settings.audience))))
        return undefined;
      return typeof sub === 'string' && sub !== '' && sub.length <= 200 ? sub : undefined;
    } catch {
      return undefined;
    }
  }

  /** The provider's key set, found (discovery) on first use; a failed discovery is tried again on the next. */
  private keySet(): Promise<KeySet> {
    this.keys ??= this.discover().catch((e: Error) => {
      this.keys = undefined;
      throw e instanceof IdentityProviderUnavailable ? e : new IdentityProviderUnavailable(e.message);
    });
    return this.keys;
  }

  private async discover(): Promise<KeySet> {
    const jwksUri = this.settings.jwksUri ?? (await this.jwksUriFromDiscovery());
    return createRemoteJWKSet(new URL(jwksUri), {
      cooldownDuration: this.settings.jwksCooldownMs,
      cacheMaxAge: this.settings.jwksCacheMaxAgeMs,
      timeoutDuration: 5000,
    });
  }

  private async jwksUriFromDiscovery(): Promise<string> {
    const where = `${this.settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(where, { signal: AbortSignal.timeout(5000), redirect: 'error' });
    if (!response.ok) throw new IdentityProviderUnavailable(`${where} answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0, 4.3: the document's issuer must be the one asked for.
    if (document.issuer !== this.settings.issuer)
      throw new IdentityProviderUnavailable(
        `${where} names issuer ${JSON.stringify(document.issuer)}, not OIDC_ISSUER ${this.settings.issuer}`,
      );
    if (typeof document.jwks_uri !== 'string' || !isAllowedProviderUrl(document.jwks_uri))
      throw new IdentityProviderUnavailable(`${where} has no https jwks_uri`);
    return document.jwks_uri;
  }
}

/** jose's refusal as ours: the key set that could not be had is the provider's trouble, anything else the token's. */
function refusal(e: unknown): Error {
  if (!(e instanceof errors.JOSEError)) return new IdentityProviderUnavailable((e as Error).message);
  if (UNAVAILABLE.has(e.code)) return new IdentityProviderUnavailable(e.message);
  // Thrown only after the signature was checked: the subject is the signer's claim.
  const signed =
    e instanceof errors.JWTExpired || (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf');
  const sub = signed ? (e as errors.JWTClaimValidationFailed).payload.sub : undefined;
  return new InvalidTokenError(e.message, typeof sub === 'string' && sub !== '' ? sub : undefined);
}
