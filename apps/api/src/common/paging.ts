import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Allow } from 'class-validator';
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
  const { cursor } = query;
  const limit = parseLimit(query.limit, fallback, max);
  if (cursor !== undefined && (typeof cursor !== 'string' || !ID_PATTERN.test(cursor))) {
    const reason = `must be the next of the page before (${ID_MESSAGE})`;
    throw badRequest('InvalidCursor', `cursor ${reason}`, [{ field: 'cursor', reason }]);
  }
  return { limit, cursor: cursor as string | undefined };
};

/** `limit`: a whole number from 1 to `max`, `fallback` when absent; anything else a 400 naming it. */
const parseLimit = (raw: unknown, fallback: number, max: number): number => {
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= max)) {
    const reason = `must be a whole number from 1 to ${max}`;
    throw badRequest('InvalidLimit', `limit ${reason}`, [{ field: 'limit', reason }]);
  }
  return n;
};

/** What one place of a keyset cursor holds, checked before it reaches a query. */
export type KeyPart = 'id' | 'instant' | 'int' | 'text';

/** PostgreSQL's `integer`: the read models' versions and sequences; one below, as a query may add 1. */
const MAX_INT = 2_147_483_646;
/** A lone UTF-16 surrogate or NUL: text PostgreSQL refuses (22021), so never a key it gave. */
const UNUSABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Each part of a cursor is checked as PostgreSQL would take it, so a well-formed but made-up cursor
 * is a 400 here and never a 500 from the database: a calendar date that exists (no 30 February, no
 * year 0), an integer that fits `integer`, text PostgreSQL can hold.
 */
const KEY_PART_OK: Record<KeyPart, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'string' && ID_PATTERN.test(v),
  instant: (v) => {
    if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(v)) return false;
    const ms = Date.parse(v);
    return (
      !Number.isNaN(ms) && !v.startsWith('0000') && new Date(ms).toISOString().slice(0, 19) === v.slice(0, 19)
    );
  },
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_INT,
  text: (v) => typeof v === 'string' && v.length <= 500 && !UNUSABLE_TEXT.test(v),
};

/**
 * A keyset cursor: the list it belongs to (`scope`: the route and the id it is of) and the sort key
 * of a page's last item, opaque to clients (base64url JSON). The scope makes a cursor of one list
 * (another household's history, a worker's caseload) a 400 on another, not a silently wrong page.
 */
export const encodeCursor = (key: readonly (string | number)[], scope: string): string =>
  Buffer.from(JSON.stringify([scope, ...key])).toString('base64url');

export interface KeysetQuery {
  readonly limit: number;
  /** The sort key of the last item of the page before, each part checked against the shape; absent: from the first. */
  readonly after?: readonly (string | number)[];
}

/**
 * `?limit=&cursor=` of a list paged in SQL on a sort key of the given shape: the cursor is a key this
 * server issued for this list (`encodeCursor` with the same `scope`), else 400 InvalidCursor; it is
 * never used in a query unchecked.
 */
export const keysetQuery = (
  query: Record<string, unknown>,
  fallback: number,
  max: number,
  shape: readonly KeyPart[],
  scope: string,
): KeysetQuery => {
  const limit = parseLimit(query.limit, fallback, max);
  const raw = query.cursor;
  if (raw === undefined) return { limit };
  let key: unknown = null;
  if (typeof raw === 'string' && raw.length <= 2000 && /^[A-Za-z0-9_-]+$/.test(raw)) {
    try {
      key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      key = null;
    }
  }
  if (
    !Array.isArray(key) ||
    key.length !== shape.length + 1 ||
    key[0] !== scope ||
    !shape.every((p, i) => KEY_PART_OK[p](key[i + 1]))
  ) {
    const reason = 'must be the next of the page before of this list, as this server gave it';
    throw badRequest('InvalidCursor', `cursor ${reason}`, [{ field: 'cursor', reason }]);
  }
  return { limit, after: key.slice(1) as (string | number)[] };
};

/**
 * The page from rows read with `LIMIT limit + 1` after the cursor: the first `limit`, and `next` (the
 * key of the last of them) only when the extra row shows that more follow.
 */
export const keysetPage = <T>(
  rows: readonly T[],
  limit: number,
  keyOf: (item: T) => readonly (string | number)[],
  scope: string,
): { items: T[]; next: string | null } => {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1]!), scope) : null };
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
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: max, default: fallback },
      description: `1-${max}, default ${fallback}`,
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      schema: { type: 'string' },
      description: '`next` of the page before',
    }),
  );

/**
 * For a query DTO of a paged list: lets `limit` and `cursor` through the validation pipe as they came,
 * for `pageQuery`/`keysetQuery` to check (with their own codes, InvalidLimit and InvalidCursor).
 * In the OpenAPI document through `@ApiPaged` on the route.
 */
export class PageParams {
  @Allow()
  limit?: unknown;

  @Allow()
  cursor?: unknown;
}
