import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { HOUSEHOLD_EVENT_TYPES, schemaVersionOf } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import {
  ageBand,
  cloudEventEncoder,
  cloudEventSerializer,
  decodeCloudEvent,
  kebabCase,
  PUBLICATIONS,
  toCloudEvent,
} from './cloud-event';
import { DEFAULT_TOPICS, topicsFor } from './routing';
import { buildAsyncApi, loadEventSchemas, loadOutcomeSchemas, messageSchema } from './schemas';

const mapping = { oin: '00000001234567890000', typePrefix: 'nl.utrecht.eenplan' };

const recorded = (over: Partial<RecordedEvent> = {}): RecordedEvent => ({
  eventId: 'e0c1d2f3-0000-4000-8000-000000000001',
  type: 'RegieTransferAccepted',
  streamId: 'household-hh-42',
  streamVersion: 7,
  position: '100:7',
  data: {
    transferId: 'tr-1',
    from: { kind: 'worker', id: 'w-1', teamId: 't-1' },
    to: { kind: 'worker', id: 'w-2', teamId: 't-1' },
    variant: 'handover',
    requestedBy: 'w-1',
    acceptedBy: 'w-2',
    requestedAt: '2026-01-05T09:00:01.000Z',
    acceptedAt: '2026-01-05T09:10:01.000Z',
    handoverSeconds: 600,
  },
  personal: { handoverNotes: 'Sanne Jansen heeft schulden' },
  metadata: {
    schemaVersion: 1,
    actor: { kind: 'worker', id: 'w-2', roles: ['worker'] },
    recordedAt: '2026-01-05T09:10:01.000Z',
    correlationId: 'c-1',
    causationId: 'r-1',
  },
  ...over,
});

