import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { decodeCloudEvent } from './cloud-event';
import { outcomeMessageSchema } from './outcomes';
import {
  buildAsyncApi,
  EXAMPLE_HOUSEHOLD,
  loadEventSchemas,
  loadOutcomeSchemas,
  messageSchema,
  type AsyncApiOptions,
} from './schemas';

/**
 * The AsyncAPI document as an integrator's tooling reads it: the official parser (the one the
 * AsyncAPI CLI and generator use) finds no error, and every message carries an example that is
 * valid against that message's own schemas, in both content modes.
 */
const mapping = { oin: '00000001234567890000', typePrefix: 'nl.utrecht.eenplan' };

interface Message {
  readonly name: string;
  readonly contentType: string;
  readonly headers: object;
  readonly payload: object;
  readonly examples?: { name: string; headers: Record<string, string>; payload: Record<string, unknown> }[];
}
type Document = { components: { messages: Record<string, Message> } } & Record<string, unknown>;

const build = (options: Partial<AsyncApiOptions> = {}) =>
  buildAsyncApi({ ...mapping, ...options }) as Document;

const ajv = () => addFormats(new Ajv({ strict: false, allErrors: true }));

/** What the parser reports, worst first: severity, rule, message, where. */
const diagnosticsOf = async (document: object) => {
  const { diagnostics } = await new Parser().parse(JSON.stringify(document));
  return diagnostics
    .filter((d) => d.severity <= DiagnosticSeverity.Warning)
    .map((d) => `${DiagnosticSeverity[d.severity]} ${String(d.code)}: ${d.message} at ${d.path.join('/')}`);
};

