import type { RecordedEvent } from '@eenplan/event-store/event-store.port';

/**
 * A CloudEvent 1.0 in structured JSON mode, NL GOV profile (API.md, "Events on Kafka"). Every
 * context attribute is a fact about the event, never about a person: `subject` is the pseudonymous
 * household id, and the event's `personal` part (names, free text) is never copied anywhere here.
 */
export interface CloudEvent {
  readonly specversion: '1.0';
  /** The stored event's own persistent id: the same on every redelivery, consumers deduplicate on it. */
  readonly id: string;
  /** `urn:nld:oin:<OIN>:systeem:eenplan`. */
  readonly source: string;
  /** `<prefix>.<kebab-case event type>.v<schema version>`, e.g. `nl.utrecht.eenplan.plan-agreed.v1`. */
  readonly type: string;
  /** When the event was recorded (the command's clock), ISO-8601 UTC. */
  readonly time: string;
  /** The household id: pseudonymous, never a BSN or a name. */
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  /** The URL of the JSON Schema of this whole message (envelope and `data`), as the API serves it. */
  readonly dataschema: string;
  /**
   * The event's number in its household stream (1, 2, 3... without gaps) as a string of
   * SEQUENCE_DIGITS digits, zero-padded, so that comparing the strings orders the events (the
   * CloudEvents sequence extension and the NL GOV profile).
   */
  readonly sequence: string;
  /** How to read `sequence`: as an integer (CloudEvents sequence extension). */
  readonly sequencetype: 'Integer';
  /**
   * Present only when the event has a personal part that was withheld from `data`: the API
   * resource of the household, where a consumer with rights may read it.
   */
  readonly dataref?: string;
  readonly data: Record<string, unknown>;
}

export interface CloudEventMapping {
  /** The municipality's OIN (Organisatie-identificatienummer), 20 digits. */
  readonly oin: string;
  /** Reverse-domain prefix of every `type`, e.g. `nl.utrecht.eenplan`. */
  readonly typePrefix: string;
  /**
   * Where integrators reach the API (PUBLIC_BASE_URL, e.g. `https://eenplan.utrecht.nl`, no
   * trailing slash): `dataschema` and `dataref` are absolute URLs under it. Absent, they are the
   * paths alone (`/asyncapi/schemas/...`), which a consumer resolves against the API it knows.
   */
  readonly publicBaseUrl?: string;
}

/** Width of `sequence`: 20 digits hold any stream version (a 64-bit integer has at most 19 digits). */
export const SEQUENCE_DIGITS = 20;

/** `7` -> `"00000000000000000007"`: the strings sort as the numbers do. */
export const sequenceText = (streamVersion: number): string =>
  String(streamVersion).padStart(SEQUENCE_DIGITS, '0');

/** The served JSON Schema of a message type (apps/api AsyncApiController), e.g. `.../plan-closed.v1.json`. */
export const dataSchemaUrl = (mapping: Pick<CloudEventMapping, 'publicBaseUrl'>, name: string): string =>
  `${mapping.publicBaseUrl ?? ''}/asyncapi/schemas/${encodeURIComponent(name)}.json`;

/** The household resource in the API, where a consumer with rights reads what `data` leaves out. */
export const householdUrl = (
  mapping: Pick<CloudEventMapping, 'publicBaseUrl'>,
  householdId: string,
): string => `${mapping.publicBaseUrl ?? ''}/v1/households/${encodeURIComponent(householdId)}`;

/** Whether the stored event has a personal part, which publishing leaves out (a `dataref` points to it). */
const withheldPersonal = (event: Pick<RecordedEvent, 'personal'>): boolean =>
  event.personal !== undefined && event.personal !== null;

const HOUSEHOLD_STREAM_PREFIX = 'household-';

/** The household a stored event belongs to, or null for events outside any household (teams). */
export const householdIdOf = (event: Pick<RecordedEvent, 'streamId'>): string | null =>
  event.streamId.startsWith(HOUSEHOLD_STREAM_PREFIX)
    ? event.streamId.slice(HOUSEHOLD_STREAM_PREFIX.length)
    : null;

/** `RegieTransferAccepted` -> `regie-transfer-accepted`. */
export const kebabCase = (type: string): string =>
  type
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

