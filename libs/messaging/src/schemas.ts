import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BINARY_CONTENT_TYPE,
  BINARY_HEADER_PREFIX,
  binaryHeaders,
  CLOUDEVENTS_CONTENT_TYPE,
  dataSchemaUrl,
  householdUrl,
  SEQUENCE_DIGITS,
  sequenceText,
  sourceUrn,
  typeName,
  type CloudEvent,
  type CloudEventMapping,
  type ContentMode,
} from './cloud-event';
import type { SaslMechanism } from './kafka';
import { outcomeMessageId, outcomeMessageSchema, outcomeSchemaDirectory } from './outcomes';
import { DEFAULT_TOPICS, HANDOFF_TYPES, type Topics } from './routing';

/**
 * The published message contract. One JSON Schema file per event type and schema version,
 * `libs/messaging/asyncapi/schemas/<EventType>.v<N>.json`, describes the CloudEvent's `data`; the
 * envelope (the NL GOV context attributes) is the same for all and added here. Adding an event type
 * to the contract is adding its file: the AsyncAPI document and the served schemas are built from
 * the directory.
 */
export type JsonSchema = Record<string, unknown>;

export interface EventSchema {
  /** `RegieTransferAccepted` */
  readonly eventType: string;
  readonly schemaVersion: number;
  /** `regie-transfer-accepted.v1`: the CloudEvent type after the prefix, and the served file's name. */
  readonly name: string;
  /** The schema of `data`, as written in the file. */
  readonly data: JsonSchema;
}

/** Found from the sources (ts-jest) and from dist/ (the built app), which sits inside the repo. */
export const schemaDirectory = (): string => {
  const candidates = [
    resolve(__dirname, '..', 'asyncapi', 'schemas'),
    resolve(__dirname, '..', '..', '..', '..', 'libs', 'messaging', 'asyncapi', 'schemas'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`event schemas not found (looked in ${candidates.join(', ')})`);
  return found;
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const FILE = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.json$/;

const cache = new Map<string, EventSchema[]>();

/** Every event schema in the directory, sorted by type and version. Read once per process. */
export const loadEventSchemas = (dir = schemaDirectory()): EventSchema[] => {
  const cached = cache.get(dir);
  if (cached) return cached;
  const schemas = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const match = FILE.exec(file);
      if (!match) throw new Error(`${join(dir, file)}: name it <EventType>.v<version>.json`);
      const eventType = match[1]!;
      const schemaVersion = Number(match[2]);
      return {
        eventType,
        schemaVersion,
        name: typeName(eventType, schemaVersion),
        data: JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonSchema,
      };
    });
  cache.set(dir, schemas);
  return schemas;
};

/** Binary mode on the outcomes topic: the message schema's attributes as `ce_` headers. */
const outcomeHeadersSchema = (message: JsonSchema): JsonSchema => {
  const {
    data: _data,
    datacontenttype: _type,
    ...attributes
  } = message.properties as Record<string, JsonSchema>;
  void _data;
  void _type;
  return {
    type: 'object',
    required: ['content-type', ...Object.keys(attributes).map((a) => `${BINARY_HEADER_PREFIX}${a}`)],
    properties: {
      'content-type': { const: BINARY_CONTENT_TYPE },
      ...Object.fromEntries(Object.entries(attributes).map(([a, v]) => [`${BINARY_HEADER_PREFIX}${a}`, v])),
    },
  };
};

/** The outcomes topic's message schemas (outcomes.ts), from their own directory. */
export const loadOutcomeSchemas = (): EventSchema[] => loadEventSchemas(outcomeSchemaDirectory());

/** The schema of `data` alone, as a subschema (without its own $schema keyword). */
const dataSchemaOf = (schema: EventSchema): JsonSchema => {
  const { $schema: _ignored, ...data } = schema.data;
  void _ignored;
  return data;
};

const REQUIRED_ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'datacontenttype',
  'dataschema',
  'sequence',
  'sequencetype',
] as const;

