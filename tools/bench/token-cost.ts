import { createSecretKey, randomBytes } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { signToken, verifyToken } from '@eenplan/security';
import { now } from './stats';

/**
 * What verifying one bearer token costs, as the API's guard does it on every request
 * (libs/security verifyToken with the secret as a string), and the same verification with the
 * secret as a KeyObject made once. jsonwebtoken 9, given a string, first tries to read it as a
 * PEM public key (createPublicKey, which throws) before it falls back to a secret key.
 */
export function tokenCost(iterations = 5000): { stringSecretUs: number; keyObjectUs: number } {
  const secret = randomBytes(32).toString('hex');
  const token = signToken(secret, { sub: 'w-1', roles: ['worker'], teams: ['t-1'] }, 3600);
  const key = createSecretKey(Buffer.from(secret));
  const options: jwt.VerifyOptions = {
    algorithms: ['HS256'],
    issuer: 'eenplan-embedded',
    audience: 'eenplan',
  };
  const time = (fn: () => unknown) => {
    for (let i = 0; i < 500; i++) fn();
    const t0 = now();
    for (let i = 0; i < iterations; i++) fn();
    return ((now() - t0) * 1000) / iterations;
  };
  return {
    stringSecretUs: time(() => verifyToken(secret, token)),
    keyObjectUs: time(() => jwt.verify(token, key, options)),
  };
}
