import { encodeCursor, keysetPage, keysetQuery, type KeyPart } from './paging';
import { ProblemException } from './problem';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof ProblemException ? (error.getResponse() as { code: string }).code : 'other';
  }
  return 'none';
};

const SHAPE: KeyPart[] = ['instant', 'id', 'int', 'text'];
const KEY = ['2026-01-05T09:00:01.000Z', 'hh-1', 3, 'Schuldhulp Noord'];
const SCOPE = 'handoffs';

describe('keysetQuery', () => {
  it('gives back the key a page ended on, and the limit', () => {
    expect(keysetQuery({ limit: '7', cursor: encodeCursor(KEY, SCOPE) }, 50, 200, SHAPE, SCOPE)).toEqual({
      limit: 7,
      after: KEY,
    });
    expect(keysetQuery({}, 50, 200, SHAPE, SCOPE)).toEqual({ limit: 50 });
  });

  it.each([
    ['not base64url', 'a b'],
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['not an array', Buffer.from('{"a":1}').toString('base64url')],
    ['too short', encodeCursor(KEY.slice(0, 3), SCOPE)],
    ['an instant that is not one', encodeCursor(['2026-13-45T00:00:00Z', 'hh-1', 3, 'x'], SCOPE)],
    ['an id with a space', encodeCursor([KEY[0]!, 'hh 1', 3, 'x'], SCOPE)],
    ['a negative number', encodeCursor([KEY[0]!, 'hh-1', -1, 'x'], SCOPE)],
    ['a fraction', encodeCursor([KEY[0]!, 'hh-1', 1.5, 'x'], SCOPE)],
    ['a number as text', encodeCursor([KEY[0]!, 'hh-1', '3', 'x'], SCOPE)],
    ['text too long', encodeCursor([KEY[0]!, 'hh-1', 3, 'x'.repeat(501)], SCOPE)],
    // Well-formed, but PostgreSQL would refuse them: a 400 here, never a 500 from the database.
    ['a day that does not exist', encodeCursor(['2026-02-30T00:00:00Z', 'hh-1', 3, 'x'], SCOPE)],
    ['the year 0', encodeCursor(['0000-01-01T00:00:00Z', 'hh-1', 3, 'x'], SCOPE)],
    ['a number past integer', encodeCursor([KEY[0]!, 'hh-1', 2_147_483_647, 'x'], SCOPE)],
    ['text with NUL', encodeCursor([KEY[0]!, 'hh-1', 3, 'a\u0000b'], SCOPE)],
    ['text with a lone surrogate', encodeCursor([KEY[0]!, 'hh-1', 3, 'a\uD800b'], SCOPE)],
    ['of another list', encodeCursor(KEY, 'regie-history:hh-1')],
    ['without its list', Buffer.from(JSON.stringify(KEY)).toString('base64url')],
  ])('refuses a cursor that is %s: 400 InvalidCursor', (_what, cursor) => {
    expect(codeOf(() => keysetQuery({ cursor }, 50, 200, SHAPE, SCOPE))).toBe('InvalidCursor');
  });

  it('takes the largest integer and a leap day', () => {
    const key = ['2028-02-29T23:59:59.123456Z', 'hh-1', 2_147_483_646, 'Zoë'];
    expect(keysetQuery({ cursor: encodeCursor(key, SCOPE) }, 50, 200, SHAPE, SCOPE).after).toEqual(key);
  });

  it.each(['0', '201', '-1', '1.5', 'ten', ''])('refuses limit=%p: 400 InvalidLimit', (limit) => {
    expect(codeOf(() => keysetQuery({ limit }, 50, 200, SHAPE, SCOPE))).toBe('InvalidLimit');
  });
});

describe('keysetPage', () => {
  const rows = [1, 2, 3, 4, 5].map((n) => ({ n }));

  it('answers limit items and a next only when the extra row shows more', () => {
    const page = keysetPage(rows.slice(0, 3), 2, (r) => [r.n], 'trail:hh-1');
    expect(page.items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(keysetQuery({ cursor: page.next }, 50, 200, ['int'], 'trail:hh-1').after).toEqual([2]);
    expect(codeOf(() => keysetQuery({ cursor: page.next }, 50, 200, ['int'], 'trail:hh-2'))).toBe(
      'InvalidCursor',
    );
    expect(keysetPage(rows.slice(0, 2), 2, (r) => [r.n], 'trail:hh-1')).toEqual({
      items: rows.slice(0, 2),
      next: null,
    });
    expect(keysetPage([], 2, (r: { n: number }) => [r.n], 'trail:hh-1')).toEqual({ items: [], next: null });
  });
});
