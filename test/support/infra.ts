import { spawnSync } from 'node:child_process';

/**
 * A real server a suite needs. `probe` is synchronous because Jest collects `describe` bodies
 * synchronously: whether to run or skip must be known before the tests are declared.
 */
export interface Infra {
  /** Which server, where: e.g. `PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres`. */
  readonly name: string;
  /** The command that starts it here. */
  readonly howToStart: string;
  /** null when reachable, else why not. */
  readonly probe: () => string | null;
}

/**
 * Runs `body` as a describe block when `infra` is reachable. When it is not: with REQUIRE_INFRA=1
 * (CI) one failing test says which server is missing and how to start it; otherwise the suite is
 * skipped, with the reason in a warning and in the skipped test's name, so it never passes unseen.
 */
export function describeWithInfra(name: string, infra: Infra, body: () => void): void {
  const reason = infra.probe();
  if (reason === null) {
    describe(name, body);
    return;
  }
  const message = `${infra.name} is unavailable (${reason}). Start it with: ${infra.howToStart}`;
  if (process.env.REQUIRE_INFRA === '1') {
    describe(name, () => {
      test(`needs ${infra.name} (REQUIRE_INFRA=1)`, () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": ${message} (set REQUIRE_INFRA=1 to fail instead)`);
  describe(name, () => {
    test.skip(`skipped: ${message}`, () => undefined);
  });
}

/** Probes by running `script` in a child Node process: null when it exits 0, else its output. */
export function probeWithNode(script: string, args: readonly string[] = [], timeoutMs = 5000): string | null {
  const result = spawnSync(process.execPath, ['-e', script, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (result.error) return result.error.message;
  if (result.status === 0) return null;
  return (result.stdout + result.stderr).trim() || `probe exited with ${result.status ?? result.signal}`;
}

/** Whether something accepts TCP connections at host:port (for servers without a Node client here). */
export function probeTcp(host: string, port: number, timeoutMs = 2000): string | null {
  return probeWithNode(
    `const s = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
     s.setTimeout(${timeoutMs}, () => { console.log('no answer within ${timeoutMs} ms'); process.exit(1); });
     s.on('connect', () => process.exit(0));
     s.on('error', (e) => { console.log(e.message); process.exit(1); });`,
    [host, String(port)],
    timeoutMs + 3000,
  );
}
