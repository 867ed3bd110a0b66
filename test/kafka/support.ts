import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  createKafka,
  loadEventSchemas,
  messageSchema,
  type CloudEventMapping,
  type Topics,
} from '@eenplan/messaging';
import { probeWithNode, type Infra } from '../support/infra';

/** The broker the Kafka suites use: KAFKA_BROKERS (as .ci/run sets it) or the infra/kafka default. */
export const kafkaBrokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());

const repoRoot = resolve(__dirname, '..', '..');

/** A real metadata request, not only a TCP connect: a starting broker accepts connections early. */
const probeBroker = (brokers: readonly string[]) =>
  probeWithNode(
    `const { Kafka, logLevel } = require(process.argv[1]);
     const admin = new Kafka({ brokers: process.argv[2].split(','), logLevel: logLevel.NOTHING,
       connectionTimeout: 2000, retry: { retries: 1 } }).admin();
     admin.connect().then(() => admin.describeCluster()).then(() => admin.disconnect()).then(
       () => process.exit(0), (e) => { console.log(e.message || String(e)); process.exit(1); });`,
    [require.resolve('kafkajs'), brokers.join(',')],
    15_000,
  );

export const kafkaInfra: Infra = {
  name: `Kafka at ${kafkaBrokers.join(',')}`,
  howToStart: 'bash infra/kafka/fetch.sh && bash infra/kafka/start.sh (or set KAFKA_BROKERS)',
  probe: () => probeBroker(kafkaBrokers),
};

/** Unique topic names per suite run, so suites and repeated runs never read each other's messages. */
export const uniqueTopics = (label: string): Topics => {
  const run = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  return {
    householdPlan: `test.${run}.household-plan`,
    regieHandoffs: `test.${run}.regie-handoffs`,
    uwvSignals: `test.${run}.uwv-signals`,
  };
};

import { readTopic, type ReadMessage } from '../../scripts/reliability/kafka-topic';

export { readTopic, type ReadMessage };

export const testKafka = (brokers: readonly string[] = kafkaBrokers) =>
  createKafka({ brokers, clientId: 'eenplan-test' });

/** One validator per message schema, by CloudEvent type. */
export const messageValidators = (mapping: CloudEventMapping): Map<string, ValidateFunction> => {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  return new Map(
    loadEventSchemas().map((s) => [
      `${mapping.typePrefix}.${s.name}`,
      ajv.compile(messageSchema(s, mapping)),
    ]),
  );
};

/**
 * Per household, in topic order and after dropping redeliveries (same id), the sequences seen.
 * A complete, ordered stream reads 1, 2, 3, ..., n.
 */
export const sequencesByHousehold = (messages: readonly ReadMessage[]): Map<string, number[]> => {
  const seen = new Set<string>();
  const out = new Map<string, number[]>();
  for (const m of messages) {
    if (seen.has(m.event.id)) continue;
    seen.add(m.event.id);
    const list = out.get(m.event.subject) ?? [];
    list.push(m.event.sequence);
    out.set(m.event.subject, list);
  }
  return out;
};

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

export interface OwnBroker {
  readonly brokers: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/** Whether infra/kafka can start a broker here: the fetched jars and a JVM. */
export const kafkaJarsInfra: Infra = {
  name: 'Kafka jars in infra/kafka/lib and java',
  howToStart: 'bash infra/kafka/fetch.sh (needs Maven and Java 17)',
  probe: () => {
    if (!existsSync(join(repoRoot, 'infra', 'kafka', 'lib', '.complete'))) return 'infra/kafka/lib is empty';
    const java = spawnSync(process.env.JAVA || 'java', ['-version'], { encoding: 'utf8' });
    return java.status === 0 ? null : `java does not run: ${java.error?.message ?? java.stderr}`;
  },
};

/**
 * A broker of this test's own (the infra/kafka scripts with their own ports and state directory),
 * so a test can stop it without disturbing other suites on the shared broker. The scripts run
 * asynchronously: the app under test keeps serving while the broker starts or stops.
 */
export async function startOwnBroker(): Promise<OwnBroker> {
  const runDir = mkdtempSync(join(tmpdir(), 'eenplan-kafka-'));
  const env = {
    ...process.env,
    KAFKA_RUN_DIR: runDir,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
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
  await broker.start();
  return broker;
}

/** Every string anywhere in a value (for "no personal text leaks" checks). */
export const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
};
