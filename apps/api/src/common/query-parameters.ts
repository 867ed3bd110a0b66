import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import type { Request } from 'express';
import { badRequest } from './problem';

/**
 * Where @nestjs/swagger keeps a method's `@ApiQuery`s (its DECORATORS.API_PARAMETERS, which the
 * package does not export). Should it move, every paged route refuses its own `limit`: the e2e
 * suites (paging.e2e.spec.ts) fail at once.
 */
const API_PARAMETERS = 'swagger/apiParameters';

interface RouteArg {
  readonly index: number;
  readonly data?: unknown;
}

/**
 * The query parameters a route takes, from what it declares anyway: `@Query('name')`, the properties
 * of a `@Query() dto: SomeDto` class (its class-validator rules), and the `@ApiQuery`/`@ApiPaged`
 * parameters of its OpenAPI description. So the document and the check cannot drift apart, and a
 * route that declares none takes none.
 */
type Handler = (...args: never[]) => unknown;
type ControllerClass = abstract new (...args: never[]) => unknown;

export const allowedQueryNames = (controller: ControllerClass, handler: Handler): ReadonlySet<string> => {
  const names = new Set<string>();
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<
    string,
    RouteArg
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, handler.name) ??
    []) as unknown[];
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof arg.data === 'string') {
      names.add(arg.data);
      continue;
    }
    const type = types[arg.index];
    if (typeof type === 'function' && type !== Object) {
      for (const rule of getMetadataStorage().getTargetValidationMetadatas(
        type as ControllerClass,
        '',
        false,
        false,
      ))
        names.add(rule.propertyName);
    }
  }
  const documented = (Reflect.getMetadata(API_PARAMETERS, handler) ?? []) as {
    in?: string;
    name?: string;
  }[];
  for (const p of documented) if (p.in === 'query' && typeof p.name === 'string') names.add(p.name);
  return names;
};

/**
 * Every route refuses a query parameter it does not take (a misspelt filter would otherwise answer
 * as if there were none: everything) and one given twice (which of them counts is a guess). Global,
 * so a new route cannot forget it; the refusal comes before any handler runs, so it changes nothing.
 */
@Injectable()
export class QueryParametersGuard implements CanActivate {
  private readonly allowed = new WeakMap<Handler, ReadonlySet<string>>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const handler = context.getHandler() as Handler;
    let names = this.allowed.get(handler);
    if (!names) {
      names = allowedQueryNames(context.getClass() as ControllerClass, handler);
      this.allowed.set(handler, names);
    }
    const query = (context.switchToHttp().getRequest<Request>().query ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(query)) {
      // The name goes back in the answer: not more of it than an id may hold.
      const name = key.length > 100 ? `${key.slice(0, 100)}…` : key;
      if (!names.has(key)) {
        const known = [...names].sort();
        const reason = known.length
          ? `is not a parameter of this route (it takes ${known.join(', ')})`
          : 'is not a parameter of this route (it takes none)';
        throw badRequest('UnknownQueryParameter', `query parameter ${name} ${reason}`, [
          { field: name, reason },
        ]);
      }
      if (typeof value !== 'string') {
        const reason = 'is given more than once';
        throw badRequest('RepeatedQueryParameter', `query parameter ${name} ${reason}`, [
          { field: name, reason },
        ]);
      }
    }
    return true;
  }
}
