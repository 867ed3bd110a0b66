import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  createKafka,
  loadEventSchemas,
  loadOutcomeSchemas,
  messageSchema,
  outcomeMessageSchema,
  type CloudEventMapping,
  type Topics,
} from '@eenplan/messaging';
import { repoRoot } from '../../tools/bench/api-process';
import { ownKafkaUnavailable } from '../../tools/reliability/own-kafka';
import { probeWithNode, type Infra } from '../support/infra';

/** The broker the Kafka suites use: KAFKA_BROKERS (as .ci/run sets it) or the infra/kafka default. */
export const kafkaBrokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());

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
    outcomes: `test.${run}.outcomes`,
  };
};

import { readTopic, type ReadMessage } from '../../tools/reliability/kafka-topic';

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

/** One validator per outcomes-topic message schema (issue 19), by CloudEvent type. */
export const outcomeValidators = (mapping: CloudEventMapping): Map<string, ValidateFunction> => {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  return new Map(
    loadOutcomeSchemas().map((s) => [
      `${mapping.typePrefix}.${s.name}`,
      ajv.compile(outcomeMessageSchema(s, mapping)),
    ]),
  );
};

// The private broker and the per-household sequences live in tools/reliability (the outage line
// uses them from dist); re-exported for the Kafka suites.
export { sequencesByHousehold, startOwnBroker, type OwnBroker } from '../../tools/reliability/own-kafka';

/** Whether infra/kafka can start a broker here: the fetched jars and a JVM. */
export const kafkaJarsInfra: Infra = {
  name: 'Kafka jars in infra/kafka/lib and java',
  howToStart: 'bash infra/kafka/fetch.sh (needs Maven and Java 17)',
  probe: ownKafkaUnavailable,
};

/** Every string anywhere in a value (for "no personal text leaks" checks). */
export const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
};

/*
 * The local broker's SASL_SSL listener (infra/kafka/start.sh: TLS from a local CA and SCRAM logins),
 * for the suites that connect as a platform team's cluster would make eenplan connect.
 * KAFKA_SASL_BROKERS (as .ci/run sets it) or the infra/kafka default port; the CA and the password
 * from the broker's run directory (KAFKA_RUN_DIR or infra/kafka/run).
 */
export const kafkaSaslBrokers = (process.env.KAFKA_SASL_BROKERS || '127.0.0.1:9094')
  .split(',')
  .map((b) => b.trim());
const kafkaRunDir = process.env.KAFKA_RUN_DIR || join(repoRoot, 'infra', 'kafka', 'run');
export const localScram = {
  caFile: join(kafkaRunDir, 'tls', 'ca.crt'),
  username: process.env.KAFKA_SCRAM_USER || 'eenplan',
  passwordFile: join(kafkaRunDir, 'sasl', 'password'),
};

/** A SCRAM-SHA-512 login over TLS that gets a DescribeCluster answer. */
const probeSaslListener = (): string | null => {
  for (const file of [localScram.caFile, localScram.passwordFile])
    if (!existsSync(file)) return `${file} does not exist`;
  return probeWithNode(
    `const { readFileSync } = require('node:fs');
     const { Kafka, logLevel } = require(process.argv[1]);
     const [brokers, ca, username, passwordFile] = process.argv.slice(2);
     const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 3000,
       retry: { retries: 1 }, ssl: { ca: [readFileSync(ca, 'utf8')] },
       sasl: { mechanism: 'scram-sha-512', username, password: readFileSync(passwordFile, 'utf8') } }).admin();
     admin.connect().then(() => admin.describeCluster()).then(() => admin.disconnect()).then(
       () => process.exit(0), (e) => { console.log(e.message || String(e)); process.exit(1); });`,
    [
      require.resolve('kafkajs'),
      kafkaSaslBrokers.join(','),
      localScram.caFile,
      localScram.username,
      localScram.passwordFile,
    ],
    20_000,
  );
};

export const kafkaSaslInfra: Infra = {
  name: `Kafka's SASL_SSL listener at ${kafkaSaslBrokers.join(',')}`,
  howToStart:
    'bash infra/kafka/start.sh (a broker started by an older start.sh has no SASL_SSL listener: bash infra/kafka/stop.sh first), or set KAFKA_SASL_BROKERS and KAFKA_RUN_DIR',
  probe: probeSaslListener,
};
