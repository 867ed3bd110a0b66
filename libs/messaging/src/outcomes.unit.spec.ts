/**
 * The outcomes topic's messages (issue 19): a closure and a recurrence as the municipality monitors
 * them, with no household id anywhere (not in the key, the envelope, the headers or data), each
 * valid against its published schema, in both content modes.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { decodeCloudEvent } from './cloud-event';
import { outcomeEncoder, outcomeMessageOf, outcomeMessageSchema } from './outcomes';
import { DEFAULT_TOPICS, topicsFor } from './routing';
import { loadOutcomeSchemas } from './schemas';

const mapping = { oin: '00000001234567890000', typePrefix: 'nl.utrecht.eenplan' };
const HOUSEHOLD = 'hh-9c1e7a';
const EVENT_ID = '0b8a7d1e-5d61-4f0e-9a3c-2f9e6d1b7c44';

const stored = (type: string, data: Record<string, unknown>, schemaVersion = 2): RecordedEvent =>
  ({
    eventId: EVENT_ID,
    streamId: `household-${HOUSEHOLD}`,
    streamVersion: 7,
    position: '42',
    type,
    data,
    personal: { outcome: 'Sanne heeft werk gevonden' },
    metadata: {
      schemaVersion,
      actor: { kind: 'worker', id: 'w-1' },
      recordedAt: '2026-03-31T22:30:00.000Z',
      correlationId: 'c',
      causationId: 'c',
    },
  }) as RecordedEvent;

const closed = stored('PlanClosed', {
  closedBy: 'w-1',
  regieEndedFor: { kind: 'worker', id: 'w-1', teamId: 't-oost' },
  closedAt: '2026-03-31T22:30:00.000Z',
  reason: 'goals-achieved',
  district: 'oost',
  teamId: 't-oost',
  goals: [
    { goalId: 'g-1', lifeDomain: 'finances', realisation: 'achieved' },
    { goalId: 'g-2', lifeDomain: 'housing', realisation: 'achieved' },
    { goalId: 'g-3', lifeDomain: 'justice', realisation: 'not-recorded' },
  ],
});
const reopened = (recurrence: boolean) =>
  stored('PlanReopened', {
    reopenedBy: 'w-1',
    reopenedAt: '2026-06-02T08:00:00.000Z',
    closedAt: '2026-03-31T22:30:00.000Z',
    closureReason: 'goals-achieved',
    recurrence,
    district: 'oost',
    teamId: 't-oost',
  });

const validators = () => {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  return new Map(
    loadOutcomeSchemas().map((s) => [
      `${mapping.typePrefix}.${s.name}`,
      ajv.compile(outcomeMessageSchema(s, mapping)),
    ]),
  );
};

describe('the outcomes topic', () => {
  it('routes every coded closure and every recurrence to it, nothing else', () => {
    expect(topicsFor(closed, DEFAULT_TOPICS)).toContain('eenplan.outcomes.v1');
    expect(topicsFor(reopened(true), DEFAULT_TOPICS)).toContain('eenplan.outcomes.v1');
    expect(topicsFor(reopened(false), DEFAULT_TOPICS)).not.toContain('eenplan.outcomes.v1');
    // Written before the codes: no district or team in its data, so not here (the read model counts it).
    const legacy = stored(
      'PlanClosed',
      { closedBy: 'w-1', regieEndedFor: { kind: 'household' }, closedAt: '2025-01-01T10:00:00.000Z' },
      1,
    );
    expect(topicsFor(legacy, DEFAULT_TOPICS)).toEqual(['eenplan.household-plan.events.v1']);
    expect(
      topicsFor(stored('GoalAdded', { goalId: 'g-1', district: 'oost', teamId: 't' }), DEFAULT_TOPICS),
    ).toEqual(['eenplan.household-plan.events.v1']);
  });

  it('a closure: district, team, Dutch month, reason and goal counts; the key is the district', () => {
    expect(outcomeMessageOf(closed)).toEqual({
      type: 'OutcomeRecorded',
      schemaVersion: 1,
      key: 'oost',
      data: {
        district: 'oost',
        teamId: 't-oost',
        // 22:30 UTC on 31 March is 1 April in the Netherlands.
        month: '2026-04',
        reason: 'goals-achieved',
        goals: { achieved: 2, 'partly-achieved': 0, 'not-achieved': 0, dropped: 0, 'not-recorded': 1 },
      },
    });
    expect(outcomeMessageOf(reopened(true))?.data).toEqual({
      district: 'oost',
      teamId: 't-oost',
      closureMonth: '2026-04',
      closureReason: 'goals-achieved',
      month: '2026-06',
    });
  });

  it.each(['structured', 'binary'] as const)(
    '%s: valid against its schema, and no household id, event id, stream position or personal text anywhere',
    (mode) => {
      const validate = validators();
      for (const event of [closed, reopened(true)]) {
        const message = outcomeEncoder(mapping, mode)(event)!;
        const ce = decodeCloudEvent(message.value, message.headers);
        const check = validate.get(ce.type)!;
        expect({ type: ce.type, valid: check(ce), errors: check.errors ?? null }).toEqual({
          type: ce.type,
          valid: true,
          errors: null,
        });
        const everything = JSON.stringify(message);
        for (const secret of [HOUSEHOLD, EVENT_ID, 'Sanne', '00000000000000000007'])
          expect(everything).not.toContain(secret);
        expect(ce).not.toHaveProperty('subject');
        expect(ce).not.toHaveProperty('sequence');
        expect(ce).not.toHaveProperty('dataref');
        expect(message.key).toBe('oost');
        // The time is the month's first day, not the instant the closure or reopen was recorded.
        expect(ce.time).toBe(event === closed ? '2026-04-01T00:00:00.000Z' : '2026-06-01T00:00:00.000Z');
        expect(everything).not.toContain('22:30');
      }
    },
  );

  it('the schema refuses an envelope that names the household', () => {
    const validate = validators();
    const message = outcomeEncoder(mapping)(closed)!;
    const ce = JSON.parse(message.value) as Record<string, unknown>;
    const check = validate.get(String(ce.type))!;
    expect(check(ce)).toBe(true);
    expect(check({ ...ce, subject: HOUSEHOLD })).toBe(false);
    expect(check({ ...ce, data: { ...(ce.data as object), householdId: HOUSEHOLD } })).toBe(false);
  });

  it('the same id on every redelivery, and not the stored event’s', () => {
    const a = JSON.parse(outcomeEncoder(mapping)(closed)!.value) as { id: string };
    const b = JSON.parse(outcomeEncoder(mapping)(closed)!.value) as { id: string };
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(EVENT_ID);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
