import {
  AcceptRegieTransfer,
  CommandActor,
  ConsentGiven,
  DeactivateProfessional,
  DeclineRegieTransfer,
  HouseholdEvent,
  ProfessionalFacts,
  RegisterProfessional,
  RequestRegieTransfer,
  AcceptReferral,
  ReferralRequested,
  RejectSafetyTakeover,
  householdDecider,
} from '@eenplan/domain';
import { stateAfter } from './given-when-then';
import { actor, CHILD, facts, HH, household, PARENT, registered, T, takeOver, takenOver } from './fixtures';
import { organisation } from './people-around.fixtures';

/**
 * Issue 19, the specialist circle: a professional of an organisation on the social map receives
 * regie by the warm handover (invariants 1 to 5, 7) and answers referrals to their organisation.
 */

const ORG = 'org1';
const PRO = 'pia';
const pro = (o: Partial<ProfessionalFacts> = {}): ProfessionalFacts => ({
  professionalId: PRO,
  organisationId: ORG,
  kind: 'specialist',
  active: true,
  ...o,
});
/** A professional as the registry admits them: the role alone, their organisation. */
const proActor = (id = PRO, organisationId = ORG): CommandActor => ({
  id,
  roles: ['professional'],
  teams: [],
  organisation: organisationId,
});
const proHolder = { kind: 'professional' as const, id: PRO, organisationId: ORG };
const anna = { kind: 'worker' as const, id: 'anna', teamId: 'noord' };

/** Every member's consent to regie going to the organisation (it is outside the household's team). */
const consents = (recipient = ORG): ConsentGiven[] =>
  [PARENT, CHILD].map((memberId) => ({
    type: 'ConsentGiven',
    data: {
      consentId: `regie-${recipient}-${memberId}`,
      memberId,
      purpose: 'regie-outside-organisation',
      recipient,
      givenBy: [{ kind: 'member', memberId: PARENT }],
      from: '2025-03-03',
      until: null,
      recordedBy: 'anna',
      givenAt: T(0),
    },
  }));

const toPro = (o: Partial<RequestRegieTransfer> = {}): RequestRegieTransfer => ({
  type: 'RequestRegieTransfer',
  householdId: HH,
  actor: actor('anna'),
  at: T(10),
  transferId: 't1',
  toProfessional: { id: PRO, organisationId: ORG },
  professional: pro(),
  reason: 'Specialistische hulp nodig',
  ...o,
});
const requestedToPro = (o: { from?: typeof anna | typeof proHolder } = {}): HouseholdEvent => ({
  type: 'RegieTransferRequested',
  data: {
    transferId: 't1',
    from: o.from ?? anna,
    to: proHolder,
    requestedBy: 'anna',
    variant: 'handover',
    agreedBy: null,
    requestedAt: T(10),
  },
  personal: { reason: 'Specialistische hulp nodig', handoverNotes: null },
});
const acceptByPro = (o: Partial<AcceptRegieTransfer> = {}): AcceptRegieTransfer => ({
  type: 'AcceptRegieTransfer',
  householdId: HH,
  actor: proActor(),
  at: T(30),
  transferId: 't1',
  professional: pro(),
  ...o,
});
const acceptedByPro: HouseholdEvent = {
  type: 'RegieTransferAccepted',
  data: {
    transferId: 't1',
    from: anna,
    to: proHolder,
    variant: 'handover',
    requestedBy: 'anna',
    acceptedBy: PRO,
    requestedAt: T(10),
    acceptedAt: T(30),
    handoverSeconds: 1200,
  },
};
const withPro = [registered({ regie: 'anna' }), ...consents(), requestedToPro(), acceptedByPro];