describe('CloudEvent mapping (NL GOV profile)', () => {
  it('maps a stored event to the profile: persistent id, OIN source, versioned type, subject, sequence', () => {
    const ce = toCloudEvent(recorded(), mapping);
    expect(ce).toEqual({
      specversion: '1.0',
      id: 'e0c1d2f3-0000-4000-8000-000000000001',
      source: 'urn:nld:oin:00000001234567890000:systeem:eenplan',
      type: 'nl.utrecht.eenplan.regie-transfer-accepted.v1',
      time: '2026-01-05T09:10:01.000Z',
      subject: 'hh-42',
      datacontenttype: 'application/json',
      dataschema: '/asyncapi/schemas/regie-transfer-accepted.v1.json',
      sequence: '00000000000000000007',
      sequencetype: 'Integer',
      dataref: '/v1/households/hh-42',
      data: recorded().data,
    });
  });

  it('writes sequence as a zero-padded string, so that sorting the strings sorts the stream', () => {
    const versions = [1, 2, 9, 10, 11, 99, 100, 1000, 123456];
    const sequences = versions.map((v) => toCloudEvent(recorded({ streamVersion: v }), mapping).sequence);
    expect(sequences.every((q) => /^[0-9]{20}$/.test(q))).toBe(true);
    expect([...sequences].reverse().sort()).toEqual(sequences);
    expect(sequences.map(Number)).toEqual(versions);
    expect(toCloudEvent(recorded(), mapping).sequencetype).toBe('Integer');
  });

  it('points dataschema at the served schema of its type and version, under PUBLIC_BASE_URL when set', () => {
    const names = new Set(loadEventSchemas().map((s) => s.name));
    const v2 = recorded({
      type: 'RegieTakenOverForSafety',
      metadata: { ...recorded().metadata, schemaVersion: 2 },
    });
    const { dataschema } = toCloudEvent(v2, mapping);
    expect(dataschema).toBe('/asyncapi/schemas/regie-taken-over-for-safety.v2.json');
    expect(names).toContain(/^\/asyncapi\/schemas\/(.*)\.json$/.exec(dataschema)![1]);
    const based = { ...mapping, publicBaseUrl: 'https://eenplan.utrecht.nl' };
    expect(toCloudEvent(v2, based).dataschema).toBe(
      'https://eenplan.utrecht.nl/asyncapi/schemas/regie-taken-over-for-safety.v2.json',
    );
    expect(toCloudEvent(v2, based).dataref).toBe('https://eenplan.utrecht.nl/v1/households/hh-42');
  });

  it('adds a dataref to the household resource only when a personal part was withheld', () => {
    expect(toCloudEvent(recorded(), mapping).dataref).toBe('/v1/households/hh-42');
    for (const personal of [undefined, null]) {
      const ce = toCloudEvent(recorded({ personal }), mapping);
      expect(ce).not.toHaveProperty('dataref');
    }
  });

  it('serializes to exactly the JSON of the mapped object (the relay uses the fast path)', () => {
    const serialize = cloudEventSerializer(mapping);
    const odd = recorded({
      eventId: 'id "with" quotes',
      streamId: 'household-h\\1',
      streamVersion: 12345,
      personal: null,
      metadata: { ...recorded().metadata, recordedAt: '2026-01-05T10:10:01+01:00', schemaVersion: 2 },
    });
    for (const e of [recorded(), odd, recorded({ personal: undefined })]) {
      expect(serialize(e)).toBe(JSON.stringify(toCloudEvent(e, mapping)));
      expect(JSON.parse(serialize(e))).toEqual(toCloudEvent(e, mapping));
    }
    const based = { ...mapping, publicBaseUrl: 'https://eenplan.example.nl' };
    for (const e of [recorded(), odd])
      expect(cloudEventSerializer(based)(e)).toBe(JSON.stringify(toCloudEvent(e, based)));
    expect((JSON.parse(serialize(odd)) as { time: string }).time).toBe('2026-01-05T09:10:01.000Z');
    expect(() => serialize(recorded({ streamId: 'team-t-1' }))).toThrow(/household/);
  });

  it('structured mode (the default): the JSON CloudEvent as the value, one content-type header', () => {
    const message = cloudEventEncoder(mapping)(recorded());
    expect(message).toEqual({
      value: JSON.stringify(toCloudEvent(recorded(), mapping)),
      headers: { 'content-type': 'application/cloudevents+json; charset=UTF-8' },
    });
    expect(cloudEventEncoder(mapping, 'structured')(recorded())).toEqual(message);
  });

  it('binary mode: every attribute a ce_ header, datacontenttype as content-type, data alone as the value', () => {
    const message = cloudEventEncoder(mapping, 'binary')(recorded());
    expect(message.headers).toEqual({
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: 'e0c1d2f3-0000-4000-8000-000000000001',
      ce_source: 'urn:nld:oin:00000001234567890000:systeem:eenplan',
      ce_type: 'nl.utrecht.eenplan.regie-transfer-accepted.v1',
      ce_time: '2026-01-05T09:10:01.000Z',
      ce_subject: 'hh-42',
      ce_dataschema: '/asyncapi/schemas/regie-transfer-accepted.v1.json',
      ce_sequence: '00000000000000000007',
      ce_sequencetype: 'Integer',
      ce_dataref: '/v1/households/hh-42',
    });
    expect(JSON.parse(message.value)).toEqual(recorded().data);
    expect(message.value).not.toContain('Sanne');
    expect(
      cloudEventEncoder(mapping, 'binary')(recorded({ personal: undefined })).headers,
    ).not.toHaveProperty('ce_dataref');
    // Read back, both modes give the same CloudEvent.
    const structured = cloudEventEncoder(mapping)(recorded());
    expect(decodeCloudEvent(message.value, message.headers)).toEqual(toCloudEvent(recorded(), mapping));
    expect(decodeCloudEvent(structured.value, structured.headers)).toEqual(toCloudEvent(recorded(), mapping));
  });

  it('leaves the personal part out entirely', () => {
    const text = JSON.stringify(toCloudEvent(recorded(), mapping));
    expect(text).not.toContain('Sanne');
    expect(text).not.toContain('handoverNotes');
  });

  it('takes the schema version from the event into the type', () => {
    const e = recorded({ metadata: { ...recorded().metadata, schemaVersion: 3 } });
    expect(toCloudEvent(e, mapping).type).toBe('nl.utrecht.eenplan.regie-transfer-accepted.v3');
  });

  it('refuses events outside a household stream', () => {
    expect(() => toCloudEvent(recorded({ streamId: 'team-t-1' }), mapping)).toThrow(/household/);
  });

  it.each([
    ['HouseholdRegistered', 'household-registered'],
    ['RegieTakenOverForSafety', 'regie-taken-over-for-safety'],
    ['WorkIncomeSignalRecorded', 'work-income-signal-recorded'],
    ['UWVConsentGiven', 'uwv-consent-given'],
  ])('kebab-cases %s as %s', (type, kebab) => expect(kebabCase(type)).toBe(kebab));
});

