/**
 * The bad-input line on its own, with the size by default:
 *   npm run -s build && node dist/tools/reliability/fuzz-cli.js [requests] [seed]
 * Starts the built API on a fresh database on the PostgreSQL server (DATABASE_URL or the local
 * default), fuzzes it, prints the figures and drops the database. `npm run reliability` runs the
 * same `runFuzzOnBuiltApi` among the other lines.
 */
import { createBenchDatabase } from '../bench/postgres';
import { table } from '../bench/report';
import { runFuzzOnBuiltApi } from './fuzz';

const main = async () => {
  const requests = Number(process.argv[2] ?? 100_000);
  const seed = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createBenchDatabase(serverUrl, 'fuzz', false);
  try {
    const result = await runFuzzOnBuiltApi({
      requests,
      seed,
      databaseUrl: db.url,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${table(result.lines)}\n`);
    process.stdout.write(
      `\nby status: ${JSON.stringify(result.byStatus)}\nby tag: ${JSON.stringify(result.byTag)}\n`,
    );
    for (const f of result.failures)
      process.stdout.write(`\n${f.kind} ${f.status ?? ''}: ${f.detail}\n  ${f.request}\n`);
    if (result.lines.some((l) => l.result === 'miss' && l.id !== 'R4a')) process.exitCode = 1;
  } finally {
    await db.drop();
  }
};

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