/** The context attributes of one event type's CloudEvents: every one a string. */
const attributeSchemas = (schema: EventSchema, mapping: CloudEventMapping): Record<string, JsonSchema> => ({
  specversion: { const: '1.0' },
  id: {
    type: 'string',
    minLength: 1,
    description: 'The event id; stable across redelivery: deduplicate on it.',
  },
  source: { const: sourceUrn(mapping.oin) },
  type: { const: `${mapping.typePrefix}.${schema.name}` },
  time: { type: 'string', format: 'date-time', description: 'When the event was recorded.' },
  subject: { type: 'string', minLength: 1, description: 'The pseudonymous household id.' },
  datacontenttype: { const: 'application/json' },
  dataschema: {
    // The ending only: the base (PUBLIC_BASE_URL) is the deployment's, the path is fixed.
    type: 'string',
    pattern: `${escapeRegExp(dataSchemaUrl({}, schema.name))}$`,
    description: 'The URL of this JSON Schema, as the API serves it.',
  },
  sequence: {
    type: 'string',
    pattern: `^(?!0{${SEQUENCE_DIGITS}})[0-9]{${SEQUENCE_DIGITS}}$`,
    description: `The event's number in its household stream (1, 2, 3... without gaps), zero-padded to ${SEQUENCE_DIGITS} digits so that the strings sort in stream order.`,
  },
  sequencetype: { const: 'Integer' },
  dataref: {
    type: 'string',
    minLength: 1,
    description:
      'Only on events with a personal part, which is never published: the API resource of the household (GET /v1/households/{id}), where a consumer with rights reads it.',
  },
});

/** The whole Kafka message value of one event type: the CloudEvent envelope with its `data`. */
export const messageSchema = (schema: EventSchema, mapping: CloudEventMapping): JsonSchema => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: `${schema.eventType} (CloudEvent, NL GOV profile)`,
  type: 'object',
  required: [...REQUIRED_ATTRIBUTES, 'data'],
  properties: { ...attributeSchemas(schema, mapping), data: dataSchemaOf(schema) },
  // Extension attributes (e.g. `traceparent`, added by tracing on the way) are allowed, as
  // CloudEvents requires of consumers: lower-case letters and digits, a scalar value. `personal`
  // never travels, not even as an extension.
  propertyNames: { pattern: '^[a-z0-9]+$', not: { const: 'personal' } },
  additionalProperties: { type: ['string', 'integer', 'boolean'] },
});

/**
 * The headers of one event type's messages in binary mode: `content-type` (the CloudEvent's
 * `datacontenttype`) and every other attribute as `ce_<name>`, a string each. Other headers
 * (extensions added on the way) are allowed.
 */
export const binaryHeadersSchema = (schema: EventSchema, mapping: CloudEventMapping): JsonSchema => {
  const { datacontenttype: _contentType, ...attributes } = attributeSchemas(schema, mapping);
  void _contentType;
  return {
    type: 'object',
    required: [
      'content-type',
      ...REQUIRED_ATTRIBUTES.filter((a) => a !== 'datacontenttype').map((a) => `${BINARY_HEADER_PREFIX}${a}`),
    ],
    properties: {
      'content-type': { const: BINARY_CONTENT_TYPE, description: 'The CloudEvent’s datacontenttype.' },
      ...Object.fromEntries(
        Object.entries(attributes).map(([name, s]) => [`${BINARY_HEADER_PREFIX}${name}`, s]),
      ),
    },
  };
};

/** The household the AsyncAPI examples are about (HouseholdRegistered's example registers it). */
export const EXAMPLE_HOUSEHOLD = 'hh-6f2d81c4';