describe('MemberJoined on the topic (issue 18): an age band, never the birth date', () => {
  const joined = recorded({
    type: 'MemberJoined',
    streamVersion: 4,
    data: {
      memberId: 'm-5',
      role: 'child',
      birthYear: 2027,
      birthMonth: 1,
      reason: 'birth',
      on: '2027-01-01',
      recordedBy: 'w-1',
    },
    personal: { name: 'Noor' },
  });

  it('publishes under schema version 2 with the age band reached in the year they joined, valid against its schema', () => {
    const ce = toCloudEvent(joined, mapping);
    expect(ce.type).toBe('nl.utrecht.eenplan.member-joined.v2');
    expect(ce.data).toEqual({
      memberId: 'm-5',
      role: 'child',
      ageBand: '0-17',
      reason: 'birth',
      on: '2027-01-01',
      recordedBy: 'w-1',
    });
    expect(cloudEventSerializer(mapping)(joined)).not.toMatch(/birthYear|birthMonth|Noor/);
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const v2 = loadEventSchemas().find((s) => s.eventType === 'MemberJoined' && s.schemaVersion === 2)!;
    const validate = ajv.compile(messageSchema(v2, mapping));
    expect(validate(ce)).toBe(true);
    expect(validate({ ...ce, data: { ...ce.data, birthYear: 2027 } })).toBe(false);
  });
});

describe('HouseholdRegistered on the topic: counts per age band, nothing per member', () => {
  const registered = recorded({
    type: 'HouseholdRegistered',
    streamVersion: 1,
    data: {
      householdId: 'hh-42',
      teamId: 't-1',
      district: 'Overvecht',
      members: [
        { memberId: 'm-1', role: 'parent', birthYear: 1958 },
        { memberId: 'm-2', role: 'adult', birthYear: 2000 },
        { memberId: 'm-3', role: 'child', birthYear: 2009 },
        { memberId: 'm-4', role: 'child', birthYear: 2015 },
      ],
      regie: { kind: 'household' },
      registeredAt: '2026-01-05T09:00:00.000Z',
    },
    personal: { memberNames: { 'm-1': 'Sanne', 'm-2': 'Daan' } },
  });

  it('publishes the member count and age bands under schema version 2, and no member ids, roles or birth years', () => {
    const ce = toCloudEvent(registered, mapping);
    expect(ce.type).toBe('nl.utrecht.eenplan.household-registered.v2');
    expect(ce.dataschema).toBe('/asyncapi/schemas/household-registered.v2.json');
    expect(ce.data).toEqual({
      householdId: 'hh-42',
      teamId: 't-1',
      district: 'Overvecht',
      memberCount: 4,
      ageBands: { '0-17': 2, '18-26': 1, '27-66': 0, '67+': 1 },
      regie: { kind: 'household' },
      registeredAt: '2026-01-05T09:00:00.000Z',
    });
    const text = cloudEventSerializer(mapping)(registered);
    expect(text).toBe(JSON.stringify(ce));
    expect(text).not.toMatch(/memberId|m-1|birthYear|1958|role|parent|child|Sanne/);
  });

  it('is valid against the v2 schema, which refuses a members list', () => {
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const v2 = loadEventSchemas().find(
      (s) => s.eventType === 'HouseholdRegistered' && s.schemaVersion === 2,
    )!;
    const validate = ajv.compile(messageSchema(v2, mapping));
    const ce = toCloudEvent(registered, mapping);
    expect(validate(ce)).toBe(true);
    expect(validate({ ...ce, data: { ...ce.data, members: registered.data.members } })).toBe(false);
  });

  it.each([
    [2026, '0-17'],
    [2009, '0-17'],
    [2008, '18-26'],
    [2000, '18-26'],
    [1999, '27-66'],
    [1960, '27-66'],
    [1959, '67+'],
  ])('puts birth year %i in band %s in 2026 (the age reached that year)', (birthYear, band) =>
    expect(ageBand(birthYear, 2026)).toBe(band),
  );

  it('publishes every reshaped type under a version the domain never writes, with its schema file', () => {
    const files = new Set(loadEventSchemas().map((s) => `${s.eventType}.v${s.schemaVersion}`));
    for (const [type, publication] of Object.entries(PUBLICATIONS)) {
      expect({ type, above: publication.schemaVersion > schemaVersionOf(type) }).toEqual({
        type,
        above: true,
      });
      expect(files).toContain(`${type}.v${publication.schemaVersion}`);
    }
  });
});

