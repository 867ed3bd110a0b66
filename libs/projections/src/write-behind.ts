import { createHash } from 'node:crypto';
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
 * for several statements), so parameters travel as quoted literals, which the server reads with
 * the same input functions as the text parameters both drivers send. Only strings, finite numbers,
 * booleans, bigints and null are sent so; a statement with any other value (a Date, a Buffer, an
 * object) runs on its own, with its parameters, after a flush.
 *
 * Given the session's prepared statements (`prepared`, read with PREPARED_STATEMENTS in the
 * transaction's first query), a statement with parameters is prepared once per session and sent as
 * `EXECUTE name('literal', ...)`: the server then parses and plans it once instead of per event,
 * which is most of its work per statement, and types the parameters exactly as for a driver's
 * parameters (from the statement, at PREPARE). Asking the session instead of remembering what was
 * prepared keeps it right across rolled-back transactions (a PREPARE outlives them) and new
 * connections. Without `prepared` (or past MAX_PREPARED texts) the literals go into the text.
 */
export class WriteBehindExecutor implements SqlExecutor {
  private pending: string[] = [];
  private readonly prepared: Set<string> | null;
  private readonly maxPending: number;

  constructor(
    private readonly tx: SqlExecutor,
    options: {
      /** Sends at most this many statements per round trip (bounds one script's size). */
      readonly maxPending?: number;
      /** Names of the prepared statements the transaction's session has (see PREPARED_STATEMENTS). */
      readonly prepared?: readonly string[];
    } = {},
  ) {
    this.maxPending = options.maxPending ?? 2000;
    this.prepared = options.prepared ? new Set(options.prepared) : null;
  }

  async query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<SqlResult<Row>> {
    const literals = isBlindWrite(text) ? toLiterals(params ?? []) : null;
    const inlined = literals && substitute(text, literals);
    if (!literals || inlined === null) {
      await this.flush();
      return this.tx.query<Row>(text, params, options);
    }
    const name = this.prepared && literals.length > 0 && !options?.planEachRun ? preparedName(text) : null;
    if (this.prepared && name) {
      if (!this.prepared.has(name)) {
        this.pending.push(`PREPARE ${name} AS ${text}`);
        this.prepared.add(name);
      }
      this.pending.push(`EXECUTE ${name}(${literals.join(', ')})`);
    } else {
      this.pending.push(inlined);
    }
    if (this.pending.length >= this.maxPending) await this.flush();
    return heldBackResult as SqlResult<Row>;
  }

  /** Sends every held-back statement; rejects with the first one's error that fails. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // On its own line: a statement ending in a -- comment must not swallow the separator.
    const script = this.pending.join('\n;\n');
    this.pending = [];
    await this.tx.query(script);
  }
}

const PREFIX = 'eenplan_wb_';
/**
 * A select-list expression: the names of this session's statements prepared here. A session holds
 * at most one per text in `names` below, so at most MAX_PREPARED.
 */
export const PREPARED_STATEMENTS = `ARRAY(SELECT name FROM pg_prepared_statements WHERE starts_with(name, '${PREFIX}'))`;
/** Texts get a prepared name up to this many per process; any further text goes inlined. */
export const MAX_PREPARED = 200;
const names = new Map<string, string>();

/**
 * The name is the text's hash: every process gives a text the same name and no two texts one
 * name, so a session shared between processes (a pooler) can never run another text by its name.
 */
function preparedName(text: string): string | null {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED) {
    name = `${PREFIX}${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
    names.set(text, name);
  }
  return name ?? null;
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
  if (/\bRETURNING\b/i.test(text)) return false;
  const verb = mainVerb(text);
  return verb === 'INSERT' || verb === 'UPDATE' || verb === 'DELETE';
}

/**
 * The statement's own verb: its first word, or after a WITH list the verb right after the last
 * CTE's closing parenthesis (a WITH whose CTEs write but whose main statement is a SELECT reads).
 */
function mainVerb(text: string): string | null {
  const first = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? null;
  if (first !== 'WITH') return first;
  let depth = 0;
  let previous = '';
  for (const [token] of text.matchAll(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|[(),]|\w+/g)) {
    if (token.startsWith('--') || token.startsWith('/*')) continue;
    if (token === '(') depth++;
    else if (token === ')') depth--;
    if (depth !== 0) continue;
    if (previous === ')' && token !== ',') return token.toUpperCase();
    previous = token;
  }
  return null;
}

/** `text` with `$n` replaced by `params[n - 1]` as a quoted literal, or null (see substitute). */
export function inline(text: string, params: readonly unknown[]): string | null {
  const literals = toLiterals(params);
  return literals && substitute(text, literals);
}

function toLiterals(params: readonly unknown[]): string[] | null {
  const literals: string[] = [];
  for (const value of params) {
    const literal = toLiteral(value);
    if (literal === null) return null;
    literals.push(literal);
  }
  return literals;
}

/**
 * `text` with `$n` replaced by `literals[n - 1]`, or null when that cannot be done safely: a `$`
 * it does not understand (dollar quoting), a `;` (a second statement), an E'' string, or a
 * parameter number out of range. Skips string literals, quoted identifiers and comments, where a
 * `$1` is text. Also the check that a text may be prepared and sent in a script.
 */
function substitute(text: string, literals: readonly string[]): string | null {
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
      // PostgreSQL nests block comments; a nested one would end elsewhere than here: run it as is.
      if (end < 0 || text.slice(i + 2, end).includes('/*')) return null;
      out += text.slice(i, end + 2);
      i = end + 2;
    } else if (c === '$') {
      // `a$1` is an identifier, not a parameter: leave such a statement to the server.
      if (i > 0 && /[A-Za-z0-9_]/.test(text[i - 1]!)) return null;
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
