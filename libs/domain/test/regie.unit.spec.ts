import { HouseholdEvent, householdDecider, teamDecider } from '@eenplan/domain';
import {
  accept,
  accepted,
  CHILD,
  cancel,
  cancelled,
  close,
  closed,
  deactivate,
  decline,
  declined,
  DISTRICT,
  holder,
  household,
  householdState,
  inactive,
  PARENT,
  register,
  registered,
  reopen,
  reopened,
  request,
  requested,
  returnRegie,
  returned,
  T,
  takenOver,
  takeOver,
  team,
  teamHistory,
  workerDeactivated,
  outsideRegieConsents,
  ZUID,
} from './fixtures';

describe('invariant 1: exactly one party holds regie, the household or one active worker', () => {
  it('registers a household with eigen regie', () => {
    household.given([]).when(register()).then([registered()]);
  });

  it('registers a household with a worker holding regie from the start', () => {
    household
      .given([])
      .when(register({ regie: 'anna' }))
      .then([registered({ regie: 'anna' })]);
  });

  it('refuses an inactive worker as regie holder at registration', () => {
    household
      .given([])
      .when(register({ regie: 'anna', regieWorker: inactive('anna') }))
      .thenRefuses({ code: 'WorkerNotActive', kind: 'conflict', invariant: 1 });
  });

  it('refuses a regie worker no team has registered', () => {
    household
      .given([])
      .when(register({ regie: 'anna', regieWorker: undefined }))
      .thenRefuses({ code: 'UnknownWorker', kind: 'invalid', details: { field: 'regie.workerId' } });
  });

  it('refuses a transfer to an inactive worker', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(request({ receiver: inactive('bas') }))
      .thenRefuses({ code: 'WorkerNotActive', kind: 'conflict', invariant: 1 });
  });

  it('refuses a transfer to the worker who already holds regie', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(request({ by: 'bas', to: 'anna' }))
      .thenRefuses({ code: 'AlreadyRegieHolder', kind: 'conflict', invariant: 1 });
  });

  it('refuses a safety takeover by the worker who already holds regie', () => {
    household
      .given([registered({ regie: 'bas' })])
      .when(takeOver({ by: 'bas' }))
      .thenRefuses({ code: 'AlreadyRegieHolder', kind: 'conflict', invariant: 1 });
  });

  it('refuses a safety takeover by an inactive worker', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(takeOver({ taker: inactive('bas') }))
      .thenRefuses({ code: 'WorkerNotActive', kind: 'conflict', invariant: 1 });
  });

  it('evolve keeps exactly one holder, without gaps, through a sequence of handoffs', () => {
    const history: HouseholdEvent[] = [
      registered(),
      requested({
        from: 'household',
        by: 'anna',
        to: 'anna',
        variant: 'on-behalf',
        agreedBy: PARENT,
        at: T(1),
      }),
      accepted({
        from: 'household',
        to: 'anna',
        by: 'anna',
        variant: 'on-behalf',
        requestedAt: T(1),
        at: T(2),
      }),
      requested({ id: 't2', from: 'anna', to: 'karim', by: 'anna', at: T(3) }),
      declined({ id: 't2', by: 'karim' }),
      requested({ id: 't3', from: 'anna', to: 'bas', by: 'bas', variant: 'reverse', at: T(4) }),
      accepted({
        id: 't3',
        from: 'anna',
        to: 'bas',
        by: 'anna',
        requestedBy: 'bas',
        variant: 'reverse',
        requestedAt: T(4),
        at: T(5),
      }),
      requested({ id: 't4', from: 'bas', to: 'karim', by: 'bas', at: T(6) }),
      cancelled({ id: 't4', by: 'lies', cause: 'safety-takeover' }),
      takenOver({ from: 'bas', by: 'lies', at: T(7) }),
      returned({ from: 'lies', at: T(8) }),
      requested({
        id: 't5',
        from: 'household',
        to: 'karim',
        by: 'bas',
        variant: 'on-behalf',
        agreedBy: PARENT,
        at: T(9),
      }),
      accepted({
        id: 't5',
        from: 'household',
        to: 'karim',
        by: 'mo',
        requestedBy: 'bas',
        variant: 'on-behalf',
        requestedAt: T(9),
        at: T(10),
      }),
      closed({ by: 'karim', regieEndedFor: 'karim', at: T(11) }),
    ];
    const expected: [string, ReturnType<typeof holder>, string][] = [
      ['HouseholdRegistered', holder('household'), T(0)],
      ['RegieTransferRequested', holder('household'), T(0)],
      ['RegieTransferAccepted', holder('anna'), T(2)],
      ['RegieTransferRequested', holder('anna'), T(2)],
      ['RegieTransferDeclined', holder('anna'), T(2)],
      ['RegieTransferRequested', holder('anna'), T(2)],
      ['RegieTransferAccepted', holder('bas'), T(5)],
      ['RegieTransferRequested', holder('bas'), T(5)],
      ['RegieTransferCancelled', holder('bas'), T(5)],
      ['RegieTakenOverForSafety', holder('lies'), T(7)],
      ['RegieReturnedToHousehold', holder('household'), T(8)],
      ['RegieTransferRequested', holder('household'), T(8)],
      ['RegieTransferAccepted', holder('karim'), T(10)],
      ['PlanClosed', holder('household'), T(11)],
    ];
    history.forEach((event, i) => {
      const state = householdState(history.slice(0, i + 1));
      expect([event.type, state.regie, state.regieSince]).toEqual(expected[i]);
    });
  });
});

