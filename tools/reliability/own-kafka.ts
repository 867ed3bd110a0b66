import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from '../bench/api-process';

/*
 * A Kafka broker of one's own, for the outage line and the Kafka suites (test/kafka/support.ts
 * re-exports these; scripts run from dist and cannot import test/).
 */

export interface OwnBroker {
  readonly brokers: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/** null when infra/kafka can start a broker here (the fetched jars and a JVM), else why not. */
export function ownKafkaUnavailable(): string | null {
  if (!existsSync(join(repoRoot, 'infra', 'kafka', 'lib', '.complete'))) return 'infra/kafka/lib is empty';
  const java = spawnSync(process.env.JAVA || 'java', ['-version'], { encoding: 'utf8' });
  return java.status === 0 ? null : `java does not run: ${java.error?.message ?? java.stderr}`;
}

/**
 * A broker of the caller's own (the infra/kafka scripts with their own ports and state directory),
 * so it can be stopped without disturbing anyone on the shared broker. The scripts run
 * asynchronously: the app under test keeps serving while the broker starts or stops.
 */
export async function startOwnBroker(): Promise<OwnBroker> {
  const runDir = mkdtempSync(join(tmpdir(), 'eenplan-kafka-'));
  const env = {
    ...process.env,
    KAFKA_RUN_DIR: runDir,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    // No SASL_SSL listener: these brokers test outages, and it would cost a certificate and a login check.
    KAFKA_SASL_PORT: '0',
    KAFKA_NUM_PARTITIONS: '3',
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
  };
  const run = (script: string) =>
    new Promise<void>((done, fail) => {
      const child = spawn('bash', [join(repoRoot, 'infra', 'kafka', script)], { env, stdio: 'pipe' });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', fail);
      child.on('exit', (code) =>
        code === 0 ? done() : fail(new Error(`infra/kafka/${script} exited with ${code}: ${output}`)),
      );
    });
  const broker: OwnBroker = {
    brokers: [`127.0.0.1:${env.KAFKA_PORT}`],
    start: () => run('start.sh'),
    stop: () => run('stop.sh'),
    destroy: async () => {
      try {
        await run('stop.sh');
      } finally {
        rmSync(runDir, { recursive: true, force: true });
      }
    },
  };
  try {
    await broker.start();
  } catch (error) {
    await broker.destroy().catch(() => undefined);
    throw error;
  }
  return broker;
}

/**
 * Per household, in topic order and after dropping redeliveries (same id), the sequences seen.
 * A complete, ordered stream reads 1, 2, 3, ..., n.
 */
export const sequencesByHousehold = (
  messages: readonly {
    // A zero-padded string on the topic (`"00000000000000000007"`); a number before it was one.
    readonly event: { readonly id: string; readonly subject: string; readonly sequence: string | number };
  }[],
): Map<string, number[]> => {
  const seen = new Set<string>();
  const out = new Map<string, number[]>();
  for (const m of messages) {
    if (seen.has(m.event.id)) continue;
    seen.add(m.event.id);
    const list = out.get(m.event.subject) ?? [];
    list.push(Number(m.event.sequence));
    out.set(m.event.subject, list);
  }
  return out;
};
