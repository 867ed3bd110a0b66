import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { dateInNl } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import {
  BINARY_HEADER_PREFIX,
  CLOUDEVENTS_CONTENT_TYPE,
  dataSchemaUrl,
  sourceUrn,
  typeName,
  type CloudEventMapping,
  type ContentMode,
} from './cloud-event';
import type { EventSchema, JsonSchema } from './schemas';

/**
 * The outcomes topic (issue 19, docs/OUTCOMES.md): what the municipality monitors of closures and
 * recurrences, with no personal data and no household id. Its messages are not household events
 * but facts derived from two of them, each with its own type and schema
 * (libs/messaging/asyncapi/outcomes/<Type>.v<N>.json):
 * - `OutcomeRecorded` from every PlanClosed: district, team, month, reason, goal counts;
 * - `RecurrenceRecorded` from a PlanReopened that is a recurrence (within 12 months).
 * The CloudEvent has no `subject` (the household), no `sequence` (its place in the household's
 * stream) and no `dataref`; the Kafka key is the district. Its `id` is derived from the stored
 * event's id (stable across redelivery, so consumers deduplicate on it) by a hash.
 */
export interface OutcomeMessage {
  readonly type: 'OutcomeRecorded' | 'RecurrenceRecorded';
  readonly schemaVersion: 1;
  readonly key: string;
  readonly data: Record<string, unknown>;
}

const REALISATIONS = ['achieved', 'partly-achieved', 'not-achieved', 'dropped', 'not-recorded'] as const;

interface StoredGoal {
  readonly realisation?: unknown;
}

const monthOf = (instant: unknown): string => dateInNl(String(instant)).slice(0, 7);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The outcome message of a stored event, or null when it has none. A closure written before the
 * codes (PlanClosed v1) names no district or team in its data: it is not published here (the read
 * model counts it, from the registration).
 */
export const outcomeMessageOf = (event: Pick<RecordedEvent, 'type' | 'data'>): OutcomeMessage | null => {
  const d = event.data;
  const district = text(d.district);
  const teamId = text(d.teamId);
  if (district === null || teamId === null) return null;
  if (event.type === 'PlanClosed') {
    const goals = Array.isArray(d.goals) ? (d.goals as StoredGoal[]) : [];
    return {
      type: 'OutcomeRecorded',
      schemaVersion: 1,
      key: district,
      data: {
        district,
        teamId,
        month: monthOf(d.closedAt),
        reason: text(d.reason) ?? 'unknown',
        goals: Object.fromEntries(
          REALISATIONS.map((r) => [r, goals.filter((g) => g.realisation === r).length]),
        ),
      },
    };
  }
  if (event.type === 'PlanReopened' && d.recurrence === true) {
    return {
      type: 'RecurrenceRecorded',
      schemaVersion: 1,
      key: district,
      data: {
        district,
        teamId,
        closureMonth: monthOf(d.closedAt),
        closureReason: text(d.closureReason) ?? 'unknown',
        month: monthOf(d.reopenedAt),
      },
    };
  }
  return null;
};

/** A UUID-shaped id per stored event, the same on every redelivery, that is not the event's own id. */
export const outcomeMessageId = (eventId: string): string => {
  const hex = createHash('sha256').update(`eenplan outcomes ${eventId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** The outcomes topic's CloudEvent: the NL GOV context attributes that are no fact about a household. */
export interface OutcomeCloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly dataschema: string;
  readonly data: Record<string, unknown>;
}

export const toOutcomeCloudEvent = (
  event: RecordedEvent,
  message: OutcomeMessage,
  mapping: CloudEventMapping,
): OutcomeCloudEvent => {
  const name = typeName(message.type, message.schemaVersion);
  return {
    specversion: '1.0',
    id: outcomeMessageId(event.eventId),
    source: sourceUrn(mapping.oin),
    type: `${mapping.typePrefix}.${name}`,
    // The month, not the instant: one message is one closure, with no small-group rule on the topic,
    // and an exact time would tie it to the household's own events on the plan topic.
    time: `${String(message.data.month)}-01T00:00:00.000Z`,
    datacontenttype: 'application/json',
    dataschema: dataSchemaUrl(mapping, name),
    data: message.data,
  };
};

/** The Kafka message of an event on the outcomes topic, or null when it has none. */
export const outcomeEncoder =
  (mapping: CloudEventMapping, mode: ContentMode = 'structured') =>
  (event: RecordedEvent): { key: string; value: string; headers: Record<string, string> } | null => {
    const message = outcomeMessageOf(event);
    if (message === null) return null;
    const ce = toOutcomeCloudEvent(event, message, mapping);
    if (mode === 'binary') {
      const { data, datacontenttype, ...attributes } = ce;
      const headers: Record<string, string> = { 'content-type': datacontenttype };
      for (const [name, value] of Object.entries(attributes))
        headers[`${BINARY_HEADER_PREFIX}${name}`] = value;
      return { key: message.key, value: JSON.stringify(data), headers };
    }
    return {
      key: message.key,
      value: JSON.stringify(ce),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
    };
  };

/** The schema files of the outcomes topic, beside the household events' (schemas.ts). */
export const outcomeSchemaDirectory = (): string => {
  const candidates = [
    resolve(__dirname, '..', 'asyncapi', 'outcomes'),
    resolve(__dirname, '..', '..', '..', '..', 'libs', 'messaging', 'asyncapi', 'outcomes'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`outcome schemas not found (looked in ${candidates.join(', ')})`);
  return found;
};

const ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'dataschema'] as const;

/** The whole Kafka message value of one outcome type: the envelope, without any household attribute. */
export const outcomeMessageSchema = (schema: EventSchema, mapping: CloudEventMapping): JsonSchema => {
  const { $schema: _ignored, ...data } = schema.data;
  void _ignored;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${schema.eventType} (CloudEvent, NL GOV profile, outcomes topic)`,
    type: 'object',
    required: [...ATTRIBUTES, 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', minLength: 1, description: 'Stable across redelivery: deduplicate on it.' },
      source: { const: sourceUrn(mapping.oin) },
      type: { const: `${mapping.typePrefix}.${schema.name}` },
      time: { type: 'string', format: 'date-time', description: 'When the event was recorded.' },
      datacontenttype: { const: 'application/json' },
      dataschema: {
        type: 'string',
        pattern: `${dataSchemaUrl({}, schema.name).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
      },
      data,
    },
    // No household: no subject, no sequence, no dataref; extensions only as CloudEvents allows.
    propertyNames: {
      pattern: '^[a-z0-9]+$',
      not: { enum: ['personal', 'subject', 'sequence', 'sequencetype', 'dataref'] },
    },
    additionalProperties: { type: ['string', 'integer', 'boolean'] },
  };
};
