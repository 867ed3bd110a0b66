import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { signToken } from '@eenplan/security';
import { idKindOf, PRINCIPALS, validBodies, validQuery, type FuzzWorld, type Who } from './fuzz-world';

/** One generated request, as sent. `body` is the exact bytes (a string), or none. */
export interface FuzzRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Sent without Content-Length, in chunks. */
  readonly chunked: boolean;
  /** What the generator meant to break, for the report (e.g. `body:wrong-type`, `path:bad-id`). */
  readonly tags: readonly string[];
}

/** Characters that break naive code: NUL, lone surrogates, RTL and zero-width marks, combining, emoji. */
const ODD = [
  '\u0000',
  '\ud800',
  '\udfff',
  'a\udc00b',
  '\u202e',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\uffff',
  '\u2028',
  '😀',
  '👨‍👩‍👧',
  'e\u0301',
  'a' + '\u0363'.repeat(40),
  '𝕏',
  'ﷺ',
  '%00',
  '../',
  '\\',
  '"',
  "'; DROP TABLE events; --",
  '<script>',
  '\r\n',
  '\t',
  ' ',
];

/**
 * Any code point, lone surrogates included (fast-check's own 'binary' unit costs milliseconds a
 * string, which would make generation, not the API, the bottleneck).
 */
const anyCodePoints = (maxLength: number) =>
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
        fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
        fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
      ),
      { maxLength },
    )
    .map((cs) => cs.join(''));

export const oddString = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...ODD) },
      { weight: 1, arbitrary: anyCodePoints(8) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** Percent-encodes a string's UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client sends it). */
const encode = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Path segments that are not ids: too long, traversal, bad or double percent-encoding, unicode. */
const badId = fc.oneof(
  fc.constantFrom(
    'x'.repeat(101),
    '..',
    '.',
    '%2e%2e',
    '..%2F..%2Fetc%2Fpasswd',
    '%2F',
    '%00',
    '%ZZ',
    '%',
    '%C0%AE',
    '%ED%A0%80',
    '%FF%FE',
    '%F0%9F%98%80',
    'a%20b',
    '-leading',
    '%u0041',
    'a;b',
    '%3F',
    '%23',
    '%252F',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '0',
    '-1',
    '1e309',
  ),
  fc.integer({ min: 101, max: 8000 }).map((n) => 'a'.repeat(n)),
  oddString.map(encode),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encode),
);

/** Matches the id pattern, but names nothing that exists. */
const unknownId = fc.stringMatching(/^[a-z0-9][a-z0-9._:-]{0,20}$/);
const shortKey = fc.stringMatching(/^[a-z0-9-]{1,36}$/);

const headerChars = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
    fc.constant('\t'),
  ),
  maxLength: 60,
});

const base64url = (v: object | string) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Tokens that must be refused: expired, signed with another key, `alg: none`, odd claims. */
const badTokens = (secret: string, w: FuzzWorld): string[] => {
  const sub = w.workerIds[0]!;
  const forge = (payload: object | string, header: object = { alg: 'HS256', typ: 'JWT' }, key = secret) => {
    const unsigned = `${base64url(header)}.${base64url(payload)}`;
    return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, roles: ['worker'], teams: [w.teamId], iss: 'eenplan-embedded', aud: 'eenplan' };
  return [
    forge({ ...claims, iat: now - 7200, exp: now - 3600 }),
    forge({ ...claims, exp: now + 3600 }, undefined, 'another-secret'),
    `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: now + 3600 })}.`,
    forge({ ...claims, exp: now + 3600, roles: ['superuser'] }),
    forge({ ...claims, exp: now + 3600, roles: 'admin' }),
    forge({ ...claims, exp: now + 3600, teams: [1, 2] }),
    forge({ ...claims, exp: now + 3600, sub: '' }),
    forge({ ...claims, exp: now + 3600, iss: 'someone-else' }),
    forge({ ...claims, exp: now + 3600, aud: 'other' }),
    forge({ ...claims, exp: 'tomorrow' }),
    forge({ ...claims, exp: now + 3600, nbf: now + 3600 }),
    forge({ ...claims, exp: now + 3600 }, { alg: 'HS512', typ: 'JWT' }),
    forge('not an object'),
    signToken(secret, { sub, roles: [], teams: [] }),
    'abc.def.ghi',
    'e30.e30.e30',
  ];
};

