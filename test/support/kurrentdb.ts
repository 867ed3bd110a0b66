import { randomBytes } from 'node:crypto';
import { describeWithInfra, probeWithNode, type Infra } from './infra';

/**
 * The KurrentDB server tests use: only `KURRENTDB_URL`, no default. CI has no KurrentDB server, so
 * without the variable the KurrentDB suites are skipped, with REQUIRE_INFRA=1 too, and say so.
 */
export const kurrentdbUrl = process.env.KURRENTDB_URL || undefined;

export const HOW_TO_START_KURRENTDB =
  'docker compose -f infra/compose.yaml up -d --wait kurrentdb, then KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false';

export const kurrentdbInfra = (url: string): Infra => ({
  name: `KurrentDB at ${url.replace(/:[^:@/]*@/, ':***@')}`,
  howToStart: HOW_TO_START_KURRENTDB,
  // A real read of $all, so a port that answers but is not KurrentDB does not count.
  probe: () =>
    probeWithNode(
      `const { KurrentDBClient, BACKWARDS, END } = require(process.argv[1]);
       const client = KurrentDBClient.connectionString(process.argv[2]);
       (async () => { for await (const _ of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) break; })()
         .then(() => client.dispose()).then(
           () => process.exit(0),
           (e) => { console.log(e.message || e.type || String(e)); process.exit(1); });`,
      [require.resolve('@kurrent/kurrentdb-client'), url],
      15_000,
    ),
});

/** `describeWithInfra` for KurrentDB: skipped (plainly, never failed) when KURRENTDB_URL is unset. */
export function describeWithKurrentDb(name: string, body: (url: string) => void): void {
  const url = kurrentdbUrl;
  if (url) {
    describeWithInfra(name, kurrentdbInfra(url), () => body(url));
    return;
  }
  const message = `KURRENTDB_URL is not set, so the KurrentDB suite was skipped. To run it: ${HOW_TO_START_KURRENTDB}`;
  console.warn(`SKIPPED "${name}": ${message} (REQUIRE_INFRA does not apply: CI has no KurrentDB server)`);
  describe(name, () => {
    test.skip(`skipped: ${message}`, () => undefined);
  });
}

/** A namespace of its own per store under test: it starts empty, whatever else the server holds. */
export const testNamespace = (): string => `eenplantest_${randomBytes(6).toString('hex')}`;
