/**
 * Loads fictional demo data (three teams, six households, handovers, volunteers, a closed and a
 * reopened plan; scripts/demo/data.ts) into the configured store, through the API's own HTTP path:
 *   npm run demo                          # the embedded database in DATA_DIR (stop the server first), or DATABASE_URL
 * Running it again writes nothing: each request carries a fixed Idempotency-Key and is answered
 * from the first run's record. Exit code 0 when loaded (or already there), 1 when a request was
 * refused or the store failed, 2 on a wrong argument or setting.
 */
import 'reflect-metadata';
import { PRIVATE_UMASK } from '@eenplan/event-store/sql/private-files';
import { ConfigError, loadConfig } from '@eenplan/runtime';
import { commandLine } from './cli';
import { DEMO_ACTORS, DEMO_HOUSEHOLDS } from './demo/data';
import { loadDemoData } from './demo/load';

const usage = `usage: npm run demo
  loads fictional demo data (teams, households, handovers, volunteers, a closed and a reopened plan)
  into the embedded database in DATA_DIR (default ./data; stop the server first) or DATABASE_URL; a second run
  writes nothing`;

const main = async () => {
  commandLine('demo', usage, { options: { help: { type: 'boolean', short: 'h', default: false } } });
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  const result = await loadDemoData(config);
  if (result.written === 0) {
    process.stdout.write(
      `demo data already loaded: all ${result.replayed} requests were answered from their Idempotency-Key; ` +
        `nothing was written (event store position ${result.positionAfter}, unchanged)\n`,
    );
    return;
  }
  const added = Object.entries(result.added)
    .map(([what, n]) => `${n} ${what}`)
    .join(', ');
  process.stdout.write(
    `demo data loaded: ${added}` +
      (result.replayed ? ` (${result.replayed} requests were already applied)` : '') +
      `\nhouseholds: ${Object.values(DEMO_HOUSEHOLDS).join(', ')}\n` +
      `a token to look around with: npm run -s token -- --sub ${DEMO_ACTORS.youssef.id} --roles worker --teams ${DEMO_ACTORS.youssef.teams[0]}\n`,
  );
};

main().catch((e: unknown) => {
  const config = e instanceof ConfigError;
  process.stderr.write(
    `demo ${config ? 'refused: configuration error' : 'failed'}: ${(e as Error).message}\n`,
  );
  process.exit(config ? 2 : 1);
});