describe('topic routing', () => {
  const route = (type: string, data: Record<string, unknown> = {}, streamId = 'household-h-1') =>
    topicsFor({ type, data, streamId }, DEFAULT_TOPICS);
  const { householdPlan, regieHandoffs, uwvSignals } = DEFAULT_TOPICS;

  it('sends every household event to the household-plan topic', () => {
    for (const type of ['HouseholdRegistered', 'GoalAdded', 'RegieTransferRequested', 'PlanReopened'])
      expect(route(type)).toEqual([householdPlan]);
  });

  it('adds the handoffs topic for events that change the regie holder', () => {
    for (const type of ['RegieTransferAccepted', 'RegieTakenOverForSafety', 'RegieReturnedToHousehold'])
      expect(route(type)).toEqual([householdPlan, regieHandoffs]);
  });

  it("adds the handoffs topic for a safety takeover's confirmation, rejection and overdue notice", () => {
    for (const type of [
      'SafetyTakeoverConfirmed',
      'SafetyTakeoverRejected',
      'SafetyTakeoverConfirmationOverdue',
    ])
      expect(route(type)).toEqual([householdPlan, regieHandoffs]);
  });

  it("adds a closure to the handoffs topic only when it ended a worker's regie", () => {
    expect(route('PlanClosed', { regieEndedFor: { kind: 'worker', id: 'w-1', teamId: 't' } })).toEqual([
      householdPlan,
      regieHandoffs,
    ]);
    expect(route('PlanClosed', { regieEndedFor: { kind: 'household' } })).toEqual([householdPlan]);
  });

  it('sends a work/income signal to the UWV topic only when publish is exactly true', () => {
    const signal = (publication: unknown) => route('WorkIncomeSignalRecorded', { publication });
    expect(signal({ publish: true, basis: 'consent' })).toEqual([householdPlan, uwvSignals]);
    expect(signal({ publish: true, basis: 'legal-basis', legalBasis: 'Participatiewet art. 64' })).toContain(
      uwvSignals,
    );
    for (const never of [
      { publish: false, internalReason: 'no-consent' },
      { publish: 'true' },
      {},
      null,
      undefined,
    ])
      expect(signal(never)).toEqual([householdPlan]);
    expect(route('WorkIncomeSignalRecorded', {})).toEqual([householdPlan]);
  });

  it('publishes nothing from team streams', () => {
    expect(route('WorkerJoinedTeam', {}, 'team-t-1')).toEqual([]);
  });
});

