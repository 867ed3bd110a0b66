import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { startTestApp, TestApp } from '../support/app';
import { expectProblem } from '../e2e/fixtures';

/** Integrators read the Kafka contract from the running API, without a token. */
describe('the AsyncAPI document and the message schemas over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      messaging: {
        clientId: 'eenplan',
        topics: {
          householdPlan: 'x.plan',
          regieHandoffs: 'x.handoffs',
          uwvSignals: 'x.uwv',
          outcomes: 'x.outcomes',
        },
        oin: '00000001823288444000',
        typePrefix: 'nl.testgemeente.eenplan',
        publicBaseUrl: 'http://127.0.0.1:3000',
        contentMode: 'structured',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves AsyncAPI 3.0 with this deployment’s topic names, publicly', async () => {
    const res = await t.http().get('/asyncapi.json').expect(200);
    expect(res.body.asyncapi).toBe('3.0.0');
    const channels = res.body.channels as Record<string, { address: string; messages: object }>;
    expect(Object.values(channels).map((c) => c.address)).toEqual([
      'x.plan',
      'x.handoffs',
      'x.uwv',
      'x.outcomes',
    ]);
    expect(Object.keys(channels.outcomes!.messages)).toEqual(['OutcomeRecordedV1', 'RecurrenceRecordedV1']);
    expect(Object.keys(channels.regieHandoffs!.messages).sort()).toEqual([
      'PlanClosedV1',
      'PlanClosedV2',
      'RegieReturnedToHouseholdV1',
      'RegieTakenOverForSafetyV1',
      'RegieTakenOverForSafetyV2',
      'RegieTransferAcceptedV1',
      'SafetyTakeoverConfirmationOverdueV1',
      'SafetyTakeoverConfirmedV1',
      'SafetyTakeoverRejectedV1',
    ]);
    const accepted = res.body.components.messages.RegieTransferAcceptedV1;
    expect(accepted.name).toBe('nl.testgemeente.eenplan.regie-transfer-accepted.v1');
    expect(accepted.payload.properties.source.const).toBe('urn:nld:oin:00000001823288444000:systeem:eenplan');
  });

  it('serves a document the official AsyncAPI parser reads without an error or a warning, an example on every message', async () => {
    const res = await t.http().get('/asyncapi.json').expect(200);
    const { document, diagnostics } = await new Parser().parse(res.text);
    expect(
      diagnostics
        .filter((d) => d.severity <= DiagnosticSeverity.Warning)
        .map((d) => `${String(d.code)}: ${d.message} at ${d.path.join('/')}`),
    ).toEqual([]);
    const messages = document!.allMessages().all();
    expect(messages.length).toBe(Object.keys(res.body.components.messages).length);
    for (const m of messages)
      expect({ id: m.id(), examples: m.examples().length }).toEqual({ id: m.id(), examples: 1 });
  }, 60_000);

  it('serves the JSON Schema of one message by its type name', async () => {
    const res = await t.http().get('/asyncapi/schemas/plan-closed.v1.json').expect(200);
    expect(res.body.properties.type.const).toBe('nl.testgemeente.eenplan.plan-closed.v1');
    expect(res.body.properties.data.required).toEqual(['closedBy', 'regieEndedFor', 'closedAt']);
    expect(res.body.properties).not.toHaveProperty('personal');
    expect(res.body.required).toEqual(expect.arrayContaining(['dataschema', 'sequence', 'sequencetype']));
    expect(res.body.properties.sequence.type).toBe('string');
    expect(res.body.properties.sequencetype.const).toBe('Integer');
    // The schema's own URL is what a message's dataschema names; extension attributes pass.
    expect(
      new RegExp(res.body.properties.dataschema.pattern).test('/asyncapi/schemas/plan-closed.v1.json'),
    ).toBe(true);
    expect(res.body.additionalProperties).not.toBe(false);
  });

  it('answers 404 problem+json for an unknown schema, naming the known ones', async () => {
    const res = await t.http().get('/asyncapi/schemas/member-renamed.v1.json');
    const problem = expectProblem(res, 404, 'UnknownEventSchema');
    expect(problem.detail).toContain('plan-agreed.v1.json');
  });
});
