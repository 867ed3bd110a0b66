import { householdStream } from '@eenplan/domain';
import type { EventStore, RecordedEvent } from '@eenplan/event-store/event-store.port';
import { START } from '@eenplan/event-store/event-store.port';
import { householdIdOf, type KafkaRelay } from '@eenplan/messaging';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { KAFKA_RELAY } from '../../apps/api/src/messaging/kafka-relay.provider';
import {
  admin,
  PARENT,
  Person,
  seedHousehold,
  seedTeam,
  SeededTeam,
  setParentAuthority,
  uniq,
} from '../e2e/fixtures';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { describeWithInfra } from '../support/infra';
import {
  kafkaBrokers,
  kafkaInfra,
  messageValidators,
  outcomeValidators,
  readTopic,
  sequencesByHousehold,
  stringsIn,
  testKafka,
  uniqueTopics,
  type ReadMessage,
} from './support';

/**
 * The API with its relay on (KAFKA_BROKERS set) against the real broker: a run of commands that
 * touches every kind of plan and regie event, then every topic is read back and checked the way a
 * downstream system would: complete, ordered per household, only the right events per topic, each
 * message valid against its published schema, and nothing personal outside `data` (nor in it).
 */
describeWithInfra('Kafka relay: the API publishes every event to its topics', kafkaInfra, () => {
  const topics = uniqueTopics('relay');
  const mapping = { oin: '00000001823288444000', typePrefix: 'nl.testgemeente.eenplan' };
  const publicBaseUrl = 'https://eenplan.testgemeente.nl';
  const kafka = testKafka();
  let t: TestApp;
  let team: SeededTeam;
  let store: EventStore;
  let relay: KafkaRelay;
  let events: RecordedEvent[];
  const read: Record<keyof typeof topics, ReadMessage[]> = {
    householdPlan: [],
    regieHandoffs: [],
    uwvSignals: [],
    outcomes: [],
  };
  const personalText = new Set<string>();

  const ok = (res: { status: number; text: string }) => {
    if (res.status < 200 || res.status > 299) throw new Error(`${res.status}: ${res.text}`);
  };
  const post = (path: string, who: Person, body?: Record<string, unknown>) => {
    const req = t.http().post(path).set(who.as);
    return body === undefined ? req : req.send(body);
  };

  /** Every kind of plan and regie event for one household, through the HTTP API. */
  const fullLife = async (i: number) => {
    const [w1, w2, w3] = team.workers as [Person, Person, Person];
    const hh = await seedHousehold(t, team, { regieWorker: w1 });
    const goalId = uniq('g');
    await post(`/v1/households/${hh}/goals`, w1, {
      goalId,
      lifeDomain: 'finances',
      description: `Schulden van Sanne onder controle ${i}`,
    }).expect(ok);
    const actionId = uniq('a');
    await post(`/v1/households/${hh}/actions`, w1, {
      actionId,
      goalId,
      description: 'Aanmelden schuldhulp',
      owner: { kind: 'worker', id: w1.id },
    }).expect(ok);
    // Issue 18: the parent agrees for the child (under 12) as the holder of parental authority.
    await setParentAuthority(t, hh, w1);
    await post(`/v1/households/${hh}/plan/agreements`, w1, { memberId: PARENT }).expect(ok);
    await post(`/v1/households/${hh}/actions/${actionId}/complete`, w1).expect(ok);
    // Issue 20: the household's circle acts itself. Sanne (a resident) proposes a goal, and a
    // neighbour in the network completes the action they own: neither the proposal's text nor the
    // neighbour's name may reach a topic, nor the resident's login.
    const asResident = `Bearer ${t.token(`login-sanne-${i}`, ['resident'], [], { household: hh, member: PARENT })}`;
    await t
      .http()
      .post(`/v1/households/${hh}/goal-proposals`)
      .set('Authorization', asResident)
      .send({ text: `Sanne wil zwemles voor Daan ${i}`, lifeDomain: 'social-network' })
      .expect(ok);
    const neighbour = uniq('nm');
    await post(`/v1/households/${hh}/network`, w1, {
      networkMemberId: neighbour,
      role: 'neighbour',
      name: 'Buurvrouw Els Vrolijk',
    }).expect(ok);
    const errand = uniq('a');
    await post(`/v1/households/${hh}/actions`, w1, {
      actionId: errand,
      goalId,
      description: 'Samen naar de bank',
      owner: { kind: 'network', id: neighbour },
    }).expect(ok);
    const asNeighbour = `Bearer ${t.token(`login-els-${i}`, ['network-member'], [], { household: hh, member: neighbour })}`;
    await t
      .http()
      .post(`/v1/households/${hh}/actions/${errand}/complete`)
      .set('Authorization', asNeighbour)
      .expect(ok);
    // Issue 18: persons. A member joins and leaves and is erased on their own; the parent consents
    // and withdraws; a name is corrected; a member's processing is restricted and the restriction
    // lifted. Every name goes in a personal part, so none may reach a topic.
    const today = t.clock.peek().toISOString().slice(0, 10);
    const noor = uniq('m-noor');
    await post(`/v1/households/${hh}/members`, w1, {
      memberId: noor,
      role: 'adult',
      birthYear: 1990,
      name: 'Noor Vrolijk',
      reason: 'moved-in',
      on: today,
    }).expect(ok);
    const consent = await post(`/v1/households/${hh}/consents`, w1, {
      memberId: PARENT,
      purpose: 'uwv-signals',
      recipient: 'uwv',
      givenBy: [{ memberId: PARENT }],
    }).expect(ok);
    await post(`/v1/households/${hh}/consents/${consent.body.consentId}/withdraw`, w1, {
      withdrawnBy: [{ memberId: PARENT }],
    }).expect(ok);
    await post(`/v1/households/${hh}/corrections`, w1, {
      field: 'memberName',
      memberId: PARENT,
      value: 'Sanne de Vries',
    }).expect(ok);
    const restriction = await post(`/v1/households/${hh}/restrictions`, admin(t), {
      memberId: noor,
      ground: 'AVG art. 18, verzoek 2026-7',
    }).expect(ok);
    await post(`/v1/households/${hh}/restrictions/${restriction.body.restrictionId}/lift`, admin(t)).expect(
      ok,
    );
    await post(`/v1/households/${hh}/members/${noor}/leave`, w1, { reason: 'moved-out', on: today }).expect(
      ok,
    );
    await post(`/v1/households/${hh}/members/${noor}/erasure`, admin(t), {
      ground: 'AVG art. 17, verzoek 2026-9',
    }).expect(ok);
    const declined = uniq('tr');
    await post(`/v1/households/${hh}/regie/transfers`, w1, {
      transferId: declined,
      to: { kind: 'worker', id: w3.id },
      reason: 'Daan heeft specialistische hulp nodig',
    }).expect(ok);
    await post(`/v1/households/${hh}/regie/transfers/${declined}/decline`, w3, {
      reason: 'Geen ruimte',
    }).expect(ok);
    const cancelled = uniq('tr');
    await post(`/v1/households/${hh}/regie/transfers`, w1, {
      transferId: cancelled,
      to: { kind: 'worker', id: w3.id },
      reason: 'Toch nodig',
    }).expect(ok);
    await post(`/v1/households/${hh}/regie/transfers/${cancelled}/cancel`, w1, {
      reason: 'Niet meer',
    }).expect(ok);
    const accepted = uniq('tr');
    await post(`/v1/households/${hh}/regie/transfers`, w1, {
      transferId: accepted,
      to: { kind: 'worker', id: w2.id },
      reason: 'Gezinsbegeleiding',
      handoverNotes: 'Sanne Jansen vraagt om een vaste contactpersoon',
    }).expect(ok);
    await post(`/v1/households/${hh}/regie/transfers/${accepted}/accept`, w2).expect(ok);
    // Break-glass twice: one takeover a team lead rejects (regie back to w2), one they confirm.
    const first = await post(`/v1/households/${hh}/regie/safety-takeover`, w1, {
      reason: 'Acute zorgen om Daan',
    }).expect(ok);
    await post(`/v1/households/${hh}/regie/safety-takeover/${first.body.takeoverId}/reject`, team.lead, {
      reason: 'Geen acuut gevaar voor Daan',
    }).expect(ok);
    await post(`/v1/households/${hh}/regie/return-to-household`, w2, { agreedBy: PARENT }).expect(ok);
    const second = await post(`/v1/households/${hh}/regie/safety-takeover`, w2, {
      reason: 'Opnieuw zorgen',
    }).expect(ok);
    await post(
      `/v1/households/${hh}/regie/safety-takeover/${second.body.takeoverId}/confirm`,
      team.lead,
    ).expect(ok);
    // Issue 19: a coded closure; the reopen right after it is a recurrence (within 12 months).
    await post(`/v1/households/${hh}/close`, w2, {
      outcome: 'Afgerond met Sanne',
      reason: i % 2 === 0 ? 'goals-achieved' : 'continues-without-help',
      goals: [{ goalId, realisation: 'achieved' }],
    }).expect(ok);
    await post(`/v1/households/${hh}/reopen`, w1, { reason: 'Nieuwe schulden' }).expect(ok);
    return hh;
  };

  /** Work/income signals as issue 4's event will carry them (its HTTP API is not here yet). */
  const appendSignal = async (householdId: string, publication: Record<string, unknown>) => {
    const stream = householdStream(householdId);
    await store.append(
      stream,
      [
        {
          eventId: `sig-${uniq('e')}-${Date.now()}`,
          type: 'WorkIncomeSignalRecorded',
          data: {
            signalId: uniq('s'),
            direction: 'outbound',
            category: 'work-started',
            recordedBy: team.workers[0]!.id,
            recordedAt: '2026-01-05T10:00:00.000Z',
            publication,
          },
          personal: { note: 'Sanne begint bij de bakker' },
          metadata: {
            schemaVersion: 1,
            actor: { kind: 'worker', id: team.workers[0]!.id },
            recordedAt: '2026-01-05T10:00:00.000Z',
            correlationId: 'c',
            causationId: 'c',
          },
        },
      ],
      await store.streamVersion(stream),
    );
  };

  beforeAll(async () => {
    t = await startTestApp({
      kafkaBrokers,
      messaging: { clientId: 'eenplan-test', topics, contentMode: 'structured', publicBaseUrl, ...mapping },
    });
    store = t.app.get(EVENT_STORE);
    relay = t.app.get(KAFKA_RELAY);
    team = await seedTeam(t, { workers: 3 });
    const households = [];
    for (let i = 0; i < 4; i++) households.push(await fullLife(i));
    await appendSignal(households[0]!, { publish: true, basis: 'consent' });
    await appendSignal(households[1]!, { publish: false, internalReason: 'no-consent' });
    await appendSignal(households[2]!, {
      publish: true,
      basis: 'legal-basis',
      legalBasis: 'participatiewet-art-64',
    });
    await appendSignal(households[3]!, { publish: false, internalReason: 'consent-withdrawn' });

    events = [];
    for (let page = await store.readAll(START, { limit: 5000 }); page.length;) {
      events.push(...page);
      page = await store.readAll(page[page.length - 1]!.position, { limit: 5000 });
    }
    const head = events[events.length - 1]!.position;
    await eventually(() => expect(store.comparePositions(relay.status().position, head)).toBe(0), 30_000);
    for (const e of events) for (const s of stringsIn(e.personal)) personalText.add(s);
    // The fixtures' member names are registered as personal data too.
    for (const name of ['Sanne Jansen', 'Daan Jansen', 'Sanne de Vries'])
      expect(personalText).toContain(name);
    for (const key of Object.keys(topics) as (keyof typeof topics)[])
      read[key] = await readTopic(kafka, topics[key]);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const householdEvents = () => events.filter((e) => householdIdOf(e) !== null);
  const ids = (messages: readonly ReadMessage[]) => new Set(messages.map((m) => m.event.id));

  it('puts every household event on the household-plan topic: nothing missing after dedup on id, nothing extra', () => {
    const expected = householdEvents().map((e) => e.eventId);
    expect(expected.length).toBeGreaterThan(60);
    expect([...ids(read.householdPlan)].sort()).toEqual([...expected].sort());
  });

  it('keeps each household in order: sequences 1, 2, 3, ... without gaps, key = household id', () => {
    const perHousehold = sequencesByHousehold(read.householdPlan);
    const streams = new Map<string, number>();
    for (const e of householdEvents()) streams.set(householdIdOf(e)!, e.streamVersion);
    expect(perHousehold.size).toBe(streams.size);
    for (const [household, length] of streams) {
      expect({ household, sequences: perHousehold.get(household) }).toEqual({
        household,
        sequences: Array.from({ length }, (_, i) => i + 1),
      });
    }
    for (const m of read.householdPlan) expect(m.key).toBe(m.event.subject);
  });

  it('puts only the regie-changing events and the safety takeovers’ confirmation on the handoffs topic', () => {
    const perHousehold = new Map<string, string[]>();
    for (const m of read.regieHandoffs) {
      const type = m.event.type.replace(`${mapping.typePrefix}.`, '');
      perHousehold.set(m.event.subject, [...(perHousehold.get(m.event.subject) ?? []), type]);
    }
    expect(perHousehold.size).toBe(4);
    for (const types of perHousehold.values())
      expect(types).toEqual([
        'regie-transfer-accepted.v1',
        'regie-taken-over-for-safety.v2',
        'safety-takeover-rejected.v1',
        'regie-returned-to-household.v1',
        'regie-taken-over-for-safety.v2',
        'safety-takeover-confirmed.v1',
        'plan-closed.v2',
      ]);
  });

  it('puts a work/income signal on the UWV topic only with consent or a legal basis', () => {
    const published = events.filter(
      (e) =>
        e.type === 'WorkIncomeSignalRecorded' &&
        (e.data.publication as { publish: boolean }).publish === true,
    );
    expect(published).toHaveLength(2);
    expect([...ids(read.uwvSignals)].sort()).toEqual(published.map((e) => e.eventId).sort());
    expect(read.uwvSignals.map((m) => (m.event.data.publication as { basis: string }).basis).sort()).toEqual([
      'consent',
      'legal-basis',
    ]);
  });

  it('validates every message on every topic against the schema of its event type', () => {
    const validators = messageValidators(mapping);
    const all = [...read.householdPlan, ...read.regieHandoffs, ...read.uwvSignals];
    const invalid = all.flatMap((m) => {
      const { type, id } = m.event;
      const validate = validators.get(type);
      if (!validate) return [`${type}: no schema`];
      return validate(m.event) ? [] : [`${type} ${id}: ${JSON.stringify(validate.errors)}`];
    });
    expect(invalid).toEqual([]);
    // 14 before break-glass, the lead's confirmation and rejection, and (issue 18) AuthoritySet,
    // PlanAgreementRecorded, MemberJoined, ConsentGiven, ConsentWithdrawn, PersonalDataCorrected,
    // ProcessingRestricted, RestrictionLifted, MemberLeft and MemberDataErased; (issue 20) a
    // resident's GoalProposed and the NetworkMemberAdded of the neighbour who completes an action.
    expect(new Set(all.map((m) => m.event.type)).size).toBe(28);
  });

  it('puts every coded closure and every recurrence on the outcomes topic, valid against its schema, with no household id', async () => {
    const closures = events.filter((e) => e.type === 'PlanClosed');
    const recurrences = events.filter((e) => e.type === 'PlanReopened' && e.data.recurrence === true);
    expect([closures.length, recurrences.length]).toEqual([4, 4]);
    const types = read.outcomes.map((m) => m.event.type.replace(`${mapping.typePrefix}.`, ''));
    expect(types.filter((t) => t === 'outcome-recorded.v1')).toHaveLength(closures.length);
    expect(types.filter((t) => t === 'recurrence-recorded.v1')).toHaveLength(recurrences.length);
    expect(types).toHaveLength(closures.length + recurrences.length);
    const validators = outcomeValidators(mapping);
    const invalid = read.outcomes.flatMap((m) => {
      const { type, id } = m.event;
      const validate = validators.get(type);
      if (!validate) return [`${type}: no schema`];
      return validate(m.event) ? [] : [`${type} ${id}: ${JSON.stringify(validate.errors)}`];
    });
    expect(invalid).toEqual([]);
    const district = closures[0]!.data.district as string;
    const reasons = read.outcomes
      .filter((m) => m.event.type.endsWith('.outcome-recorded.v1'))
      .map((m) => m.event.data.reason)
      .sort();
    expect(reasons).toEqual([
      'continues-without-help',
      'continues-without-help',
      'goals-achieved',
      'goals-achieved',
    ]);
    // No household: not the key, not the envelope, not data; nor the stored events' ids.
    const householdIds = new Set(householdEvents().map((e) => householdIdOf(e)!));
    const eventIds = new Set(events.map((e) => e.eventId));
    for (const m of read.outcomes) {
      expect(m.key).toBe(district);
      expect(m.event).not.toHaveProperty('subject');
      expect(m.event).not.toHaveProperty('sequence');
      expect(m.event).not.toHaveProperty('dataref');
      expect(eventIds.has(m.event.id)).toBe(false);
      for (const id of householdIds) expect(m.raw).not.toContain(id);
      for (const text of personalText) expect(m.raw).not.toContain(text);
    }
    // What dataschema names is served, with the message's type.
    const schemas = [...new Set(read.outcomes.map((m) => m.event.dataschema))];
    expect(schemas).toHaveLength(2);
    for (const url of schemas) {
      const served = await t.http().get(new URL(url).pathname).expect(200);
      expect(read.outcomes.find((m) => m.event.dataschema === url)!.event.type).toBe(
        served.body.properties.type.const,
      );
    }
  });

  it('carries no personal text in attributes or headers, and none in data either', () => {
    const all = [...read.householdPlan, ...read.regieHandoffs, ...read.uwvSignals];
    const leaks: string[] = [];
    for (const m of all) {
      const { data, ...attributes } = m.event;
      const outside = [
        ...stringsIn(attributes),
        ...Object.keys(m.headers),
        ...Object.values(m.headers),
        m.key ?? '',
      ];
      for (const text of personalText) {
        if (outside.some((s) => s.includes(text))) leaks.push(`${m.event.id} attributes/headers: ${text}`);
        if (stringsIn(data).some((s) => s.includes(text))) leaks.push(`${m.event.id} data: ${text}`);
      }
      expect(Object.keys(m.headers)).toEqual(['content-type']);
      expect(attributes.source).toBe(`urn:nld:oin:${mapping.oin}:systeem:eenplan`);
    }
    expect(leaks).toEqual([]);
    // Member names are not even a substring of the raw message.
    for (const m of all) expect(m.raw).not.toMatch(/Sanne|Daan|Noor|Vrolijk|Vries|zwemles|Els/);
    // Nor the logins of residents and network members (issue 20): a login may be an e-mail address.
    for (const m of all) expect(m.raw).not.toMatch(/login-sanne|login-els/);
  });

  it('publishes HouseholdRegistered as v2: member count and age bands, no member ids, roles or birth years', () => {
    const registered = read.householdPlan.filter((m) => m.event.type.includes('.household-registered.'));
    expect(registered.length).toBeGreaterThan(0);
    for (const m of registered) {
      expect(m.event.type).toBe(`${mapping.typePrefix}.household-registered.v2`);
      expect(m.event.data).not.toHaveProperty('members');
      expect(m.event.data.memberCount).toBeGreaterThan(0);
      expect(m.raw).not.toMatch(/memberId|birthYear|"role"/);
    }
  });

  it('stamps each message with the event’s persistent id and recorded time', () => {
    const byId = new Map(events.map((e) => [e.eventId, e]));
    for (const m of read.householdPlan) {
      const e = byId.get(m.event.id)!;
      expect(m.event.time).toBe(new Date(e.metadata.recordedAt).toISOString());
      expect(m.event.sequence).toBe(String(e.streamVersion).padStart(20, '0'));
      expect(m.event.sequencetype).toBe('Integer');
    }
  });

  it('writes sequence so that it sorts as text: per household the strings are in topic order', () => {
    const bySubject = new Map<string, string[]>();
    for (const m of read.householdPlan)
      bySubject.set(m.event.subject, [...(bySubject.get(m.event.subject) ?? []), m.event.sequence]);
    const longest = Math.max(...[...bySubject.values()].map((q) => q.length));
    expect(longest).toBeGreaterThanOrEqual(10); // past 9, where unpadded text would sort 10 before 9
    for (const sequences of bySubject.values()) expect([...sequences].sort()).toEqual(sequences);
  });

  it('names the served schema of each message in dataschema, and the household resource where personal data was withheld', async () => {
    const byId = new Map(events.map((e) => [e.eventId, e]));
    const withheld: string[] = [];
    for (const m of read.householdPlan) {
      const e = byId.get(m.event.id)!;
      expect(m.event.dataschema).toBe(
        `${publicBaseUrl}/asyncapi/schemas/${m.event.type.replace(`${mapping.typePrefix}.`, '')}.json`,
      );
      if (e.personal === undefined || e.personal === null) expect(m.event).not.toHaveProperty('dataref');
      else {
        expect(m.event.dataref).toBe(`${publicBaseUrl}/v1/households/${m.event.subject}`);
        withheld.push(m.event.id);
      }
    }
    expect(withheld.length).toBeGreaterThan(0);
    // What dataschema names is what the API serves, and the message is valid against it.
    // Under PUBLIC_BASE_URL, which is this app: its path is what the app serves.
    const served = await t.http().get(new URL(read.householdPlan[0]!.event.dataschema).pathname).expect(200);
    expect(served.body.properties.type.const).toBe(read.householdPlan[0]!.event.type);
  });
});