describe('the AsyncAPI document, checked with @asyncapi/parser', () => {
  it.each([
    ['structured mode, plain listener', {}],
    [
      'binary mode, TLS and SCRAM-SHA-512',
      { contentMode: 'binary', security: { tls: true, saslMechanism: 'scram-sha-512' } },
    ],
    [
      'structured mode, SCRAM-SHA-256 without TLS',
      { security: { tls: false, saslMechanism: 'scram-sha-256' } },
    ],
  ] as const)(
    'parses with no error and no warning: %s',
    async (_label, options) => {
      expect(await diagnosticsOf(build(options))).toEqual([]);
    },
    30_000,
  );

  it('is a check that can fail: an operation without its channel and a dangling $ref are errors', async () => {
    const broken = build() as Document & { operations: Record<string, Record<string, unknown>> };
    delete broken.operations.receiveRegieHandoffs!.channel;
    broken.operations.receiveUwvSignals!.channel = { $ref: '#/channels/nowhere' };
    const found = await diagnosticsOf(broken);
    expect(found.filter((d) => d.startsWith('Error')).length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('names TLS and the SASL mechanism on the servers, and never a credential', () => {
    const doc = build({
      brokers: ['kafka-1.utrecht.nl:9094'],
      security: { tls: true, saslMechanism: 'scram-sha-512' },
    });
    expect(doc.servers).toEqual({
      broker1: {
        host: 'kafka-1.utrecht.nl:9094',
        protocol: 'kafka-secure',
        description: 'Kafka bootstrap server (TLS)',
        security: [{ $ref: '#/components/securitySchemes/sasl' }],
      },
    });
    expect((doc.components as Record<string, unknown>).securitySchemes).toEqual({
      sasl: {
        type: 'scramSha512',
        description: 'SASL/SCRAM-SHA-512: a user name and password from the platform team.',
      },
    });
    expect((build().servers as Record<string, { protocol: string }>).broker1!.protocol).toBe('kafka');
  });
});

describe('an example per message', () => {
  // The household events' and the outcomes topic's own messages (outcomes.ts).
  const schemas = [...loadEventSchemas(), ...loadOutcomeSchemas()];
  const outcomeNames = new Set(loadOutcomeSchemas().map((s) => s.name));

  it('has one in every schema file, valid against the schema of data it sits in', () => {
    const check = ajv();
    const problems = schemas.flatMap((s) => {
      const examples = s.data.examples;
      if (!Array.isArray(examples) || examples.length === 0)
        return [`${s.name}: no "examples" in its schema file`];
      const validate = check.compile(s.data);
      return examples.flatMap((e, i) =>
        validate(e) ? [] : [`${s.name} example ${i}: ${check.errorsText(validate.errors)}`],
      );
    });
    expect(problems).toEqual([]);
  });

  it('structured: each message’s example is a whole CloudEvent, valid against the message payload (envelope and data)', () => {
    const doc = build({ publicBaseUrl: 'https://eenplan.utrecht.nl' });
    const check = ajv();
    const messages = Object.entries(doc.components.messages);
    expect(messages).toHaveLength(schemas.length);
    const problems = messages.flatMap(([id, m]) => {
      if (m.examples?.length !== 1) return [`${id}: ${m.examples?.length ?? 0} examples`];
      const [example] = m.examples;
      const payload = check.compile(m.payload);
      const headers = check.compile(m.headers);
      return [
        ...(payload(example!.payload) ? [] : [`${id} payload: ${check.errorsText(payload.errors)}`]),
        ...(headers(example!.headers) ? [] : [`${id} headers: ${check.errorsText(headers.errors)}`]),
      ];
    });
    expect(problems).toEqual([]);
    const accepted = doc.components.messages.RegieTransferAcceptedV1!.examples![0]!;
    expect(accepted.headers).toEqual({ 'content-type': 'application/cloudevents+json; charset=UTF-8' });
    expect(accepted.payload).toMatchObject({
      type: 'nl.utrecht.eenplan.regie-transfer-accepted.v1',
      source: 'urn:nld:oin:00000001234567890000:systeem:eenplan',
      subject: EXAMPLE_HOUSEHOLD,
      time: '2026-05-19T13:27:45.000Z',
      dataschema: 'https://eenplan.utrecht.nl/asyncapi/schemas/regie-transfer-accepted.v1.json',
      sequencetype: 'Integer',
    });
    // No personal part on an accepted transfer; a requested one has reasons, so it points to them.
    expect(accepted.payload).not.toHaveProperty('dataref');
    expect(doc.components.messages.RegieTransferRequestedV1!.examples![0]!.payload.dataref).toBe(
      `https://eenplan.utrecht.nl/v1/households/${EXAMPLE_HOUSEHOLD}`,
    );
  });

  it('binary: each example has ce_ headers valid against the headers schema and data as the payload; put together they are the structured message', () => {
    const doc = build({ contentMode: 'binary' });
    const check = ajv();
    const whole = new Map(
      schemas.map((s) => [
        `${mapping.typePrefix}.${s.name}`,
        check.compile(
          outcomeNames.has(s.name) ? outcomeMessageSchema(s, mapping) : messageSchema(s, mapping),
        ),
      ]),
    );
    const problems = Object.entries(doc.components.messages).flatMap(([id, m]) => {
      if (m.examples?.length !== 1) return [`${id}: ${m.examples?.length ?? 0} examples`];
      const [{ headers, payload }] = m.examples as [NonNullable<Message['examples']>[number]];
      const validHeaders = check.compile(m.headers);
      const validPayload = check.compile(m.payload);
      const event = decodeCloudEvent(JSON.stringify(payload), headers);
      const validWhole = whole.get(m.name)!;
      return [
        ...(m.contentType === 'application/json' ? [] : [`${id}: contentType ${m.contentType}`]),
        ...(validHeaders(headers) ? [] : [`${id} headers: ${check.errorsText(validHeaders.errors)}`]),
        ...(validPayload(payload) ? [] : [`${id} payload: ${check.errorsText(validPayload.errors)}`]),
        ...(validWhole(event) ? [] : [`${id} as a CloudEvent: ${check.errorsText(validWhole.errors)}`]),
      ];
    });
    expect(problems).toEqual([]);
    const closed = doc.components.messages.PlanClosedV1!.examples![0]!;
    expect(closed.headers).toMatchObject({
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_type: 'nl.utrecht.eenplan.plan-closed.v1',
      ce_subject: EXAMPLE_HOUSEHOLD,
      ce_sequence: '00000000000000000012',
      ce_dataref: `/v1/households/${EXAMPLE_HOUSEHOLD}`,
    });
    const file = loadEventSchemas().find((s) => s.name === 'plan-closed.v1')!;
    expect(closed.payload).toEqual((file.data.examples as unknown[])[0]);
  });

  it('the headers schema of binary mode refuses a message without its ce_ attributes', () => {
    const doc = build({ contentMode: 'binary' });
    const check = ajv();
    const m = doc.components.messages.PlanClosedV1!;
    const headers = check.compile(m.headers);
    const { ce_type: _type, ...withoutType } = m.examples![0]!.headers;
    void _type;
    expect(headers(withoutType)).toBe(false);
    expect(headers({ ...m.examples![0]!.headers, ce_sequence: '12' })).toBe(false);
  });
});