/** A stable, UUID-shaped id per example, so the document does not change between requests. */
const exampleId = (name: string): string => {
  const hex = createHash('sha256').update(`eenplan example ${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The example CloudEvent of one event type: its schema file's first `examples` entry as `data`, in
 * the envelope the relay would put it in. `time` is the latest instant in the data (an event is
 * recorded when it happens); `dataref` is there when the file lists a withheld personal part
 * (`x-personal`). Undefined when the file has no example.
 */
export const exampleCloudEvent = (
  schema: EventSchema,
  mapping: CloudEventMapping,
): CloudEvent | undefined => {
  const examples = schema.data.examples;
  const data = Array.isArray(examples) ? (examples[0] as Record<string, unknown> | undefined) : undefined;
  if (!data || typeof data !== 'object') return undefined;
  const instants = Object.values(data).filter((v): v is string => typeof v === 'string' && INSTANT.test(v));
  const withheld = Array.isArray(schema.data['x-personal']) && schema.data['x-personal'].length > 0;
  return {
    specversion: '1.0',
    id: exampleId(schema.name),
    source: sourceUrn(mapping.oin),
    type: `${mapping.typePrefix}.${schema.name}`,
    time: instants.sort().pop() ?? '2026-03-02T14:05:12.000Z',
    subject: EXAMPLE_HOUSEHOLD,
    datacontenttype: 'application/json',
    dataschema: dataSchemaUrl(mapping, schema.name),
    sequence: sequenceText(schema.eventType === 'HouseholdRegistered' ? 1 : 12),
    sequencetype: 'Integer',
    ...(withheld ? { dataref: householdUrl(mapping, EXAMPLE_HOUSEHOLD) } : {}),
    data,
  };
};

export interface AsyncApiOptions extends CloudEventMapping {
  readonly topics?: Topics;
  /** Bootstrap servers shown in the document (informative). */
  readonly brokers?: readonly string[];
  /** How the relay writes each CloudEvent (CLOUDEVENTS_MODE); default `structured`. */
  readonly contentMode?: ContentMode;
  /** How clients connect (TLS, a SASL mechanism): shown on the servers, no credentials. */
  readonly security?: { readonly tls: boolean; readonly saslMechanism?: SaslMechanism };
}

/** Which events each topic carries, for the document (PlanClosed: when it ends a worker's regie). */
const HANDOFF_EVENT_TYPES = [...HANDOFF_TYPES, 'PlanClosed'];
const UWV_EVENT_TYPES = ['WorkIncomeSignalRecorded'];

/** The AsyncAPI 3.0 document of the Kafka contract, built from the schema files. */
export const buildAsyncApi = (options: AsyncApiOptions): Record<string, unknown> => {
  const topics = options.topics ?? DEFAULT_TOPICS;
  const schemas = loadEventSchemas();
  const binary = options.contentMode === 'binary';
  const messageId = (s: EventSchema) => `${s.eventType}V${s.schemaVersion}`;
  const example = (s: EventSchema) => {
    const event = exampleCloudEvent(s, options);
    if (!event) return {};
    const { data, ...attributes } = event;
    return {
      examples: [
        binary
          ? { name: `${s.name}-binary`, headers: binaryHeaders(attributes), payload: data }
          : { name: s.name, headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE }, payload: event },
      ],
    };
  };
  const messages = Object.fromEntries(
    schemas.map((s) => [
      messageId(s),
      {
        name: `${options.typePrefix}.${s.name}`,
        title: s.eventType,
        summary: typeof s.data.description === 'string' ? s.data.description : undefined,
        ...(binary
          ? {
              contentType: BINARY_CONTENT_TYPE,
              headers: binaryHeadersSchema(s, options),
              payload: dataSchemaOf(s),
            }
          : {
              contentType: 'application/cloudevents+json',
              headers: {
                type: 'object',
                properties: { 'content-type': { const: CLOUDEVENTS_CONTENT_TYPE } },
              },
              payload: messageSchema(s, options),
            }),
        bindings: {
          kafka: { key: { type: 'string', description: 'The household id.' }, bindingVersion: '0.5.0' },
        },
        ...example(s),
      },
    ]),
  );
  // The outcomes topic's own messages (outcomes.ts): no household in the envelope, the district as key.
  const outcomeSchemas = loadOutcomeSchemas();
  const outcomeExample = (s: EventSchema) => {
    const examples = s.data.examples;
    const data = Array.isArray(examples) ? (examples[0] as Record<string, unknown> | undefined) : undefined;
    if (!data) return {};
    const event = {
      specversion: '1.0',
      id: outcomeMessageId(`example ${s.name}`),
      source: sourceUrn(options.oin),
      type: `${options.typePrefix}.${s.name}`,
      time: '2027-02-01T09:12:00.000Z',
      datacontenttype: 'application/json',
      dataschema: dataSchemaUrl(options, s.name),
      data,
    };
    const { data: payload, datacontenttype, ...attributes } = event;
    return {
      examples: [
        binary
          ? {
              name: `${s.name}-binary`,
              headers: {
                'content-type': datacontenttype,
                ...Object.fromEntries(
                  Object.entries(attributes).map(([n, v]) => [`${BINARY_HEADER_PREFIX}${n}`, v]),
                ),
              },
              payload,
            }
          : { name: s.name, headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE }, payload: event },
      ],
    };
  };
  for (const s of outcomeSchemas) {
    const schema = outcomeMessageSchema(s, options);
    messages[messageId(s)] = {
      name: `${options.typePrefix}.${s.name}`,
      title: s.eventType,
      summary: typeof s.data.description === 'string' ? s.data.description : undefined,
      ...(binary
        ? {
            contentType: BINARY_CONTENT_TYPE,
            headers: outcomeHeadersSchema(schema),
            payload: dataSchemaOf(s),
          }
        : {
            contentType: 'application/cloudevents+json',
            headers: { type: 'object', properties: { 'content-type': { const: CLOUDEVENTS_CONTENT_TYPE } } },
            payload: schema,
          }),
      bindings: {
        kafka: {
          key: { type: 'string', description: 'The district: no household id on this topic.' },
          bindingVersion: '0.5.0',
        },
      },
      ...outcomeExample(s),
    };
  }
  const refs = (pick: (s: EventSchema) => boolean) =>
    Object.fromEntries(
      schemas.filter(pick).map((s) => [messageId(s), { $ref: `#/components/messages/${messageId(s)}` }]),
    );
  const channel = (address: string, description: string, pick: (s: EventSchema) => boolean) => ({
    address,
    description,
    messages: refs(pick),
    bindings: { kafka: { bindingVersion: '0.5.0' } },
  });
  const channels = {
    householdPlan: channel(
      topics.householdPlan,
      'Every event of the household plan. Key: the household id, so one household keeps its order; `sequence` counts 1, 2, 3... per household.',
      () => true,
    ),
    regieHandoffs: channel(
      topics.regieHandoffs,
      'The events that change who holds regie: accepted transfers, safety takeovers, returns to the household, and closures that end a worker’s regie; and for each safety takeover (break-glass) a team lead’s confirmation or rejection, or the notice that none came within SAFETY_CONFIRM_HOURS.',
      (s) => HANDOFF_EVENT_TYPES.includes(s.eventType),
    ),
    uwvSignals: channel(
      topics.uwvSignals,
      'Work and income signals the household consented to share with UWV, or with a recorded legal basis (invariant 14). Others never appear here.',
      (s) => UWV_EVENT_TYPES.includes(s.eventType),
    ),
    outcomes: {
      address: topics.outcomes,
      description:
        'Outcomes for monitoring (issue 19, docs/OUTCOMES.md): every closure with its district, team, month, reason code and goal counts, and every recurrence (a reopen within 12 months of a closure). No personal data and no household id: no `subject`, no `sequence`; the key is the district.',
      messages: Object.fromEntries(
        outcomeSchemas.map((s) => [messageId(s), { $ref: `#/components/messages/${messageId(s)}` }]),
      ),
      bindings: { kafka: { bindingVersion: '0.5.0' } },
    },
  };
  const receive = (name: keyof typeof channels) => ({
    action: 'receive',
    channel: { $ref: `#/channels/${name}` },
    messages: Object.keys(channels[name].messages).map((id) => ({
      $ref: `#/channels/${name}/messages/${id}`,
    })),
  });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'eenplan events',
      version: '1',
      description: `Events of eenplan for downstream municipal systems and UWV integrators. Each message is a CloudEvent 1.0 following the NL GOV profile, ${
        binary
          ? 'in binary mode (the CloudEvents Kafka binding): the context attributes are `ce_` headers (`ce_id`, `ce_type`, `ce_subject`, ...; `datacontenttype` is `content-type`) and the value is `data` alone'
          : 'in structured mode: the value is the whole CloudEvent as JSON (`content-type: application/cloudevents+json`)'
      }; delivery is at least once, so deduplicate on \`id\`. No personal data in context attributes or headers: names and free text stay in eenplan.`,
    },
    defaultContentType: binary ? BINARY_CONTENT_TYPE : 'application/cloudevents+json',
    servers: Object.fromEntries(
      (options.brokers?.length ? options.brokers : ['127.0.0.1:9092']).map((host, i) => [
        `broker${i + 1}`,
        {
          host,
          protocol: options.security?.tls ? 'kafka-secure' : 'kafka',
          description: `Kafka bootstrap server${options.security?.tls ? ' (TLS)' : ''}`,
          ...(options.security?.saslMechanism
            ? { security: [{ $ref: '#/components/securitySchemes/sasl' }] }
            : {}),
        },
      ]),
    ),
    channels,
    operations: {
      receiveHouseholdPlanEvents: receive('householdPlan'),
      receiveRegieHandoffs: receive('regieHandoffs'),
      receiveUwvSignals: receive('uwvSignals'),
      receiveOutcomes: receive('outcomes'),
    },
    components: {
      messages,
      ...(options.security?.saslMechanism
        ? {
            securitySchemes: {
              sasl: {
                type: options.security.saslMechanism === 'scram-sha-512' ? 'scramSha512' : 'scramSha256',
                description: `SASL/${options.security.saslMechanism.toUpperCase()}: a user name and password from the platform team.`,
              },
            },
          }
        : {}),
    },
  };
};
