/**
 * Loaded into the API child with `node -r` when the bench runs with --profile. The first SIGWINCH
 * starts the V8 CPU profiler and a count of the SQL statements node-postgres sends; the second
 * stops both and writes the profile to BENCH_PROFILE_OUT and the counts to
 * BENCH_PROFILE_OUT.queries.json. The bench sends them before the warm-up and at the end of the
 * measured window. SIGWINCH, not SIGUSR2: Nest's enableShutdownHooks shuts the app down on
 * SIGUSR2, while SIGWINCH is ignored by default (harmless without this file). Counting wraps
 * pg.Client#query in this process; the app's code is untouched.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import pg from 'pg';

const out = process.env.BENCH_PROFILE_OUT;
if (out) {
  const counts = new Map<string, number>();
  let counting = false;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  // A statement's kind: its first words with literals and whitespace folded.
  const kind = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 70);
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    if (counting) {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
      if (typeof text === 'string') {
        const k = kind(text);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    return original.apply(this, args);
  };

  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGWINCH', () => {
    if (!profiling) {
      profiling = true;
      counting = true;
      counts.clear();
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
      );
      return;
    }
    profiling = false;
    counting = false;
    writeFileSync(
      `${out}.queries.json`,
      JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])), null, 1),
    );
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
