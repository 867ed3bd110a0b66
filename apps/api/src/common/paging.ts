import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { badRequest } from './problem';
import { ID_MESSAGE, ID_PATTERN } from './validation';

export interface PageQuery {
  readonly limit: number;
  /** The id of the last item of the page before; absent: from the first. */
  readonly cursor?: string;
}

/**
 * `?limit=&cursor=` of a paged list: limit a whole number from 1 to `max` (`fallback` when absent),
 * cursor an id (the `next` of the page before). Anything else is a 400 naming the parameter.
 */
export const pageQuery = (query: Record<string, unknown>, fallback: number, max: number): PageQuery => {
  const { limit: rawLimit, cursor } = query;
  let limit = fallback;
  if (rawLimit !== undefined) {
    const n = typeof rawLimit === 'string' && /^\d{1,6}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(n >= 1 && n <= max)) {
      const reason = `must be a whole number from 1 to ${max}`;
      throw badRequest('InvalidLimit', `limit ${reason}`, [{ field: 'limit', reason }]);
    }
    limit = n;
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || !ID_PATTERN.test(cursor))) {
    const reason = `must be the next of the page before (${ID_MESSAGE})`;
    throw badRequest('InvalidCursor', `cursor ${reason}`, [{ field: 'cursor', reason }]);
  }
  return { limit, cursor: cursor as string | undefined };
};

/**
 * One page of `items` (in their order) after the one whose id is `cursor`, with the total and `next`
 * (the id of this page's last item, null on the last page). An unknown cursor is a 400.
 */
export const pageOf = <T>(
  items: readonly T[],
  idOf: (item: T) => string,
  { limit, cursor }: PageQuery,
): { items: T[]; total: number; next: string | null } => {
  let start = 0;
  if (cursor !== undefined) {
    const at = items.findIndex((item) => idOf(item) === cursor);
    if (at < 0) {
      const reason = `${cursor} is not an item of this list`;
      throw badRequest('InvalidCursor', `cursor: ${reason}`, [{ field: 'cursor', reason }]);
    }
    start = at + 1;
  }
  const page = items.slice(start, start + limit);
  const more = start + page.length < items.length;
  return { items: page, total: items.length, next: more ? idOf(page[page.length - 1]!) : null };
};

/** The `limit` and `cursor` query parameters in the OpenAPI document. */
export const ApiPaged = (fallback: number, max: number) =>
  applyDecorators(
    ApiQuery({ name: 'limit', required: false, description: `1-${max}, default ${fallback}` }),
    ApiQuery({ name: 'cursor', required: false, description: '`next` of the page before' }),
  );
