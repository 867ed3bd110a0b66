/**
 * Rebuilds read models from the start of the feed, with a progress bar and an ETA:
 *   npm run projections:rebuild                  # all
 *   npm run projections:rebuild -- regie-history # one or more by name
 * Safe beside a running worker or API: the checkpoint row lock keeps one runner at a time per
 * projection, and the others continue from wherever this one leaves the checkpoint.
 * Exit code 0 when rebuilt, 1 when the rebuild failed, 2 on a wrong argument or setting.
 */
import { createSql, START } from '@eenplan/event-store';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { ALL_PROJECTIONS, ProjectionRunner } from '@eenplan/projections';
import { ConfigError, loadConfig, storeSqlConfig, migrateApp, createEventStore } from '@eenplan/runtime';
import { progressLine } from './progress';
import { commandLine, usageError } from './cli';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';

/** Events in the feed, for the ETA, where no table can count them (KurrentDB): one quick pass. */
const countFeed = async (store: EventStore): Promise<number> => {
  let count = 0;
  for (let page = await store.readAll(START, { limit: 5000 }); page.length > 0;) {
    count += page.length;
    page = await store.readAll(page[page.length - 1]!.position, { limit: 5000 });
  }
  return count;
};

const main = async () => {
  // What an eenplan process writes (PGlite's files, keys, the local secret) is its user's only.
  process.umask(PRIVATE_UMASK);
  const usage = `usage: npm run projections:rebuild [-- <projection>...]
  rebuilds every read model, or only those named, from the start of the feed
  projections: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`;
  const { positionals: names } = commandLine('projections:rebuild', usage, {
    options: { help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
  });
  const unknown = names.filter((n) => !ALL_PROJECTIONS.some((p) => p.name === n));
  if (unknown.length)
    usageError('projections:rebuild', usage, `unknown projection(s): ${unknown.join(', ')}`);
  const chosen = names.length ? ALL_PROJECTIONS.filter((p) => names.includes(p.name)) : ALL_PROJECTIONS;
  const config = loadConfig();
  const sql = await createSql(storeSqlConfig(config));
  const store = await createEventStore(config, sql);
  try {
    await migrateApp(sql);
    const total =
      config.eventStore === 'postgres'
        ? Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n)
        : await countFeed(store);
    const runner = new ProjectionRunner(store, sql, chosen, { batchSize: 2000 });
    for (const p of chosen) await runner.reset(p);
    process.stderr.write(
      `rebuilding ${chosen.map((p) => p.name).join(', ')} from ${total.toLocaleString('en')} events\n`,
    );
    const started = Date.now();
    const tty = process.stderr.isTTY;
    let lastPrint = 0;
    const applied = await runner.catchUp((done) => {
      const now = Date.now();
      if (tty) process.stderr.write(`\r${progressLine(done, total, started)}`);
      else if (now - lastPrint > 2000) {
        process.stderr.write(`${progressLine(done, total, started)}\n`);
        lastPrint = now;
      }
    });
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`${tty ? '\r' : ''}${progressLine(applied, Math.max(total, applied), started)}\n`);
    process.stdout.write(
      `rebuilt ${chosen.length} projection(s) over ${applied.toLocaleString('en')} events in ${seconds.toFixed(1)} s (${Math.round(applied / Math.max(seconds, 0.001)).toLocaleString('en')} events/s)\n`,
    );
  } finally {
    await store.close();
    await sql.close();
  }
};

main().catch((e) => {
  process.stderr.write(
    `\nrebuild ${e instanceof ConfigError ? 'refused: configuration error' : 'failed'}: ${(e as Error).message}\n`,
  );
  process.exit(e instanceof ConfigError ? 2 : 1);
});
