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

  test('a known token is refused once it expired', () => {
    let now = Date.now();
    const tokens = new TokenVerifier(secret, () => now);
    const token = signToken(secret, anna, 60);
    expect(tokens.verify(token)).toEqual(anna);
    now += 59_000;
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
