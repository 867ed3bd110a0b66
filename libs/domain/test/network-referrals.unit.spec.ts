import { ConsentGiven, householdDecider } from '@eenplan/domain';
import {
  actionAdded,
  actionCompleted,
  addAction,
  closed,
  goalAdded,
  household,
  householdState,
  CHILD,
  PARENT,
  registered,
} from './fixtures';
import {
  acceptReferral,
  addNetworkMember,
  assigned,
  assignmentEnded,
  completeReferral,
  networkMemberAdded,
  networkMemberRemoved,
  referralAccepted,
  referralCompleted,
  referralRequested,
  referralWithdrawn,
  removeNetworkMember,
  requestReferral,
  withdrawReferral,
} from './people-around.fixtures';

describe('network members of a household', () => {
  it('adds a network member with the name kept apart as personal data', () => {
    household.given([registered()]).when(addNetworkMember()).then([networkMemberAdded()]);
  });

  it('refuses a network member id used before, even after removal', () => {
    household
      .given([registered(), networkMemberAdded()])
      .when(addNetworkMember())
      .thenRefuses({ code: 'NetworkMemberAlreadyExists', kind: 'conflict' });
    household
      .given([registered(), networkMemberAdded(), networkMemberRemoved()])
      .when(addNetworkMember())
      .thenRefuses({ code: 'NetworkMemberAlreadyExists', kind: 'conflict' });
  });

  it('removes a network member; an unknown or removed one is refused', () => {
    household
      .given([registered(), networkMemberAdded()])
      .when(removeNetworkMember())
      .then([networkMemberRemoved()]);
    household
      .given([registered()])
      .when(removeNetworkMember())
      .thenRefuses({ code: 'NetworkMemberNotFound', kind: 'not-found' });
    household
      .given([registered(), networkMemberAdded(), networkMemberRemoved()])
      .when(removeNetworkMember())
      .thenRefuses({ code: 'NetworkMemberAlreadyRemoved', kind: 'conflict' });
  });

  it('invariant 10: refuses to remove a network member who owns an open action, not one whose actions are done', () => {
    const owned = actionAdded({ owner: { kind: 'network', id: 'n1' } });
    const error = household
      .given([registered(), networkMemberAdded(), goalAdded(), owned])
      .when(removeNetworkMember())
      .thenRefuses({
        code: 'NetworkMemberOwnsActions',
        kind: 'conflict',
        invariant: 10,
        details: { actions: ['a1'] },
      });
    expect(error.details).toEqual({ actions: ['a1'] });
    household
      .given([registered(), networkMemberAdded(), goalAdded(), owned, actionCompleted()])
      .when(removeNetworkMember())
      .then([networkMemberRemoved()]);
  });

  it('invariant 10: only the open actions of this member stop its removal', () => {
    household
      .given([
        registered(),
        networkMemberAdded(),
        networkMemberAdded({ id: 'n2' }),
        goalAdded(),
        actionAdded({ owner: { kind: 'network', id: 'n2' } }),
      ])
      .when(removeNetworkMember())
      .then([networkMemberRemoved()]);
  });

  it('invariant 10: an action of a volunteer whose assignment id equals the member id does not stop it', () => {
    household
      .given([
        registered(),
        networkMemberAdded({ id: 'as1' }),
        assigned(),
        goalAdded(),
        actionAdded({ owner: { kind: 'volunteer', id: 'as1' } }),
      ])
      .when(removeNetworkMember({ id: 'as1' }))
      .then([networkMemberRemoved({ id: 'as1' })]);
  });

  it('refuses a worker of another team and a closed plan', () => {
    household
      .given([registered()])
      .when(addNetworkMember({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
    household
      .given([registered(), closed()])
      .when(addNetworkMember())
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });
});

describe('referrals to organisations of the social map', () => {
  it('requests a referral, recording the waiting time the worker saw; the note is personal data', () => {
    household.given([registered()]).when(requestReferral()).then([referralRequested()]);
  });

  describe('issue 18: consent of every current member, or a configured legal ground', () => {
    const consent = (
      id: string,
      memberId: string,
      o: { recipient?: string; until?: string } = {},
    ): ConsentGiven => ({
      type: 'ConsentGiven',
      data: {
        consentId: id,
        memberId,
        purpose: 'referral',
        recipient: o.recipient ?? 'org1',
        givenBy: [{ kind: 'member', memberId: PARENT }],
        from: '2025-03-01',
        until: o.until ?? null,
        recordedBy: 'anna',
        givenAt: '2025-03-01T09:00:00.000Z',
      },
    });

    it('records the consents of every member it relied on', () => {
      household
        .given([registered(), consent('c-p', PARENT), consent('c-c', CHILD)])
        .when(requestReferral({ legalGround: null }))
        .then([referralRequested({ legalGround: null, consentIds: ['c-p', 'c-c'] })]);
    });

    it('refuses without consent of every member, naming those without (409 ConsentRequired)', () => {
      household
        .given([registered(), consent('c-p', PARENT)])
        .when(requestReferral({ legalGround: null }))
        .thenRefuses({
          code: 'ConsentRequired',
          kind: 'conflict',
          details: { purpose: 'referral', recipient: 'org1', members: [CHILD] },
        });
      // Consent to another organisation, or one expired, is no consent for this one.
      household
        .given([registered(), consent('c-p', PARENT), consent('c-c', CHILD, { recipient: 'org2' })])
        .when(requestReferral({ legalGround: null }))
        .thenRefuses({
          code: 'ConsentRequired',
          kind: 'conflict',
          details: { purpose: 'referral', recipient: 'org1', members: [CHILD] },
        });
      household
        .given([registered(), consent('c-p', PARENT, { until: '2025-03-02' }), consent('c-c', CHILD)])
        .when(requestReferral({ legalGround: null }))
        .thenRefuses({
          code: 'ConsentRequired',
          kind: 'conflict',
          details: { purpose: 'referral', recipient: 'org1', members: [PARENT] },
        });
    });

    it('a configured legal ground instead is recorded on the event; an unconfigured one is a 400', () => {
      household
        .given([registered()])
        .when(requestReferral({ legalGround: 'jeugdwet-art-7-4-0' }))
        .then([referralRequested({ legalGround: 'jeugdwet-art-7-4-0' })]);
      household
        .given([registered()])
        .when(requestReferral({ legalGround: 'omdat-het-moet' }))
        .thenRefuses({ code: 'UnknownLegalGround', kind: 'invalid', details: { field: 'legalGround' } });
    });
  });

  it('refuses an organisation that is not on the social map, and a used referral id', () => {
    household
      .given([registered()])
      .when(requestReferral({ known: false }))
      .thenRefuses({ code: 'UnknownOrganisation', kind: 'invalid', details: { field: 'organisationId' } });
    household
      .given([registered(), referralRequested()])
      .when(requestReferral())
      .thenRefuses({ code: 'ReferralAlreadyExists', kind: 'conflict' });
  });

  it('runs requested -> accepted -> completed', () => {
    household.given([registered(), referralRequested()]).when(acceptReferral()).then([referralAccepted()]);
    household
      .given([registered(), referralRequested(), referralAccepted()])
      .when(completeReferral())
      .then([referralCompleted()]);
  });

  it('withdraws a requested or accepted referral, with the reason as personal data', () => {
    household.given([registered(), referralRequested()]).when(withdrawReferral()).then([referralWithdrawn()]);
    household
      .given([registered(), referralRequested(), referralAccepted()])
      .when(withdrawReferral())
      .then([referralWithdrawn()]);
  });

  it.each([
    ['completing a requested referral', [referralRequested()], completeReferral(), 'requested'],
    [
      'accepting an accepted referral',
      [referralRequested(), referralAccepted()],
      acceptReferral(),
      'accepted',
    ],
    [
      'withdrawing a completed referral',
      [referralRequested(), referralAccepted(), referralCompleted()],
      withdrawReferral(),
      'completed',
    ],
    [
      'accepting a withdrawn referral',
      [referralRequested(), referralWithdrawn()],
      acceptReferral(),
      'withdrawn',
    ],
  ])('refuses %s', (_name, history, command, referralStatus) => {
    household
      .given([registered(), ...history])
      .when(command)
      .thenRefuses({ code: 'ReferralStatusConflict', kind: 'conflict', details: { referralStatus } });
  });

  it('refuses a step on a household that is not registered as not found', () => {
    household.given([]).when(acceptReferral()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });

  it('refuses an unknown referral', () => {
    household
      .given([registered()])
      .when(acceptReferral({ id: 'r9' }))
      .thenRefuses({ code: 'ReferralNotFound', kind: 'not-found' });
  });

  it('does not move regie: the holder stays who it was through the whole life of a referral', () => {
    const history = [
      registered({ regie: 'anna' }),
      referralRequested(),
      referralAccepted(),
      referralCompleted(),
    ];
    const state = householdState(history);
    expect(state.regie).toEqual(householdState([registered({ regie: 'anna' })]).regie);
    expect(state.regieSince).toBe(householdState([registered({ regie: 'anna' })]).regieSince);
    expect(state.referrals.r1.status).toBe('completed');
  });

  it('an accepted referral can still complete after the plan closed', () => {
    household
      .given([registered(), referralRequested(), referralAccepted(), closed()])
      .when(completeReferral())
      .then([referralCompleted()]);
  });
});

describe('invariant 10: action owners linked to the household', () => {
  const base = [registered(), goalAdded()];

  it('a network member owns an action by its id', () => {
    household
      .given([...base, networkMemberAdded()])
      .when(addAction({ owner: { kind: 'network', id: 'n1' } }))
      .then([actionAdded({ owner: { kind: 'network', id: 'n1' } })]);
  });

  it('a volunteer owns an action through an open assignment', () => {
    household
      .given([...base, assigned()])
      .when(addAction({ owner: { kind: 'volunteer', id: 'as1' } }))
      .then([actionAdded({ owner: { kind: 'volunteer', id: 'as1' } })]);
  });

  it('an organisation owns an action through an open referral', () => {
    household
      .given([...base, referralRequested(), referralAccepted()])
      .when(addAction({ owner: { kind: 'organisation', id: 'r1' } }))
      .then([actionAdded({ owner: { kind: 'organisation', id: 'r1' } })]);
  });

  it.each([
    [
      'a removed network member',
      [networkMemberAdded(), networkMemberRemoved()],
      { kind: 'network' as const, id: 'n1' },
    ],
    ['an unknown network member', [], { kind: 'network' as const, id: 'n9' }],
    ['an ended assignment', [assigned(), assignmentEnded()], { kind: 'volunteer' as const, id: 'as1' }],
    ['a volunteer id instead of an assignment id', [assigned()], { kind: 'volunteer' as const, id: 'v1' }],
    [
      'a withdrawn referral',
      [referralRequested(), referralWithdrawn()],
      { kind: 'organisation' as const, id: 'r1' },
    ],
    [
      'a completed referral',
      [referralRequested(), referralAccepted(), referralCompleted()],
      { kind: 'organisation' as const, id: 'r1' },
    ],
    [
      'an organisation id instead of a referral id',
      [referralRequested()],
      { kind: 'organisation' as const, id: 'org1' },
    ],
  ])('refuses %s as owner', (_name, links, owner) => {
    const error = household
      .given([...base, ...links])
      .when(addAction({ owner }))
      .thenRefuses({ code: 'OwnerNotLinked', kind: 'conflict', invariant: 10 });
    expect(error.message).toContain(owner.id);
  });

  it('an organisation owns an action through a referral that is only requested', () => {
    household
      .given([...base, referralRequested()])
      .when(addAction({ owner: { kind: 'organisation', id: 'r1' } }))
      .then([actionAdded({ owner: { kind: 'organisation', id: 'r1' } })]);
  });

  it.each([
    ['network' as const, 'the id of a network member of this household'],
    ['volunteer' as const, 'the id of an open volunteer assignment of this household'],
    ['organisation' as const, 'the id of an open referral of this household'],
  ])('tells which id a %s owner must be', (kind, link) => {
    household
      .given(base)
      .when(addAction({ owner: { kind, id: 'x9' } }))
      .thenRefuses({
        code: 'OwnerNotLinked',
        kind: 'conflict',
        invariant: 10,
        message: `owner.id must be ${link}`,
      });
  });

  it('the plan state keeps the owner as linked', () => {
    const state = householdState([
      ...base,
      assigned(),
      actionAdded({ owner: { kind: 'volunteer', id: 'as1' } }),
    ]);
    expect(state.actions.a1.owner).toEqual({ kind: 'volunteer', id: 'as1' });
    expect(householdDecider.initialState().network).toEqual({});
  });
});