const authorization = (secret: string, w: FuzzWorld): fc.Arbitrary<[string, string | undefined]> =>
  fc.oneof(
    {
      weight: 14,
      // The team's worker twice as often: most endpoints are theirs, so more requests get past the roles.
      arbitrary: fc
        .constantFrom<Who>('teamWorker', ...PRINCIPALS)
        .map((who): [string, string] => [`token:${who}`, `Bearer ${w.tokens[who]}`]),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...badTokens(secret, w))
        .map((t): [string, string] => ['auth:bad-token', `Bearer ${t}`]),
    },
    { weight: 1, arbitrary: fc.constant<[string, undefined]>(['auth:none', undefined]) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Basic YWRtaW46YWRtaW4=',
            'bearer  ' + w.tokens.admin,
            `Bearer ${w.tokens.admin} ${w.tokens.admin}`,
            `Token ${w.tokens.admin}`,
            `Bearer ${w.tokens.admin}\t`,
          ),
          fc.integer({ min: 1000, max: 12000 }).map((n) => `Bearer ${'a'.repeat(n)}`),
          headerChars.map((s) => `Bearer ${s}`),
          headerChars,
        )
        .map((v): [string, string] => ['auth:malformed', v]),
    },
  );

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/problem+json',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'json',
  ';;;',
];

const ACCEPTS = [
  'application/json',
  'application/problem+json',
  'text/csv',
  'text/html',
  'application/xml',
  '*/*',
  '',
  'application/json;q=0',
  'text/*, application/*;q=0.1',
  'garbage/garbage/garbage',
];

/** JSON values of every type, for "wrong type" and "random body". */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Arrays or objects nested `depth` deep, written out directly (no recursion to build them). */
const deep = fc
  .record({ depth: fc.integer({ min: 10, max: 40_000 }), object: fc.boolean() })
  .map(({ depth, object }) =>
    object ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth),
  );

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `v` (the root is []). */
const pathsOf = (v: Json, at: (string | number)[] = []): (string | number)[][] => {
  const here = [at];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => pathsOf(x, [...at, i]))];
  if (v && typeof v === 'object')
    return [...here, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...at, k]))];
  return here;
};

const setAt = (root: Json, path: (string | number)[], value: Json | undefined): Json => {
  if (path.length === 0) return value === undefined ? {} : value;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
};

interface BodyChoice {
  readonly tag: string;
  readonly text?: string;
  readonly overLimit?: boolean;
}

