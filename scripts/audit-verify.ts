/**
 * Checks every stream's hash chain in the event store and names the first broken link per stream,
 * then the access log's chain, naming its first broken row, both against the last anchor of their
 * heads in the key store (rows and events cut below it are named):
 *   npm run audit:verify                      # every stream and the access log
 *   npm run audit:verify -- <householdId>...  # only these households' streams
 * Exit code 0 when every chain holds; 1 when a link is broken (or the anchor is invalid); 2 on a
 * wrong argument or setting, or a household the event store holds no event of (a typo, or one never
 * registered; one whose events were cut below the last anchor is a broken link, 1).
 *
 * It opens the database and the key store as every process does, so before it reads it writes
 * what any start writes, and nothing else: pending schema migrations; on a database's first start
 * with its key store, the key store's check row (key_store_check); and, on the first start of this
 * release, the upgrade from the previous one (its keys moved into the key store, its plain seals
 * re-keyed, the key store's record that this is done; see docs/SECURITY.md). After that it only reads,
 * and writes no anchor: safe beside a running API.
 */
import { createSql } from '@eenplan/event-store';
import { householdStream } from '@eenplan/domain';
import { AccessLog, anchorForVerification } from '@eenplan/security';
import { ConfigError, loadConfig, storeSqlConfig, createEventStore, migrateApp } from '@eenplan/runtime';
import { accessLogMac } from '../apps/api/src/privacy/access-log-mac';
import { progressLine } from './progress';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';
import { commandLine, USAGE_EXIT } from './cli';

const usage = `usage: npm run audit:verify [-- <householdId>...]
  checks the hash chains of every stream and the access log, or only the households named
  exit code: 0 every chain holds, 1 a broken link, 2 a wrong argument or setting or an unknown household`;

const main = async () => {
  const { positionals: householdIds } = commandLine('audit:verify', usage, {
    options: { help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
  });
  // What an eenplan process writes (PGlite's files, keys, the local secret) is its user's only.
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  const sql = await createSql(storeSqlConfig(config));
  // The schema as the API would have it (a no-op on a database the API already started on).
  await migrateApp(sql);
  const store = await createEventStore(config, sql);
  try {
    const total =
      config.eventStore === 'postgres'
        ? Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n)
        : 0;
    // Households with no event at all: named after the check, which still runs for them (a stream
    // whose events were all cut below the last anchor is found there, and is broken, not unknown).
    const absent: string[] = [];
    for (const id of householdIds)
      if ((await store.streamVersion(householdStream(id))) === 0) absent.push(id);
    const started = Date.now();
    let lastPrint = 0;
    const { anchor, invalid } = await anchorForVerification(store.keys);
    if (invalid) process.stdout.write(`ANCHOR INVALID: ${invalid}\n`);
    const report = await store.verify({
      anchor: anchor?.events ? { ...anchor.events, at: anchor.at } : null,
      streamIds: householdIds.length ? householdIds.map(householdStream) : undefined,
      onProgress: (done) => {
        const now = Date.now();
        if (now - lastPrint < (process.stderr.isTTY ? 200 : 2000)) return;
        lastPrint = now;
        process.stderr.write(
          `${process.stderr.isTTY ? '\r' : ''}${progressLine(done, Math.max(total, done), started)}${process.stderr.isTTY ? '' : '\n'}`,
        );
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(
      `${report.ok ? 'OK' : 'BROKEN'}: ${report.streams.toLocaleString('en')} streams, ${report.events.toLocaleString('en')} events checked in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    for (const link of report.broken) {
      process.stdout.write(
        `  ${link.streamId} version ${link.streamVersion}${link.eventId ? ` (event ${link.eventId})` : ''}: ${link.problem}: ${link.detail}\n`,
      );
    }
    if (report.anchor) {
      const { at, position, anchored, found } = report.anchor;
      const cut =
        found === null ? '' : found === anchored ? ': all there' : `: ${found.toLocaleString('en')} found`;
      process.stdout.write(
        `Anchor of ${at}: ${anchored.toLocaleString('en')} events up to position ${position}${cut}\n`,
      );
      if (found !== null && found < anchored)
        process.stdout.write(
          `  ${(anchored - found).toLocaleString('en')} event(s) cut below the anchor (streams among its heads are named above)\n`,
        );
      if (found !== null && found > anchored)
        process.stdout.write(
          `  ${(found - anchored).toLocaleString('en')} event(s) more than the anchor counted\n`,
        );
    } else if (!invalid) {
      process.stdout.write('No anchor yet: cuts from the end of a chain cannot be checked\n');
    }
    let ok = report.ok && !invalid;
    const brokenStreams = new Set(report.broken.map((link) => link.streamId));
    const unknown = absent.filter((id) => !brokenStreams.has(householdStream(id)));
    if (householdIds.length === 0) {
      const accessStarted = Date.now();
      // The event store's key store: the access log's chain key lives beside the data keys.
      const accessLog = await new AccessLog(sql, accessLogMac(store.keys)).verify({
        anchor: anchor?.accessLog ? { ...anchor.accessLog, at: anchor.at } : null,
      });
      process.stdout.write(
        `Access log ${accessLog.ok ? 'OK' : 'BROKEN'}: ${accessLog.rows.toLocaleString('en')} chained rows and ${accessLog.legacyRows.toLocaleString('en')} from before the chain checked in ${((Date.now() - accessStarted) / 1000).toFixed(1)} s\n`,
      );
      for (const row of accessLog.broken) {
        process.stdout.write(
          `  ${row.seq === null ? 'access log' : `row seq ${row.seq}${row.id ? ` (id ${row.id})` : ''}`}: ${row.problem}: ${row.detail}\n`,
        );
      }
      if (accessLog.problems > accessLog.broken.length)
        process.stdout.write(`  ... and ${accessLog.problems - accessLog.broken.length} more\n`);
      ok &&= accessLog.ok;
    }
    if (unknown.length)
      process.stderr.write(
        `audit:verify: unknown household(s): ${unknown.join(', ')}: the event store holds no event of ${unknown.length === 1 ? 'it' : 'them'}\n`,
      );
    process.exitCode = !ok ? 1 : unknown.length ? USAGE_EXIT : 0;
  } finally {
    await store.close();
    await sql.close();
  }
};

main().catch((e) => {
  process.stderr.write(
    `audit:verify: ${e instanceof ConfigError ? 'configuration error: ' : ''}${(e as Error).message}\n`,
  );
  process.exit(e instanceof ConfigError ? 2 : 1);
});
