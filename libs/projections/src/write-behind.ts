import type { QueryOptions, SqlExecutor, SqlResult } from '@eenplan/event-store/sql/sql';

/**
 * A transaction's executor that holds back writes nobody reads an answer from and sends them
 * together, in one round trip, when something has to wait for the database anyway: before a read
 * (a SELECT, anything with RETURNING, anything it cannot rewrite), at `flush()` (the runner calls it
 * before COMMIT). The statements still run one after another, in the order they were issued, in
 * the same transaction: only the waiting in between is gone. A rebuild spent nearly all its time
 * in those waits (one round trip per statement, about two statements per event).
 *
 * What a held-back statement cannot give (see Projection for the rule every apply follows):
 * - its result: `rows` and `rowCount` throw, so an apply that needs one fails loudly instead of
 *   reading nothing;
 * - its error at its own `await`: a failing statement fails the flush, i.e. the next read or the
 *   end of the batch, and with it the whole transaction (which the runner then rolls back and retries).
 *
 * The batch goes as one parameterless script (the simple query protocol, which both drivers take
 * for several statements), so parameters are inlined as quoted literals. A quoted literal is
 * typed from its context exactly like an untyped parameter sent as text, which is how both drivers
 * send them. Only strings, finite numbers, booleans, bigints and null are inlined; a statement with
 * any other value (a Date, a Buffer, an object) runs on its own, with its parameters, after a flush.
 */
export class WriteBehindExecutor implements SqlExecutor {
  private pending: string[] = [];
  /** Statements sent so far in flushes, and the flushes: for tests and the benchmark's notes. */
  heldBack = 0;
  flushes = 0;

  constructor(
    private readonly tx: SqlExecutor,
    /** Sends at most this many statements per round trip (bounds one script's size). */
    private readonly maxPending = 2000,
  ) {}

  async query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<SqlResult<Row>> {
    const inlined = isBlindWrite(text) ? inline(text, params ?? []) : null;
    if (inlined === null) {
      await this.flush();
      return this.tx.query<Row>(text, params, options);
    }
    this.pending.push(inlined);
    if (this.pending.length >= this.maxPending) await this.flush();
    return heldBackResult as SqlResult<Row>;
  }

  /** Sends every held-back statement; rejects with the first one's error that fails. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const script = this.pending.join(';\n');
    this.heldBack += this.pending.length;
    this.flushes++;
    this.pending = [];
    await this.tx.query(script);
  }
}

const unavailable = (): never => {
  throw new Error(
    'a held-back write has no result: an apply may not read rows or rowCount of an INSERT/UPDATE/DELETE without RETURNING',
  );
};
const heldBackResult: SqlResult<never> = Object.freeze({
  get rows(): never[] {
    return unavailable();
  },
  get rowCount(): number {
    return unavailable();
  },
});

/** INSERT, UPDATE or DELETE that returns nothing: its only effect is on the tables. */
export function isBlindWrite(text: string): boolean {
  return /^\s*(INSERT|UPDATE|DELETE)\b/i.test(text) && !/\bRETURNING\b/i.test(text);
}

/**
 * `text` with `$n` replaced by `params[n - 1]` as a quoted literal, or null when that cannot be done
 * safely: a value of another type, a `$` it does not understand (dollar quoting), a `;` (a second
 * statement), or a parameter number out of range. Skips string literals, quoted identifiers and
 * comments, where a `$1` is text.
 */
export function inline(text: string, params: readonly unknown[]): string | null {
  const literals: string[] = [];
  for (const value of params) {
    const literal = toLiteral(value);
    if (literal === null) return null;
    literals.push(literal);
  }
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      // A quoted string or identifier; a doubled quote inside is part of it. E'...' strings (where
      // a backslash escapes a quote) are refused below, on the E.
      const end = closingQuote(text, i, c);
      if (end < 0) return null;
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return null;
      out += text.slice(i, end + 2);
      i = end + 2;
    } else if (c === '$') {
      const match = /^\$(\d+)/.exec(text.slice(i, i + 12));
      if (!match) return null;
      const index = Number(match[1]) - 1;
      if (index < 0 || index >= literals.length) return null;
      out += literals[index];
      i += match[0].length;
    } else if (
      c === ';' ||
      ((c === 'E' || c === 'e') && text[i + 1] === "'" && !/\w/.test(text[i - 1] ?? ''))
    ) {
      return null;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function closingQuote(text: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const end = text.indexOf(quote, i);
    if (end < 0) return -1;
    if (text[end + 1] !== quote) return end;
    i = end + 2;
  }
}

/**
 * The literal a value becomes, as both drivers would send it as a text parameter (node-postgres:
 * String(value), 'true'/'false'). An E'' string when it holds a backslash, so the literal means the
 * same whatever standard_conforming_strings says.
 */
function toLiteral(value: unknown): string | null {
  if (value === null || value === undefined) return 'NULL';
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    s = String(value);
  } else if (typeof value === 'bigint') s = value.toString();
  else if (typeof value === 'boolean') s = value ? 'true' : 'false';
  else return null;
  // PostgreSQL text cannot hold NUL; the driver would fail on it too, but at its own statement.
  if (s.includes('\0')) return null;
  const quoted = `'${s.replace(/'/g, "''")}'`;
  return s.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