/** A body for an endpoint: valid, a valid one with one thing wrong, or something else entirely. */
const bodyFor = (
  valid: fc.Arbitrary<Record<string, unknown>>,
  limitBytes: number,
): fc.Arbitrary<BodyChoice> => {
  const withPath = valid.chain((b) => {
    const paths = pathsOf(b as Json).filter((p) => p.length > 0);
    return fc.record({
      body: fc.constant(b as Json),
      path: paths.length ? fc.constantFrom(...paths) : fc.constant<(string | number)[]>([]),
    });
  });
  const json = (tag: string, v: fc.Arbitrary<Json>): fc.Arbitrary<BodyChoice> =>
    v.map((x) => ({ tag, text: JSON.stringify(x) }));
  return fc.oneof(
    { weight: 4, arbitrary: json('body:valid', valid as fc.Arbitrary<Json>) },
    {
      weight: 3,
      arbitrary: json(
        'body:missing-field',
        withPath.map(({ body, path }) => setAt(body, path, undefined)),
      ),
    },
    {
      weight: 4,
      arbitrary: json(
        'body:wrong-type',
        fc.tuple(withPath, anyJson).map(([{ body, path }, v]) => setAt(body, path, v as Json)),
      ),
    },
    {
      weight: 2,
      arbitrary: json(
        'body:extra-field',
        fc
          .tuple(
            valid,
            fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype')),
            anyJson,
          )
          .map(([b, k, v]) => ({ ...(b as Record<string, Json>), [k]: v as Json })),
      ),
    },
    {
      weight: 4,
      arbitrary: json(
        'body:odd-unicode',
        // Into a text the endpoint accepts (so the odd part travels past validation) or instead of any value.
        fc.tuple(withPath, oddString, fc.boolean()).map(([{ body, path }, s, into]) => {
          const leaf = path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, body);
          return setAt(body, path, into && typeof leaf === 'string' ? `${leaf}${s}` : s);
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: json(
        'body:huge-string',
        fc
          .tuple(withPath, fc.integer({ min: 1000, max: Math.max(1001, limitBytes - 2000) }))
          .map(([{ body, path }, n]) => setAt(body, path, 'ä'.repeat(Math.floor(n / 2)))),
      ),
    },
    {
      weight: 1,
      arbitrary: json(
        'body:huge-array',
        fc
          .tuple(withPath, fc.integer({ min: 100, max: Math.floor(limitBytes / 6) }))
          .map(([{ body, path }, n]) =>
            setAt(
              body,
              path,
              Array.from({ length: n }, () => 'x'),
            ),
          ),
      ),
    },
    { weight: 1, arbitrary: deep.map((text) => ({ tag: 'body:deep', text })) },
    {
      weight: 1,
      arbitrary: fc.tuple(withPath, deep).map(([{ body, path }, d]) => ({
        tag: 'body:deep-field',
        text: JSON.stringify(setAt(body, path, '\u0001deep')).replace('"\\u0001deep"', d),
      })),
    },
    { weight: 2, arbitrary: json('body:random-json', anyJson as fc.Arbitrary<Json>) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: limitBytes + 1, max: limitBytes * 3 })
        .map((n) => ({ tag: 'body:over-limit', text: `{"a":"${'x'.repeat(n)}"}`, overLimit: true })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            '',
            ' ',
            '{',
            '{"a":',
            '[1,2',
            'null',
            'true',
            '1',
            '"x"',
            '\ufeff{}',
            '{"a":1}{"b":2}',
            '{"a":NaN}',
            "{'a':1}",
            '{"a":1,}',
            '{"\\ud800":1}',
            '{"a":"\\u0000"}',
            '{"a":"\\ud800"}',
            '{"__proto__":{"admin":true}}',
          ),
          anyCodePoints(40),
          valid.map((b) => JSON.stringify(b).slice(0, -1)),
        )
        .map((text) => ({ tag: 'body:raw', text })),
    },
    { weight: 2, arbitrary: fc.constant({ tag: 'body:none' }) },
  );
};

const queryFor = (w: FuzzWorld): fc.Arbitrary<{ tag: string; qs: string }> => {
  const known = validQuery(w);
  const keys = Object.keys(known);
  const value = (k: string) =>
    fc.oneof(
      { weight: 3, arbitrary: known[k] ?? fc.constant('x') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          '',
          '2026-13-45',
          '2026-02-30T25:61:00Z',
          '2026-02-29',
          'now',
          'yesterday',
          '0',
          '-1',
          '99999999999999999999',
          '1e309',
          '9999-12-31T23:59:59.999Z',
          '0000-00-00',
          '+275760-09-13T00:00:00.001Z',
          'NaN',
          'x'.repeat(5000),
        ),
      },
      { weight: 2, arbitrary: oddString },
      { weight: 1, arbitrary: badId },
    );
  const pair = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...keys).chain((k) => value(k).map((v) => [k, v] as const)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), oddString), fc.string({ maxLength: 10 })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((k) => [`${k}[]`, 'a'] as const) },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((k) => [`${k}[x]`, 'b'] as const) },
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ tag: '', qs: '' }) },
    {
      weight: 3,
      arbitrary: fc.array(pair, { minLength: 1, maxLength: 5 }).map((pairs) => ({
        tag:
          pairs.length > 1 && new Set(pairs.map((p) => p[0])).size < pairs.length
            ? 'query:repeated'
            : 'query',
        qs: '?' + pairs.map(([k, v]) => `${k.replace(/[^[\]]+/g, encode)}=${encode(v)}`).join('&'),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '?%ZZ=1',
          '?a=%',
          '?=',
          '?&&&',
          '?a',
          '?householdId=%00',
          '?from=%ED%A0%80',
          `?${'a=1&'.repeat(2000)}`,
        )
        .map((qs) => ({ tag: 'query:malformed', qs })),
    },
  );
};