/** The part of the CloudEvent `type` after the prefix: `regie-transfer-accepted.v1`. */
export const typeName = (eventType: string, schemaVersion: number): string =>
  `${kebabCase(eventType)}.v${schemaVersion}`;

export const sourceUrn = (oin: string): string => `urn:nld:oin:${oin}:systeem:eenplan`;

/** Age bands of HouseholdRegistered's published data: where Jeugdwet, the young adults' rules and AOW begin. */
export const AGE_BANDS = ['0-17', '18-26', '27-66', '67+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The band of the age reached in `year` by someone born in `birthYear` (a birth year is all there is). */
export const ageBand = (birthYear: number, year: number): AgeBand => {
  const age = year - birthYear;
  return age < 18 ? '0-17' : age < 27 ? '18-26' : age < 67 ? '27-66' : '67+';
};

/**
 * Event types whose published `data` is not the stored `data`, and the schema version that shape is
 * published under (above every version the domain writes, so the two never share a number).
 */
export interface Publication {
  readonly schemaVersion: number;
  readonly data: (data: Record<string, unknown>) => Record<string, unknown>;
}

interface StoredMember {
  readonly birthYear?: unknown;
}

export const PUBLICATIONS: Readonly<Record<string, Publication>> = {
  /**
   * Members' roles and birth years, with the district, single people out: the topic carries how
   * many members there are and how many fall in each age band in the year of registration, and
   * nothing per member (docs/EVENTS.md, "HouseholdRegistered").
   */
  HouseholdRegistered: {
    schemaVersion: 2,
    data: ({ members, ...rest }) => {
      const list = Array.isArray(members) ? (members as StoredMember[]) : [];
      const year = new Date(String(rest.registeredAt)).getUTCFullYear();
      const ageBands = Object.fromEntries(AGE_BANDS.map((band) => [band, 0])) as Record<AgeBand, number>;
      for (const m of list) if (typeof m.birthYear === 'number') ageBands[ageBand(m.birthYear, year)]++;
      return { ...rest, memberCount: list.length, ageBands };
    },
  },
  /**
   * Issue 18: a member who joins is published like the members of a registration, by the age band
   * reached in the year they joined, never by birth year and month (docs/EVENTS.md, "MemberJoined").
   */
  MemberJoined: {
    schemaVersion: 2,
    data: ({ birthYear, birthMonth: _month, ...rest }) => {
      void _month;
      const year = Number(String(rest.on).slice(0, 4));
      return { ...rest, ageBand: ageBand(Number(birthYear), year) };
    },
  },
};

/** The published type version and `data` of a stored event. */
const published = (event: RecordedEvent): { version: number; data: Record<string, unknown> } => {
  const publication = PUBLICATIONS[event.type];
  return publication
    ? { version: publication.schemaVersion, data: publication.data(event.data) }
    : { version: event.metadata.schemaVersion, data: event.data };
};

/** Maps a stored household event; throws for an event outside a household stream. */
export const toCloudEvent = (event: RecordedEvent, mapping: CloudEventMapping): CloudEvent => {
  const subject = householdIdOf(event);
  if (subject === null) throw new Error(`event ${event.eventId} is not in a household stream`);
  const { version, data } = published(event);
  const name = typeName(event.type, version);
  return {
    specversion: '1.0',
    id: event.eventId,
    source: sourceUrn(mapping.oin),
    type: `${mapping.typePrefix}.${name}`,
    time: instant(event.metadata.recordedAt),
    subject,
    datacontenttype: 'application/json',
    dataschema: dataSchemaUrl(mapping, name),
    sequence: sequenceText(event.streamVersion),
    sequencetype: 'Integer',
    ...(withheldPersonal(event) ? { dataref: householdUrl(mapping, subject) } : {}),
    // `data` only: `personal` stays in the event store, where crypto-shredding can erase it.
    data,
  };
};

const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** `time` as toISOString() writes it; the store's recordedAt usually is that already. */
const instant = (recordedAt: string): string =>
  CANONICAL_INSTANT.test(recordedAt) ? recordedAt : new Date(recordedAt).toISOString();

/**
 * The Kafka message value: the same text as `JSON.stringify(toCloudEvent(event, mapping))`, built
 * without the intermediate object and with the constant parts encoded once. The relay spends most
 * of its CPU per event here and in the driver's row parsing, so this is where its throughput is.
 */
export const cloudEventSerializer = (mapping: CloudEventMapping) => {
  const head = `{"specversion":"1.0","id":`;
  const source = `,"source":${JSON.stringify(sourceUrn(mapping.oin))},"type":`;
  // Per type and version: `"<type>","time":` up to and `,"datacontenttype":...,"dataschema":"..."` after.
  const types = new Map<string, { type: string; schema: string }>();
  return (event: RecordedEvent): string => {
    const subject = householdIdOf(event);
    if (subject === null) throw new Error(`event ${event.eventId} is not in a household stream`);
    const { version, data } = published(event);
    const typeKey = `${event.type}/${version}`;
    let type = types.get(typeKey);
    if (type === undefined) {
      const name = typeName(event.type, version);
      type = {
        type: JSON.stringify(`${mapping.typePrefix}.${name}`),
        schema: `,"datacontenttype":"application/json","dataschema":${JSON.stringify(dataSchemaUrl(mapping, name))}`,
      };
      types.set(typeKey, type);
    }
    const dataref = withheldPersonal(event)
      ? `,"dataref":${JSON.stringify(householdUrl(mapping, subject))}`
      : '';
    return (
      `${head}${JSON.stringify(event.eventId)}${source}${type.type}` +
      `,"time":"${instant(event.metadata.recordedAt)}","subject":${JSON.stringify(subject)}` +
      `${type.schema},"sequence":"${sequenceText(event.streamVersion)}","sequencetype":"Integer"${dataref}` +
      `,"data":${JSON.stringify(data)}}`
    );
  };
};

/** Structured content mode: the whole CloudEvent is the value, so this is the only header. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * The CloudEvents Kafka binding's two content modes (CLOUDEVENTS_MODE): `structured`, the whole
 * CloudEvent as the JSON value (the default); `binary`, the context attributes as `ce_` headers and
 * `data` alone as the value, for consumers that route or filter on headers without parsing values.
 */
export const CONTENT_MODES = ['structured', 'binary'] as const;
export type ContentMode = (typeof CONTENT_MODES)[number];

/** Binary mode: `datacontenttype` travels as this header, every other attribute as `ce_<name>`. */
export const BINARY_CONTENT_TYPE = 'application/json';
export const BINARY_HEADER_PREFIX = 'ce_';

/** A Kafka message's value and headers, the key aside. */
export interface EncodedEvent {
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The headers of a message in binary mode, from a CloudEvent's context attributes. */
export const binaryHeaders = (ce: Omit<CloudEvent, 'data'>): Record<string, string> => {
  const headers: Record<string, string> = { 'content-type': ce.datacontenttype };
  for (const [name, value] of Object.entries(ce))
    if (name !== 'datacontenttype' && value !== undefined)
      headers[`${BINARY_HEADER_PREFIX}${name}`] = String(value);
  return headers;
};

/** Maps stored events to Kafka messages in the given content mode. */
export const cloudEventEncoder = (
  mapping: CloudEventMapping,
  mode: ContentMode = 'structured',
): ((event: RecordedEvent) => EncodedEvent) => {
  if (mode === 'binary')
    return (event) => {
      const { data, ...attributes } = toCloudEvent(event, mapping);
      return { value: JSON.stringify(data), headers: binaryHeaders(attributes) };
    };
  const serialize = cloudEventSerializer(mapping);
  const headers = { 'content-type': CLOUDEVENTS_CONTENT_TYPE };
  return (event) => ({ value: serialize(event), headers });
};

/**
 * A message read back as the CloudEvent it carries, in either mode (for `npm run consume` and the
 * tools that read topics; integrators would use a CloudEvents SDK's Kafka binding).
 */
export const decodeCloudEvent = (value: string, headers: Readonly<Record<string, string>>): CloudEvent => {
  if (headers[`${BINARY_HEADER_PREFIX}specversion`] === undefined) return JSON.parse(value) as CloudEvent;
  const attributes: Record<string, string> = {};
  for (const [name, text] of Object.entries(headers))
    if (name.startsWith(BINARY_HEADER_PREFIX)) attributes[name.slice(BINARY_HEADER_PREFIX.length)] = text;
  if (headers['content-type'] !== undefined) attributes.datacontenttype = headers['content-type'];
  return { ...attributes, data: JSON.parse(value) as Record<string, unknown> } as unknown as CloudEvent;
};
