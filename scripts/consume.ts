/**
 * Prints the events on one topic, for integrators trying the Kafka contract:
 *   npm run consume -- --topic eenplan.regie.handoffs.v1 --from-beginning
 *   npm run consume -- --topic handoffs --pretty          # plan | handoffs | uwv | outcomes: the configured names
 * One CloudEvent (JSON) per line on stdout; partition, offset and key go to stderr with --verbose.
 * Brokers: --brokers or KAFKA_BROKERS (default 127.0.0.1:9092). Ctrl-C stops.
 * Exit code 0 when stopped (Ctrl-C, or --max events read), 1 when Kafka failed, 2 on a wrong
 * argument or setting.
 */
import { createKafka, decodeCloudEvent } from '@eenplan/messaging';
import { ConfigError, loadConfig } from '@eenplan/runtime';
import { commandLine, usageError } from './cli';

const usage = `usage: npm run consume -- --topic <name|plan|handoffs|uwv|outcomes> [--from-beginning] [--group <id>]
       [--brokers host:port,...] [--max <n>] [--pretty] [--verbose]`;

const main = async () => {
  const { values } = commandLine('consume', usage, {
    options: {
      topic: { type: 'string' },
      'from-beginning': { type: 'boolean', default: false },
      group: { type: 'string' },
      brokers: { type: 'string' },
      max: { type: 'string' },
      pretty: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!values.topic) return usageError('consume', usage, '--topic is required');
  const config = loadConfig(values.brokers ? { ...process.env, KAFKA_BROKERS: values.brokers } : process.env);
  const aliases: Record<string, string> = {
    plan: config.messaging.topics.householdPlan,
    handoffs: config.messaging.topics.regieHandoffs,
    uwv: config.messaging.topics.uwvSignals,
    outcomes: config.messaging.topics.outcomes,
  };
  const topic = aliases[values.topic] ?? values.topic;
  const max = values.max === undefined ? Infinity : Number(values.max);
  if (!(max > 0)) return usageError('consume', usage, `--max must be a positive number, got "${values.max}"`);
  const brokers = config.kafkaBrokers ?? ['127.0.0.1:9092'];

  const kafka = createKafka({
    brokers,
    clientId: `${config.messaging.clientId}-consume`,
    security: config.kafkaSecurity,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // A group of its own unless one is given: reading here never moves another consumer's offsets.
  const groupId = values.group ?? `eenplan-consume-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  let seen = 0;
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    await consumer.disconnect().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: values['from-beginning'] });
  process.stderr.write(
    `reading ${topic} at ${brokers.join(',')} (group ${groupId}${values['from-beginning'] ? ', from the beginning' : ', new events only'}); Ctrl-C stops\n`,
  );
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (seen >= max) return;
      seen++;
      const text = message.value?.toString('utf8') ?? '';
      if (values.verbose)
        process.stderr.write(
          `# partition ${partition} offset ${message.offset} key ${message.key?.toString() ?? ''}\n`,
        );
      let out = text;
      try {
        // Binary mode (ce_ headers): printed as the same CloudEvent a structured message holds.
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v ?? '')]),
        );
        out = JSON.stringify(decodeCloudEvent(text, headers), null, values.pretty ? 2 : undefined);
      } catch {
        // Not JSON (not ours): print as received.
      }
      process.stdout.write(`${out}\n`);
      if (seen >= max) void stop();
    },
  });
};

main().catch((e) => {
  process.stderr.write(
    `consume: ${e instanceof ConfigError ? 'configuration error: ' : ''}${(e as Error).message}\n`,
  );
  process.exit(e instanceof ConfigError ? 2 : 1);
});