export interface InputOptions {
  readonly routes: readonly string[];
  readonly world: FuzzWorld;
  readonly secret: string;
  readonly bodyLimitBytes: number;
}

/** Every generated request: an endpoint the router serves, then what goes wrong with it. */
export function requestArbitrary(o: InputOptions): fc.Arbitrary<FuzzRequest> {
  const { world: w } = o;
  const bodies = validBodies(w);
  const idsOf = (route: string, param: string): readonly string[] => {
    const kind = idKindOf(route, param);
    if (kind === 'team') return [w.teamId, w.otherTeamId];
    if (kind === 'worker') return [...w.workerIds, w.leadId, w.otherWorkerId];
    return w.ids[kind];
  };
  const segment = (route: string, param: string) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...idsOf(route, param)).map((v) => ({ tag: '', v })) },
      { weight: 2, arbitrary: unknownId.map((v) => ({ tag: 'path:unknown-id', v })) },
      { weight: 3, arbitrary: badId.map((v) => ({ tag: 'path:bad-id', v })) },
    );
  const pathFor = (route: string) => {
    const pattern = route.slice(route.indexOf(' ') + 1);
    const params = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    return fc
      .record({
        values: fc.tuple(...params.map((p) => segment(route, p))),
        variant: fc.constantFrom(
          '',
          '',
          '',
          '',
          '',
          '',
          'trailing-slash',
          'double-slash',
          'extra-segment',
          'upper-case',
        ),
      })
      .map(({ values, variant }) => {
        let path = pattern;
        params.forEach((p, i) => (path = path.replace(`:${p}`, values[i]!.v)));
        if (variant === 'trailing-slash') path += '/';
        if (variant === 'double-slash') path = path.replace('/', '//');
        if (variant === 'extra-segment') path += '/x';
        if (variant === 'upper-case') path = path.toUpperCase();
        return { path, tags: [...values.map((x) => x.tag), variant ? `path:${variant}` : ''] };
      });
  };
  const routeArb = fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom(...o.routes) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          badId,
          fc.constantFrom(
            'v1',
            'v2/households',
            'v1/households/x/y/z/w',
            'admin',
            '.env',
            '%2e%2e/%2e%2e/etc/passwd',
          ),
        )
        .map((p) => `GET /${p}`),
    },
  );
  const methodFor = (route: string) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constant(route.slice(0, route.indexOf(' '))) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
    );
  const query = queryFor(w);
  const auth = authorization(o.secret, w);
  const perRoute = new Map<string, fc.Arbitrary<FuzzRequest>>();
  // Built once per route: fast-check arbitraries are costly to construct, cheap to draw from.
  const forRoute = (route: string) => {
    let arb = perRoute.get(route);
    if (!arb) perRoute.set(route, (arb = requestFor(route)));
    return arb;
  };
  const requestFor = (route: string): fc.Arbitrary<FuzzRequest> => {
    const declared = route.slice(0, route.indexOf(' '));
    const valid = bodies[route] ?? fc.constant({});
    return fc
      .record({
        method: methodFor(route),
        path: pathFor(route),
        query,
        body: bodyFor(valid, o.bodyLimitBytes),
        auth,
        contentType: fc.oneof(
          { weight: 12, arbitrary: fc.constant('application/json') },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
        ),
        accept: fc.option(fc.oneof(fc.constantFrom(...ACCEPTS), headerChars), { freq: 4 }),
        ifMatch: fc.option(
          fc.oneof(
            fc.constantFrom(
              '"1"',
              '"2"',
              'W/"1"',
              '*',
              '"-1"',
              '"abc"',
              '1',
              '""',
              '"1", "2"',
              '"99999999999999999999"',
            ),
            headerChars,
          ),
          { freq: 4 },
        ),
        idempotencyKey: fc.option(
          fc.oneof(
            { weight: 4, arbitrary: shortKey },
            { weight: 2, arbitrary: headerChars },
            { weight: 1, arbitrary: fc.integer({ min: 200, max: 12_000 }).map((n) => 'k'.repeat(n)) },
          ),
          { freq: 3 },
        ),
        extra: fc.option(
          fc.constantFrom<[string, string]>(
            ['content-encoding', 'gzip'],
            ['content-encoding', 'br, identity'],
            ['content-encoding', 'nonsense'],
            ['x-forwarded-for', '127.0.0.1, ::1, garbage'],
            ['x-http-method-override', 'DELETE'],
            ['expect', '100-continue'],
            ['range', 'bytes=0-10'],
            ['if-none-match', '*'],
            ['origin', 'https://evil.example'],
            ['cookie', 'a=b; c'],
          ),
          { freq: 5 },
        ),
        chunked: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      })
      .map((r): FuzzRequest => {
        // A GET normally carries no body; sometimes it does, to see that nothing reads it wrongly.
        const sendBody =
          r.method === 'GET' || r.method === 'HEAD' ? r.body.tag === 'body:raw' : r.body.text !== undefined;
        const headers: Record<string, string> = {};
        if (r.auth[1] !== undefined) headers.authorization = r.auth[1];
        if (sendBody && r.contentType) headers['content-type'] = r.contentType;
        if (r.accept !== null) headers.accept = r.accept;
        if (r.ifMatch !== null) headers['if-match'] = r.ifMatch;
        if (r.idempotencyKey !== null) headers['idempotency-key'] = r.idempotencyKey;
        if (r.extra) headers[r.extra[0]] = r.extra[1];
        const tags = [
          r.auth[0],
          ...r.path.tags,
          r.query.tag,
          sendBody ? r.body.tag : '',
          r.method !== declared ? 'method:other' : '',
          r.contentType !== 'application/json' && sendBody ? 'header:content-type' : '',
          r.extra ? `header:${r.extra[0]}` : '',
          r.idempotencyKey !== null ? 'header:idempotency-key' : '',
          r.ifMatch !== null ? 'header:if-match' : '',
        ].filter(Boolean);
        return {
          route,
          method: r.method,
          path: r.path.path + r.query.qs,
          headers,
          body: sendBody ? (r.body.text ?? '') : undefined,
          chunked: sendBody && r.chunked,
          tags,
        };
      });
  };
  return routeArb.chain(forRoute);
}

/** The request that must be refused with 413: a JSON body just over the limit, to any write. */
export const overLimitRequest = (o: InputOptions, route: string, chunked: boolean): FuzzRequest => {
  const n = o.bodyLimitBytes + 1 - '{"a":""}'.length;
  return {
    route,
    method: 'POST',
    path: route
      .slice(route.indexOf(' ') + 1)
      .replace(/:(\w+)/g, (_, p: string) => o.world.ids.household[0] ?? p),
    headers: { authorization: `Bearer ${o.world.tokens.teamWorker}`, 'content-type': 'application/json' },
    body: `{"a":"${'x'.repeat(n)}"}`,
    chunked,
    tags: ['body:over-limit'],
  };
};
