import { DomainError, householdDecider, HouseholdEvent } from '@eenplan/domain';
import {
  accepted,
  cancelled,
  closed,
  confirmTakeover,
  facts,
  holder,
  household,
  householdState,
  inactive,
  markUnconfirmed,
  registered,
  rejectTakeover,
  requested,
  T,
  takenOver,
  takenOverWithNamedApprover,
  takeoverConfirmationOverdue,
  takeoverConfirmed,
  takeoverRejected,
  takeOver,
} from './fixtures';

/** A refusal's code, kind (the HTTP status class) and invariant, as the API will answer it. */
const refusal = (error: DomainError) => ({ code: error.code, kind: error.kind, invariant: error.invariant });

/** anna held regie; bas took it over for safety at T(30) as takeover s1. */
const afterTakeover: HouseholdEvent[] = [registered({ regie: 'anna' }), takenOver()];

describe('invariant 6: a safety takeover is break-glass, at once and without an approver', () => {
  it('takes regie at once, awaiting a team lead’s confirmation', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(takeOver())
      .then([takenOver()]);
    const state = householdState(afterTakeover);
    expect(state.regie).toEqual(holder('bas'));
    expect(state.safetyTakeovers.byId.s1).toMatchObject({
      takenBy: 'bas',
      from: holder('anna'),
      status: 'awaiting-confirmation',
    });
  });

  it('records no approver and names the household’s team, whose leads decide', () => {
    const [event] = householdDecider.decide(takeOver(), householdState([registered({ regie: 'anna' })]));
    expect(event!.data).not.toHaveProperty('approvedBy');
    expect(event!.data).toMatchObject({ takeoverId: 's1', householdTeamId: 'noord' });
    expect(event!.personal).toEqual({ reason: 'Veiligheid in het geding' });
  });

  it('takes regie from the household itself', () => {
    household
      .given([registered()])
      .when(takeOver())
      .then([takenOver({ from: 'household' })]);
  });

  it('cancels the pending transfer first', () => {
    household
      .given([registered({ regie: 'anna' }), requested({ to: 'karim' })])
      .when(takeOver())
      .then([cancelled({ by: 'bas', cause: 'safety-takeover' }), takenOver()]);
    const state = householdState([
      registered({ regie: 'anna' }),
      requested({ to: 'karim' }),
      cancelled({ by: 'bas', cause: 'safety-takeover' }),
      takenOver(),
    ]);
    expect([state.regie, state.pendingTransfer]).toEqual([holder('bas'), null]);
  });

  it('lets a worker of another team break the glass; the household team’s lead decides afterwards', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(takeOver({ by: 'karim' }))
      .then([takenOver({ by: 'karim' })]);
  });

  it('refuses a takeover id used before: 409', () => {
    const error = household
      .given([...afterTakeover, takeoverConfirmed()])
      .when(takeOver({ by: 'anna' }))
      .thenRefuses({ code: 'TakeoverIdAlreadyUsed', kind: 'conflict' });
    expect(error.kind).toBe('conflict');
  });

  it('refuses a takeover of a closed plan: 409, invariant 9', () => {
    const error = household
      .given([registered({ regie: 'anna' }), closed({ regieEndedFor: 'anna' })])
      .when(takeOver())
      .thenRefuses({ code: 'PlanClosed', kind: 'conflict', invariant: 9 });
    expect(error.kind).toBe('conflict');
  });
});

