import * as jwt from 'jsonwebtoken';
import { InvalidTokenError, signToken, TokenVerifier } from './tokens';

jest.mock('jsonwebtoken', () => {
  const actual = jest.requireActual<typeof import('jsonwebtoken')>('jsonwebtoken');
  return { ...actual, verify: jest.fn(actual.verify) };
});

const secret = 'a-secret-of-the-test';
const anna = { sub: 'w-anna', roles: ['worker' as const], teams: ['t-1'] };

describe('TokenVerifier', () => {
  test('checks a token once, then knows it', () => {
    const verify = jwt.verify as jest.Mock;
    verify.mockClear();
    const tokens = new TokenVerifier(secret);
    const token = signToken(secret, anna, 60);
    expect(tokens.verify(token)).toEqual(anna);
    expect(tokens.verify(token)).toEqual(anna);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  test('a known token is refused once it expired, past the 60 s of clock skew', () => {
    let now = Date.now();
    const tokens = new TokenVerifier(secret, () => now);
    const token = signToken(secret, anna, 60);
    expect(tokens.verify(token)).toEqual(anna);
    now += 60_000 + 59_000;
    expect(tokens.verify(token)).toEqual(anna);
    now += 2_000;
    expect(() => tokens.verify(token)).toThrow(InvalidTokenError);
    expect(() => tokens.verify(token)).toThrow('jwt expired');
  });

  test('a refused token stays refused; a token of another secret is refused', () => {
    const tokens = new TokenVerifier(secret);
    const forged = signToken('another-secret', anna, 60);
    expect(() => tokens.verify(forged)).toThrow(InvalidTokenError);
    expect(() => tokens.verify(forged)).toThrow('invalid signature');
    const tampered = signToken(secret, anna, 60).replace(/\.[^.]+\./, (p) => `${p.slice(0, -2)}x.`);
    expect(() => tokens.verify(tampered)).toThrow(InvalidTokenError);
  });

  test('stays bounded, and still knows the tokens it kept', () => {
    const tokens = new TokenVerifier(secret, Date.now, 10);
    const many = Array.from({ length: 25 }, (_, i) => signToken(secret, { ...anna, sub: `w-${i}` }, 60));
    for (const token of many) tokens.verify(token);
    expect((tokens as unknown as { accepted: Map<string, unknown> }).accepted.size).toBeLessThanOrEqual(10);
    expect(tokens.verify(many[24]!)).toEqual({ ...anna, sub: 'w-24' });
  });
});

describe('what a token must carry (issue 16: crafted tokens)', () => {
  const now = Math.floor(Date.now() / 1000);
  const craft = (claims: Record<string, unknown>, key = secret) => {
    // Through JSON: a claim set to undefined is left out of the token, as an attacker would.
    const payload = JSON.parse(
      JSON.stringify({ sub: 'w-anna', iss: 'eenplan-embedded', aud: 'eenplan', ...claims }),
    ) as Record<string, unknown>;
    // jsonwebtoken adds an iat of now unless told not to; a crafted token has exactly its own.
    return jwt.sign(payload, key, { algorithm: 'HS256', noTimestamp: !('iat' in payload) });
  };
  const valid = { roles: ['worker'], teams: ['t-1'], iat: now, exp: now + 600 };
  const refusal = (token: string, rules = {}) => {
    try {
      new TokenVerifier(secret, Date.now, 10, rules).verify(token);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidTokenError);
      return { message: (e as Error).message, claimedSubject: (e as InvalidTokenError).claimedSubject };
    }
    return 'accepted';
  };

  test('a well-formed token is accepted: the crafting itself is right', () => {
    expect(refusal(craft(valid))).toBe('accepted');
  });

  test.each([
    ['no exp', { ...valid, exp: undefined }, /no exp/],
    ['a 30-day life', { ...valid, exp: now + 30 * 86_400 }, /longer than the 43200 s/],
    ['a life just over 12 h', { ...valid, exp: now + 12 * 3600 + 1 }, /longer than/],
    ['no iat and 13 h to live', { ...valid, iat: undefined, exp: now + 13 * 3600 }, /longer than/],
    ['an iat 2 minutes in the future', { ...valid, iat: now + 120, exp: now + 600 }, /issued in the future/],
    ['expired over a minute ago', { ...valid, iat: now - 900, exp: now - 61 }, /jwt expired/],
    ['not valid for 2 more minutes', { ...valid, nbf: now + 120 }, /jwt not active/],
    ['roles as a string', { ...valid, roles: 'worker' }, /roles must be an array/],
    ['no roles at all', { ...valid, roles: undefined }, /roles must be an array/],
    ['teams as a string', { ...valid, teams: 't-1' }, /teams must be an array/],
    ['an unknown role', { ...valid, roles: ['superuser'] }, /unknown role/],
  ])('%s is refused, naming the signed subject as claimed', (_what, claims, message) => {
    expect(refusal(craft(claims))).toEqual({
      message: expect.stringMatching(message) as unknown,
      claimedSubject: 'w-anna',
    });
  });

  test('within the 60 s of skew: an iat 50 s ahead and an exp 50 s ago pass', () => {
    expect(refusal(craft({ ...valid, iat: now + 50, exp: now + 600 }))).toBe('accepted');
    expect(refusal(craft({ ...valid, iat: now - 900, exp: now - 50 }))).toBe('accepted');
  });

  test('exactly 12 h of life passes; a configured maximum is applied', () => {
    expect(refusal(craft({ ...valid, exp: now + 12 * 3600 }))).toBe('accepted');
    expect(refusal(craft({ ...valid, exp: now + 3600 }), { maxLifetimeSeconds: 1800 })).toEqual({
      message: expect.stringMatching(/longer than the 1800 s/) as unknown,
      claimedSubject: 'w-anna',
    });
  });

  test('a bad signature names nobody: its subject is not believed', () => {
    expect(refusal(craft(valid, 'another-secret-of-32-bytes-or-more!'))).toEqual({
      message: 'invalid signature',
      claimedSubject: undefined,
    });
    expect(refusal(craft({ ...valid, exp: now - 3600 }, 'another-secret-of-32-bytes-or-more!'))).toEqual({
      message: 'invalid signature',
      claimedSubject: undefined,
    });
  });

  test('roles [] and no teams claim: accepted as a principal with no roles (every route then refuses it)', () => {
    expect(new TokenVerifier(secret).verify(craft({ ...valid, roles: [], teams: undefined }))).toEqual({
      sub: 'w-anna',
      roles: [],
      teams: [],
    });
  });
});