describe('event schemas and the AsyncAPI document', () => {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const schemas = loadEventSchemas();

  it('has a schema file for every household event type (add libs/messaging/asyncapi/schemas/<Type>.v1.json)', () => {
    const have = new Set(schemas.map((s) => s.eventType));
    expect(HOUSEHOLD_EVENT_TYPES.filter((t) => !have.has(t))).toEqual([]);
  });

  it('has one for the version each type is written with today, and every earlier one (events already on Kafka)', () => {
    const have = new Set(schemas.map((s) => `${s.eventType}.v${s.schemaVersion}`));
    const needed = HOUSEHOLD_EVENT_TYPES.flatMap((t) =>
      Array.from({ length: schemaVersionOf(t) }, (_, i) => `${t}.v${i + 1}`),
    );
    expect(needed.filter((n) => !have.has(n))).toEqual([]);
    expect(have).toContain('RegieTakenOverForSafety.v2');
  });

  it('compiles every message schema, and one accepts a mapped event and refuses a broken one', () => {
    for (const s of schemas) ajv.compile(messageSchema(s, mapping));
    const accepted = schemas.find((s) => s.eventType === 'RegieTransferAccepted')!;
    const validate = ajv.compile(messageSchema(accepted, mapping));
    const good = toCloudEvent(recorded(), mapping);
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, sequence: 0 })).toBe(false);
    expect(validate({ ...good, source: 'urn:nld:oin:1:systeem:eenplan' })).toBe(false);
    expect(validate({ ...good, personal: { name: 'x' } })).toBe(false);
    expect(validate({ ...good, sequence: 7 })).toBe(false);
    expect(validate({ ...good, sequence: '7' })).toBe(false);
    expect(validate({ ...good, sequence: '00000000000000000000' })).toBe(false);
    expect(validate({ ...good, sequencetype: undefined })).toBe(false);
    expect(validate({ ...good, dataschema: '/asyncapi/schemas/plan-closed.v1.json' })).toBe(false);
    const based = { ...mapping, publicBaseUrl: 'https://eenplan.utrecht.nl' };
    expect(validate(toCloudEvent(recorded(), based))).toBe(true);
    const { acceptedBy: _dropped, ...withoutAcceptor } = good.data;
    void _dropped;
    expect(validate({ ...good, data: withoutAcceptor })).toBe(false);
  });

  it('lets extension attributes through (CloudEvents: consumers accept them), but never a personal part', () => {
    const accepted = schemas.find((s) => s.eventType === 'RegieTransferAccepted')!;
    const validate = ajv.compile(messageSchema(accepted, mapping));
    const good = toCloudEvent(recorded(), mapping);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(validate({ ...good, traceparent, tracestate: 'congo=t61rcWkgMzE' })).toBe(true);
    expect(validate({ ...good, partitionkey: 'hh-42', expired: false, priority: 3 })).toBe(true);
    expect(validate({ ...good, personal: 'Sanne' })).toBe(false);
    expect(validate({ ...good, traceParent: traceparent })).toBe(false);
    expect(validate({ ...good, trace: { parent: traceparent } })).toBe(false);
  });

  it('accepts the break-glass events as the domain writes them, and refuses a v2 takeover naming no takeover', () => {
    const validates = (type: string, version: number, data: unknown) =>
      ajv.compile(schemas.find((s) => s.eventType === type && s.schemaVersion === version)!.data)(data);
    const worker = { kind: 'worker', id: 'w-2', teamId: 't-1' };
    const at = '2026-01-05T09:10:01.000Z';
    const takeover = {
      takeoverId: 's-1',
      from: { kind: 'household' },
      to: worker,
      householdTeamId: 't-1',
      takenAt: at,
    };
    expect(validates('RegieTakenOverForSafety', 2, takeover)).toBe(true);
    expect(validates('RegieTakenOverForSafety', 2, { ...takeover, takeoverId: undefined })).toBe(false);
    expect(
      validates('RegieTakenOverForSafety', 1, { from: worker, to: worker, approvedBy: 'l-1', takenAt: at }),
    ).toBe(true);
    const decided = { takeoverId: 's-1', takenBy: 'w-2' };
    expect(validates('SafetyTakeoverConfirmed', 1, { ...decided, confirmedBy: 'l-1', confirmedAt: at })).toBe(
      true,
    );
    const rejected = { ...decided, rejectedBy: 'l-1', rejectedAt: at };
    expect(validates('SafetyTakeoverRejected', 1, { ...rejected, regieReturned: null })).toBe(true);
    expect(
      validates('SafetyTakeoverRejected', 1, {
        ...rejected,
        regieReturned: { from: worker, to: { kind: 'household' }, toPreviousHolder: false },
      }),
    ).toBe(true);
    expect(validates('SafetyTakeoverRejected', 1, rejected)).toBe(false);
    expect(
      validates('SafetyTakeoverConfirmationOverdue', 1, {
        ...decided,
        takenAt: at,
        householdTeamId: 't-1',
        confirmHours: 24,
        detectedAt: at,
      }),
    ).toBe(true);
  });

  it('builds an AsyncAPI 3 document whose channels carry the configured topics and every message', () => {
    const topics = {
      householdPlan: 'a.plan',
      regieHandoffs: 'a.handoffs',
      uwvSignals: 'a.uwv',
      outcomes: 'a.outcomes',
    };
    const doc = buildAsyncApi({ ...mapping, topics }) as {
      asyncapi: string;
      channels: Record<string, { address: string; messages: Record<string, unknown> }>;
      components: { messages: Record<string, unknown> };
    };
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual([
      'a.plan',
      'a.handoffs',
      'a.uwv',
      'a.outcomes',
    ]);
    expect(Object.keys(doc.channels.householdPlan!.messages)).toHaveLength(schemas.length);
    expect(Object.keys(doc.channels.uwvSignals!.messages)).toEqual([
      'WorkIncomeSignalRecordedV1',
      'WorkIncomeSignalRecordedV2',
    ]);
    expect(Object.keys(doc.components.messages)).toHaveLength(schemas.length + loadOutcomeSchemas().length);
    expect(Object.keys(doc.channels.outcomes!.messages)).toEqual([
      'OutcomeRecordedV1',
      'RecurrenceRecordedV1',
    ]);
  });
});