describe('invariant 6: a team lead of the household’s team who is not the taker confirms, once', () => {
  it('records the confirmation by the lead’s own act', () => {
    household.given(afterTakeover).when(confirmTakeover()).then([takeoverConfirmed()]);
    expect(householdState([...afterTakeover, takeoverConfirmed()]).safetyTakeovers.byId.s1?.status).toBe(
      'confirmed',
    );
  });

  it('refuses the taker confirming their own takeover, even a team lead: 403, invariant 6', () => {
    const error = household
      .given([registered({ regie: 'anna' }), takenOver({ by: 'lies' })])
      .when(confirmTakeover({ by: 'lies' }))
      .thenRefuses({ code: 'ConfirmerIsTaker', kind: 'forbidden', invariant: 6 });
    expect(refusal(error)).toEqual({ code: 'ConfirmerIsTaker', kind: 'forbidden', invariant: 6 });
  });

  it.each([
    ['a worker who is no team lead', confirmTakeover({ by: 'anna' })],
    ['a team lead of another team', confirmTakeover({ by: 'mo' })],
    ['a team lead the registry has deactivated', confirmTakeover({ lead: inactive('lies') })],
    ['an actor no team has registered', confirmTakeover({ lead: undefined })],
    [
      'a token claiming team lead whom the registry knows as a generalist',
      confirmTakeover({ lead: facts('lies', { role: 'generalist' }) }),
    ],
    ['registry facts of someone else than the actor', confirmTakeover({ by: 'anna', lead: facts('lies') })],
  ])('refuses %s: 403, invariant 6', (_who, command) => {
    const error = household
      .given(afterTakeover)
      .when(command)
      .thenRefuses({ code: 'NotHouseholdTeamLead', kind: 'forbidden', invariant: 6 });
    expect(refusal(error)).toEqual({ code: 'NotHouseholdTeamLead', kind: 'forbidden', invariant: 6 });
  });

  it.each([
    ['confirmed', takeoverConfirmed()],
    ['rejected', takeoverRejected()],
  ])('refuses a second decision after it was %s: 409 SafetyTakeoverAlreadyDecided', (status, decided) => {
    for (const again of [confirmTakeover(), rejectTakeover()]) {
      const error = household
        .given([...afterTakeover, decided])
        .when(again)
        .thenRefuses({
          code: 'SafetyTakeoverAlreadyDecided',
          kind: 'conflict',
          invariant: 6,
          details: { decision: status },
        });
      expect(refusal(error)).toEqual({
        code: 'SafetyTakeoverAlreadyDecided',
        kind: 'conflict',
        invariant: 6,
      });
      expect(error.details).toEqual({ decision: status });
    }
  });

  it('refuses an unknown takeover id: not found', () => {
    const error = household
      .given(afterTakeover)
      .when(confirmTakeover({ id: 'nope' }))
      .thenRefuses({ code: 'SafetyTakeoverNotFound', kind: 'not-found' });
    expect(error.kind).toBe('not-found');
  });

  it('confirms after the plan closed: the record still matters', () => {
    household
      .given([...afterTakeover, closed({ by: 'bas', regieEndedFor: 'bas', at: T(40) })])
      .when(confirmTakeover({ at: T(50) }))
      .then([takeoverConfirmed({ at: T(50) })]);
  });

  it('refuses any decision after the household was erased', () => {
    const erased: HouseholdEvent = {
      type: 'HouseholdDataErased',
      data: { erasedBy: 'admin-1', ground: 'AVG art. 17', erasedAt: T(60) },
    };
    household
      .given([...afterTakeover, closed({ by: 'bas', regieEndedFor: 'bas', at: T(40) }), erased])
      .when(confirmTakeover())
      .thenRefuses({ code: 'HouseholdErased', kind: 'conflict' });
  });
});

