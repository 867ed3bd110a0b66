/**
 * Checks every stream's hash chain in the event store and names the first broken link per stream,
 * then the access log's chain, naming its first broken row, both against the last anchor of their
 * heads in the key store (rows and events cut below it are named):
 *   npm run audit:verify                      # every stream and the access log
 *   npm run audit:verify -- <householdId>...  # only these households' streams
 * Exit code 0 when every chain holds, 1 when a link is broken, 2 on a usage or configuration error.
 *
 * It opens the database and the key store as every process does, so before it reads it writes
 * what any start writes, and nothing else: pending schema migrations; on a database's first start
 * with its key store, the key store's check row (key_store_check); and, on the first start of this
 * release, the upgrade from the previous one (its keys moved into the key store, its plain seals
 * re-keyed, the key store's record that this is done; see docs/SECURITY.md). After that it only reads,
 * and writes no anchor: safe beside a running API.
 */
import { createSql, migrate } from '@eenplan/event-store';
import { householdStream } from '@eenplan/domain';
import { AccessLog, anchorForVerification } from '@eenplan/security';
import { ConfigError, loadConfig, createEventStore, allMigrations } from '@eenplan/runtime';
import { accessLogMac } from '../apps/api/src/privacy/access-log-mac';
import { progressLine } from './progress';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';

const main = async () => {
  // What an eenplan process writes (PGlite's files, keys, the local secret) is its user's only.
  process.umask(PRIVATE_UMASK);
  const householdIds = process.argv.slice(2);
  const config = loadConfig();
  const sql = await createSql(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { dataDir: config.pgliteDir === 'memory' ? undefined : config.pgliteDir },
  );
  // The schema as the API would have it (a no-op on a database the API already started on).
  await migrate(sql, allMigrations());
  const store = await createEventStore(config, sql);
  try {
    const total =
      config.eventStore === 'postgres'
        ? Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n)
        : 0;
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
    process.exitCode = ok ? 0 : 1;
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