describe('the specialist circle: regie to a professional of an organisation', () => {
  it('the holder requests a transfer to a professional, with consent for their organisation', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents()])
      .when(toPro())
      .then([requestedToPro()]);
  });

  it('the professional accepts: they hold regie now (warm handover, invariant 3)', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents(), requestedToPro()])
      .when(acceptByPro())
      .then([acceptedByPro]);
  });

  it('the professional declines, with a reason', () => {
    const decline: DeclineRegieTransfer = {
      type: 'DeclineRegieTransfer',
      householdId: HH,
      actor: proActor(),
      at: T(30),
      transferId: 't1',
      reason: 'Geen plek',
    };
    household
      .given([registered({ regie: 'anna' }), ...consents(), requestedToPro()])
      .when(decline)
      .then([
        {
          type: 'RegieTransferDeclined',
          data: { transferId: 't1', declinedBy: PRO },
          personal: { reason: 'Geen plek' },
        },
      ]);
  });

  it('refuses a transfer to a professional without every member consenting for their organisation', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(toPro())
      .thenRefuses({
        code: 'ConsentRequired',
        kind: 'conflict',
        details: { purpose: 'regie-outside-organisation', recipient: ORG, members: [PARENT, CHILD] },
      });
  });

  it('consent for another recipient does not count: the recipient is the professional’s organisation', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents('org2')])
      .when(toPro())
      .thenRefuses({
        code: 'ConsentRequired',
        kind: 'conflict',
        details: { purpose: 'regie-outside-organisation', recipient: ORG, members: [PARENT, CHILD] },
      });
  });

  it('refuses a professional no organisation registered (invariant 1)', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents()])
      .when(toPro({ professional: undefined }))
      .thenRefuses({ code: 'UnknownProfessional', kind: 'invalid', details: { field: 'to.id' } });
  });

  it('refuses a professional the named organisation did not register', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents()])
      .when(toPro({ professional: pro({ organisationId: 'org2' }) }))
      .thenRefuses({ code: 'UnknownProfessional', kind: 'invalid', details: { field: 'to.id' } });
  });

  it('refuses a deactivated professional (invariant 1)', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents()])
      .when(toPro({ professional: pro({ active: false }) }))
      .thenRefuses({ code: 'ProfessionalNotActive', kind: 'conflict', invariant: 1 });
  });

  it('refuses the acceptance once the professional was deactivated since the request (invariant 1)', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents(), requestedToPro()])
      .when(acceptByPro({ professional: pro({ active: false }) }))
      .thenRefuses({ code: 'ProfessionalNotActive', kind: 'conflict', invariant: 1 });
  });

  it('only the professional decides: not a team lead, not the same id of another organisation (invariant 4)', () => {
    const given = [registered({ regie: 'anna' }), ...consents(), requestedToPro()];
    household
      .given(given)
      .when(acceptByPro({ actor: actor('lies') }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
    household
      .given(given)
      .when(acceptByPro({ actor: proActor(PRO, 'org2') }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
    // A worker's token with the professional's id is no professional.
    household
      .given(given)
      .when(acceptByPro({ actor: { id: PRO, roles: ['worker'], teams: ['noord'] } }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
  });

  it('a professional may not ask regie for themselves (no reverse request for professionals)', () => {
    household
      .given([registered({ regie: 'anna' }), ...consents()])
      .when(toPro({ actor: proActor() }))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden', invariant: 5 });
  });

  it('refuses a transfer to the professional who already holds regie (invariant 1)', () => {
    household
      .given(withPro)
      .when(toPro({ actor: proActor(), transferId: 't2' }))
      .thenRefuses({ code: 'AlreadyRegieHolder', kind: 'conflict', invariant: 1 });
  });

  it('the professional hands regie back to a worker of the team: a handover', () => {
    household
      .given(withPro)
      .when({
        type: 'RequestRegieTransfer',
        householdId: HH,
        actor: proActor(),
        at: T(40),
        transferId: 't2',
        toWorkerId: 'anna',
        receiver: facts('anna'),
        reason: 'Terug naar het wijkteam',
      })
      .then([
        {
          type: 'RegieTransferRequested',
          data: {
            transferId: 't2',
            from: proHolder,
            to: anna,
            requestedBy: PRO,
            variant: 'handover',
            agreedBy: null,
            requestedAt: T(40),
          },
          personal: { reason: 'Terug naar het wijkteam', handoverNotes: null },
        },
      ]);
  });

  it('a worker asks the professional for regie (reverse); the professional decides (invariant 5)', () => {
    const reverse: HouseholdEvent = {
      type: 'RegieTransferRequested',
      data: {
        transferId: 't2',
        from: proHolder,
        to: { kind: 'worker', id: 'bas', teamId: 'noord' },
        requestedBy: 'bas',
        variant: 'reverse',
        agreedBy: null,
        requestedAt: T(40),
      },
      personal: { reason: 'Ik neem het over', handoverNotes: null },
    };
    household
      .given(withPro)
      .when({
        type: 'RequestRegieTransfer',
        householdId: HH,
        actor: actor('bas'),
        at: T(40),
        transferId: 't2',
        toWorkerId: 'bas',
        receiver: facts('bas'),
        reason: 'Ik neem het over',
      })
      .then([reverse]);
    household
      .given([...withPro, reverse])
      .when({
        type: 'AcceptRegieTransfer',
        householdId: HH,
        actor: proActor(),
        at: T(50),
        transferId: 't2',
        receiver: facts('bas'),
      })
      .then([
        {
          type: 'RegieTransferAccepted',
          data: {
            transferId: 't2',
            from: proHolder,
            to: { kind: 'worker', id: 'bas', teamId: 'noord' },
            variant: 'reverse',
            requestedBy: 'bas',
            acceptedBy: PRO,
            requestedAt: T(40),
            acceptedAt: T(50),
            handoverSeconds: 600,
          },
        },
      ]);
  });

  it('the professional returns regie to the household (invariant 7)', () => {
    household
      .given(withPro)
      .when({
        type: 'ReturnRegieToHousehold',
        householdId: HH,
        actor: proActor(),
        at: T(40),
        agreedBy: PARENT,
      })
      .then([
        {
          type: 'RegieReturnedToHousehold',
          data: { from: proHolder, returnedBy: PRO, agreedBy: PARENT, returnedAt: T(40) },
        },
      ]);
  });

  it('the professional who holds regie works on the plan; after returning regie they no longer do', () => {
    const goal = {
      type: 'AddGoal' as const,
      householdId: HH,
      at: T(40),
      goalId: 'g1',
      lifeDomain: 'finances' as const,
      description: 'Schulden op orde',
      limits: { maxGoals: 50, maxActions: 250 },
    };
    const events = householdDecider.decide(
      { ...goal, actor: proActor() },
      stateAfter(householdDecider, withPro),
    );
    expect(events.map((e) => e.type)).toEqual(['GoalAdded']);
    const returned: HouseholdEvent = {
      type: 'RegieReturnedToHousehold',
      data: { from: proHolder, returnedBy: PRO, agreedBy: PARENT, returnedAt: T(45) },
    };
    household
      .given([...withPro, ...events, returned])
      .when({ ...goal, goalId: 'g2', actor: proActor() })
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
    household
      .given(withPro)
      .when({ ...goal, actor: proActor(PRO, 'org2') })
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('a worker takes regie over from a professional for safety; a rejection gives it back to them while active', () => {
    const taken = takenOver({ from: 'household', by: 'bas' });
    const takenFromPro = { ...taken, data: { ...taken.data, from: proHolder } } as HouseholdEvent;
    household
      .given(withPro)
      .when(takeOver({ by: 'bas' }))
      .then([takenFromPro]);
    const reject = (previousProfessional?: ProfessionalFacts): RejectSafetyTakeover => ({
      type: 'RejectSafetyTakeover',
      householdId: HH,
      actor: actor('lies'),
      at: T(60),
      takeoverId: 's1',
      reason: 'Geen acuut gevaar',
      lead: facts('lies'),
      previousProfessional,
    });
    const back = (to: object, toPreviousHolder: boolean) => ({
      from: { kind: 'worker', id: 'bas', teamId: 'noord' },
      to,
      toPreviousHolder,
    });
    const state = stateAfter(householdDecider, [...withPro, takenFromPro]);
    const returned = (facts?: ProfessionalFacts) =>
      householdDecider.decide(reject(facts), state).find((e) => e.type === 'SafetyTakeoverRejected')
        ?.data as { regieReturned: unknown };
    expect(returned(pro()).regieReturned).toEqual(back(proHolder, true));
    expect(returned(pro({ active: false })).regieReturned).toEqual(back({ kind: 'household' }, false));
    expect(returned(undefined).regieReturned).toEqual(back({ kind: 'household' }, false));
    expect(
      stateAfter(householdDecider, [
        ...withPro,
        takenFromPro,
        ...householdDecider.decide(reject(pro()), state),
      ]).regie,
    ).toEqual(proHolder);
  });
});

describe('the specialist circle: referrals answered by the organisation', () => {
  const referral: ReferralRequested = {
    type: 'ReferralRequested',
    data: {
      referralId: 'r1',
      organisationId: ORG,
      lifeDomain: 'finances',
      waitingDays: 21,
      requestedBy: 'anna',
      requestedAt: T(5),
      legalGround: null,
      consentIds: [],
    },
    personal: { note: null },
  };
  const acceptReferral = (by: CommandActor): AcceptReferral => ({
    type: 'AcceptReferral',
    householdId: HH,
    actor: by,
    at: T(20),
    referralId: 'r1',
  });

  it('a professional of the organisation accepts and completes its referral', () => {
    household
      .given([registered({ regie: 'anna' }), referral])
      .when(acceptReferral(proActor()))
      .then([
        {
          type: 'ReferralAccepted',
          data: { referralId: 'r1', organisationId: ORG, recordedBy: PRO, acceptedAt: T(20) },
        },
      ]);
  });

  it('refuses a professional of another organisation', () => {
    household
      .given([registered({ regie: 'anna' }), referral])
      .when(acceptReferral(proActor('piet', 'org2')))
      .thenRefuses({ code: 'NotReferralOrganisation', kind: 'forbidden' });
  });

  it("a professional does not withdraw a referral: that is the plan workers' act", () => {
    household
      .given([registered({ regie: 'anna' }), referral])
      .when({
        type: 'WithdrawReferral',
        householdId: HH,
        actor: proActor(),
        at: T(20),
        referralId: 'r1',
        reason: 'x',
      })
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });
});

describe('the organisation registers and deactivates its professionals', () => {
  const orgRegistered = {
    type: 'OrganisationRegistered' as const,
    data: {
      organisationId: ORG,
      name: 'Jeugdbescherming Noord',
      expertise: { lifeDomains: [], tags: [] },
      location: 'noord',
      waitingDays: 0,
      registeredBy: 'admin',
      registeredAt: T(0),
    },
  };
  const registerPro = (o: Partial<RegisterProfessional> = {}): RegisterProfessional => ({
    type: 'RegisterProfessional',
    organisationId: ORG,
    professionalId: PRO,
    kind: 'jeugdbeschermer',
    actor: { id: 'admin', roles: ['admin'], teams: [] },
    at: T(1),
    ...o,
  });
  const proRegistered = {
    type: 'ProfessionalRegistered' as const,
    data: {
      organisationId: ORG,
      professionalId: PRO,
      kind: 'jeugdbeschermer' as const,
      registeredBy: 'admin',
      registeredAt: T(1),
    },
  };
  const deactivate = (o: Partial<DeactivateProfessional> = {}): DeactivateProfessional => ({
    type: 'DeactivateProfessional',
    organisationId: ORG,
    professionalId: PRO,
    householdsWithRegie: [],
    actor: { id: 'admin', roles: ['admin'], teams: [] },
    at: T(2),
    ...o,
  });

  it('registers a professional with their kind', () => {
    organisation.given([orgRegistered]).when(registerPro()).then([proRegistered]);
  });

  it('refuses a professional id the organisation registered before', () => {
    organisation
      .given([orgRegistered, proRegistered])
      .when(registerPro())
      .thenRefuses({ code: 'ProfessionalAlreadyRegistered', kind: 'conflict' });
  });

  it('refuses a professional for an organisation not on the social map', () => {
    organisation
      .given([])
      .when(registerPro())
      .thenRefuses({ code: 'OrganisationNotFound', kind: 'not-found' });
  });

  it('deactivates a professional; a second time is a conflict', () => {
    const deactivated = {
      type: 'ProfessionalDeactivated' as const,
      data: { organisationId: ORG, professionalId: PRO, deactivatedBy: 'admin', deactivatedAt: T(2) },
    };
    organisation.given([orgRegistered, proRegistered]).when(deactivate()).then([deactivated]);
    organisation
      .given([orgRegistered, proRegistered, deactivated])
      .when(deactivate())
      .thenRefuses({ code: 'ProfessionalAlreadyInactive', kind: 'conflict' });
  });

  it('refuses to deactivate a professional who still holds regie (invariant 8), naming the households', () => {
    organisation
      .given([orgRegistered, proRegistered])
      .when(deactivate({ householdsWithRegie: ['h1', 'h2'] }))
      .thenRefuses({
        code: 'ProfessionalHoldsRegie',
        kind: 'conflict',
        invariant: 8,
        details: { households: ['h1', 'h2'] },
      });
  });

  it('refuses an unknown professional', () => {
    organisation
      .given([orgRegistered])
      .when(deactivate())
      .thenRefuses({ code: 'ProfessionalNotFound', kind: 'not-found' });
  });
});