describe('invariant 6: a rejection gives regie back to whoever held it before', () => {
  it('back to the previous worker, still active', () => {
    household
      .given(afterTakeover)
      .when(rejectTakeover({ at: T(40) }))
      .then([takeoverRejected({ at: T(40) })]);
    const state = householdState([...afterTakeover, takeoverRejected({ at: T(40) })]);
    expect([state.regie, state.regieSince, state.safetyTakeovers.byId.s1?.status]).toEqual([
      holder('anna'),
      T(40),
      'rejected',
    ]);
  });

  it('back to the household when it held regie before', () => {
    household
      .given([registered(), takenOver({ from: 'household' })])
      .when(rejectTakeover({ previousHolder: undefined }))
      .then([takeoverRejected({ regieReturned: { from: 'bas', to: 'household' } })]);
  });

  it.each([
    ['was deactivated meanwhile', inactive('anna')],
    ['is no longer known to any team', undefined],
  ])(
    'to the household (eigen regie) when the previous worker %s: invariant 1 allows no inactive holder',
    (_why, previous) => {
      household
        .given(afterTakeover)
        .when(rejectTakeover({ previousHolder: previous }))
        .then([
          takeoverRejected({ regieReturned: { from: 'bas', to: 'household', toPreviousHolder: false } }),
        ]);
    },
  );

  it('cancels a transfer the taker asked meanwhile, then gives regie back', () => {
    household
      .given([...afterTakeover, requested({ id: 't9', from: 'bas', by: 'bas', to: 'karim', at: T(35) })])
      .when(rejectTakeover({ at: T(40) }))
      .then([
        cancelled({ id: 't9', by: 'lies', cause: 'safety-takeover', reason: 'Geen acuut gevaar' }),
        takeoverRejected({ at: T(40) }),
      ]);
  });

  it.each<[string, HouseholdEvent[]]>([
    [
      'regie was handed on by a transfer',
      [
        requested({ id: 't9', from: 'bas', by: 'bas', to: 'karim', at: T(35) }),
        accepted({
          id: 't9',
          from: 'bas',
          to: 'karim',
          by: 'karim',
          requestedBy: 'bas',
          requestedAt: T(35),
          at: T(36),
        }),
      ],
    ],
    ['the plan closed', [closed({ by: 'bas', regieEndedFor: 'bas', at: T(36) })]],
    [
      'another worker took regie over for safety',
      [takenOver({ id: 's2', from: 'bas', by: 'karim', at: T(36) })],
    ],
  ])(
    'leaves regie where it is when %s since: the rejection is recorded, nobody’s regie changes',
    (_why, since) => {
      const history = [...afterTakeover, ...since];
      household
        .given(history)
        .when(rejectTakeover({ at: T(40) }))
        .then([takeoverRejected({ at: T(40), regieReturned: null })]);
      const before = householdState(history);
      const after = householdState([...history, takeoverRejected({ at: T(40), regieReturned: null })]);
      expect([after.regie, after.regieSince]).toEqual([before.regie, before.regieSince]);
    },
  );

  it('refuses the taker and a worker who is no team lead: 403, invariant 6', () => {
    household
      .given(afterTakeover)
      .when(rejectTakeover({ by: 'bas' }))
      .thenRefuses({ code: 'ConfirmerIsTaker', kind: 'forbidden', invariant: 6 });
    household
      .given(afterTakeover)
      .when(rejectTakeover({ by: 'anna' }))
      .thenRefuses({ code: 'NotHouseholdTeamLead', kind: 'forbidden', invariant: 6 });
  });
});

describe('invariant 6: takeovers left unconfirmed past the set hours are announced once', () => {
  const taken = T(0);
  const hours = (h: number) => new Date(Date.parse(taken) + h * 3_600_000).toISOString();
  const history = [registered({ regie: 'anna', at: T(-10) }), takenOver({ at: taken })];

  it('announces a takeover awaiting confirmation from the set hours on', () => {
    household
      .given(history)
      .when(markUnconfirmed({ at: hours(23.99), hours: 24 }))
      .then([]);
    household
      .given(history)
      .when(markUnconfirmed({ at: hours(24), hours: 24 }))
      .then([takeoverConfirmationOverdue({ takenAt: taken, at: hours(24), hours: 24 })]);
  });

  it('announces it once, and never one a lead decided', () => {
    const announced = takeoverConfirmationOverdue({ takenAt: taken, at: hours(24) });
    household
      .given([...history, announced])
      .when(markUnconfirmed({ at: hours(48) }))
      .then([]);
    household
      .given([...history, takeoverConfirmed()])
      .when(markUnconfirmed({ at: hours(48) }))
      .then([]);
    household
      .given([...history, takeoverRejected()])
      .when(markUnconfirmed({ at: hours(48) }))
      .then([]);
  });

  it('a lead may still decide after the announcement', () => {
    household
      .given([...history, takeoverConfirmationOverdue({ takenAt: taken, at: hours(24) })])
      .when(confirmTakeover({ at: hours(30) }))
      .then([takeoverConfirmed({ at: hours(30) })]);
  });
});

describe('takeovers recorded before break-glass (schema v1, approver named by the taker)', () => {
  const legacy = [registered({ regie: 'anna' }), takenOverWithNamedApprover()];

  it('still move regie', () => {
    const state = householdState(legacy);
    expect([state.regie, state.regieSince]).toEqual([holder('bas'), T(30)]);
  });

  it('count as decided: none awaits confirmation, none is announced, none can be rejected', () => {
    expect(householdState(legacy).safetyTakeovers).toEqual({ byId: {}, regieBy: null });
    household
      .given(legacy)
      .when(markUnconfirmed({ at: T(10_000) }))
      .then([]);
    household
      .given(legacy)
      .when(rejectTakeover())
      .thenRefuses({ code: 'SafetyTakeoverNotFound', kind: 'not-found' });
  });
});