describe('registration', () => {
  it('refuses a second registration of the same household', () => {
    household
      .given([registered()])
      .when(register())
      .thenRefuses({ code: 'HouseholdAlreadyRegistered', kind: 'conflict' });
  });

  it('refuses a team that is not registered', () => {
    household
      .given([])
      .when(register({ team: teamDecider.initialState() }))
      .thenRefuses({ code: 'TeamNotFound', kind: 'not-found' });
  });

  it("refuses a worker outside the household's team", () => {
    household
      .given([])
      .when(register({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('refuses a district the team does not serve', () => {
    household
      .given([])
      .when(register({ district: 'haven' }))
      .thenRefuses({ code: 'DistrictNotServed', kind: 'invalid', details: { field: 'district' } });
  });

  it('refuses duplicate member ids', () => {
    const members = [
      { memberId: PARENT, role: 'parent' as const, birthYear: 1988, name: 'Fatima' },
      { memberId: PARENT, role: 'adult' as const, birthYear: 1990, name: 'Omar' },
    ];
    household
      .given([])
      .when(register({ members }))
      .thenRefuses({ code: 'DuplicateMember', kind: 'invalid', details: { field: 'members' } });
  });

  it("keeps member names out of the payload, each in its member's own personal part", () => {
    const [event] = householdDecider.decide(register(), householdDecider.initialState());
    expect(JSON.stringify(event!.data)).not.toMatch(/Fatima|Youssef/);
    expect(event!.personal).toEqual({
      persons: { [PARENT]: { name: 'Fatima' }, [CHILD]: { name: 'Youssef' } },
    });
    expect(event!.data).toMatchObject({ district: DISTRICT });
  });
});

describe('invariant 2: at most one transfer is pending; it names receiver and reason, may carry notes', () => {
  it('records the receiver, the reason and the handover notes', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(request({ notes: 'Let op: moeder werkt nachtdiensten' }))
      .then([requested({ notes: 'Let op: moeder werkt nachtdiensten' })]);
  });

  it('refuses a second request while one is pending, naming the pending transfer', () => {
    const error = household
      .given([registered({ regie: 'anna' }), requested()])
      .when(request({ id: 't2', to: 'karim' }))
      .thenRefuses({
        code: 'TransferAlreadyPending',
        kind: 'conflict',
        invariant: 2,
        details: { pendingTransferId: 't1' },
      });
    expect(error.details).toEqual({ pendingTransferId: 't1' });
  });

  it('refuses a reverse request while another transfer is pending', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(request({ id: 't2', by: 'karim', to: 'karim' }))
      .thenRefuses({
        code: 'TransferAlreadyPending',
        kind: 'conflict',
        invariant: 2,
        details: { pendingTransferId: 't1' },
      });
  });

  it('allows a new request once the pending one was declined', () => {
    household
      .given([registered({ regie: 'anna' }), ...outsideRegieConsents(), requested(), declined()])
      .when(request({ id: 't2', to: 'karim' }))
      .then([requested({ id: 't2', to: 'karim' })]);
  });

  it('refuses to decide on a transfer that is no longer pending', () => {
    household
      .given([registered({ regie: 'anna' }), requested(), cancelled()])
      .when(accept())
      .thenRefuses({ code: 'TransferNotPending', kind: 'conflict', invariant: 2 });
  });

  it('refuses to decide on a transfer that does not exist', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(decline({ id: 'nope' }))
      .thenRefuses({ code: 'TransferNotFound', kind: 'not-found' });
  });

  it('refuses to reuse a transfer id', () => {
    household
      .given([registered({ regie: 'anna' }), requested(), declined()])
      .when(request())
      .thenRefuses({ code: 'TransferIdAlreadyUsed', kind: 'conflict' });
  });

  it('refuses to return regie to the household while a transfer is pending', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(returnRegie())
      .thenRefuses({ code: 'TransferPending', kind: 'conflict', invariant: 2 });
  });
});

describe('invariant 3: regie changes hands only when the receiver accepts (warm handover)', () => {
  it('leaves regie with the giver while the transfer is pending', () => {
    const state = householdState([registered({ regie: 'anna' }), requested()]);
    expect(state.regie).toEqual(holder('anna'));
    expect(state.pendingTransfer).toMatchObject({ transferId: 't1', to: holder('bas') });
  });

  it('passes regie on accept, recording how long the handover took', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(accept())
      .then([accepted()]);
    expect(accepted().data.handoverSeconds).toBe(20 * 60);
    const state = householdState([registered({ regie: 'anna' }), requested(), accepted()]);
    expect([state.regie, state.regieSince, state.pendingTransfer]).toEqual([holder('bas'), T(30), null]);
  });

  it('leaves regie with the giver on decline', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(decline())
      .then([declined()]);
    expect(householdState([registered({ regie: 'anna' }), requested(), declined()]).regie).toEqual(
      holder('anna'),
    );
  });

  it('refuses the accept when the receiver was deactivated after the request', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(accept({ receiver: inactive('bas') }))
      .thenRefuses({ code: 'WorkerNotActive', kind: 'conflict', invariant: 1 });
  });

  it('refuses the accept when the receiver is no longer known to any team', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(accept({ receiver: undefined }))
      .thenRefuses({ code: 'UnknownWorker', kind: 'invalid', details: { field: 'receiver' } });
  });
});

