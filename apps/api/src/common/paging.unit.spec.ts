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

describe('keysetQuery', () => {
  it('gives back the key a page ended on, and the limit', () => {
    expect(keysetQuery({ limit: '7', cursor: encodeCursor(KEY) }, 50, 200, SHAPE)).toEqual({
      limit: 7,
      after: KEY,
    });
    expect(keysetQuery({}, 50, 200, SHAPE)).toEqual({ limit: 50 });
  });

  it.each([
    ['not base64url', 'a b'],
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['not an array', Buffer.from('{"a":1}').toString('base64url')],
    ['too short', encodeCursor(KEY.slice(0, 3))],
    ['an instant that is not one', encodeCursor(['2026-13-45T00:00:00Z', 'hh-1', 3, 'x'])],
    ['an id with a space', encodeCursor([KEY[0]!, 'hh 1', 3, 'x'])],
    ['a negative number', encodeCursor([KEY[0]!, 'hh-1', -1, 'x'])],
    ['a fraction', encodeCursor([KEY[0]!, 'hh-1', 1.5, 'x'])],
    ['a number as text', encodeCursor([KEY[0]!, 'hh-1', '3', 'x'])],
    ['text too long', encodeCursor([KEY[0]!, 'hh-1', 3, 'x'.repeat(501)])],
  ])('refuses a cursor that is %s: 400 InvalidCursor', (_what, cursor) => {
    expect(codeOf(() => keysetQuery({ cursor }, 50, 200, SHAPE))).toBe('InvalidCursor');
  });

  it.each(['0', '201', '-1', '1.5', 'ten', ''])('refuses limit=%p: 400 InvalidLimit', (limit) => {
    expect(codeOf(() => keysetQuery({ limit }, 50, 200, SHAPE))).toBe('InvalidLimit');
  });
});

describe('keysetPage', () => {
  const rows = [1, 2, 3, 4, 5].map((n) => ({ n }));

  it('answers limit items and a next only when the extra row shows more', () => {
    const page = keysetPage(rows.slice(0, 3), 2, (r) => [r.n]);
    expect(page.items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(keysetQuery({ cursor: page.next }, 50, 200, ['int']).after).toEqual([2]);
    expect(keysetPage(rows.slice(0, 2), 2, (r) => [r.n])).toEqual({ items: rows.slice(0, 2), next: null });
    expect(keysetPage([], 2, (r: { n: number }) => [r.n])).toEqual({ items: [], next: null });
  });
});
