/**
 * The bad-input line on its own, with the size by default:
 *   npm run -s build && node dist/scripts/reliability/fuzz-cli.js [requests] [seed]
 * Starts the built API on a fresh database on the PostgreSQL server (DATABASE_URL or the local
 * default), fuzzes it, prints the figures and drops the database. `npm run reliability` runs the
 * same `runFuzz` among the other lines.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from '../bench/api-process';
import { createBenchDatabase } from '../bench/postgres';
import { table } from '../bench/report';
import { runFuzz } from './fuzz';

const main = async () => {
  const requests = Number(process.argv[2] ?? 100_000);
  const seed = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createBenchDatabase(serverUrl, 'fuzz', false);
  const secret = randomBytes(32).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'eenplan-fuzz-api-'));
  const api = await startApi({
    env: {
      DATABASE_URL: db.url,
      JWT_SECRET: secret,
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      // No timed sweep: it would append events while the fuzzer checks that a 4xx changed nothing.
      CHECK_IN_SWEEP_MS: '0',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    const result = await runFuzz({
      requests,
      seed,
      baseUrl: api.baseUrl,
      databaseUrl: db.url,
      jwtSecret: secret,
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
    await api.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