describe("invariant 4: the receiver or a team lead of the receiver's team decides; the requester or holder cancels", () => {
  const crossTeam = [registered({ regie: 'anna' }), requested({ to: 'karim' })];

  it("lets a team lead of the receiver's team accept", () => {
    household
      .given(crossTeam)
      .when(accept({ by: 'mo', to: 'karim' }))
      .then([accepted({ to: 'karim', by: 'mo' })]);
  });

  it("lets a team lead of the receiver's team decline, with a reason", () => {
    household
      .given(crossTeam)
      .when(decline({ by: 'mo', reason: 'Wachtlijst' }))
      .then([declined({ by: 'mo', reason: 'Wachtlijst' })]);
  });

  it("refuses an accept by a team lead of another team than the receiver's", () => {
    household
      .given(crossTeam)
      .when(accept({ by: 'lies', to: 'karim' }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
  });

  it('refuses an accept by the giver', () => {
    household
      .given(crossTeam)
      .when(accept({ by: 'anna', to: 'karim' }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
  });

  it('refuses an accept by a team lead who holds regie and asked for the handover to their own team', () => {
    household
      .given([registered({ regie: 'lies' }), requested({ by: 'lies', to: 'bas' })])
      .when(accept({ by: 'lies', to: 'bas' }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
  });

  it('refuses a decline by a worker who is not the receiver', () => {
    household
      .given(crossTeam)
      .when(decline({ by: 'bas' }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
  });

  it('lets the requester cancel, with a reason', () => {
    household
      .given([
        registered(),
        requested({ from: 'household', by: 'bas', to: 'karim', variant: 'on-behalf', agreedBy: PARENT }),
      ])
      .when(cancel({ by: 'bas', reason: 'Gezin wil toch zelf' }))
      .then([cancelled({ by: 'bas', reason: 'Gezin wil toch zelf' })]);
  });

  it('lets the current holder cancel a request made by someone else', () => {
    household
      .given([registered({ regie: 'anna' }), requested({ by: 'bas', variant: 'reverse' })])
      .when(cancel({ by: 'anna' }))
      .then([cancelled({ by: 'anna' })]);
  });

  it('refuses a cancel by the receiver of a handover', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(cancel({ by: 'bas' }))
      .thenRefuses({ code: 'NotTransferCanceller', kind: 'forbidden', invariant: 4 });
  });

  it('refuses a cancel by a team lead who neither requested nor holds regie', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(cancel({ by: 'lies' }))
      .thenRefuses({ code: 'NotTransferCanceller', kind: 'forbidden', invariant: 4 });
  });

  it('refuses a cancel of a transfer that is no longer pending', () => {
    household
      .given([registered({ regie: 'anna' }), requested(), accepted()])
      .when(cancel())
      .thenRefuses({ code: 'TransferNotPending', kind: 'conflict', invariant: 2 });
  });
});

describe('invariant 5: on-behalf requests while the household holds regie; reverse requests go to the holder', () => {
  it('lets a worker of the team request on the household’s behalf, naming the member who agreed', () => {
    household
      .given([registered(), ...outsideRegieConsents()])
      .when(request({ by: 'anna', to: 'karim', agreedBy: PARENT }))
      .then([
        requested({ from: 'household', by: 'anna', to: 'karim', variant: 'on-behalf', agreedBy: PARENT }),
      ]);
  });

  it('refuses an on-behalf request without agreedBy', () => {
    household
      .given([registered()])
      .when(request({ by: 'anna', to: 'karim' }))
      .thenRefuses({ code: 'AgreedByRequired', kind: 'conflict', invariant: 5 });
  });

  it('refuses an agreedBy that is not a member of the household', () => {
    household
      .given([registered()])
      .when(request({ to: 'karim', agreedBy: 'buurvrouw' }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'agreedBy' } });
  });

  it('refuses an on-behalf request from a worker outside the household’s team', () => {
    household
      .given([registered()])
      .when(request({ by: 'karim', to: 'karim', agreedBy: PARENT }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden', invariant: 5 });
  });

  it('lets the receiver of an on-behalf request accept it', () => {
    const onBehalf = {
      from: 'household' as const,
      by: 'anna' as const,
      to: 'karim' as const,
      variant: 'on-behalf' as const,
    };
    household
      .given([registered(), requested({ ...onBehalf, agreedBy: PARENT })])
      .when(accept({ by: 'karim', to: 'karim' }))
      .then([
        accepted({ from: 'household', to: 'karim', by: 'karim', requestedBy: 'anna', variant: 'on-behalf' }),
      ]);
  });

  it('records a handover by the holder as such, without agreedBy', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(request({ agreedBy: PARENT }))
      .then([requested()]);
  });

  it('lets a worker request regie for themselves from the holder (reverse)', () => {
    household
      .given([registered({ regie: 'anna' }), ...outsideRegieConsents()])
      .when(request({ by: 'karim', to: 'karim' }))
      .then([requested({ by: 'karim', to: 'karim', variant: 'reverse' })]);
  });

  it('issue 18: regie to a worker outside the household’s team needs every member’s consent for that team', () => {
    const [parentConsent] = outsideRegieConsents();
    household
      .given([registered({ regie: 'anna' }), parentConsent!])
      .when(request({ by: 'karim', to: 'karim' }))
      .thenRefuses({
        code: 'ConsentRequired',
        kind: 'conflict',
        details: { purpose: 'regie-outside-organisation', recipient: ZUID, members: [CHILD] },
      });
    // Consent for another team is no consent for this one.
    household
      .given([registered(), ...outsideRegieConsents('west')])
      .when(request({ by: 'anna', to: 'karim', agreedBy: PARENT }))
      .thenRefuses({
        code: 'ConsentRequired',
        kind: 'conflict',
        details: { purpose: 'regie-outside-organisation', recipient: ZUID, members: [PARENT, CHILD] },
      });
    // Within the household's team no consent is asked.
    household
      .given([registered({ regie: 'anna' })])
      .when(request({ to: 'bas' }))
      .then([requested({ to: 'bas' })]);
  });

  it('lets the holder accept a reverse request', () => {
    household
      .given([registered({ regie: 'anna' }), requested({ by: 'bas', variant: 'reverse' })])
      .when(accept({ by: 'anna' }))
      .then([accepted({ by: 'anna', requestedBy: 'bas', variant: 'reverse' })]);
  });

  it('lets the holder decline a reverse request', () => {
    household
      .given([registered({ regie: 'anna' }), requested({ by: 'bas', variant: 'reverse' })])
      .when(decline({ by: 'anna' }))
      .then([declined({ by: 'anna' })]);
  });

  it('refuses the requester accepting their own reverse request', () => {
    household
      .given([registered({ regie: 'anna' }), requested({ by: 'bas', variant: 'reverse' })])
      .when(accept({ by: 'bas' }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 5 });
  });

  it("refuses a team lead of the requester's team deciding a reverse request", () => {
    household
      .given([registered({ regie: 'anna' }), requested({ by: 'bas', variant: 'reverse' })])
      .when(decline({ by: 'lies' }))
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 5 });
  });

  it('refuses a worker who does not hold regie handing it to someone else', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(request({ by: 'lies', to: 'bas' }))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden', invariant: 5 });
  });
});

// Invariant 6 (the safety takeover as break-glass): safety-takeover.unit.spec.ts.

describe('invariant 7: regie returns to the household by the holder, with a member agreeing', () => {
  it('returns regie to the household, recording who agreed', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(returnRegie({ by: 'anna' }))
      .then([returned()]);
    const state = householdState([registered({ regie: 'anna' }), returned()]);
    expect([state.regie, state.regieSince]).toEqual([holder('household'), T(30)]);
  });

  it('refuses a return by a worker who does not hold regie', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(returnRegie({ by: 'lies' }))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden', invariant: 7 });
  });

  it('refuses a return when the household already holds regie', () => {
    household
      .given([registered()])
      .when(returnRegie())
      .thenRefuses({ code: 'HouseholdHoldsRegie', kind: 'conflict', invariant: 7 });
  });

  it('refuses an agreedBy that is not a member', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(returnRegie({ agreedBy: 'buurvrouw' }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'agreedBy' } });
  });
});

