import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { badRequest, ProblemException } from './problem';

/**
 * Free text takes at most `maxBytes` bytes in a JSON answer (UTF-8, escapes included). @Length alone
 * does not bound that: it counts a surrogate pair, or a character with a variation selector, as one
 * character (up to 7 bytes), and JSON writes a control character in 6. Set at 4 bytes per allowed
 * character, which no real text reaches, so what an answer of many texts can weigh is known
 * (household.view.unit.spec.ts).
 */
export const MaxJsonBytes = (maxBytes: number, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'maxJsonBytes',
      constraints: [maxBytes],
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || Buffer.byteLength(JSON.stringify(value)) - 2 <= maxBytes,
        defaultMessage: (args) =>
          `${args?.property ?? 'text'} must take at most ${maxBytes} bytes as UTF-8 JSON (4 per character)`,
      },
    },
    options,
  );

/** Ids are client-chosen strings: letters, digits and . _ : - up to 100 characters. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const ID_MESSAGE = 'must be 1-100 characters: letters, digits, and . _ : - (not first)';

/** class-validator's nested errors flattened to `members[0].birthYear`-style fields with their reasons. */
const flatten = (errors: ValidationError[], parent = ''): { field: string; reason: string }[] =>
  errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({
      field,
      reason: reason.replace(/^property \S+ should not exist$/, 'is not a known field'),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });

/**
 * A body of thousands of wrong array items would otherwise get one error each: an answer many times
 * the request's size (the fuzzer's R4 line found 400s over 64 KB). The first ones say what is wrong.
 */
export const MAX_LISTED_ERRORS = 20;

/** Whitelist and forbid unknown fields: a body with anything we do not understand changes nothing. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const all = flatten(errors);
    const list = all.slice(0, MAX_LISTED_ERRORS);
    const omitted = all.length - list.length;
    return new ProblemException(
      400,
      'ValidationFailed',
      `the request is invalid: ${list.map((e) => `${e.field} ${e.reason}`).join('; ')}` +
        (omitted ? `; and ${omitted} more` : ''),
      omitted ? { errors: list, errorsOmitted: omitted } : { errors: list },
    );
  },
});

/** A body must be a JSON object; arrays, strings and null are refused before field validation. */
@Injectable()
export class ObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata) {
    if (
      metadata.type === 'body' &&
      metadata.metatype &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw badRequest('ValidationFailed', 'the request body must be a JSON object', [
        { field: '(body)', reason: 'must be a JSON object' },
      ]);
    }
    return value;
  }
}

/** Path ids follow the same pattern as body ids; anything else is a 400, never a lookup. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata) {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      const field = metadata.data ?? 'id';
      throw badRequest('InvalidId', `${field} ${ID_MESSAGE}`, [{ field, reason: ID_MESSAGE }]);
    }
    return value;
  }
}

/**
 * The deepest nesting a request body may have. Ours need 3; class-validator and the validation
 * pipe recurse per level and overflow the stack at a few thousand (a 500 found by the fuzzer),
 * which a 100 kB body of brackets reaches easily.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Text PostgreSQL cannot store (a 500 found by the fuzzer): NUL, refused in text and jsonb alike,
 * and a UTF-16 surrogate without its pair, which JSON's \ud800 escape can produce but UTF-8 cannot
 * encode. Neither is meaningful text, so both are refused wherever they come in.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a parsed body or query cannot be taken in, before any validation runs: nested deeper than
 * `maxDepth`, or a string (value or key) with unstorable text. Iterative, so any depth is safe to look at.
 */
export const unusableInput = (
  value: unknown,
  maxDepth = MAX_BODY_DEPTH,
): 'too-deep' | 'unstorable-text' | undefined => {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return 'unstorable-text';
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return 'too-deep';
    for (const [key, child] of Object.entries(v)) {
      if (UNSTORABLE.test(key)) return 'unstorable-text';
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
};

/** The 400 for `unusableInput`'s answer about the body or the query string. */
export const unusableInputProblem = (
  why: 'too-deep' | 'unstorable-text',
  where: '(body)' | '(query)',
): ProblemException =>
  why === 'too-deep'
    ? badRequest(
        'TooDeeplyNested',
        `the ${where === '(body)' ? 'request body' : 'query string'} nests deeper than ${MAX_BODY_DEPTH} levels`,
        [{ field: where, reason: `nests deeper than ${MAX_BODY_DEPTH} levels` }],
      )
    : badRequest(
        'UnstorableText',
        'text must not contain NUL (U+0000) or an unpaired surrogate (e.g. \\ud800)',
        [{ field: where, reason: 'contains NUL or an unpaired surrogate' }],
      );
