// The OIDC settings without jose: the configuration (and `npm run token`) reads them without loading
// the verifier.
import type { ClaimNames } from './tokens';

/** The algorithms an OpenID provider's tokens may be signed with unless OIDC_ALGORITHMS says otherwise. */
export const DEFAULT_OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;
/** Asymmetric signatures only: HS* would make the audience's shared secret a signing key, none no signature. */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export interface OidcSettings {
  /** `iss` of every accepted token, exactly; discovery at `${issuer}/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** An accepted token's `aud` has it. */
  readonly audience: string;
  /** The JWKS; unset, the discovery document's `jwks_uri`. */
  readonly jwksUri?: string;
  readonly algorithms: readonly string[];
  readonly claims: ClaimNames;
  /** After a refetch, how long a token with an unknown `kid` waits before it may cause another (jose's cooldownDuration). */
  readonly jwksCooldownMs: number;
  /** How long fetched keys are used before they are fetched again (jose's cacheMaxAge): a withdrawn key stops after this. */
  readonly jwksCacheMaxAgeMs: number;
}

/** A URL an OpenID provider may be reached at: https, or http on this machine's loopback (tests, a local IdP). */
export const isAllowedProviderUrl = (raw: string): boolean => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
};