describe('invariant 8: a worker who holds regie cannot be deactivated', () => {
  it('refuses the deactivation and names the households', () => {
    const error = team
      .given(teamHistory())
      .when(deactivate('anna', ['h1', 'h7']))
      .thenRefuses({
        code: 'WorkerHoldsRegie',
        kind: 'conflict',
        invariant: 8,
        details: { households: ['h1', 'h7'] },
      });
    expect(error.details).toEqual({ households: ['h1', 'h7'] });
    expect(error.message).toMatch(/h1, h7/);
  });

  it('deactivates a worker without regie', () => {
    team
      .given(teamHistory())
      .when(deactivate('anna'))
      .then([workerDeactivated('anna')]);
  });
});

describe('invariant 9: no close while a transfer is pending; closing ends the worker’s regie; reopen', () => {
  it('refuses to close while a transfer is pending', () => {
    household
      .given([registered({ regie: 'anna' }), requested()])
      .when(close())
      .thenRefuses({ code: 'TransferPending', kind: 'conflict', invariant: 9 });
  });

  it('ends the worker’s regie on close; the household holds regie afterwards', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(close())
      .then([closed({ regieEndedFor: 'anna' })]);
    const state = householdState([registered({ regie: 'anna' }), closed({ regieEndedFor: 'anna' })]);
    expect([state.status, state.regie, state.regieSince]).toEqual(['closed', holder('household'), T(30)]);
  });

  it('closes under eigen regie by a worker of the team, keeping the household’s interval', () => {
    household
      .given([registered()])
      .when(close({ by: 'bas' }))
      .then([closed({ by: 'bas' })]);
    expect(householdState([registered(), closed({ by: 'bas' })]).regieSince).toBe(T(0));
  });

  it('refuses a close by a worker who does not hold regie', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(close({ by: 'lies' }))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden' });
  });

  it('refuses a close under eigen regie by a worker outside the team', () => {
    household
      .given([registered()])
      .when(close({ by: 'karim' }))
      .thenRefuses({ code: 'NotRegieHolder', kind: 'forbidden' });
  });

  it('refuses to close a closed plan', () => {
    household
      .given([registered(), closed()])
      .when(close())
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });

  it('refuses regie commands on a closed plan', () => {
    household
      .given([registered(), closed()])
      .when(request({ to: 'karim', agreedBy: PARENT }))
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
    household
      .given([registered(), closed()])
      .when(takeOver())
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
  });

  it('reopens a closed plan under eigen regie', () => {
    household
      .given([registered({ regie: 'anna' }), closed({ regieEndedFor: 'anna' })])
      .when(reopen({ by: 'bas' }))
      .then([reopened({ by: 'bas' })]);
    const state = householdState([
      registered({ regie: 'anna' }),
      closed({ regieEndedFor: 'anna' }),
      reopened(),
    ]);
    expect([state.status, state.regie]).toEqual(['active', holder('household')]);
  });

  it('allows regie transfers again after reopening', () => {
    household
      .given([registered(), ...outsideRegieConsents(), closed(), reopened()])
      .when(request({ to: 'karim', agreedBy: PARENT }))
      .then([requested({ from: 'household', to: 'karim', variant: 'on-behalf', agreedBy: PARENT })]);
  });

  it('refuses to reopen a plan that is not closed', () => {
    household
      .given([registered()])
      .when(reopen())
      .thenRefuses({ code: 'PlanNotClosed', kind: 'conflict', invariant: 9 });
  });

  it('refuses a reopen by a worker outside the team', () => {
    household
      .given([registered(), closed()])
      .when(reopen({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('refuses commands for a household that is not registered', () => {
    household.given([]).when(close()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
    household.given([]).when(reopen()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
    household.given([]).when(request()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });
});
