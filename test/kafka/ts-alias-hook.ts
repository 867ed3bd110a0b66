/**
 * Lets a child process run the TypeScript sources with ts-node (which does not resolve the
 * @eenplan/* path aliases): node -r ts-node/register/transpile-only -r test/kafka/ts-alias-hook.ts ...
 */
import Module from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: ResolveFilename };
const original = loader._resolveFilename;
loader._resolveFilename = function (request, ...rest) {
  const alias = /^@eenplan\/([a-z-]+)(\/.*)?$/.exec(request);
  const target = alias ? join(root, 'libs', alias[1]!, 'src', alias[2] ?? '') : request;
  return original.call(this, target, ...rest);
};
